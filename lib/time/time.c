/* Clocks and sleeps. One process, one thread: CPU-time clocks equal the
 * time since boot; sleeping waits on the platform clock. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/time.h>
#include <linux/resource.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/sched.h>

#define NSEC 1000000000ULL

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
		return -EINVAL;
	}
}

static void to_timespec(uint64_t ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = ns / NSEC;
	ts->tv_nsec = ns % NSEC;
}

UK_SYSCALL_R_DEFINE(int, clock_gettime, int, clk, struct __kernel_timespec *, ts)
{
	uint64_t ns;
	long rc = clock_ns(clk, &ns);
	if (rc)
		return rc;
	to_timespec(ns, ts);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, clock_getres, int, clk, struct __kernel_timespec *, ts)
{
	uint64_t ns;
	long rc = clock_ns(clk, &ns);
	if (rc)
		return rc;
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, gettimeofday, struct __kernel_old_timeval *, tv,
		    struct timezone *, tz)
{
	if (tv) {
		uint64_t ns = ukplat_wall_clock_ns();
		tv->tv_sec = ns / NSEC;
		tv->tv_usec = (ns % NSEC) / 1000;
	}
	if (tz) {
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(long, time, long *, t)
{
	long now = ukplat_wall_clock_ns() / NSEC;
	if (t)
		*t = now;
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
		uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
		rem->tv_sec = left / NSEC;
		rem->tv_nsec = left % NSEC;
	}
	return rc;
}

static int valid_ts(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NSEC;
}

UK_SYSCALL_R_DEFINE(int, nanosleep, const struct __kernel_timespec *, req,
		    struct __kernel_timespec *, rem)
{
	if (!valid_ts(req))
		return -EINVAL;
	uint64_t d = req->tv_sec * NSEC + req->tv_nsec;
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
	if (!valid_ts(req))
		return -EINVAL;
	uint64_t t = req->tv_sec * NSEC + req->tv_nsec;
	uint64_t deadline = (flags & TIMER_ABSTIME) ? t : now + t;
	if (clk != CLOCK_REALTIME && clk != CLOCK_TAI)
		clk = CLOCK_MONOTONIC;
	return sleep_until(clk, deadline, (flags & TIMER_ABSTIME) ? NULL : rem);
}

/* CPU time: all of it counts as user time (the kernel's share of a
 * syscall is not told apart). */
UK_SYSCALL_R_DEFINE(int, getrusage, int, who, struct rusage *, ru)
{
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
	return 0;
}

struct k_tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

UK_SYSCALL_R_DEFINE(long, times, struct k_tms *, buf)
{
	if (buf) {
		buf->tms_utime = uk_process_cpu_ns() / 10000000ULL;
		buf->tms_stime = buf->tms_cutime = buf->tms_cstime = 0;
	}
	return ukplat_monotonic_ns() / 10000000ULL;	/* clock ticks (100 Hz) */
}
