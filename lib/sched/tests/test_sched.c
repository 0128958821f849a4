/* sched: kernel threads created and joined as pthreads are (the
 * clear-child-tid word and a futex wait), the futex operations with
 * Linux's results, the robust-list death protocol, wait queues and
 * kernel timers, all at boot before the program runs. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <linux/time_types.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/mm.h>
#include <uk/test.h>
#include <linux/mman.h>
#include "../sched_internal.h"

#define MS 1000000ULL

long uk_syscall_r_futex(long, long, long, long, long, long);
long uk_syscall_r_exit(long, long, long, long, long, long);
long uk_syscall_r_gettid(long, long, long, long, long, long);
long uk_syscall_r_set_robust_list(long, long, long, long, long, long);
long uk_syscall_r_sched_getaffinity(long, long, long, long, long, long);
long uk_syscall_r_sched_setaffinity(long, long, long, long, long, long);
long uk_syscall_r_sched_get_priority_max(long, long, long, long, long, long);
long uk_syscall_r_sched_get_priority_min(long, long, long, long, long, long);

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout,
		  uint32_t *uaddr2, uint32_t val3)
{
	return uk_syscall_r_futex((long)uaddr, op, val, (long)timeout, (long)uaddr2, val3);
}

/* A kernel thread: fn(arg), then exit(0) as a program's thread ends,
 * which clears *tid and wakes a futex waiter on it. The word is in
 * program memory, where the clear-child-tid protocol writes. */
struct kthread {
	void (*fn)(void *);
	void *arg;
	int *tid;
};

static int *tid_word(void)
{
	static int *page;
	static int next;
	if (!page)
		page = (int *)uk_mm_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return &page[next++ % 1024];
}

static void kthread_entry(void *p)
{
	struct kthread *k = p;
	sched_reprogram();
	k->fn(k->arg);
	uk_syscall_r_exit(0, 0, 0, 0, 0, 0);
}

static int kthread_start(struct kthread *k, void (*fn)(void *), void *arg)
{
	struct uk_thread *t = sched_thread_new(uk_current->proc, uk_pid_alloc());
	if (!t)
		return -ENOMEM;
	k->fn = fn;
	k->arg = arg;
	k->tid = tid_word();
	*k->tid = t->tid;
	ukplat_fpu_save(t->fpu);
	t->clear_child_tid = k->tid;
	t->ctx_sp = ukplat_ctx_init(t->kstack_top, kthread_entry, k);
	sched_make_ready(t);
	return t->tid;
}

/* pthread_join: wait while the word holds the thread's id. */
static void kthread_join(struct kthread *k)
{
	int tid;
	while ((tid = __atomic_load_n(k->tid, __ATOMIC_SEQ_CST)))
		futex((uint32_t *)k->tid, FUTEX_WAIT, tid, NULL, NULL, 0);
}

static int ran, seen_tid[3];

static void count_fn(void *arg)
{
	int i = (int)(long)arg;
	seen_tid[i] = uk_syscall_r_gettid(0, 0, 0, 0, 0, 0);
	uk_sched_yield();
	ran++;
}

UK_TESTCASE(sched, create_join)
{
	struct kthread k[3];
	int n0 = uk_sched_nthreads();
	ran = 0;
	for (int i = 0; i < 3; i++)
		UK_TEST_EXPECT(kthread_start(&k[i], count_fn, (void *)(long)i) > 1);
	UK_TEST_EQ(uk_sched_nthreads(), n0 + 3);
	int tids[3] = { *k[0].tid, *k[1].tid, *k[2].tid };
	for (int i = 0; i < 3; i++)
		kthread_join(&k[i]);
	UK_TEST_EQ(ran, 3);
	/* Each ran as itself: gettid is the id clone gave. */
	for (int i = 0; i < 3; i++)
		UK_TEST_EQ(seen_tid[i], tids[i]);
	UK_TEST_EXPECT(tids[0] != tids[1] && tids[1] != tids[2] && tids[0] != tids[2]);
	UK_TEST_EQ(uk_sched_nthreads(), n0);
	/* The boot thread is the main thread: its id is the pid. */
	UK_TEST_EQ(uk_syscall_r_gettid(0, 0, 0, 0, 0, 0), 1);
}

/* Futex words live in program memory (uk_test_umem), as a program's. */
static uint32_t *word, *word2;
static long wait_rc[4];

static void new_words(void)
{
	word = uk_test_umem(sizeof(*word));
	word2 = uk_test_umem(sizeof(*word2));
}

static void waiter_fn(void *arg)
{
	int i = (int)(long)arg;
	wait_rc[i] = futex(word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void bitset_waiter_fn(void *arg)
{
	int i = (int)(long)arg;
	wait_rc[i] = futex(word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0x1);
}

UK_TESTCASE(sched, futex_basics)
{
	struct __kernel_timespec ts = { 0, 2 * MS };
	new_words();
	*word = 5;
	UK_TEST_EQ(futex(word, FUTEX_WAIT, 4, NULL, NULL, 0), -EAGAIN);
	UK_TEST_EQ(futex((uint32_t *)((char *)word + 1), FUTEX_WAIT, 5, NULL, NULL, 0), -EINVAL);
	UK_TEST_EQ(futex(word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	uint64_t t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(futex(word, FUTEX_WAIT, 5, &ts, NULL, 0), -ETIMEDOUT);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 >= 2 * MS);
	struct __kernel_timespec bad = { 0, 1000000000 };
	UK_TEST_EQ(futex(word, FUTEX_WAIT, 5, &bad, NULL, 0), -EINVAL);
	UK_TEST_EQ(futex(word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), -EINVAL);
	UK_TEST_EQ(futex(word, 99, 0, NULL, NULL, 0), -ENOSYS);
}

UK_TESTCASE(sched, futex_wake)
{
	struct kthread k[2];
	new_words();
	wait_rc[0] = wait_rc[1] = 1;
	kthread_start(&k[0], waiter_fn, (void *)0);
	kthread_start(&k[1], waiter_fn, (void *)1);
	uk_sched_yield();	/* both block on the word */
	UK_TEST_EQ(futex(word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 1);
	UK_TEST_EQ(futex(word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 1);
	UK_TEST_EQ(futex(word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 0);
	kthread_join(&k[0]);
	kthread_join(&k[1]);
	UK_TEST_EQ(wait_rc[0], 0);
	UK_TEST_EQ(wait_rc[1], 0);

	/* Bitsets: a wake for other bits leaves the waiter asleep. */
	kthread_start(&k[0], bitset_waiter_fn, (void *)2);
	uk_sched_yield();
	UK_TEST_EQ(futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x2), 0);
	UK_TEST_EQ(futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), -EINVAL);
	UK_TEST_EQ(futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x3), 1);
	kthread_join(&k[0]);
	UK_TEST_EQ(wait_rc[2], 0);
}

UK_TESTCASE(sched, futex_requeue_wake_op)
{
	struct kthread k[2];
	new_words();
	kthread_start(&k[0], waiter_fn, (void *)0);
	kthread_start(&k[1], waiter_fn, (void *)1);
	uk_sched_yield();
	/* CMP_REQUEUE checks the word against val3 first. */
	UK_TEST_EQ(futex(word, FUTEX_CMP_REQUEUE, 1, (void *)1L, word2, 7), -EAGAIN);
	/* One woken, one moved to word2: the result counts both. */
	UK_TEST_EQ(futex(word, FUTEX_CMP_REQUEUE, 1, (void *)1L, word2, 0), 2);
	UK_TEST_EQ(futex(word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 0);
	UK_TEST_EQ(futex(word2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 1);
	kthread_join(&k[0]);
	kthread_join(&k[1]);

	/* WAKE_OP: *uaddr2 = old + 5, and uaddr2's waiters woken when
	 * old > 1; returns the number woken (none wait here). */
	*word2 = 2;
	UK_TEST_EQ(futex(word, FUTEX_WAKE_OP, 1, (void *)1L, word2,
			 FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_GT, 1)), 0);
	UK_TEST_EQ(*word2, 7);
	/* OPARG_SHIFT: the operand is 1 << oparg. */
	*word2 = 1;
	futex(word, FUTEX_WAKE_OP, 1, (void *)1L, word2,
	      FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 0));
	UK_TEST_EQ(*word2, 17);
	*word2 = 0xff;
	futex(word, FUTEX_WAKE_OP, 1, (void *)1L, word2,
	      FUTEX_OP(FUTEX_OP_ANDN, 0x0f, FUTEX_OP_CMP_EQ, 0));
	UK_TEST_EQ(*word2, 0xf0);
	/* A waiter on uaddr2 is woken only when the comparison holds. */
	*word = 0;
	kthread_start(&k[0], waiter_fn, (void *)0);
	uk_sched_yield();
	*word = 0;
	UK_TEST_EQ(futex(word2, FUTEX_WAKE_OP, 0, (void *)1L, word,
			 FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_NE, 0)), 0);
	UK_TEST_EQ(futex(word2, FUTEX_WAKE_OP, 0, (void *)1L, word,
			 FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)), 1);
	kthread_join(&k[0]);
}

/* A thread that dies holding a robust mutex; the list and the mutex are
 * in program memory, where the kernel walks them. */
struct robust_mutex {
	struct robust_list link;
	uint32_t lock;
};
static struct robust_list_head *rhead_p;
static struct robust_mutex *rmutex_p;
#define rmutex (*rmutex_p)

static void robust_fn(void *arg)
{
	(void)arg;
	struct robust_list_head *head = rhead_p;
	int tid = uk_syscall_r_gettid(0, 0, 0, 0, 0, 0);
	head->list.next = &rmutex.link;
	head->futex_offset = offsetof(struct robust_mutex, lock) -
			     offsetof(struct robust_mutex, link);
	head->list_op_pending = NULL;
	rmutex.link.next = &head->list;
	rmutex.lock = tid | FUTEX_WAITERS;
	wait_rc[3] = uk_syscall_r_set_robust_list((long)head, sizeof(*head) - 1, 0, 0, 0, 0);
	uk_syscall_r_set_robust_list((long)head, sizeof(*head), 0, 0, 0, 0);
}

UK_TESTCASE(sched, robust_list)
{
	struct kthread k;
	/* Two words each, 8-byte aligned, from the program page. */
	rhead_p = (struct robust_list_head *)(((unsigned long)tid_word() + 64) & ~63UL);
	rmutex_p = (struct robust_mutex *)(rhead_p + 1);
	for (int i = 0; i < 32; i++)
		tid_word();	/* keep later tid words clear of them */
	kthread_start(&k, robust_fn, NULL);
	kthread_join(&k);
	UK_TEST_EQ(wait_rc[3], -EINVAL);
	/* Owner died: the waiters bit kept, the tid gone. */
	UK_TEST_EQ(rmutex.lock, FUTEX_WAITERS | FUTEX_OWNER_DIED);
}

static int order[4], norder;
static uint64_t fired_at[4];
static struct uk_waitq timer_wq;

struct test_timer {
	struct uk_timer t;
	int id;
};

static void timer_fn(struct uk_timer *t)
{
	int id = ((struct test_timer *)t)->id;
	fired_at[id] = ukplat_monotonic_ns();
	order[norder++] = id;
	uk_waitq_wake(&timer_wq, -1);
}

UK_TESTCASE(sched, timers)
{
	struct test_timer tm[4];
	memset(tm, 0, sizeof(tm));
	norder = 0;
	uint64_t now = ukplat_monotonic_ns();
	/* Armed out of order, they fire in deadline order, none early. */
	static const int delay_ms[4] = { 3, 1, 2, 2 };
	for (int i = 0; i < 4; i++) {
		tm[i].t.fn = timer_fn;
		tm[i].id = i;
	}
	uk_timer_arm(&tm[0].t, now + delay_ms[0] * MS);
	uk_timer_arm(&tm[1].t, now + delay_ms[1] * MS);
	uk_timer_arm(&tm[2].t, now + delay_ms[2] * MS);
	uk_timer_arm(&tm[3].t, now + 1 * MS);
	uk_timer_cancel(&tm[3].t);	/* cancelled: never fires */
	UK_TEST_EXPECT(!tm[3].t.armed);
	uint64_t deadline = now + 1000 * MS;
	while (norder < 3 && ukplat_monotonic_ns() < deadline)
		uk_waitq_wait(&timer_wq, deadline);
	UK_TEST_EQ(norder, 3);
	UK_TEST_EQ(order[0], 1);
	UK_TEST_EQ(order[1], 2);
	UK_TEST_EQ(order[2], 0);
	for (int i = 0; i < 3; i++)
		UK_TEST_EXPECT(fired_at[i] >= now + delay_ms[i] * MS);
	uk_sleep_until(ukplat_monotonic_ns() + 2 * MS);
	UK_TEST_EQ(norder, 3);
	/* Re-arming an armed timer moves it. */
	now = ukplat_monotonic_ns();
	uk_timer_arm(&tm[0].t, now + 500 * MS);
	uk_timer_arm(&tm[0].t, now + 1 * MS);
	uk_waitq_wait(&timer_wq, now + 400 * MS);
	UK_TEST_EQ(norder, 4);
	UK_TEST_EXPECT(fired_at[0] < now + 400 * MS);
}

UK_TESTCASE(sched, waitq_sleep)
{
	struct uk_waitq wq = { .head = NULL };
	uint64_t t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_waitq_wait(&wq, t0 + 2 * MS), -ETIMEDOUT);
	UK_TEST_EXPECT(ukplat_monotonic_ns() >= t0 + 2 * MS);
	/* A deadline already past does not sleep. */
	UK_TEST_EQ(uk_waitq_wait(&wq, t0), -ETIMEDOUT);
	UK_TEST_EQ(uk_waitq_wake(&wq, -1), 0);
	t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_sleep_until(t0 + 3 * MS), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() >= t0 + 3 * MS);
}

UK_TESTCASE(sched, affinity_priority)
{
	unsigned long mask[2] = { ~0UL, ~0UL };
	/* One CPU: the kernel's cpumask is one long, CPU 0 set. */
	UK_TEST_EQ(uk_syscall_r_sched_getaffinity(0, sizeof(mask), (long)mask, 0, 0, 0),
		   sizeof(unsigned long));
	UK_TEST_EQ(mask[0], 1);
	UK_TEST_EQ(uk_syscall_r_sched_getaffinity(0, 4, (long)mask, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_sched_getaffinity(99999, sizeof(mask), (long)mask, 0, 0, 0),
		   -ESRCH);
	mask[0] = 2;	/* only a CPU that does not exist */
	UK_TEST_EQ(uk_syscall_r_sched_setaffinity(0, sizeof(mask), (long)mask, 0, 0, 0),
		   -EINVAL);
	/* SCHED_FIFO and SCHED_RR: 1..99; SCHED_OTHER: 0..0. */
	UK_TEST_EQ(uk_syscall_r_sched_get_priority_max(SCHED_FIFO, 0, 0, 0, 0, 0), 99);
	UK_TEST_EQ(uk_syscall_r_sched_get_priority_min(SCHED_RR, 0, 0, 0, 0, 0), 1);
	UK_TEST_EQ(uk_syscall_r_sched_get_priority_max(SCHED_NORMAL, 0, 0, 0, 0, 0), 0);
}
