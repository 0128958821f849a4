/* eventfd: a 64-bit counter behind a descriptor. Writes add to it (up
 * to 2^64-2, beyond which they wait), reads take all of it, or one with
 * EFD_SEMAPHORE, and wait while it is zero. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "event_internal.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

struct eventfd {
	struct ev_common common;
	uint64_t count;
	int semaphore;
};

static ssize_t efd_do_read(struct uk_vnode *vn, int nonblock, void *buf)
{
	struct eventfd *e = vn->priv;
	while (!e->count) {
		if (nonblock)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return EV_ERESTART;
	}
	uint64_t v = e->semaphore ? 1 : e->count;
	e->count -= v;
	e->common.gen++;
	uk_waitq_wake(&vn->wq, -1);	/* writers, and POLLOUT */
	/* Taken even when it cannot go out, as on Linux. */
	return uk_copy_out(buf, &v, sizeof(v)) ? -EFAULT : (ssize_t)sizeof(v);
}

static ssize_t efd_do_write(struct uk_vnode *vn, int nonblock, uint64_t v)
{
	struct eventfd *e = vn->priv;
	/* The counter never reaches 2^64-1: a write that would wait. */
	while (UINT64_MAX - e->count <= v) {
		if (nonblock)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return EV_ERESTART;
	}
	e->count += v;
	e->common.gen++;
	uk_waitq_wake(&vn->wq, -1);	/* readers, and POLLIN */
	return sizeof(v);
}

/* The read and write paths hold a vnode reference while they may sleep:
 * the VFS does not pin the file, and another thread may close it. */
static ssize_t efd_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			size_t len, off_t off)
{
	(void)off;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	uk_vnode_get(vn);
	ssize_t rc = efd_do_read(vn, f->flags & O_NONBLOCK, buf);
	uk_vnode_put(vn);
	return rc;
}

static ssize_t efd_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			 size_t len, off_t off)
{
	(void)off;
	uint64_t v;
	if (len < sizeof(v))
		return -EINVAL;
	if (uk_copy_in(&v, buf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	uk_vnode_get(vn);
	ssize_t rc = efd_do_write(vn, f->flags & O_NONBLOCK, v);
	uk_vnode_put(vn);
	return rc;
}

static unsigned int efd_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct eventfd *e = vn->priv;
	unsigned int r = 0;
	if (e->count)
		r |= POLLIN | POLLRDNORM;
	if (e->count == UINT64_MAX)
		r |= POLLERR;
	if (UINT64_MAX - 1 > e->count)
		r |= POLLOUT | POLLWRNORM;
	return r;
}

static void efd_release(struct uk_vnode *vn)
{
	free(vn->priv);
}

const struct uk_vnode_ops ev_eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.release = efd_release,
};

static int efd_create(unsigned int count, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = calloc(1, sizeof(*e));
	struct uk_vnode *vn = e ? ev_vnode_new(&ev_eventfd_ops) : NULL;
	if (!vn) {
		free(e);
		return -ENOMEM;
	}
	e->count = count;
	e->semaphore = !!(flags & EFD_SEMAPHORE);
	vn->priv = e;
	return ev_install(vn, flags, !!(flags & EFD_CLOEXEC), "anon_inode:[eventfd]");
}

UK_SYSCALL_R_DEFINE(int, eventfd, unsigned int, count)
{
	return efd_create(count, 0);
}

UK_SYSCALL_R_DEFINE(int, eventfd2, unsigned int, count, int, flags)
{
	return efd_create(count, flags);
}
