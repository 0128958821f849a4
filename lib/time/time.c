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
#include <uk/uaccess.h>

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
