/*
 * Preemption: a thread spins on a volatile flag (never yields, never makes
 * a system call) while the main thread sleeps 200 ms in nanosleep. Without
 * a preemptive scheduler (one CPU) the spinner would keep the CPU forever;
 * the main thread must wake within a generous bound (< 2 s), then stops the
 * spinner and joins it. Prints "woke ok".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static volatile int stop;
static volatile int spinning;
static volatile unsigned long spins;

static void *spinner(void *arg)
{
	(void)arg;
	spinning = 1;
	while (!stop)
		spins++;
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, spinner, NULL) != 0) {
		puts("pthread_create failed");
		return 1;
	}
	/* let the spinner get going (sleeping hands it the CPU) */
	struct timespec tick = { 0, 1000000 };
	double t0 = now();
	while (!spinning && now() - t0 < 5)
		nanosleep(&tick, NULL);
	if (!spinning) {
		puts("spinner never ran");
		return 1;
	}

	struct timespec req = { 0, 200 * 1000000 };
	double start = now();
	int r = nanosleep(&req, NULL);
	double slept = now() - start;
	stop = 1;
	pthread_join(t, NULL);
	if (r != 0) {
		puts("nanosleep failed");
		return 1;
	}
	if (slept < 0.199) {
		printf("woke early: %.3f s\n", slept);
		return 1;
	}
	if (slept >= 2.0) {
		printf("woke late: %.3f s\n", slept);
		return 1;
	}
	if (spins == 0) {
		puts("spinner made no progress");
		return 1;
	}
	puts("woke ok");
	return 0;
}
