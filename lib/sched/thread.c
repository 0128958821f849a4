/* Threads and processes: clone, clone3, fork and vfork (a thread of the
 * caller's process, or the first thread of a new process: lib/process
 * makes it), exit of one thread versus exit_group, thread ids, the
 * clear-child-tid and robust-list protocols, affinity. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/sched.h>
#include <linux/futex.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include <uk/signal.h>
#include <uk/vfs.h>
#include "sched_internal.h"

#define NAMESPACE_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
			 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)
#define KNOWN_FLAGS (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		     CLONE_PIDFD | CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | \
		     CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		     CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | \
		     CLONE_CHILD_SETTID | CLONE_IO | NAMESPACE_FLAGS)

/* A signal sent to the process while every thread blocked it waits in
 * the process's set: sigsuspend (or ppoll, pselect) unblocking it must
 * not sleep. */
int sched_signal_pending(struct uk_thread *t)
{
	return ((t->sigpending | uk_signal_proc_pending(t->proc)) & ~t->sigmask) != 0;
}

static void thread_start(void *frame)
{
	struct uk_thread *t = uk_current;
	sched_free_dead();
	sched_reprogram();
	/* CLONE_CHILD_SETTID writes in the child's own memory. */
	if (t->set_child_tid)
		uk_put_user(t->tid, t->set_child_tid);
	uk_app_return_work(frame);
	ukplat_regs_restore(frame);
}

struct clone_req {
	unsigned long long flags;
	int exit_signal;
	unsigned long stack, tls;
	int *ptid, *ctid;
	int *pidfd;		/* CLONE_PIDFD: clone's ptid, clone3's pidfd */
};

/* vfork: the parent's thread waits until the child execs or ends (a
 * thread child: until it ends), which sets *slot's flag. Only SIGKILL
 * interrupts the wait; other signals stay pending until then. */
static void vfork_wait(int **slot)
{
	struct uk_thread *t = uk_current;
	t->vfork_child_done = 0;
	*slot = &t->vfork_child_done;
	uint64_t saved = t->sigmask;
	t->sigmask = ~(1ULL << 8);
	while (!t->vfork_child_done && !(t->sigpending & (1ULL << 8)))
		uk_waitq_wait(&t->proc->child_wait, UK_NO_DEADLINE);
	t->sigmask = saved;
	if (!t->vfork_child_done)
		*slot = NULL;
}

static long do_clone(const struct clone_req *c)
{
	unsigned long long flags = c->flags;
	/* Linux's rules for combining the flags. */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && (flags & (CLONE_PIDFD | CLONE_VFORK)) == CLONE_PIDFD)
		return -EINVAL;
	if ((flags & CLONE_PARENT) && uk_proc()->pid == 1)
		return -EINVAL;
	if (flags & NAMESPACE_FLAGS)
		return -EINVAL;	/* namespaces: not in this kernel */
	struct uk_thread *parent = uk_current, *t;
	struct uk_process *p = parent->proc;
	/* The parent's pidfd first: if it cannot be made, no child is. */
	int pidfd = -1;
	if (flags & CLONE_PIDFD) {
		pidfd = uk_pidfd_new(NULL, 0);
		if (pidfd < 0)
			return pidfd;
		if (uk_put_user(pidfd, c->pidfd)) {
			uk_fd_close(pidfd);
			return -EFAULT;
		}
	}
	if (flags & CLONE_THREAD) {
		int tid = uk_process_may_add_task() ? -1 : uk_pid_alloc();
		t = tid < 0 ? NULL : sched_thread_new(p, tid);
		if (!t) {
			if (pidfd >= 0)
				uk_fd_close(pidfd);
			return -EAGAIN;
		}
	} else {
		int err;
		p = uk_process_create(flags, c->exit_signal, &err);
		t = p ? sched_thread_new(p, p->pid) : NULL;
		if (!t) {
			if (p)
				uk_process_abandon(p);
			if (pidfd >= 0)
				uk_fd_close(pidfd);
			return p ? -EAGAIN : err;
		}
	}
	/* The child returns from the same syscall with rax 0 on its stack. */
	struct __regs *frame = (struct __regs *)
		(((unsigned long)t->kstack_top - sizeof(struct __regs)) & ~15UL);
	*frame = *uk_syscall_regs;
	frame->rax = 0;
	if (c->stack)
		frame->rsp = c->stack;
	ukplat_fpu_save(t->fpu);
	t->fs_base = (flags & CLONE_SETTLS) ? c->tls : ukplat_get_fs_base();
	t->gs_base = ukplat_get_gs_base();
	t->sigmask = parent->sigmask;
	/* The alternate signal stack is kept unless the child shares the
	 * memory and runs beside the parent (a thread). */
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		t->altstack_sp = parent->altstack_sp;
		t->altstack_size = parent->altstack_size;
		t->altstack_flags = parent->altstack_flags;
	}
	memcpy(t->name, parent->name, sizeof(t->name));
	uk_sched_attr_fork(t, parent);
	if (flags & CLONE_PARENT_SETTID)
		(void)uk_put_user(t->tid, c->ptid);	/* Linux ignores a fault here */
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = c->ctid;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = c->ctid;
	t->ctx_sp = ukplat_ctx_init((char *)frame - 64, thread_start, frame);
	int id = t->tid;
	if (pidfd >= 0) {
		uk_pidfd_bind(pidfd, p);
		if (p->files != parent->proc->files)
			uk_fdtable_remove(p->files, pidfd);
	}
	sched_make_ready(t);
	if ((flags & CLONE_VFORK) && (flags & CLONE_THREAD)) {
		vfork_wait(&t->vfork_done);
	} else if (flags & CLONE_VFORK) {
		p->vfork_from = parent->proc;
		vfork_wait(&p->vfork_done);
	}
	return id;
}

UK_SYSCALL_R_DEFINE(long, clone, unsigned long, flags, unsigned long, newsp,
		    int *, ptid, int *, ctid, unsigned long, tls)
{
	if (flags & ~(unsigned long)KNOWN_FLAGS)
		return -EINVAL;
	/* clone takes the pidfd's place from parent_tid: not both. */
	if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	struct clone_req c = { flags & ~CSIGNAL, flags & CSIGNAL, newsp, tls, ptid, ctid, ptid };
	return do_clone(&c);
}

/* struct clone_args as published (its first 64 bytes, then cgroup). */
struct clone_args_k {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

UK_SYSCALL_R_DEFINE(long, clone3, void *, uargs, size_t, size)
{
	struct clone_args_k a;
	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	if (uk_copy_from_user(&a, uargs, size < sizeof(a) ? size : sizeof(a)))
		return -EFAULT;
	/* Bytes past what we know must be zero, as Linux requires. */
	for (size_t off = sizeof(a); off < size; off++) {
		char ch;
		if (uk_get_user(ch, (char *)uargs + off))
			return -EFAULT;
		if (ch)
			return -E2BIG;
	}
	if (a.flags & ~(unsigned long long)(KNOWN_FLAGS & ~CSIGNAL) & ~CLONE_CLEAR_SIGHAND)
		return -EINVAL;
	if (a.exit_signal > 64 || (a.flags & CSIGNAL))
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	if (a.set_tid || a.set_tid_size || (a.flags & CLONE_INTO_CGROUP))
		return -EINVAL;	/* not in this kernel */
	if ((a.flags & CLONE_CLEAR_SIGHAND) && (a.flags & CLONE_SIGHAND))
		return -EINVAL;
	struct clone_req c = { a.flags, (int)a.exit_signal, a.stack + a.stack_size, a.tls,
			       (int *)a.parent_tid, (int *)a.child_tid, (int *)a.pidfd };
	return do_clone(&c);
}

UK_SYSCALL_R_DEFINE(long, fork)
{
	struct clone_req c = { 0, 17, 0, 0, NULL, NULL, NULL };
	return do_clone(&c);
}

UK_SYSCALL_R_DEFINE(long, vfork)
{
	struct clone_req c = { CLONE_VM | CLONE_VFORK, 17, 0, 0, NULL, NULL, NULL };
	return do_clone(&c);
}

/* A dead thread's robust futexes get FUTEX_OWNER_DIED and a wake. */
static void exit_robust_list(struct uk_thread *t)
{
	struct robust_list_head head;
	if (!t->robust_list || uk_copy_from_user(&head, t->robust_list, sizeof(head)))
		return;
	struct robust_list *e = head.list.next;
	for (int limit = 0; e && e != &((struct robust_list_head *)t->robust_list)->list &&
	     limit < 2048; limit++) {
		uint32_t *uword = (uint32_t *)((char *)e + head.futex_offset), word;
		if (uk_get_user(word, uword))
			return;
		if ((word & FUTEX_TID_MASK) == (uint32_t)t->tid) {
			if (uk_put_user((word & FUTEX_WAITERS) | FUTEX_OWNER_DIED, uword))
				return;
			sched_futex_wake(uword, 1, FUTEX_BITSET_MATCH_ANY);
		}
		if (uk_get_user(e, &e->next))
			return;
	}
}

void uk_thread_exit(void)
{
	struct uk_thread *t = uk_current;
	uk_fd_release_held();
	exit_robust_list(t);
	if (t->clear_child_tid && !uk_put_user(0, t->clear_child_tid))
		sched_futex_wake((uint32_t *)t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
	if (t->vfork_done) {	/* a thread of CLONE_VFORK: its parent goes on */
		*t->vfork_done = 1;
		t->vfork_done = NULL;
		uk_waitq_wake(&t->proc->child_wait, -1);
	}
	if (t->proc->nthreads == 1)
		uk_process_teardown(t->proc);
	sched_thread_exit();
}

UK_SYSCALL_R_DEFINE(int, exit, int, status)
{
	if (uk_proc()->nthreads == 1)
		uk_process_exit(status);
	uk_thread_exit();
}

UK_SYSCALL_R_DEFINE(int, exit_group, int, status)
{
	uk_process_exit(status);
}

UK_SYSCALL_R_DEFINE(int, gettid)
{
	return uk_current->tid;
}

UK_SYSCALL_R_DEFINE(int, set_tid_address, int *, tidptr)
{
	uk_current->clear_child_tid = tidptr;
	return uk_current->tid;
}

UK_SYSCALL_R_DEFINE(int, set_robust_list, void *, head, size_t, len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	uk_current->robust_list = head;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, get_robust_list, int, tid, void **, head, size_t *, len)
{
	struct uk_thread *t = tid ? sched_find_thread(tid) : uk_current;
	if (!t)
		return -ESRCH;
	if (uk_put_user(sizeof(struct robust_list_head), len))
		return -EFAULT;
	return uk_put_user((void *)t->robust_list, head);
}

UK_SYSCALL_R_DEFINE(int, sched_yield)
{
	uk_sched_yield();
	return 0;
}

/* Masks of up to 64 CPUs: one word, as Linux's cpumask_size() is here. */
UK_SYSCALL_R_DEFINE(int, sched_getaffinity, int, pid, size_t, len,
		    unsigned long *, mask)
{
	struct uk_thread *t = pid ? sched_find_thread(pid) : uk_current;
	if (!t)
		return -ESRCH;
	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	int n = uk_sched_ncpus();
	unsigned long online = n >= 64 ? ~0UL : (1UL << n) - 1;
	if (uk_put_user(t->affinity ? t->affinity : online, mask))
		return -EFAULT;
	return sizeof(unsigned long);
}

UK_SYSCALL_R_DEFINE(int, sched_setaffinity, int, pid, size_t, len,
		    const unsigned long *, mask)
{
	unsigned long m = 0;
	if (uk_copy_from_user(&m, mask, len < sizeof(m) ? len : sizeof(m)))
		return -EFAULT;
	struct uk_thread *t = pid ? sched_find_thread(pid) : uk_current;
	if (!t)
		return -ESRCH;
	return uk_sched_set_affinity(t, m);
}

UK_SYSCALL_R_DEFINE(int, getcpu, unsigned int *, cpu, unsigned int *, node,
		    void *, cache)
{
	(void)cache;
	unsigned int c = (unsigned int)uk_current->cpu;
	if ((cpu && uk_put_user(c, cpu)) || (node && uk_put_user(0u, node)))
		return -EFAULT;
	return 0;
}

/* Linux's policies: OTHER 0, FIFO 1, RR 2, BATCH 3, IDLE 5, DEADLINE 6;
 * real-time ones have priorities 1 to 99, the others only 0. */
static int known_policy(int policy)
{
	return policy >= 0 && policy <= 6 && policy != 4;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_max, int, policy)
{
	if (!known_policy(policy))
		return -EINVAL;
	return policy == 1 || policy == 2 ? 99 : 0;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_min, int, policy)
{
	if (!known_policy(policy))
		return -EINVAL;
	return policy == 1 || policy == 2 ? 1 : 0;
}
