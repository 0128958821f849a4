/* Signal state, sending, and delivery on the way back to the program:
 * dispositions are per process, masks and thread-directed pending sets
 * per thread, and process-directed signals wait in a process set until
 * a thread that does not block them takes them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat/bkl.h>
#include <uk/plat.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/mm.h>
#include "signal_internal.h"

/* PID 1's. */
struct uk_sighand uk_init_sighand = { .refs = 1 };
struct uk_sigstate uk_init_sigstate = {
	.itimers = {
		[0] = { .sig = 14, .proc = &uk_init_process },	/* SIGALRM */
		[1] = { .sig = 26, .proc = &uk_init_process },	/* SIGVTALRM */
		[2] = { .sig = 27, .proc = &uk_init_process },	/* SIGPROF */
	},
};

int sig_default_ignored(int sig)
{
	switch (sig) {
	case 17: /* SIGCHLD */
	case 18: /* SIGCONT */
	case 23: /* SIGURG */
	case 28: /* SIGWINCH */
		return 1;
	default:
		return 0;
	}
}

static const char *sig_name(int sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
		[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
		[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
		[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [24] = "SIGXCPU",
		[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [31] = "SIGSYS",
	};
	return sig > 0 && sig < 32 && names[sig] ? names[sig] : "signal";
}

/* Signals whose default action dumps core (when RLIMIT_CORE allows). */
static int dumps_core(int sig)
{
	switch (sig) {
	case 3: case 4: case 5: case 6: case 7: case 8: case 11: case 24: case 25: case 31:
		return 1;
	default:
		return 0;
	}
}

void sig_default_kill(int sig, struct __regs *r, const char *what,
		      unsigned long addr)
{
	struct uk_process *p = uk_proc();
	if (r) {
		printf("\n%s: %s (pid %d) crashed (%s) at address %#lx\n",
		       sig_name(sig), p->pid == 1 ? "the program" : p->comm, p->pid,
		       what, addr);
		printf("error code %#lx\n", r->error);
		ukplat_dump_regs(2, r);
		uk_crash_report_extra(r);
	} else if (p->pid == 1 && sig != 2 && sig != 13 && sig != 15 && sig != 9) {
		printf("%s: the program was killed by %s\n", what ? what : "signal",
		       sig_name(sig));
	}
	uk_process_exit_signal(sig, dumps_core(sig) && p->limits[RLIMIT_CORE].rlim_cur);
}

/* A thread's signal work: whether it, or its process, has a signal
 * pending, or its process is stopped. Sending sets the target's at once;
 * the scheduler recomputes it for each thread it runs. */
static void recompute_work(struct uk_thread *t)
{
	t->signal_work = (t->sigpending | t->proc->sig->pending) != 0 || t->proc->stopped;
}

void sig_recompute_work(void)
{
	recompute_work(uk_current);
}

void uk_signal_thread_switched(struct uk_thread *t)
{
	recompute_work(t);
}

uint64_t uk_signal_proc_pending(const struct uk_process *p)
{
	return p->sig ? p->sig->pending : 0;
}

void uk_signal_dispositions(const struct uk_process *p, uint64_t *ign, uint64_t *cgt)
{
	*ign = *cgt = 0;
	for (int sig = 1; p->sighand && sig <= NSIG; sig++) {
		unsigned long h = p->sighand->action[sig].handler;
		if (h == SIG_IGN)
			*ign |= SIGBIT(sig);
		else if (h != SIG_DFL)
			*cgt |= SIGBIT(sig);
	}
}

/* Wakes t from a wait when it may take sig now. */
static void kick(struct uk_thread *t, int sig)
{
	if (t->sigmask & SIGBIT(sig))
		return;
	if (t->state == T_BLOCKED)
		sched_wake_thread(t, -EINTR);
	else
		uk_sched_kick(t);
}

/* An ignored signal is dropped when sent, unless the thread it would go
 * to blocks it or awaits it (sigtimedwait): the disposition may change
 * before it is taken. */
static int ignored(struct uk_process *p, const struct uk_thread *t, int sig)
{
	unsigned long h = p->sighand->action[sig].handler;
	if (t && ((t->sigmask | t->sigwaited) & SIGBIT(sig)))
		return 0;
	return sig != 9 && (h == SIG_IGN || (h == SIG_DFL && sig_default_ignored(sig)));
}

int sig_is_pending(struct uk_process *p, int sig)
{
	if (sig < 1 || sig > NSIG)
		return 0;
	if (p->sig->pending & SIGBIT(sig))
		return 1;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		if (t->state != T_DEAD && (t->sigpending & SIGBIT(sig)))
			return 1;
	return 0;
}

void sig_discard(struct uk_process *p, int sig)
{
	p->sig->pending &= ~SIGBIT(sig);
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		t->sigpending &= ~SIGBIT(sig);
	sig_rt_discard(p, sig);
	sig_recompute_work();
}

/* A real-time signal's siginfo joins the queue; past the limit, a
 * sigqueue-style send fails, a kill-style one loses its siginfo. */
static int queue_rt(struct uk_process *p, struct uk_thread *t, const struct k_siginfo *info)
{
	if (info->si_signo < SIGRTMIN_K || !sig_rt_enqueue(p, t, info))
		return 0;
	return info->si_code != SI_USER ? -EAGAIN : 0;
}

/* A standard signal is pending once: the siginfo of the first send stays. */
static int queue_thread(struct uk_thread *t, const struct k_siginfo *info)
{
	UKPLAT_BKL_HELD();
	int sig = info->si_signo;
	if (ignored(t->proc, t, sig))
		return 0;
	int rc = queue_rt(t->proc, t, info);
	if (rc)
		return rc;
	if (!(t->sigpending & SIGBIT(sig)))
		t->proc->sig->info[sig] = *info;
	t->sigpending |= SIGBIT(sig);
	t->signal_work = 1;
	kick(t, sig);
	sig_watchers_wake(sig);
	return 0;
}

static int send_thread(struct uk_thread *t, const struct k_siginfo *info)
{
	sig_prepare(t->proc, info->si_signo);
	return queue_thread(t, info);
}

int sig_send_proc(struct uk_process *p, const struct k_siginfo *info)
{
	int sig = info->si_signo;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	sig_prepare(p, sig);
	/* A thread that does not block it takes it, the current one first.
	 * Not a current thread that has ended: a timer firing while the CPU
	 * idles after a thread's exit finds that one current, and the signal
	 * would go down with it. */
	struct uk_thread *t = uk_current;
	if (t->proc != p || t->state == T_DEAD || (t->sigmask & SIGBIT(sig))) {
		for (t = p->threads; t; t = t->next_in_proc)
			if (t->state != T_DEAD && !(t->sigmask & SIGBIT(sig)))
				break;
	}
	if (t)
		return queue_thread(t, info);
	if (ignored(p, p->threads, sig))
		return 0;
	int rc = queue_rt(p, NULL, info);
	if (rc)
		return rc;
	if (!(p->sig->pending & SIGBIT(sig)))
		p->sig->info[sig] = *info;
	p->sig->pending |= SIGBIT(sig);
	uk_signal_work = 1;
	sig_watchers_wake(sig);
	return 0;
}

int sig_send_info(struct uk_thread *t, const struct k_siginfo *info)
{
	int sig = info->si_signo;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	return t ? send_thread(t, info) : sig_send_proc(uk_proc(), info);
}

static void basic_info(struct k_siginfo *info, int sig, int code, unsigned long addr)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	if (code <= 0)
		info->kill.pid = uk_proc()->pid;
	else
		info->fault.addr = addr;
}

int uk_signal_send_thread(struct uk_thread *t, int sig, int code, unsigned long addr)
{
	struct k_siginfo info;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	basic_info(&info, sig, code, addr);
	return send_thread(t, &info);
}

int uk_signal_send_process(int sig, int code)
{
	struct k_siginfo info;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	basic_info(&info, sig, code, 0);
	return sig_send_info(NULL, &info);
}

/* The faults' signals (SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS)
 * go before the others, as on Linux. */
#define SYNCHRONOUS (SIGBIT(4) | SIGBIT(5) | SIGBIT(7) | SIGBIT(8) | SIGBIT(11) | SIGBIT(31))

static int next_signal(uint64_t ready)
{
	uint64_t sync = ready & SYNCHRONOUS;
	return __builtin_ctzll(sync ? sync : ready) + 1;
}

/* As Linux's dequeue_signal: the thread's own pending signals first, then
 * the process's; the lowest number in each. */
int sig_dequeue(struct uk_thread *t, uint64_t allowed, struct k_siginfo *info)
{
	uint64_t mine = t->sigpending & allowed;
	uint64_t ready = mine ? mine : SIGSTATE()->pending & allowed;
	if (!ready)
		return 0;
	int sig = next_signal(ready);
	int more = sig >= SIGRTMIN_K && sig_rt_dequeue(t->proc, mine ? t : NULL, sig, info);
	if (more)
		;	/* another of it stays pending */
	else if (mine)
		t->sigpending &= ~SIGBIT(sig);
	else
		SIGSTATE()->pending &= ~SIGBIT(sig);
	if (sig < SIGRTMIN_K)
		*info = SIGSTATE()->info[sig];
	sig_recompute_work();
	return sig;
}

void uk_signal_deliver(struct __regs *r)
{
	struct uk_thread *t = uk_current;
	struct k_siginfo info;
	long ret = r->rax;
	int in_syscall = r == uk_syscall_regs && r->rip < USER_TOP;
	if (t->proc->stopped)
		sig_stop_wait();
	for (;;) {
		int sig = sig_dequeue(t, ~t->sigmask, &info);
		if (!sig)
			break;
		struct k_sigaction *ka = &SIGHAND()->action[sig];
		if (ka->handler == SIG_IGN || (ka->handler == SIG_DFL && sig_default_ignored(sig)))
			continue;
		if (ka->handler == SIG_DFL && sig_default_stops(sig)) {
			sig_group_stop(sig);
			continue;
		}
		if (ka->handler == SIG_DFL)
			sig_default_kill(sig, NULL, NULL, 0);
		if (in_syscall && ret == -UK_ERESTARTSYS) {
			if (ka->flags & SA_RESTART) {
				r->rax = r->orig_rax;
				r->rip -= 2;	/* the syscall instruction again */
			} else {
				r->rax = -EINTR;
			}
			in_syscall = 0;
		}
		if (sig_setup_frame(r, sig, ka, &info))
			sig_default_kill(11, r, "no room for a signal frame", r->rsp);
		return;	/* one handler at a time; the next after sigreturn */
	}
	if (in_syscall && ret == -UK_ERESTARTSYS) {
		/* Nothing ran in between: the call simply goes on. */
		r->rax = r->orig_rax;
		r->rip -= 2;
	}
	if (t->restore_sigmask) {
		t->sigmask = t->saved_sigmask;
		t->restore_sigmask = 0;
	}
}

void uk_signal_fault(struct __regs *r, int sig, int code, unsigned long addr,
		     const char *what)
{
	struct k_sigaction *ka = &SIGHAND()->action[sig];
	struct uk_thread *t = uk_current;
	if (r->rip < USER_TOP && ka->handler > SIG_IGN && !(t->sigmask & SIGBIT(sig))) {
		struct k_siginfo info;
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = code;
		info.fault.addr = addr;
		if (sig_setup_frame(r, sig, ka, &info) == 0)
			return;
	}
	sig_default_kill(sig, r, what, addr);
}

void uk_app_return_work(struct __regs *r)
{
	if (uk_signal_work)
		uk_signal_deliver(r);
}

/* The platform's hook for faults of the program. */
void uk_app_fatal_fault(struct __regs *r, int signo, unsigned long addr,
			const char *what)
{
	/* SEGV_ACCERR when the address is mapped but not for this access
	 * (PROT_NONE, read-only), SEGV_MAPERR when nothing is there. */
	int code = 1;
	if (signo == 11 && addr < USER_TOP && uk_mm_find(addr))
		code = 2;
	uk_signal_fault(r, signo, code, addr, what);
	/* The handler's frame is in r: the trap returns into it. */
	ukplat_regs_restore(r);
}

/* fork and clone: dispositions copied (shared with CLONE_SIGHAND); the
 * child's own signal state starts empty (Linux: no pending signals, no
 * interval or POSIX timers inherited). */
struct uk_sighand *uk_sighand_copy(struct uk_sighand *from)
{
	struct uk_sighand *h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	*h = *from;
	h->refs = 1;
	return h;
}

void uk_sighand_get(struct uk_sighand *h)
{
	h->refs++;
}

void uk_sighand_put(struct uk_sighand *h)
{
	if (--h->refs == 0 && h != &uk_init_sighand)
		free(h);
}

/* execve: handlers go back to the default; ignored signals stay ignored. */
void uk_sighand_reset_for_exec(struct uk_sighand *h)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		struct k_sigaction *ka = &h->action[sig];
		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->mask = 0;
		ka->restorer = 0;
	}
}

struct uk_sigstate *uk_sigstate_new(struct uk_process *p)
{
	struct uk_sigstate *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	static const int itimer_sigs[3] = { 14, 26, 27 };
	for (int i = 0; i < 3; i++) {
		s->itimers[i].sig = itimer_sigs[i];
		s->itimers[i].proc = p;
	}
	return s;
}

/* The process is ending: its timers stop. */
void uk_sigstate_free(struct uk_sigstate *s)
{
	for (int i = 0; i < 3; i++)
		uk_timer_cancel(&s->itimers[i].timer);
	sig_ptimers_free(s);
	sig_rt_free(s);
	if (s != &uk_init_sigstate)
		free(s);
}

/* A child's end, for its parent. */
int uk_signal_child_ignored(struct uk_process *parent)
{
	const struct k_sigaction *ka = &parent->sighand->action[17];
	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

void uk_signal_child_ended(struct uk_process *parent, int sig, int pid, int wstatus)
{
	struct k_siginfo info;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.chld.pid = pid;
	if (wstatus & 0x7f) {
		info.si_code = (wstatus & 0x80) ? 3 : 2;	/* CLD_DUMPED, CLD_KILLED */
		info.chld.status = wstatus & 0x7f;
	} else {
		info.si_code = 1;	/* CLD_EXITED */
		info.chld.status = (wstatus >> 8) & 0xff;
	}
	sig_send_proc(parent, &info);
}

int uk_signal_send_io(struct uk_process *p, struct uk_thread *t, int sig, int code,
		      long band, int fd)
{
	struct k_siginfo info;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig ? sig : 29;
	if (!sig) {	/* SIGIO, no F_SETSIG */
		info.si_code = SI_KERNEL;
	} else {
		info.si_code = code;
		info.poll.band = band;
		info.poll.fd = fd;
	}
	return t ? send_thread(t, &info) : sig_send_proc(p, &info);
}

int uk_signal_send_to(struct uk_process *p, int sig, int code)
{
	struct k_siginfo info;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	basic_info(&info, sig, code, 0);
	return sig_send_proc(p, &info);
}

void uk_sighand_unshare(struct uk_sighand **hp)
{
	if ((*hp)->refs == 1)
		return;
	struct uk_sighand *h = uk_sighand_copy(*hp);
	if (!h)
		return;	/* keeps sharing: no worse than before */
	uk_sighand_put(*hp);
	*hp = h;
}

/* execve: POSIX timers are deleted; interval timers go on. */
void uk_signal_exec(struct uk_process *p)
{
	sig_ptimers_free(p->sig);
}
