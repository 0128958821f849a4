/* signalfd: the signals of a mask, read from a descriptor instead of run
 * by handlers. As on Linux, a read or poll sees the pending signals of
 * whoever reads or polls (a forked child sees its own), reads take them
 * (as many as fit, 128 bytes each), and the mask of an existing signalfd
 * can be changed by passing its descriptor. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/signalfd.h>
#include <uk/signal.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "event_internal.h"

#define SIGBIT(s) (1ULL << ((s) - 1))
/* SIGKILL and SIGSTOP are never read from a signalfd: Linux drops them
 * from the mask. */
#define UNREADABLE (SIGBIT(9) | SIGBIT(19))

struct signalfd {
	struct ev_common common;	/* gen: signals sent of the mask */
	uint64_t mask;
	struct uk_sigwatch watch;
};

static ssize_t sfd_do_read(struct uk_vnode *vn, int nonblock, char *buf, size_t n)
{
	struct signalfd *s = vn->priv;
	struct signalfd_siginfo ssi;
	size_t got = 0;
	while (got < n) {
		if (!uk_signal_take(s->mask, &ssi)) {
			if (got || nonblock)
				break;
			/* The first one is waited for, the rest are not. */
			if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
				return EV_ERESTART;
			continue;
		}
		/* Taken even when it cannot go out, as on Linux. */
		if (uk_copy_to_user(buf + got * sizeof(ssi), &ssi, sizeof(ssi)))
			return got ? (ssize_t)(got * sizeof(ssi)) : -EFAULT;
		got++;
	}
	return got ? (ssize_t)(got * sizeof(ssi)) : -EAGAIN;
}

static ssize_t sfd_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			size_t len, off_t off)
{
	(void)off;
	size_t n = len / sizeof(struct signalfd_siginfo);
	if (!n)
		return -EINVAL;
	uk_vnode_get(vn);
	ssize_t rc = sfd_do_read(vn, f->flags & O_NONBLOCK, buf, n);
	uk_vnode_put(vn);
	return rc;
}

static unsigned int sfd_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct signalfd *s = vn->priv;
	return (uk_signal_pending_mask() & s->mask) ? POLLIN | POLLRDNORM : 0;
}

static void sfd_release(struct uk_vnode *vn)
{
	struct signalfd *s = vn->priv;
	uk_signal_watch_del(&s->watch);
	free(s);
}

const struct uk_vnode_ops ev_signalfd_ops = {
	.read = sfd_read,
	.poll = sfd_poll,
	.release = sfd_release,
};

static int sfd_create(int fd, const uint64_t *umask, size_t size, int flags)
{
	uint64_t mask;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (size != EV_SIGSET_SIZE)
		return -EINVAL;
	if (uk_copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~UNREADABLE;
	if (fd != -1) {
		struct uk_file *f = uk_fd_get(fd);
		if (!f || (f->flags & O_PATH))
			return -EBADF;
		if (f->vn->ops != &ev_signalfd_ops)
			return -EINVAL;
		struct signalfd *s = f->vn->priv;
		s->mask = mask;
		/* Signals already pending may now be of the mask. */
		uk_waitq_wake(&f->vn->wq, -1);
		return fd;
	}
	struct signalfd *s = calloc(1, sizeof(*s));
	struct uk_vnode *vn = s ? ev_vnode_new(&ev_signalfd_ops) : NULL;
	if (!vn) {
		free(s);
		return -ENOMEM;
	}
	s->mask = mask;
	s->watch.wq = &vn->wq;
	s->watch.mask = &s->mask;
	s->watch.gen = &s->common.gen;
	uk_signal_watch_add(&s->watch);
	vn->priv = s;
	return ev_install(vn, flags, !!(flags & SFD_CLOEXEC), "anon_inode:[signalfd]");
}

UK_SYSCALL_R_DEFINE(int, signalfd, int, fd, const uint64_t *, mask, size_t, size)
{
	return sfd_create(fd, mask, size, 0);
}

UK_SYSCALL_R_DEFINE(int, signalfd4, int, fd, const uint64_t *, mask, size_t, size,
		    int, flags)
{
	return sfd_create(fd, mask, size, flags);
}
