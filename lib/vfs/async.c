/* Signal-driven I/O: an open file's owner (F_SETOWN, F_SETOWN_EX,
 * FIOSETOWN), its signal (F_SETSIG) and O_ASYNC. While a file has O_ASYNC
 * and an owner, each readiness wake of its vnode's wait queue signals the
 * owner (a process, a process group or one thread): SIGIO, or the F_SETSIG
 * signal with POLL_IN or POLL_OUT, the band and the descriptor in its
 * siginfo, as Linux's kill_fasync does. */
#include <errno.h>
#include <stddef.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/thread.h>
#include <uk/uaccess.h>
#include "vfs_internal.h"

#define POLL_IN 1
#define POLL_OUT 2

/* lib/signal's (weak: left out, nothing is signalled). */
int uk_signal_send_io(struct uk_process *p, struct uk_thread *t, int sig, int code,
		      long band, int fd) __attribute__((weak));

/* The files with O_ASYNC set: few, so a list to walk on each wake of a
 * vnode that has one. */
static struct uk_file *async_files;

static void signal_owner(struct uk_file *f, unsigned int events)
{
	int sig = f->owner_sig;
	int code = events & UK_WAKE_IN ? POLL_IN : POLL_OUT;
	long band = events & UK_WAKE_IN ? POLLIN | POLLRDNORM : POLLOUT | POLLWRNORM;
	if (!uk_signal_send_io)
		return;
	switch (f->owner_type) {
	case F_OWNER_TID: {
		struct uk_thread *t = sched_find_thread(f->owner_id);
		if (t)
			uk_signal_send_io(t->proc, t, sig, code, band, f->async_fd);
		return;
	}
	case F_OWNER_PID: {
		struct uk_process *p = uk_process_find(f->owner_id);
		if (p && p->state == UK_PROC_LIVE)
			uk_signal_send_io(p, NULL, sig, code, band, f->async_fd);
		return;
	}
	case F_OWNER_PGRP:
		for (struct uk_process *p = uk_process_first(); p; p = p->next_all)
			if (p->pgid == f->owner_id && p->state == UK_PROC_LIVE)
				uk_signal_send_io(p, NULL, sig, code, band, f->async_fd);
		return;
	}
}

static void vnode_woken(struct uk_waitq *wq, unsigned int events)
{
	struct uk_vnode *vn = (struct uk_vnode *)((char *)wq - offsetof(struct uk_vnode, wq));
	for (struct uk_file *f = async_files; f; f = f->async_next)
		if (f->vn == vn && f->owner_id)
			signal_owner(f, events);
}

static void async_unlink(struct uk_file *f)
{
	for (struct uk_file **pp = &async_files; *pp; pp = &(*pp)->async_next) {
		if (*pp == f) {
			*pp = f->async_next;
			return;
		}
	}
}

void vfs_async_set(struct uk_file *f, int fd, int on)
{
	int was = !!(f->flags & FASYNC);
	if (on)
		f->flags |= FASYNC;
	else
		f->flags &= ~FASYNC;
	if (on && !was) {
		f->async_fd = fd;
		f->async_next = async_files;
		async_files = f;
		f->vn->wq.notify = vnode_woken;
	} else if (!on && was) {
		async_unlink(f);
	}
}

void vfs_async_release(struct uk_file *f)
{
	if (f->flags & FASYNC)
		async_unlink(f);
}

/* Linux's f_setown: a negative id names a process group; the id must
 * exist (ESRCH), 0 clears the owner. */
int vfs_set_owner(struct uk_file *f, int type, int id)
{
	if (type != F_OWNER_TID && type != F_OWNER_PID && type != F_OWNER_PGRP)
		return -EINVAL;
	if (id < 0)
		return -ESRCH;
	if (id) {
		int found = type == F_OWNER_TID ? sched_find_thread(id) != NULL :
			    type == F_OWNER_PID ? uk_process_find(id) != NULL :
			    uk_process_pgrp_session(id) != 0 || uk_process_find(id) != NULL;
		if (!found)
			return -ESRCH;
	}
	f->owner_type = type;
	f->owner_id = id;
	return 0;
}

/* F_SETOWN's and FIOSETOWN's form: pid, or -pgid. */
int uk_file_set_owner(struct uk_file *f, int who)
{
	if (who == (int)0x80000000)
		return -EINVAL;
	return who < 0 ? vfs_set_owner(f, F_OWNER_PGRP, -who) : vfs_set_owner(f, F_OWNER_PID, who);
}

int uk_file_owner(const struct uk_file *f)
{
	return f->owner_type == F_OWNER_PGRP ? -f->owner_id : f->owner_id;
}

int vfs_owner_fcntl(struct uk_file *f, int cmd, unsigned long arg)
{
	struct f_owner_ex ex;
	switch (cmd) {
	case F_SETOWN:
		return uk_file_set_owner(f, (int)arg);
	case F_GETOWN:
		return uk_file_owner(f);
	case F_SETOWN_EX:
		if (uk_copy_from_user(&ex, (void *)arg, sizeof(ex)))
			return -EFAULT;
		return vfs_set_owner(f, ex.type, ex.pid);
	case F_GETOWN_EX:
		ex.type = f->owner_id ? f->owner_type : F_OWNER_PID;
		ex.pid = f->owner_id;
		return uk_copy_to_user((void *)arg, &ex, sizeof(ex));
	case F_SETSIG:
		if (arg > 64)
			return -EINVAL;
		f->owner_sig = (int)arg;
		return 0;
	case F_GETSIG:
		return f->owner_sig;
	}
	return -EINVAL;
}
