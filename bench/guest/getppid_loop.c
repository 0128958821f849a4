/* getppid_loop.c: guest instructions per getppid syscall, read via rdtsc (run under QEMU -icount shift=0). */
/*
 * Times N raw `syscall` instructions with SYS_getppid and the same loop
 * without the syscall, REPS times each; keeps the minimum of each (an
 * interrupt landing in one repetition only adds to it) and prints
 *   getppid: N=... loop=... empty=... per_call=X.XX
 * where per_call = (loop - empty) / N. Under -icount shift=0 the TSC
 * advances by one per guest instruction, so the figures are instructions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define REPS 5

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t run(long n, int with_syscall)
{
	uint64_t t = tsc();

	for (long i = 0; i < n; i++) {
		if (with_syscall) {
			long ret = SYS_getppid;

			__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
		} else {
			__asm__ volatile("" ::: "memory");
		}
	}
	return tsc() - t;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t best_loop = UINT64_MAX, best_empty = UINT64_MAX;

	run(1000, 1);	/* warm up: fault in pages, fill caches of the emulator */
	run(1000, 0);
	for (int r = 0; r < REPS; r++) {
		uint64_t a = run(n, 1), b = run(n, 0);

		if (a < best_loop)
			best_loop = a;
		if (b < best_empty)
			best_empty = b;
	}
	double per = ((double)best_loop - (double)best_empty) / (double)n;
	printf("getppid: N=%ld loop=%llu empty=%llu per_call=%.2f\n", n,
	       (unsigned long long)best_loop, (unsigned long long)best_empty, per);
	return 0;
}
