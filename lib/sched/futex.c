/* futex: wait queues keyed as Linux keys them (a private futex by the
 * address space and address; a shared one in a MAP_SHARED mapping by the
 * file and offset, so processes that share the page meet), with
 * WAIT/WAKE, the bitset forms, REQUEUE, CMP_REQUEUE and WAKE_OP, and
 * timeouts on CLOCK_MONOTONIC or CLOCK_REALTIME. A key holds no reference:
 * if its file goes and another takes its place while a waiter sleeps, the
 * worst is a spurious wake, which futex callers recheck for anyway. */
#include <errno.h>
#include <stdint.h>
#include <linux/futex.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "sched_internal.h"

#define NSEC 1000000000ULL
#define NBUCKETS 64

struct futex_key {
	const void *obj;	/* the address space, or the shared file */
	unsigned long off;	/* the address, or the offset in the file */
};

struct waiter {
	struct uk_waitq q;	/* one thread waits on its own queue */
	struct futex_key key;
	uint32_t bitset;
	int woken;
	struct waiter *next;
};

static struct waiter *buckets[NBUCKETS];

static struct waiter **bucket(const struct futex_key *k)
{
	unsigned long h = (unsigned long)k->obj ^ (k->off >> 2) ^ (k->off >> 12);
	return &buckets[(h ^ (h >> 6)) % NBUCKETS];
}

static int same_key(const struct futex_key *a, const struct futex_key *b)
{
	return a->obj == b->obj && a->off == b->off;
}

static void key_of(const uint32_t *uaddr, int private, struct futex_key *k)
{
	if (private) {
		k->obj = uk_proc()->mm;
		k->off = (unsigned long)uaddr;
	} else {
		uk_mm_futex_key((unsigned long)uaddr, &k->obj, &k->off);
	}
}

static void unlink_waiter(struct waiter *w)
{
	for (struct waiter **pp = bucket(&w->key); *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

static int wake_key(const struct futex_key *k, int n, uint32_t bitset)
{
	int woken = 0;
	struct waiter **pp = bucket(k);
	while (*pp && woken < n) {
		struct waiter *w = *pp;
		if (same_key(&w->key, k) && (w->bitset & bitset)) {
			*pp = w->next;
			w->woken = 1;
			uk_waitq_wake(&w->q, 1);
			woken++;
		} else {
			pp = &w->next;
		}
	}
	return woken;
}

/* Thread exit's wakes (clear_child_tid, robust lists) are shared ones,
 * as on Linux. */
int sched_futex_wake(uint32_t *uaddr, int n, uint32_t bitset)
{
	struct futex_key k;
	key_of(uaddr, 0, &k);
	return wake_key(&k, n, bitset);
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
 * (EFAULT); a shared futex's page must be there (EFAULT). */
static long futex_key(const uint32_t *uaddr, int op, struct futex_key *k)
{
	uint32_t v;
	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	if (!uk_user_range_ok(uaddr, sizeof(*uaddr)))
		return -EFAULT;
	if (!(op & FUTEX_PRIVATE_FLAG) && uk_copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	key_of(uaddr, op & FUTEX_PRIVATE_FLAG, k);
	return 0;
}

static long futex_wait(uint32_t *uaddr, const struct futex_key *k, uint32_t val,
		       uint32_t bitset, uint64_t deadline)
{
	uint32_t cur;
	if (uk_get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	struct waiter w = { .key = *k, .bitset = bitset };
	struct waiter **b = bucket(k);
	w.next = *b;
	*b = &w;
	int rc = uk_waitq_wait(&w.q, deadline);
	if (w.woken)
		return 0;	/* woken, even if a timeout raced it */
	unlink_waiter(&w);
	return rc ? rc : -EAGAIN;
}

static long requeue(const struct futex_key *k1, int nwake, const struct futex_key *k2,
		    int nmove)
{
	int woken = wake_key(k1, nwake, FUTEX_BITSET_MATCH_ANY);
	int moved = 0;
	struct waiter **pp = bucket(k1);
	while (*pp && moved < nmove) {
		struct waiter *w = *pp;
		if (same_key(&w->key, k1)) {
			*pp = w->next;
			w->key = *k2;
			struct waiter **b2 = bucket(k2);
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

static long wake_op(const struct futex_key *k1, int nwake, uint32_t *uaddr2,
		    const struct futex_key *k2, int nwake2, uint32_t encoded)
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
	long n = wake_key(k1, nwake, FUTEX_BITSET_MATCH_ANY);
	if (c)
		n += wake_key(k2, nwake2, FUTEX_BITSET_MATCH_ANY);
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
	struct futex_key k1, k2;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if ((rc = deadline_of(op, cmd, timeout, &deadline)))
			return rc;
		if (!val3)
			return -EINVAL;
		if ((rc = futex_key(uaddr, op, &k1)))
			return rc;
		return futex_wait(uaddr, &k1, val, val3, deadline);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		if ((rc = futex_key(uaddr, op, &k1)))
			return rc;
		return wake_key(&k1, (int)val < 0 ? 0x7fffffff : (int)val, val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((rc = futex_key(uaddr, op, &k1)) || (rc = futex_key(uaddr2, op, &k2)))
			return rc;
		if (cmd == FUTEX_CMP_REQUEUE) {
			if (uk_get_user(cur, uaddr))
				return -EFAULT;
			if (cur != val3)
				return -EAGAIN;
		}
		return requeue(&k1, val, &k2, (int)(long)timeout);
	case FUTEX_WAKE_OP:
		if ((rc = futex_key(uaddr, op, &k1)) || (rc = futex_key(uaddr2, op, &k2)))
			return rc;
		return wake_op(&k1, val, uaddr2, &k2, (int)(long)timeout, val3);
	default:
		return -ENOSYS;
	}
}
