/* kcmp: whether two processes share a kernel resource (an open file,
 * the address space, the descriptor table, the cwd/umask, the signal
 * dispositions), as Linux answers: 0 when the same, else 1 or 2 by an
 * order of the objects, after ptrace's read check of both. The I/O
 * context and the System V semaphore undo list are never allocated
 * apart, so they compare equal (as two Linux tasks that have none). */
#include <errno.h>
#include <stdint.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/thread.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>

/* lib/event: the file of the toff-th item for descriptor tfd in the
 * epoll f (NULL: none, or f is no epoll: *is_epoll says). */
struct uk_file *uk_epoll_target(struct uk_file *f, int tfd, unsigned toff,
				int *is_epoll) __attribute__((weak));

/* Linux's ptrace_may_access(PTRACE_MODE_READ_REALCREDS): the same
 * process, the caller's real ids all of the target's, or CAP_SYS_PTRACE. */
static int may_read(const struct uk_process *p)
{
	const struct uk_cred *c = &uk_proc()->cred, *t = &p->cred;
	if (p == uk_proc())
		return 1;
	if (c->ruid == t->ruid && c->ruid == t->euid && c->ruid == t->suid &&
	    c->rgid == t->rgid && c->rgid == t->egid && c->rgid == t->sgid)
		return 1;
	return uk_cred_capable(c, CAP_SYS_PTRACE);
}

static long order(const void *a, const void *b)
{
	return a == b ? 0 : (uintptr_t)a < (uintptr_t)b ? 1 : 2;
}

static struct uk_process *task(int tid)
{
	struct uk_thread *t = tid > 0 ? sched_find_thread(tid) : NULL;
	return t && t->state != T_DEAD ? t->proc : NULL;
}

UK_SYSCALL_R_DEFINE(long, kcmp, int, pid1, int, pid2, int, type, unsigned long, idx1,
		    unsigned long, idx2)
{
	struct uk_process *p1 = task(pid1), *p2 = task(pid2);
	if (!p1 || !p2)
		return -ESRCH;
	if (!may_read(p1) || !may_read(p2))
		return -EPERM;
	if (p1->state != UK_PROC_LIVE || p2->state != UK_PROC_LIVE)
		return -ESRCH;
	switch (type) {
	case KCMP_FILE: {
		struct uk_file *f1 = idx1 < (unsigned)-1 ? uk_fdtable_file(p1->files, idx1) : NULL;
		struct uk_file *f2 = idx2 < (unsigned)-1 ? uk_fdtable_file(p2->files, idx2) : NULL;
		return f1 && f2 ? order(f1, f2) : -EBADF;
	}
	case KCMP_VM:
		return order(p1->mm, p2->mm);
	case KCMP_FILES:
		return order(p1->files, p2->files);
	case KCMP_FS:
		return order(p1->fs, p2->fs);
	case KCMP_SIGHAND:
		return order(p1->sighand, p2->sighand);
	case KCMP_IO:
	case KCMP_SYSVSEM:
		return 0;
	case KCMP_EPOLL_TFD: {
		struct kcmp_epoll_slot slot;
		struct uk_file *f1 = idx1 < (unsigned)-1 ? uk_fdtable_file(p1->files, idx1) : NULL;
		if (!f1)
			return -EBADF;
		if (uk_copy_from_user(&slot, (void *)idx2, sizeof(slot)))
			return -EFAULT;
		struct uk_file *ep = uk_fdtable_file(p2->files, slot.efd);
		if (!ep)
			return -EBADF;
		int is_epoll = 0;
		struct uk_file *target = uk_epoll_target ?
			uk_epoll_target(ep, slot.tfd, slot.toff, &is_epoll) : NULL;
		if (!is_epoll)
			return -EINVAL;
		return target ? order(f1, target) : -ENOENT;
	}
	default:
		return -EINVAL;
	}
}
