/* pidfds: descriptors that name a process (pidfd_open, clone's
 * CLONE_PIDFD): readable in poll, select and epoll once the process has
 * ended, a target for pidfd_send_signal and waitid's P_PIDFD, and a way to
 * take a copy of one of its descriptors (pidfd_getfd). A pidfd names the
 * process by PID and start time, so a PID given out again is not it. */
#include <errno.h>
#include <stdlib.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/vfs.h>
#include <uk/signal.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include "process_internal.h"

#define PIDFD_NONBLOCK O_NONBLOCK
#define ANON_INODE_FS_MAGIC 0x09041934

struct pidfd {
	int pid;
	uint64_t start_ns;
};

static struct uk_mount *pidfs;
static const struct uk_vnode_ops pidfd_ops;

struct uk_process *proc_of_pidfd(struct uk_file *f)
{
	if (!f || f->vn->ops != &pidfd_ops)
		return NULL;
	const struct pidfd *d = f->vn->priv;
	struct uk_process *p = uk_process_find(d->pid);
	return p && p->start_ns == d->start_ns ? p : NULL;
}

static unsigned int pidfd_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)vn;
	struct uk_process *p = proc_of_pidfd(f);
	return !p || p->state != UK_PROC_LIVE ? POLLIN | POLLRDNORM : 0;
}

/* The pidfds' wait queues: the end of a process wakes every one (their
 * pollers look again). */
static struct uk_waitq *pidfd_queues[64];
static int npidfd_queues;

static void pidfd_release(struct uk_vnode *vn)
{
	for (int i = 0; i < npidfd_queues; i++)
		if (pidfd_queues[i] == &vn->wq)
			pidfd_queues[i] = NULL;
	free(vn->priv);
}

static const struct uk_vnode_ops pidfd_ops = {
	.poll = pidfd_poll,
	.release = pidfd_release,
};

void proc_pidfd_ended(struct uk_process *p)
{
	(void)p;
	for (int i = 0; i < npidfd_queues; i++)
		if (pidfd_queues[i])	/* NULL: that pidfd was closed */
			uk_waitq_wake(pidfd_queues[i], -1);
}

static void track(struct uk_vnode *vn)
{
	for (int i = 0; i < npidfd_queues; i++) {
		if (!pidfd_queues[i]) {
			pidfd_queues[i] = &vn->wq;
			return;
		}
	}
	if (npidfd_queues < (int)(sizeof(pidfd_queues) / sizeof(pidfd_queues[0])))
		pidfd_queues[npidfd_queues++] = &vn->wq;
}

/* A pidfd that names nobody yet: clone makes it before the child, so
 * that failing to make it fails the clone, then binds it. */
int uk_pidfd_new(struct uk_process *p, int flags)
{
	if (!pidfs && !(pidfs = uk_mount_new("anon_inodefs", ANON_INODE_FS_MAGIC)))
		return -ENOMEM;
	struct pidfd *d = malloc(sizeof(*d));
	struct uk_vnode *vn = d ? uk_vnode_alloc(pidfs, &pidfd_ops, 0600) : NULL;
	if (!vn) {
		free(d);
		return -ENOMEM;
	}
	d->pid = p ? p->pid : -1;
	d->start_ns = p ? p->start_ns : 0;
	vn->priv = d;
	struct uk_file *f = uk_file_new(vn, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[pidfd]");
	if (!f) {
		uk_vnode_put(vn);
		return -ENOMEM;
	}
	int fd = uk_fd_install(f, 0, 1);	/* pidfds are close-on-exec */
	if (fd < 0)
		uk_file_put(f);
	else
		track(vn);
	return fd;
}

UK_SYSCALL_R_DEFINE(int, pidfd_open, int, pid, unsigned int, flags)
{
	if (flags & ~PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct uk_process *p = uk_process_find(pid);
	if (!p || p->reaped)
		return -ESRCH;
	return uk_pidfd_new(p, flags);
}

UK_SYSCALL_R_DEFINE(int, pidfd_send_signal, int, pidfd, int, sig, void *, info,
		    unsigned int, flags)
{
	if (flags)
		return -EINVAL;
	struct uk_file *f = uk_fd_get(pidfd);
	if (!f)
		return -EBADF;
	/* A pidfd, or (as on Linux) a descriptor of a /proc/PID directory. */
	int procpid = f->vn->ops != &pidfd_ops && uk_procfs_pid_of ? uk_procfs_pid_of(f) : 0;
	if (f->vn->ops != &pidfd_ops && !procpid)
		return -EBADF;
	if (info)
		return -EINVAL;	/* a caller's own siginfo: not supported */
	if (sig < 0 || sig > 64)
		return -EINVAL;
	struct uk_process *p = procpid ? uk_process_find(procpid) : proc_of_pidfd(f);
	if (!p || p->state != UK_PROC_LIVE)
		return -ESRCH;
	if (!uk_signal_may_send(p, sig))
		return -EPERM;
	return sig ? uk_signal_send_to(p, sig, 0) : 0;
}

UK_SYSCALL_R_DEFINE(int, pidfd_getfd, int, pidfd, int, targetfd, unsigned int, flags)
{
	if (flags)
		return -EINVAL;
	struct uk_file *pf = uk_fd_get(pidfd);
	if (!pf)
		return -EBADF;
	if (pf->vn->ops != &pidfd_ops)
		return -EBADF;
	struct uk_process *p = proc_of_pidfd(pf);
	if (!p || p->state != UK_PROC_LIVE)
		return -ESRCH;
	struct uk_file *f = uk_fdtable_file(p->files, targetfd);
	if (!f)
		return -EBADF;
	uk_file_get(f);
	int fd = uk_fd_install(f, 0, 1);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

void uk_pidfd_bind(int fd, struct uk_process *p)
{
	struct uk_file *f = uk_fd_get(fd);
	if (f && f->vn->ops == &pidfd_ops) {
		struct pidfd *d = f->vn->priv;
		d->pid = p->pid;
		d->start_ns = p->start_ns;
	}
}
