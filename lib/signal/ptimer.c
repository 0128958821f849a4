/* POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. A timer runs on a kernel timer and
 * signals the process (SIGEV_SIGNAL), one thread (SIGEV_THREAD_ID, which
 * glibc's SIGEV_THREAD is built on) or nobody (SIGEV_NONE), with
 * si_code SI_TIMER, the timer's id and overrun and the caller's sigev
 * value. An expiry while the timer's signal is still pending counts as
 * an overrun of that signal, and re-arming or deleting the timer takes
 * such a signal back, as on Linux. The CPU-time clocks count wall time, as the
 * interval timers do (one CPU, which the program mostly has). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "signal_internal.h"

#define NSEC 1000000000ULL
#define MAX_TIMERS 256
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4
#define SIGALRM 14

/* struct sigevent as the kernel reads it. */
struct k_sigevent {
	unsigned long value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

struct k_itimerspec {
	struct __kernel_timespec interval, value;
};

struct ptimer {
	struct uk_timer timer;	/* first: the expiry callback casts back */
	int used;
	int clock;
	int notify, signo, tid;
	unsigned long value;
	uint64_t interval_ns;
	int overrun;		/* expiries while the signal was pending */
	int last_overrun;	/* of the signal last sent */
	struct uk_process *proc;
};

static struct ptimer *lookup(int id)
{
	struct ptimer *timers = SIGSTATE()->ptimers;
	if (!timers || id < 0 || id >= MAX_TIMERS || !timers[id].used)
		return NULL;
	return &timers[id];
}

static int timer_id(struct ptimer *p)
{
	return (int)(p - p->proc->sig->ptimers);
}

static int realtime_clock(int clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_ALARM || clk == CLOCK_TAI;
}

/* Whether the timer's own signal is pending (the pending siginfo is
 * per signal: it names the timer). */
static struct k_siginfo *own_signal(struct ptimer *p)
{
	if (p->notify == SIGEV_NONE || !sig_is_pending(p->proc, p->signo))
		return NULL;
	if (p->signo >= SIGRTMIN_K)
		return sig_rt_find(p->proc, p->signo, SI_TIMER, timer_id(p));
	struct k_siginfo *pending = &p->proc->sig->info[p->signo];
	return pending->si_code == SI_TIMER && pending->timer.tid == timer_id(p) ? pending : NULL;
}

/* The timer's own pending signal, taken back (timer_settime, _delete). */
static void drop_own_signal(struct ptimer *p)
{
	struct k_siginfo *own = own_signal(p);
	if (own && p->signo >= SIGRTMIN_K)
		sig_rt_cancel(p->proc, own);
	else if (own)
		sig_discard(p->proc, p->signo);
}

static void expire(struct uk_timer *tm)
{
	struct ptimer *p = (struct ptimer *)tm;
	int id = timer_id(p);
	if (p->interval_ns)
		uk_timer_arm(&p->timer, tm->deadline_ns + p->interval_ns);
	if (p->notify == SIGEV_NONE)
		return;
	struct uk_thread *t = NULL;
	if (p->notify == SIGEV_THREAD_ID) {
		t = sched_find_thread(p->tid);
		if (!t)
			return;	/* the thread is gone: nobody to tell */
	}
	struct k_siginfo *pending = own_signal(p);
	if (pending) {
		if (p->overrun < 0x7fffffff)
			p->overrun++;
		pending->timer.overrun = p->overrun;
		p->last_overrun = p->overrun;
		return;
	}
	struct k_siginfo info;
	memset(&info, 0, sizeof(info));
	info.si_signo = p->signo;
	info.si_code = SI_TIMER;
	info.timer.tid = id;
	info.timer.overrun = p->overrun;
	info.timer.value = p->value;
	p->last_overrun = p->overrun;
	p->overrun = 0;
	if (t)
		sig_send_info(t, &info);
	else
		sig_send_proc(p->proc, &info);
}

UK_SYSCALL_R_DEFINE(int, timer_create, int, clk, const struct k_sigevent *, sev,
		    int *, idp)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		break;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EPERM;	/* Linux: without CAP_WAKE_ALARM */
	default:
		return -EINVAL;
	}
	struct k_sigevent ev = { .notify = SIGEV_SIGNAL, .signo = SIGALRM };
	int have_value = 0;
	if (sev) {
		if (uk_copy_from_user(&ev, sev, sizeof(ev)))
			return -EFAULT;
		have_value = 1;
		switch (ev.notify) {
		case SIGEV_NONE:
			break;
		case SIGEV_THREAD_ID:
			if (!sched_find_thread(ev.tid))
				return -EINVAL;
			/* fall through */
		case SIGEV_SIGNAL:
			if (ev.signo < 1 || ev.signo > NSIG)
				return -EINVAL;
			break;
		default:	/* SIGEV_THREAD is the C library's, not the kernel's */
			return -EINVAL;
		}
	}
	struct uk_sigstate *ss = SIGSTATE();
	if (!ss->ptimers && !(ss->ptimers = calloc(MAX_TIMERS, sizeof(struct ptimer))))
		return -EAGAIN;
	int id;
	for (id = 0; id < MAX_TIMERS && ss->ptimers[id].used; id++)
		;
	if (id == MAX_TIMERS)
		return -EAGAIN;
	struct ptimer *p = &ss->ptimers[id];
	memset(p, 0, sizeof(*p));
	p->used = 1;
	p->proc = uk_proc();
	p->clock = clk;
	p->notify = ev.notify;
	p->signo = ev.signo;
	p->tid = ev.tid;
	p->value = have_value ? ev.value : (unsigned long)id;
	p->timer.fn = expire;
	/* An id the program cannot take: no timer (Linux's). */
	if (uk_put_user(id, idp)) {
		p->used = 0;
		return -EFAULT;
	}
	return 0;
}

static void get(struct ptimer *p, struct k_itimerspec *cur)
{
	uint64_t left = 0, now = ukplat_monotonic_ns();
	if (p->timer.armed)
		left = p->timer.deadline_ns > now ? p->timer.deadline_ns - now : 1;
	cur->value.tv_sec = left / NSEC;
	cur->value.tv_nsec = left % NSEC;
	cur->interval.tv_sec = p->interval_ns / NSEC;
	cur->interval.tv_nsec = p->interval_ns % NSEC;
}

static int valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC;
}

/* As on Linux: the new setting comes in first, the old goes out after
 * the change. */
UK_SYSCALL_R_DEFINE(int, timer_settime, int, id, int, flags,
		    const struct k_itimerspec *, unv, struct k_itimerspec *, uold)
{
	struct k_itimerspec knv, old, *nv = &knv;
	if (!unv)
		return -EINVAL;
	if (uk_copy_from_user(nv, unv, sizeof(*nv)))
		return -EFAULT;
	struct ptimer *p = lookup(id);
	if (!p)
		return -EINVAL;
	if (!valid(&nv->value) || !valid(&nv->interval))
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	get(p, &old);
	int rc = uold ? uk_copy_to_user(uold, &old, sizeof(old)) : 0;
	uk_timer_cancel(&p->timer);
	drop_own_signal(p);
	p->overrun = 0;
	uint64_t value = nv->value.tv_sec * NSEC + nv->value.tv_nsec;
	p->interval_ns = nv->interval.tv_sec * NSEC + nv->interval.tv_nsec;
	if (!value)
		return rc;	/* disarmed */
	uint64_t now = ukplat_monotonic_ns(), deadline;
	if (flags & TIMER_ABSTIME) {
		/* An absolute time on the timer's clock, turned into a
		 * monotonic deadline; one in the past fires at once. */
		uint64_t clk_now = realtime_clock(p->clock) ? ukplat_wall_clock_ns() : now;
		deadline = value > clk_now ? now + (value - clk_now) : now;
	} else {
		deadline = now + value;
	}
	uk_timer_arm(&p->timer, deadline);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, timer_gettime, int, id, struct k_itimerspec *, ucur)
{
	struct k_itimerspec cur;
	struct ptimer *p = lookup(id);
	if (!p)
		return -EINVAL;
	get(p, &cur);
	return uk_copy_to_user(ucur, &cur, sizeof(cur));
}

UK_SYSCALL_R_DEFINE(int, timer_getoverrun, int, id)
{
	struct ptimer *p = lookup(id);
	if (!p)
		return -EINVAL;
	return p->last_overrun;
}

UK_SYSCALL_R_DEFINE(int, timer_delete, int, id)
{
	struct ptimer *p = lookup(id);
	if (!p)
		return -EINVAL;
	uk_timer_cancel(&p->timer);
	drop_own_signal(p);
	p->used = 0;
	return 0;
}

void sig_ptimers_free(struct uk_sigstate *s)
{
	if (!s->ptimers)
		return;
	for (int id = 0; id < MAX_TIMERS; id++)
		if (s->ptimers[id].used)
			uk_timer_cancel(&s->ptimers[id].timer);
	free(s->ptimers);
	s->ptimers = NULL;
}
