/* futex: wait queues keyed by the word's address (one address space, so
 * private and shared futexes are the same), with WAIT/WAKE, the bitset
 * forms, REQUEUE, CMP_REQUEUE and WAKE_OP, and timeouts on
 * CLOCK_MONOTONIC or CLOCK_REALTIME. */
#include <errno.h>
#include <stdint.h>
#include <linux/futex.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "sched_internal.h"

#define NSEC 1000000000ULL
#define NBUCKETS 64

struct waiter {
	struct uk_waitq q;	/* one thread waits on its own queue */
	uint32_t *uaddr;
	uint32_t bitset;
	struct waiter *next;
};

static struct waiter *buckets[NBUCKETS];

static struct waiter **bucket(uint32_t *uaddr)
{
	return &buckets[((unsigned long)uaddr >> 2) % NBUCKETS];
}

static void unlink_waiter(struct waiter *w)
{
	for (struct waiter **pp = bucket(w->uaddr); *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

int sched_futex_wake(uint32_t *uaddr, int n, uint32_t bitset)
{
	int woken = 0;
	struct waiter **pp = bucket(uaddr);
	while (*pp && woken < n) {
		struct waiter *w = *pp;
		if (w->uaddr == uaddr && (w->bitset & bitset)) {
			*pp = w->next;
			w->uaddr = NULL;	/* tells the waiter it was woken */
			uk_waitq_wake(&w->q, 1);
			woken++;
		} else {
			pp = &w->next;
		}
	}
	return woken;
}

/* The timeout comes in before the words are looked at, as on Linux. */
static long deadline_of(int op, int cmd, const struct __kernel_timespec *uts,
			uint64_t *deadline)
{
	struct __kernel_timespec k, *ts = &k;
	*deadline = UK_NO_DEADLINE;
	if (!uts)
		return 0;
	if (uk_copy_from_user(ts, uts, sizeof(*ts)))
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || (uint64_t)ts->tv_nsec >= NSEC)
		return -EINVAL;
	uint64_t t = ts->tv_sec * NSEC + ts->tv_nsec;
	if (cmd == FUTEX_WAIT) {
		*deadline = ukplat_monotonic_ns() + t;	/* relative */
	} else if (op & FUTEX_CLOCK_REALTIME) {
		uint64_t now = ukplat_wall_clock_ns();
		*deadline = ukplat_monotonic_ns() + (t > now ? t - now : 0);
	} else {
		*deadline = t;	/* absolute CLOCK_MONOTONIC */
	}
	return 0;
}

/* Linux's get_futex_key: an aligned word (EINVAL) in the program's half
 * (EFAULT); a shared futex's page must be there (EFAULT). The key is the
 * address either way: one address space. */
static long futex_key(const uint32_t *uaddr, int op)
{
	uint32_t v;
	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	if (!uk_user_range_ok(uaddr, sizeof(*uaddr)))
		return -EFAULT;
	if (!(op & FUTEX_PRIVATE_FLAG) && uk_copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	return 0;
}

static long futex_wait(uint32_t *uaddr, uint32_t val, uint32_t bitset,
		       uint64_t deadline)
{
	uint32_t cur;
	if (uk_get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	struct waiter w = { .uaddr = uaddr, .bitset = bitset };
	struct waiter **b = bucket(uaddr);
	w.next = *b;
	*b = &w;
	int rc = uk_waitq_wait(&w.q, deadline);
	if (!w.uaddr)
		return 0;	/* woken, even if a timeout raced it */
	unlink_waiter(&w);
	return rc ? rc : -EAGAIN;
}

static long requeue(uint32_t *uaddr, int nwake, uint32_t *uaddr2, int nmove)
{
	int woken = sched_futex_wake(uaddr, nwake, FUTEX_BITSET_MATCH_ANY);
	int moved = 0;
	struct waiter **pp = bucket(uaddr);
	while (*pp && moved < nmove) {
		struct waiter *w = *pp;
		if (w->uaddr == uaddr) {
			*pp = w->next;
			w->uaddr = uaddr2;
			struct waiter **b2 = bucket(uaddr2);
			w->next = *b2;
			*b2 = w;
			moved++;
		} else {
			pp = &w->next;
		}
	}
	return woken + moved;
}

static int wake_op_cmp(uint32_t oldval, uint32_t cmp, uint32_t arg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return oldval == arg;
	case FUTEX_OP_CMP_NE: return oldval != arg;
	case FUTEX_OP_CMP_LT: return (int)oldval < (int)arg;
	case FUTEX_OP_CMP_LE: return (int)oldval <= (int)arg;
	case FUTEX_OP_CMP_GT: return (int)oldval > (int)arg;
	case FUTEX_OP_CMP_GE: return (int)oldval >= (int)arg;
	default: return -1;
	}
}

static long wake_op(uint32_t *uaddr, int nwake, uint32_t *uaddr2, int nwake2,
		    uint32_t encoded)
{
	uint32_t op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	uint32_t oparg = (encoded >> 12) & 0xfff, cmparg = encoded & 0xfff;
	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = 1U << (oparg & 31);
	/* Read, then write: atomic, as nothing else runs in between. */
	uint32_t old, v;
	if (uk_get_user(old, uaddr2))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET: v = oparg; break;
	case FUTEX_OP_ADD: v = old + oparg; break;
	case FUTEX_OP_OR: v = old | oparg; break;
	case FUTEX_OP_ANDN: v = old & ~oparg; break;
	case FUTEX_OP_XOR: v = old ^ oparg; break;
	default: return -ENOSYS;
	}
	if (uk_put_user(v, uaddr2))
		return -EFAULT;
	int c = wake_op_cmp(old, cmp, cmparg);
	if (c < 0)
		return -ENOSYS;
	long n = sched_futex_wake(uaddr, nwake, FUTEX_BITSET_MATCH_ANY);
	if (c)
		n += sched_futex_wake(uaddr2, nwake2, FUTEX_BITSET_MATCH_ANY);
	return n;
}

UK_SYSCALL_R_DEFINE(long, futex, uint32_t *, uaddr, int, op, uint32_t, val,
		    const struct __kernel_timespec *, timeout, uint32_t *, uaddr2,
		    uint32_t, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	uint64_t deadline;
	long rc;
	uint32_t cur;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if ((rc = deadline_of(op, cmd, timeout, &deadline)))
			return rc;
		if (!val3)
			return -EINVAL;
		if ((rc = futex_key(uaddr, op)))
			return rc;
		return futex_wait(uaddr, val, val3, deadline);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		if ((rc = futex_key(uaddr, op)))
			return rc;
		return sched_futex_wake(uaddr, (int)val < 0 ? 0x7fffffff : (int)val, val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((rc = futex_key(uaddr, op)) || (rc = futex_key(uaddr2, op)))
			return rc;
		if (cmd == FUTEX_CMP_REQUEUE) {
			if (uk_get_user(cur, uaddr))
				return -EFAULT;
			if (cur != val3)
				return -EAGAIN;
		}
		return requeue(uaddr, val, uaddr2, (int)(long)timeout);
	case FUTEX_WAKE_OP:
		if ((rc = futex_key(uaddr, op)) || (rc = futex_key(uaddr2, op)))
			return rc;
		return wake_op(uaddr, val, uaddr2, (int)(long)timeout, val3);
	default:
		return -ENOSYS;
	}
}
