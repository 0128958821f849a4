/* Clocks and sleeps: the wall and monotonic clocks from the platform,
 * CPU-time clocks from the scheduler's accounting (the caller's, or any
 * thread's or process's by Linux's dynamic clock ids); sleeping waits on
 * the platform clock. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/time.h>
#include <linux/resource.h>
#include <linux/capability.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/sched.h>
#include <uk/uaccess.h>
#include <uk/thread.h>
#include <uk/process.h>

#define NSEC 1000000000ULL

/* Linux's CPU-time clock ids (clock_getcpuclockid, pthread_getcpuclockid):
 * ~pid << 3, 4 for a thread's, and which of user+system, user or
 * scheduler time (all the same here: the kernel's share is not told
 * apart); 3 there names a descriptor's clock, which has no CPU time. A
 * thread's clock is only for threads of the caller's process. */
static long cpu_clock_ns(int clk, uint64_t *ns)
{
	int pid = ~(clk >> 3);
	if ((clk & 3) == 3)
		return -EINVAL;
	if (clk & 4) {
		struct uk_thread *t = pid ? sched_find_thread(pid) : uk_current;
		if (!t || t->proc != uk_proc())
			return -EINVAL;
		*ns = uk_thread_cpu_ns_of(t);
	} else {
		struct uk_process *p = pid ? uk_process_find(pid) : uk_proc();
		if (!p)
			return -EINVAL;
		*ns = uk_process_cpu_ns_of(p);
	}
	return 0;
}

static long clock_ns(int clk, uint64_t *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = ukplat_wall_clock_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = ukplat_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = uk_process_cpu_ns();
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = uk_thread_cpu_ns();
		return 0;
	default:
		return clk < 0 ? cpu_clock_ns(clk, ns) : -EINVAL;
	}
}

/* A time in ns out to the program as a timespec: 0 or -EFAULT. */
static int put_timespec(uint64_t ns, struct __kernel_timespec *uts)
{
	struct __kernel_timespec ts = { .tv_sec = ns / NSEC, .tv_nsec = ns % NSEC };
	return uk_copy_to_user(uts, &ts, sizeof(ts));
}

UK_SYSCALL_R_DEFINE(int, clock_gettime, int, clk, struct __kernel_timespec *, ts)
{
	uint64_t ns;
	long rc = clock_ns(clk, &ns);
	if (rc)
		return rc;
	return put_timespec(ns, ts);
}

UK_SYSCALL_R_DEFINE(int, clock_getres, int, clk, struct __kernel_timespec *, ts)
{
	uint64_t ns;
	long rc = clock_ns(clk, &ns);
	if (rc)
		return rc;
	return ts ? put_timespec(1, ts) : 0;
}

/* Steps the wall clock (CAP_SYS_TIME); the monotonic clocks and the
 * sleeps on them go on unchanged. ns: Linux's valid range. */
static int set_wall_clock(int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC)
		return -EINVAL;
	if (!uk_cred_capable(&uk_proc()->cred, CAP_SYS_TIME))
		return -EPERM;
	/* Not before the time since boot (Linux: the monotonic clock would
	 * go back behind the wall clock's start). */
	uint64_t ns = (uint64_t)sec * NSEC + (uint64_t)nsec;
	if (ns < ukplat_monotonic_ns())
		return -EINVAL;
	ukplat_wall_clock_set(ns);
	return 0;
}

/* Only CLOCK_REALTIME can be set; the others that exist say EINVAL. */
UK_SYSCALL_R_DEFINE(int, clock_settime, int, clk, const struct __kernel_timespec *, uts)
{
	if (clk != CLOCK_REALTIME) {
		/* CPU-time clocks are never set (EPERM), the others EINVAL. */
		uint64_t ns;
		long rc = clock_ns(clk, &ns);
		return rc ? rc : clk < 0 || clk == CLOCK_PROCESS_CPUTIME_ID ||
				 clk == CLOCK_THREAD_CPUTIME_ID ? -EPERM : -EINVAL;
	}
	struct __kernel_timespec ts;
	if (uk_copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return set_wall_clock(ts.tv_sec, ts.tv_nsec);
}

/* The time zone is recorded nowhere (the kernel keeps none); a bad one
 * is refused as Linux does. */
UK_SYSCALL_R_DEFINE(int, settimeofday, const struct __kernel_old_timeval *, utv,
		    const struct timezone *, utz)
{
	struct __kernel_old_timeval tv;
	struct timezone tz;
	if (utv && uk_copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (utz && uk_copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	if (utv && (tv.tv_usec < 0 || tv.tv_usec >= 1000000))
		return -EINVAL;
	if (utz && (tz.tz_minuteswest < -15 * 60 || tz.tz_minuteswest > 15 * 60))
		return -EINVAL;
	if (!uk_cred_capable(&uk_proc()->cred, CAP_SYS_TIME))
		return -EPERM;
	return utv ? set_wall_clock(tv.tv_sec, tv.tv_usec * 1000LL) : 0;
}

UK_SYSCALL_R_DEFINE(int, gettimeofday, struct __kernel_old_timeval *, tv,
		    struct timezone *, tz)
{
	if (tv) {
		uint64_t ns = ukplat_wall_clock_ns();
		struct __kernel_old_timeval k = {
			.tv_sec = ns / NSEC, .tv_usec = (ns % NSEC) / 1000,
		};
		if (uk_copy_to_user(tv, &k, sizeof(k)))
			return -EFAULT;
	}
	if (tz) {
		struct timezone k = { .tz_minuteswest = 0, .tz_dsttime = 0 };
		if (uk_copy_to_user(tz, &k, sizeof(k)))
			return -EFAULT;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(long, time, long *, t)
{
	long now = ukplat_wall_clock_ns() / NSEC;
	if (t && uk_put_user(now, t))
		return -EFAULT;
	return now;
}

/* Sleeps until a deadline on clk; a signal ends the sleep with EINTR
 * and the time left in rem (for relative sleeps). Timers run on the
 * monotonic clock: a wall-clock deadline is translated once (the wall
 * clock is never stepped here). */
static long sleep_until(int clk, uint64_t deadline_ns, struct __kernel_timespec *rem)
{
	if (clk == CLOCK_REALTIME || clk == CLOCK_TAI) {
		uint64_t now = ukplat_wall_clock_ns();
		uint64_t mono = ukplat_monotonic_ns();
		deadline_ns = deadline_ns > now ? mono + (deadline_ns - now) : mono;
	}
	int rc = uk_sleep_until(deadline_ns);
	if (rc == -EINTR && rem) {
		uint64_t now = ukplat_monotonic_ns();
		if (put_timespec(deadline_ns > now ? deadline_ns - now : 0, rem))
			return -EFAULT;
	}
	return rc;
}

/* A sleep's request, in from the program: its ns, or -EFAULT, -EINVAL. */
static long get_request(const struct __kernel_timespec *ureq, uint64_t *ns)
{
	struct __kernel_timespec ts;
	if (uk_copy_from_user(&ts, ureq, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NSEC)
		return -EINVAL;
	*ns = ts.tv_sec * NSEC + ts.tv_nsec;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, nanosleep, const struct __kernel_timespec *, req,
		    struct __kernel_timespec *, rem)
{
	uint64_t d;
	long rc = get_request(req, &d);
	if (rc)
		return rc;
	return sleep_until(CLOCK_MONOTONIC, ukplat_monotonic_ns() + d, rem);
}

UK_SYSCALL_R_DEFINE(int, clock_nanosleep, int, clk, int, flags,
		    const struct __kernel_timespec *, req,
		    struct __kernel_timespec *, rem)
{
	uint64_t now;
	long rc = clock_ns(clk, &now);
	if (rc)
		return rc;
	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	uint64_t t;
	if ((rc = get_request(req, &t)))
		return rc;
	uint64_t deadline = (flags & TIMER_ABSTIME) ? t : now + t;
	if (clk != CLOCK_REALTIME && clk != CLOCK_TAI)
		clk = CLOCK_MONOTONIC;
	return sleep_until(clk, deadline, (flags & TIMER_ABSTIME) ? NULL : rem);
}

/* CPU time: all of it counts as user time (the kernel's share of a
 * syscall is not told apart). */
UK_SYSCALL_R_DEFINE(int, getrusage, int, who, struct rusage *, uru)
{
	struct rusage k, *ru = &k;
	uint64_t ns;
	if (who == RUSAGE_SELF || who == RUSAGE_CHILDREN)
		ns = who == RUSAGE_SELF ? uk_process_cpu_ns() : 0;
	else if (who == RUSAGE_THREAD)
		ns = uk_thread_cpu_ns();
	else
		return -EINVAL;
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = ns / NSEC;
	ru->ru_utime.tv_usec = (ns % NSEC) / 1000;
	ru->ru_maxrss = 1024 * 4;
	return uk_copy_to_user(uru, ru, sizeof(*ru));
}

struct k_tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

UK_SYSCALL_R_DEFINE(long, times, struct k_tms *, buf)
{
	if (buf) {
		struct k_tms k = { .tms_utime = uk_process_cpu_ns() / 10000000ULL };
		if (uk_copy_to_user(buf, &k, sizeof(k)))
			return -EFAULT;
	}
	return ukplat_monotonic_ns() / 10000000ULL;	/* clock ticks (100 Hz) */
}
