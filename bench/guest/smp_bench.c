/* Several CPUs: "cpu N" runs N threads of the same fixed computation and
 * prints the wall time; "pingpong N" passes a futex word back and forth N
 * times between two threads pinned to the first two CPUs (one CPU: both
 * on it) and prints the mean round trip. One line each, for run-bench.sh:
 *   smp: cpu threads=2 cpus=2 secs=1.234
 *   smp: pingpong n=20000 cpus=2 ns_per_roundtrip=12345 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Counted before any pinning: without /sys and /proc (the Linux guest's
 * initramfs), glibc counts the affinity mask. */
static int online;

static int ncpus(void)
{
	if (!online)
		online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return online;
}

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu % ncpus(), &s);
	sched_setaffinity(0, sizeof(s), &s);
}

/* 200 million steps of an LCG: a few hundred ms under TCG per thread. */
static void *compute(void *arg)
{
	uint64_t x = (uint64_t)(uintptr_t)arg + 1;
	for (long i = 0; i < 200000000L / 8; i++)
		for (int k = 0; k < 8; k++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (void *)(uintptr_t)(x & 1);
}

static atomic_int word;
static long rounds;

static void wait_for(int v)
{
	while (atomic_load(&word) != v)
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, !v, NULL, NULL, 0);
}

static void *ponger(void *arg)
{
	(void)arg;
	pin(1);
	for (long i = 0; i < rounds; i++) {
		wait_for(1);
		atomic_store(&word, 0);
		syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long n = atol(argv[2]);
	ncpus();
	if (!strcmp(argv[1], "cpu")) {
		pthread_t t[64];
		if (n < 1 || n > 64)
			return 2;
		double t0 = now();
		for (long i = 0; i < n; i++)
			pthread_create(&t[i], NULL, compute, (void *)i);
		for (long i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		printf("smp: cpu threads=%ld cpus=%d secs=%.3f\n", n, ncpus(), now() - t0);
		return 0;
	}
	if (!strcmp(argv[1], "pingpong")) {
		pthread_t t;
		rounds = n;
		pin(0);
		pthread_create(&t, NULL, ponger, NULL);
		usleep(10000);
		double t0 = now();
		for (long i = 0; i < n; i++) {
			atomic_store(&word, 1);
			syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
			wait_for(0);
		}
		double dt = now() - t0;
		pthread_join(t, NULL);
		printf("smp: pingpong n=%ld cpus=%d ns_per_roundtrip=%.0f\n", n, ncpus(),
		       dt * 1e9 / (double)n);
		return 0;
	}
	return 2;
}
