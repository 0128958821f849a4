/* threads_bench.c: guest instructions per futex ping-pong round trip and per pthread_create+join, via rdtsc (run under QEMU -icount shift=0). */
/*
 * Usage: threads_bench [ROUNDTRIPS [CREATES]]   (defaults 2000 and 200)
 *
 * (1) Round trip: the main thread and a partner thread ping-pong over two
 *     futex words with raw syscall(SYS_futex) FUTEX_WAIT / FUTEX_WAKE
 *     (private): main stores ping = i and wakes the partner, then waits
 *     until pong == i; the partner waits until ping == i, stores pong = i
 *     and wakes main. With one CPU each round trip is two wakes, two waits
 *     and two thread switches.
 * (2) Create+join: pthread_create of a thread that returns at once, then
 *     pthread_join (glibc as is: clone3 or clone, its stack cache, the
 *     CLONE_CHILD_CLEARTID futex the join waits on).
 *
 * Each is timed REPS times with rdtsc in the main thread (after one untimed
 * warm-up pass); the minimum is kept (a timer interrupt landing in one
 * repetition only adds to it). Prints one line:
 *   threads: cpus=C rt_n=N rt_best=T per_roundtrip=X.XX cj_n=M cj_best=U per_create_join=Y.YY
 * Under -icount shift=0 the TSC advances by one per guest instruction, so
 * the figures are guest instructions (loop overhead included; a few per
 * iteration).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REPS 5

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static long futex(unsigned *uaddr, int op, unsigned val)
{
	return syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static unsigned ping, pong;	/* the two futex words */
static long total_rounds;	/* round trips the partner serves in all */

static unsigned load(unsigned *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(unsigned *p, unsigned v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Waits until *w == want; returns with it so. */
static void wait_for(unsigned *w, unsigned want)
{
	unsigned v;

	while ((v = load(w)) != want)
		futex(w, FUTEX_WAIT, v);
}

static void *partner(void *arg)
{
	(void)arg;
	for (long i = 1; i <= total_rounds; i++) {
		wait_for(&ping, (unsigned)i);
		store(&pong, (unsigned)i);
		futex(&pong, FUTEX_WAKE, 1);
	}
	return NULL;
}

static unsigned seq;	/* last round trip number used */

static uint64_t roundtrips(long n)
{
	uint64_t t = tsc();

	for (long i = 0; i < n; i++) {
		unsigned s = ++seq;

		store(&ping, s);
		futex(&ping, FUTEX_WAKE, 1);
		wait_for(&pong, s);
	}
	return tsc() - t;
}

static void *empty(void *arg)
{
	return arg;
}

static uint64_t create_joins(long n)
{
	uint64_t t = tsc();

	for (long i = 0; i < n; i++) {
		pthread_t th;

		if (pthread_create(&th, NULL, empty, NULL) != 0) {
			perror("threads: pthread_create");
			exit(1);
		}
		if (pthread_join(th, NULL) != 0) {
			perror("threads: pthread_join");
			exit(1);
		}
	}
	return tsc() - t;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	long m = argc > 2 ? atol(argv[2]) : 200;
	long warm_n = n < 100 ? n : 100, warm_m = m < 20 ? m : 20;
	uint64_t best_rt = UINT64_MAX, best_cj = UINT64_MAX;
	cpu_set_t cpus;
	int ncpu = -1;
	pthread_t th;

	if (n < 1 || m < 1) {
		fprintf(stderr, "usage: threads_bench [ROUNDTRIPS [CREATES]]\n");
		return 2;
	}
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		ncpu = CPU_COUNT(&cpus);

	total_rounds = warm_n + (long)REPS * n;
	if (pthread_create(&th, NULL, partner, NULL) != 0) {
		perror("threads: pthread_create");
		return 1;
	}
	roundtrips(warm_n);	/* warm up: fault in pages, fill the emulator's caches */
	for (int r = 0; r < REPS; r++) {
		uint64_t a = roundtrips(n);

		if (a < best_rt)
			best_rt = a;
	}
	pthread_join(th, NULL);

	create_joins(warm_m);
	for (int r = 0; r < REPS; r++) {
		uint64_t a = create_joins(m);

		if (a < best_cj)
			best_cj = a;
	}
	printf("threads: cpus=%d rt_n=%ld rt_best=%llu per_roundtrip=%.2f cj_n=%ld cj_best=%llu per_create_join=%.2f\n",
	       ncpu, n, (unsigned long long)best_rt, (double)best_rt / (double)n,
	       m, (unsigned long long)best_cj, (double)best_cj / (double)m);
	return 0;
}
