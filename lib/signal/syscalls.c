/* The signal system calls. */
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "signal_internal.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define UNBLOCKABLE (SIGBIT(9) | SIGBIT(19))
#define NSEC 1000000000ULL

/* As on Linux: the new action comes in first, the old one goes out
 * after the change. */
UK_SYSCALL_R_DEFINE(int, rt_sigaction, int, sig, const struct k_sigaction *, uact,
		    struct k_sigaction *, oact, size_t, sigsetsize)
{
	struct k_sigaction knew, *act = uact ? &knew : NULL;
	if (sigsetsize != 8)
		return -EINVAL;
	if (act && uk_copy_from_user(act, uact, sizeof(*act)))
		return -EFAULT;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (act && (sig == 9 || sig == 19))
		return -EINVAL;
	struct k_sigaction old = SIGHAND()->action[sig];
	if (act) {
		SIGHAND()->action[sig] = *act;
		SIGHAND()->action[sig].mask &= ~UNBLOCKABLE;
		/* A signal now ignored is dropped wherever it waits. */
		if (act->handler == SIG_IGN ||
		    (act->handler == SIG_DFL && sig_default_ignored(sig))) {
			SIGSTATE()->pending &= ~SIGBIT(sig);
			for (struct uk_thread *t = uk_proc()->threads; t; t = t->next_in_proc)
				t->sigpending &= ~SIGBIT(sig);
			sig_recompute_work();
		}
	}
	return oact ? uk_copy_to_user(oact, &old, sizeof(old)) : 0;
}

static void wake_for_unblocked(struct uk_thread *t)
{
	if ((t->sigpending | SIGSTATE()->pending) & ~t->sigmask)
		uk_signal_work = 1;
}

UK_SYSCALL_R_DEFINE(int, rt_sigprocmask, int, how, const uint64_t *, set,
		    uint64_t *, oset, size_t, sigsetsize)
{
	struct uk_thread *t = uk_current;
	if (sigsetsize != 8)
		return -EINVAL;
	uint64_t old = t->sigmask, s;
	if (set) {
		if (uk_get_user(s, set))
			return -EFAULT;
		s &= ~UNBLOCKABLE;
		switch (how) {
		case SIG_BLOCK:
			t->sigmask |= s;
			break;
		case SIG_UNBLOCK:
			t->sigmask &= ~s;
			break;
		case SIG_SETMASK:
			t->sigmask = s;
			break;
		default:
			return -EINVAL;
		}
		wake_for_unblocked(t);
	}
	return oset ? uk_put_user(old, oset) : 0;
}

struct k_stack {
	unsigned long ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

#define MINSIGSTKSZ 2048

/* As on Linux: the new stack comes in first and is set even when the
 * old one cannot go out. */
UK_SYSCALL_R_DEFINE(int, sigaltstack, const struct k_stack *, uss, struct k_stack *, uold)
{
	struct uk_thread *t = uk_current;
	struct k_stack knew, *ss = uss ? &knew : NULL;
	if (ss && uk_copy_from_user(ss, uss, sizeof(*ss)))
		return -EFAULT;
	unsigned long sp = uk_syscall_regs->rsp;
	int on = t->altstack_size && sp > t->altstack_sp &&
		 sp - t->altstack_sp <= t->altstack_size;
	struct k_stack old = {
		.ss_sp = t->altstack_sp,
		.ss_size = t->altstack_size,
		.ss_flags = !t->altstack_size ? SS_DISABLE : on ? SS_ONSTACK : 0,
	};
	if (ss) {
		if (on)
			return -EPERM;
		if (ss->ss_flags & ~(SS_DISABLE | (1U << 31) /* SS_AUTODISARM */))
			return -EINVAL;
		if (ss->ss_flags & SS_DISABLE) {
			t->altstack_sp = t->altstack_size = 0;
			t->altstack_flags = SS_DISABLE;
		} else {
			if (ss->ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack_sp = ss->ss_sp;
			t->altstack_size = ss->ss_size;
			t->altstack_flags = 0;
		}
	}
	return uold ? uk_copy_to_user(uold, &old, sizeof(old)) : 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigpending, uint64_t *, set, size_t, sigsetsize)
{
	if (sigsetsize != 8)
		return -EINVAL;
	return uk_put_user((uk_current->sigpending | SIGSTATE()->pending) & uk_current->sigmask,
			   set);
}

/* Waits until a signal is taken; its handler runs on the way out, and
 * the mask before the call comes back when the handler returns. */
UK_SYSCALL_R_DEFINE(int, rt_sigsuspend, const uint64_t *, mask, size_t, sigsetsize)
{
	struct uk_thread *t = uk_current;
	uint64_t m;
	if (sigsetsize != 8)
		return -EINVAL;
	if (uk_get_user(m, mask))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = 1;
	t->sigmask = m & ~UNBLOCKABLE;
	struct uk_waitq never = { .head = NULL };
	while (uk_waitq_wait(&never, UK_NO_DEADLINE) != -EINTR)
		;
	uk_signal_work = 1;	/* restores the mask if no handler runs */
	return -EINTR;
}

void uk_signal_mask_during(uint64_t mask)
{
	struct uk_thread *t = uk_current;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = 1;
	t->sigmask = mask & ~UNBLOCKABLE;
}

void uk_signal_mask_after(long rc)
{
	struct uk_thread *t = uk_current;
	if (!t->restore_sigmask)
		return;
	if (rc == -EINTR) {
		uk_signal_work = 1;	/* the handler's frame records the old mask */
		return;
	}
	t->sigmask = t->saved_sigmask;
	t->restore_sigmask = 0;
}

UK_SYSCALL_R_DEFINE(int, pause)
{
	struct uk_waitq never = { .head = NULL };
	while (uk_waitq_wait(&never, UK_NO_DEADLINE) != -EINTR)
		;
	return -EINTR;
}

/* A signal taken is taken even when its siginfo cannot go out (EFAULT),
 * as on Linux. */
UK_SYSCALL_R_DEFINE(int, rt_sigtimedwait, const uint64_t *, set, void *, info,
		    const struct __kernel_timespec *, timeout, size_t, sigsetsize)
{
	struct uk_thread *t = uk_current;
	struct k_siginfo si;
	struct __kernel_timespec ts;
	uint64_t want;
	if (sigsetsize != 8)
		return -EINVAL;
	if (uk_get_user(want, set) ||
	    (timeout && uk_copy_from_user(&ts, timeout, sizeof(ts))))
		return -EFAULT;
	want &= ~UNBLOCKABLE;
	uint64_t deadline = UK_NO_DEADLINE;
	if (timeout) {
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NSEC)
			return -EINVAL;
		deadline = ukplat_monotonic_ns() + ts.tv_sec * NSEC + ts.tv_nsec;
	}
	/* The awaited signals count as unblocked while we wait for them. */
	uint64_t saved = t->sigmask;
	for (;;) {
		int sig = sig_dequeue(t, want, &si);
		if (sig) {
			t->sigmask = saved;
			if (info && uk_copy_to_user(info, &si, sizeof(si)))
				return -EFAULT;
			return sig;
		}
		t->sigmask = saved & ~want;
		t->sigwaited = want;
		struct uk_waitq never = { .head = NULL };
		int rc = uk_waitq_wait(&never, deadline);
		t->sigmask = saved;
		t->sigwaited = 0;
		if (rc == -ETIMEDOUT)
			return -EAGAIN;
		if (rc == -EINTR && !((t->sigpending | SIGSTATE()->pending) & want))
			return -EINTR;	/* another signal, for a handler */
	}
}

int uk_signal_may_send(const struct uk_process *p, int sig)
{
	const struct uk_cred *me = &uk_proc()->cred, *to = &p->cred;
	if (uk_cred_capable(me, CAP_KILL))
		return 1;
	if (me->euid == to->suid || me->euid == to->ruid ||
	    me->ruid == to->suid || me->ruid == to->ruid)
		return 1;
	return sig == 18 && p->sid == uk_proc()->sid;	/* SIGCONT in the session */
}

/* kill to a group: every member it may signal; 0 when one was, else
 * EPERM (ESRCH when the group has no member), as Linux's __kill_pgrp_info. */
static int kill_group(int pgid, int sig)
{
	int rc = -ESRCH, sent = 0;
	for (struct uk_process *p = uk_process_first(); p; p = p->next_all) {
		if (p->pgid != pgid || p->state != UK_PROC_LIVE)
			continue;
		if (!uk_signal_may_send(p, sig)) {
			rc = -EPERM;
			continue;
		}
		sent = 1;
		if (sig)
			uk_signal_send_to(p, sig, SI_USER);
	}
	return sent ? 0 : rc;
}

UK_SYSCALL_R_DEFINE(int, kill, int, pid, int, sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct uk_process *p = uk_process_find(pid);
		if (!p || p->reaped)
			return -ESRCH;
		if (!uk_signal_may_send(p, sig))
			return -EPERM;
		/* A zombie still exists: the signal goes nowhere. */
		return sig && p->state == UK_PROC_LIVE ? uk_signal_send_to(p, sig, SI_USER) : 0;
	}
	if (pid == 0)
		return kill_group(uk_proc()->pgid, sig);
	if (pid == -1) {
		/* Everyone but PID 1 and the caller; ESRCH when nobody; those
		 * it may not signal are passed over without an error. */
		int found = 0;
		for (struct uk_process *p = uk_process_first(); p; p = p->next_all) {
			if (p->pid == 1 || p == uk_proc() || p->state != UK_PROC_LIVE)
				continue;
			found = 1;
			if (sig && uk_signal_may_send(p, sig))
				uk_signal_send_to(p, sig, SI_USER);
		}
		return found ? 0 : -ESRCH;
	}
	if (pid == (int)0x80000000)
		return -ESRCH;
	return kill_group(-pid, sig);
}

static long thread_kill(int tgid, int tid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct uk_thread *t = sched_find_thread(tid);
	if (!t || (tgid && t->proc->pid != tgid))
		return -ESRCH;
	if (!uk_signal_may_send(t->proc, sig))
		return -EPERM;
	return sig ? uk_signal_send_thread(t, sig, SI_TKILL, 0) : 0;
}

UK_SYSCALL_R_DEFINE(int, tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return thread_kill(tgid, tid, sig);
}

UK_SYSCALL_R_DEFINE(int, tkill, int, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	return thread_kill(0, tid, sig);
}
