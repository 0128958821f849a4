/* time: the clocks, sleeps and CPU-time accounting, against Linux's
 * clock ids, errors and units (USER_HZ 100 for times). */
#include <errno.h>
#include <stdint.h>
#include <linux/resource.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/test.h>

#define SYSCALL(name) long uk_syscall_r_##name(long, long, long, long, long, long)
SYSCALL(clock_gettime);
SYSCALL(clock_getres);
SYSCALL(gettimeofday);
SYSCALL(time);
SYSCALL(nanosleep);
SYSCALL(clock_nanosleep);
SYSCALL(getrusage);
SYSCALL(times);

#define NSEC 1000000000ULL
#define MS 1000000ULL
#define Y2020 1577836800	/* 2020-01-01T00:00:00Z */

static uint64_t ns_of(int clk)
{
	struct __kernel_timespec ts;
	if (uk_syscall_r_clock_gettime(clk, (long)&ts, 0, 0, 0, 0))
		return 0;
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static void busy(uint64_t ns)
{
	uint64_t end = ukplat_monotonic_ns() + ns;
	while (ukplat_monotonic_ns() < end)
		;
}

static void sleep_ns(uint64_t ns)
{
	struct __kernel_timespec ts = { ns / NSEC, ns % NSEC };
	uk_syscall_r_nanosleep((long)&ts, 0, 0, 0, 0, 0);
}

UK_TESTCASE(time, clocks)
{
	static const int ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
		CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
		CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI };
	struct __kernel_timespec ts;
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ts.tv_nsec = -1;
		UK_TEST_EQ(uk_syscall_r_clock_gettime(ids[i], (long)&ts, 0, 0, 0, 0), 0);
		UK_TEST_EXPECT(ts.tv_nsec >= 0 && ts.tv_nsec < (long)NSEC);
	}
	/* 10 was CLOCK_SGI_CYCLE, gone; 16 is past MAX_CLOCKS. */
	UK_TEST_EQ(uk_syscall_r_clock_gettime(10, (long)&ts, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_clock_gettime(16, (long)&ts, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_clock_getres(16, (long)&ts, 0, 0, 0, 0), -EINVAL);
	/* High-resolution clocks: 1 ns; a NULL result is allowed. */
	UK_TEST_EQ(uk_syscall_r_clock_getres(CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0), 0);
	UK_TEST_EQ(ts.tv_sec, 0);
	UK_TEST_EQ(ts.tv_nsec, 1);
	UK_TEST_EQ(uk_syscall_r_clock_getres(CLOCK_REALTIME, 0, 0, 0, 0, 0), 0);
	/* Monotonic never goes back. */
	uint64_t prev = ns_of(CLOCK_MONOTONIC);
	int back = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t now = ns_of(CLOCK_MONOTONIC);
		back |= now < prev;
		prev = now;
	}
	UK_TEST_EQ(back, 0);
	/* The wall clock (the RTC at boot) is a date of this decade, and
	 * gettimeofday and time agree with it. */
	uint64_t wall = ns_of(CLOCK_REALTIME);
	struct __kernel_old_timeval tv = { -1, -1 };
	UK_TEST_EQ(uk_syscall_r_gettimeofday((long)&tv, 0, 0, 0, 0, 0), 0);
	long t = 0;
	long tret = uk_syscall_r_time((long)&t, 0, 0, 0, 0, 0);
	UK_TEST_EXPECT(wall / NSEC >= Y2020);
	UK_TEST_EXPECT(tv.tv_sec - (long)(wall / NSEC) <= 1 && tv.tv_sec >= (long)(wall / NSEC));
	UK_TEST_EXPECT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	UK_TEST_EQ(tret, t);
	UK_TEST_EXPECT(t - tv.tv_sec <= 1 && t >= tv.tv_sec);
	UK_TEST_EQ(uk_syscall_r_time(0, 0, 0, 0, 0, 0) >= t, 1);
}

UK_TESTCASE(time, sleeps)
{
	struct __kernel_timespec ts = { 0, NSEC }, rem;
	UK_TEST_EQ(uk_syscall_r_nanosleep((long)&ts, 0, 0, 0, 0, 0), -EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	UK_TEST_EQ(uk_syscall_r_nanosleep((long)&ts, 0, 0, 0, 0, 0), -EINVAL);
	ts.tv_sec = 0;
	ts.tv_nsec = 3 * MS;
	uint64_t t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_syscall_r_nanosleep((long)&ts, (long)&rem, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 >= 3 * MS);
	ts.tv_nsec = 0;
	UK_TEST_EQ(uk_syscall_r_nanosleep((long)&ts, 0, 0, 0, 0, 0), 0);
	/* Absolute deadline in the past: no sleep. */
	struct __kernel_timespec past = { 0, 1 };
	t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&past, 0, 0, 0), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 < 50 * MS);
	/* Absolute on the monotonic clock: wakes at the deadline, not before. */
	uint64_t d = ukplat_monotonic_ns() + 3 * MS;
	struct __kernel_timespec abs = { d / NSEC, d % NSEC };
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&abs, 0, 0, 0), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() >= d);
	/* Relative on the wall clock. */
	ts.tv_nsec = 2 * MS;
	t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(CLOCK_REALTIME, 0, (long)&ts, 0, 0, 0), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 >= 2 * MS);
	/* A thread's CPU clock cannot be slept on; bad ids and times. */
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, (long)&ts, 0, 0, 0),
		   -EINVAL);
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(16, 0, (long)&ts, 0, 0, 0), -EINVAL);
	ts.tv_nsec = -1;
	UK_TEST_EQ(uk_syscall_r_clock_nanosleep(CLOCK_MONOTONIC, 0, (long)&ts, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(time, cpu_time)
{
	/* Running counts as CPU time, sleeping does not. */
	uint64_t c0 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	busy(10 * MS);
	uint64_t c1 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	UK_TEST_EXPECT(c1 - c0 >= 9 * MS);
	UK_TEST_EXPECT(t1 - t0 >= 9 * MS);
	sleep_ns(30 * MS);
	uint64_t c2 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t2 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	UK_TEST_EXPECT(c2 >= c1 && t2 >= t1);	/* never backwards */
	UK_TEST_EXPECT(c2 - c1 < 15 * MS);
	UK_TEST_EXPECT(t2 - t1 < 15 * MS);
	/* getrusage: at least the CPU time seen; none for children. */
	struct rusage ru;
	UK_TEST_EQ(uk_syscall_r_getrusage(RUSAGE_SELF, (long)&ru, 0, 0, 0, 0), 0);
	uint64_t ru_ns = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * NSEC +
			 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
	UK_TEST_EXPECT(ru_ns + 1000 >= c2);
	UK_TEST_EXPECT(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	UK_TEST_EQ(uk_syscall_r_getrusage(RUSAGE_CHILDREN, (long)&ru, 0, 0, 0, 0), 0);
	UK_TEST_EQ(ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec, 0);
	UK_TEST_EQ(uk_syscall_r_getrusage(RUSAGE_THREAD, (long)&ru, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_getrusage(5, (long)&ru, 0, 0, 0, 0), -EINVAL);
	/* times counts in USER_HZ (100) ticks. */
	long k0 = uk_syscall_r_times(0, 0, 0, 0, 0, 0);
	sleep_ns(50 * MS);
	long k1 = uk_syscall_r_times(0, 0, 0, 0, 0, 0);
	UK_TEST_EXPECT(k1 - k0 >= 4 && k1 - k0 <= 50);
}
