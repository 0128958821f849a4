/* Threads of the program: clone (threads only: CLONE_VM with
 * CLONE_THREAD), exit of one thread versus exit_group, thread ids, the
 * clear-child-tid and robust-list protocols, affinity. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/sched.h>
#include <linux/futex.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/process.h>
#include "sched_internal.h"

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define ALLOWED_FLAGS (THREAD_FLAGS | CLONE_SYSVSEM | CLONE_SETTLS | \
		       CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
		       CLONE_DETACHED)

int sched_signal_pending(struct uk_thread *t)
{
	return (t->sigpending & ~t->sigmask) != 0;
}

static void thread_start(void *frame)
{
	sched_reprogram();
	uk_app_return_work(frame);
	ukplat_regs_restore(frame);
}

UK_SYSCALL_R_DEFINE(long, clone, unsigned long, flags, unsigned long, newsp,
		    int *, ptid, int *, ctid, unsigned long, tls)
{
	if ((flags & THREAD_FLAGS) != THREAD_FLAGS) {
		/* fork, vfork and friends need a second address space. */
		return -ENOSYS;
	}
	if (flags & ~ALLOWED_FLAGS & ~0xffUL)
		return -EINVAL;
	struct uk_thread *parent = uk_current, *t = sched_thread_new(parent->proc);
	if (!t)
		return -EAGAIN;
	/* The child returns from the same syscall with rax 0 on its stack. */
	struct __regs *frame = (struct __regs *)
		(((unsigned long)t->kstack_top - sizeof(struct __regs)) & ~15UL);
	*frame = *uk_syscall_regs;
	frame->rax = 0;
	if (newsp)
		frame->rsp = newsp;
	ukplat_fpu_save(t->fpu);
	t->fs_base = (flags & CLONE_SETTLS) ? tls : ukplat_get_fs_base();
	t->gs_base = ukplat_get_gs_base();
	t->sigmask = parent->sigmask;
	memcpy(t->name, parent->name, sizeof(t->name));
	if (flags & CLONE_PARENT_SETTID)
		*ptid = t->tid;
	if (flags & CLONE_CHILD_SETTID)
		*ctid = t->tid;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	t->ctx_sp = ukplat_ctx_init((char *)frame - 64, thread_start, frame);
	sched_make_ready(t);
	return t->tid;
}

/* clone3 is optional for glibc and musl: they fall back to clone. */
UK_SYSCALL_R_DEFINE(long, clone3, void *, args, size_t, size)
{
	(void)args, (void)size;
	return -ENOSYS;
}

UK_SYSCALL_R_DEFINE(long, fork)
{
	return -ENOSYS;	/* one address space: no processes */
}

UK_SYSCALL_R_DEFINE(long, vfork)
{
	return -ENOSYS;
}

/* A dead thread's robust futexes get FUTEX_OWNER_DIED and a wake. */
static void exit_robust_list(struct uk_thread *t)
{
	struct robust_list_head *head = t->robust_list;
	if (!head)
		return;
	struct robust_list *e = head->list.next;
	for (int limit = 0; e && e != &head->list && limit < 2048; limit++) {
		uint32_t *word = (uint32_t *)((char *)e + head->futex_offset);
		if ((*word & FUTEX_TID_MASK) == (uint32_t)t->tid) {
			*word = (*word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
			sched_futex_wake(word, 1, FUTEX_BITSET_MATCH_ANY);
		}
		e = e->next;
	}
}

static void __attribute__((noreturn)) thread_exit(int status)
{
	struct uk_thread *t = uk_current;
	exit_robust_list(t);
	if (t->clear_child_tid) {
		*t->clear_child_tid = 0;
		sched_futex_wake((uint32_t *)t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
	}
	if (uk_sched_nthreads() == 1)
		uk_process_exit(status);
	sched_thread_exit();
}

UK_SYSCALL_R_DEFINE(int, exit, int, status)
{
	thread_exit(status);
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
	*head = t->robust_list;
	*len = sizeof(struct robust_list_head);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_yield)
{
	uk_sched_yield();
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_getaffinity, int, pid, size_t, len,
		    unsigned long *, mask)
{
	if (pid && !sched_find_thread(pid))
		return -ESRCH;
	if (len < sizeof(unsigned long))
		return -EINVAL;
	memset(mask, 0, len);
	mask[0] = 1;	/* one CPU */
	return sizeof(unsigned long);
}

UK_SYSCALL_R_DEFINE(int, sched_setaffinity, int, pid, size_t, len,
		    const unsigned long *, mask)
{
	if (pid && !sched_find_thread(pid))
		return -ESRCH;
	if (!len || !(mask[0] & 1))
		return -EINVAL;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getcpu, unsigned int *, cpu, unsigned int *, node,
		    void *, cache)
{
	(void)cache;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_getscheduler, int, pid)
{
	return pid && !sched_find_thread(pid) ? -ESRCH : 0;	/* SCHED_OTHER */
}

struct sched_param_k {
	int prio;
};

UK_SYSCALL_R_DEFINE(int, sched_getparam, int, pid, struct sched_param_k *, p)
{
	if (pid && !sched_find_thread(pid))
		return -ESRCH;
	p->prio = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_max, int, policy)
{
	return policy == 1 || policy == 2 ? 99 : 0;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_min, int, policy)
{
	return policy == 1 || policy == 2 ? 1 : 0;
}
