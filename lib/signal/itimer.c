/* alarm and the interval timers. ITIMER_REAL counts wall time and sends
 * SIGALRM to the process; ITIMER_VIRTUAL and ITIMER_PROF would count the
 * program's CPU time, which on one CPU is close to wall time: they count
 * wall time too and send SIGVTALRM and SIGPROF. */
#include <errno.h>
#include <string.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "signal_internal.h"

#define NSEC 1000000000ULL

static void expire(struct uk_timer *tm)
{
	struct itimer *it = (struct itimer *)tm;
	struct k_siginfo info;
	memset(&info, 0, sizeof(info));
	info.si_signo = it->sig;
	info.si_code = SI_KERNEL;
	sig_send_proc(it->proc, &info);
	if (it->interval_ns)
		uk_timer_arm(&it->timer, tm->deadline_ns + it->interval_ns);
}

static void get(struct itimer *it, struct __kernel_old_itimerval *v)
{
	uint64_t left = 0, now = ukplat_monotonic_ns();
	if (it->timer.armed && it->timer.deadline_ns > now)
		left = it->timer.deadline_ns - now;
	else if (it->timer.armed)
		left = 1000;
	v->it_value.tv_sec = left / NSEC;
	v->it_value.tv_usec = (left % NSEC) / 1000;
	v->it_interval.tv_sec = it->interval_ns / NSEC;
	v->it_interval.tv_usec = (it->interval_ns % NSEC) / 1000;
}

static void set(struct itimer *it, uint64_t value_ns, uint64_t interval_ns)
{
	it->timer.fn = expire;
	uk_timer_cancel(&it->timer);
	it->interval_ns = interval_ns;
	if (value_ns)
		uk_timer_arm(&it->timer, ukplat_monotonic_ns() + value_ns);
}

static int valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

UK_SYSCALL_R_DEFINE(int, getitimer, int, which, struct __kernel_old_itimerval *, uv)
{
	struct __kernel_old_itimerval v;
	if (which < 0 || which > 2)
		return -EINVAL;
	get(&SIGSTATE()->itimers[which], &v);
	return uk_copy_to_user(uv, &v, sizeof(v));
}

/* As on Linux: the new value comes in first, the old goes out last. */
UK_SYSCALL_R_DEFINE(int, setitimer, int, which,
		    const struct __kernel_old_itimerval *, uv,
		    struct __kernel_old_itimerval *, uold)
{
	struct __kernel_old_itimerval v, old;
	if (uv && uk_copy_from_user(&v, uv, sizeof(v)))
		return -EFAULT;
	if (which < 0 || which > 2)
		return -EINVAL;
	if (uv && (!valid(&v.it_value) || !valid(&v.it_interval)))
		return -EINVAL;
	get(&SIGSTATE()->itimers[which], &old);
	if (uv)
		set(&SIGSTATE()->itimers[which],
		    v.it_value.tv_sec * NSEC + v.it_value.tv_usec * 1000ULL,
		    v.it_interval.tv_sec * NSEC + v.it_interval.tv_usec * 1000ULL);
	return uold ? uk_copy_to_user(uold, &old, sizeof(old)) : 0;
}

UK_SYSCALL_R_DEFINE(unsigned int, alarm, unsigned int, seconds)
{
	struct __kernel_old_itimerval old;
	get(&SIGSTATE()->itimers[0], &old);
	set(&SIGSTATE()->itimers[0], seconds * NSEC, 0);
	/* Linux rounds the time left to the nearest second, at least 1. */
	unsigned int left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	if (!left && (old.it_value.tv_sec || old.it_value.tv_usec))
		left = 1;
	return left;
}
