/* futex for a single-threaded program: nobody else can change the word
 * or wake us, so WAIT only checks the value and honours its timeout. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <linux/futex.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/syscall.h>

#define NSEC 1000000000ULL

static long wait_timeout(int op, int cmd, const struct __kernel_timespec *ts)
{
	if (!ts) {
		printf("futex: wait with no timeout in a single-threaded program "
		       "would never end\n");
		return -EDEADLK;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || (uint64_t)ts->tv_nsec >= NSEC)
		return -EINVAL;
	uint64_t t = ts->tv_sec * NSEC + ts->tv_nsec;
	uint64_t deadline;
	if (cmd == FUTEX_WAIT) {
		deadline = ukplat_monotonic_ns() + t;	/* relative */
	} else if (op & FUTEX_CLOCK_REALTIME) {
		uint64_t now = ukplat_wall_clock_ns();
		deadline = ukplat_monotonic_ns() + (t > now ? t - now : 0);
	} else {
		deadline = t;	/* absolute CLOCK_MONOTONIC */
	}
	ukplat_wait_until_ns(deadline);
	return -ETIMEDOUT;
}

UK_SYSCALL_R_DEFINE(long, futex, uint32_t *, uaddr, int, op, uint32_t, val,
		    const struct __kernel_timespec *, timeout, uint32_t *, uaddr2,
		    uint32_t, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	(void)uaddr2;
	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT_BITSET && !val3)
			return -EINVAL;
		if (*uaddr != val)
			return -EAGAIN;
		return wait_timeout(op, cmd, timeout);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE_BITSET && !val3)
			return -EINVAL;
		return 0;
	case FUTEX_REQUEUE:
		return 0;
	case FUTEX_CMP_REQUEUE:
		return *uaddr != val3 ? -EAGAIN : 0;
	case FUTEX_WAKE_OP:
		return 0;
	default:
		return -ENOSYS;
	}
}
