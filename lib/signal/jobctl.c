/* Job control: stop signals stop the whole process until SIGCONT, its
 * parent hears of both (SIGCHLD with CLD_STOPPED or CLD_CONTINUED, and a
 * WUNTRACED or WCONTINUED wait), and signals to process groups for kill
 * and the terminal. As on Linux, SIGCONT and SIGKILL act when they are
 * sent, whatever the disposition; a stop signal's default action is taken
 * by the thread that dequeues it, and the process's other threads stop on
 * their way back to the program. */
#include <errno.h>
#include <string.h>
#include <uk/process.h>
#include "signal_internal.h"

#define SIGKILL 9
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define STOP_SIGS (SIGBIT(19) | SIGBIT(20) | SIGBIT(21) | SIGBIT(22))
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

int sig_default_stops(int sig)
{
	return SIGBIT(sig) & STOP_SIGS ? 1 : 0;
}

/* The parent's WUNTRACED/WCONTINUED waiters wake; it gets SIGCHLD unless
 * its SIGCHLD action says SA_NOCLDSTOP. */
static void notify_parent(struct uk_process *p, int code, int status)
{
	struct uk_process *parent = p->parent;
	if (!parent)
		return;
	uk_waitq_wake(&parent->child_wait, -1);
	if (parent->sighand->action[SIGCHLD].flags & SA_NOCLDSTOP)
		return;
	struct k_siginfo info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.chld.pid = p->pid;
	info.chld.uid = p->cred.ruid;
	info.chld.status = status;
	sig_send_proc(parent, &info);
}

static void discard_set(struct uk_process *p, uint64_t set)
{
	p->sig->pending &= ~set;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		t->sigpending &= ~set;
}

void sig_prepare(struct uk_process *p, int sig)
{
	if (sig_default_stops(sig)) {
		discard_set(p, SIGBIT(SIGCONT));
	} else if (sig == SIGCONT) {
		discard_set(p, STOP_SIGS);
		if (p->stopped) {
			p->stopped = 0;
			p->wait_event = UK_PROC_EV_CONTINUED;
			uk_waitq_wake(&p->stop_wait, -1);
			notify_parent(p, CLD_CONTINUED, SIGCONT);
		}
	}
}

void sig_stop_wait(void)
{
	struct uk_thread *t = uk_current;
	struct uk_process *p = t->proc;
	/* Only SIGKILL wakes a stopped thread; what else comes stays
	 * pending until it runs again. */
	uint64_t saved = t->sigmask;
	t->sigmask = ~SIGBIT(SIGKILL);
	while (p->stopped && !(t->sigpending & SIGBIT(SIGKILL)))
		uk_waitq_wait(&p->stop_wait, UK_NO_DEADLINE);
	t->sigmask = saved;
	sig_recompute_work();
}

void sig_group_stop(int sig)
{
	struct uk_process *p = uk_proc();
	/* PID 1 does not stop, as a container's init does not for its own
	 * processes' signals: nobody could continue it. Terminal stops of an
	 * orphaned group are dropped (POSIX), for the same reason. */
	if (p->pid == 1 || p->exiting)
		return;
	if (sig != SIGSTOP && uk_process_pgrp_orphaned(p->pgid, NULL))
		return;
	p->stopped = 1;
	p->stop_sig = sig;
	p->wait_event = UK_PROC_EV_STOPPED;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc) {
		t->signal_work = 1;	/* the others stop on their way out */
		uk_sched_kick(t);
	}
	notify_parent(p, CLD_STOPPED, sig);
	sig_stop_wait();
}

int uk_signal_send_pgrp(int pgid, int sig, int code)
{
	int found = 0;
	for (struct uk_process *p = uk_process_first(); p; p = p->next_all) {
		if (p->pgid != pgid || p->state != UK_PROC_LIVE)
			continue;
		found = 1;
		if (sig)
			uk_signal_send_to(p, sig, code);
	}
	return found ? 0 : -ESRCH;
}

int uk_signal_ignored_or_blocked(int sig)
{
	return SIGHAND()->action[sig].handler == SIG_IGN ||
	       (uk_current->sigmask & SIGBIT(sig));
}
