/* proc_bench.c: the cost of processes, via rdtsc (guest instructions under QEMU -icount shift=0, else TSC ticks) and CLOCK_MONOTONIC. */
/*
 * Usage: proc_bench [FORKS [SPAWNS [PIPELINES [BIG_MIB]]]]  (defaults 200 50 3 256)
 *
 * (1) fork + _exit + waitpid, FORKS times.
 * (2) posix_spawn of /hello (a static hello world, stdout to /dev/null)
 *     + waitpid, SPAWNS times.
 * (3) /bin/sh -c 'seq 1 10000 | wc -l' (busybox) through posix_spawn +
 *     waitpid, PIPELINES times. Most of it is seq's and wc's own work in
 *     user mode (formatting 10000 numbers, counting their lines), the same
 *     under any kernel: user_work is that part, /bin/sh -c 'seq 1 10000'
 *     less /bin/sh -c 'seq 1 1' (output to /dev/null), plus
 *     /bin/sh -c 'wc -l </numbers' (what seq printed) less
 *     /bin/sh -c 'wc -l </dev/null', PIPELINES times each.
 * (4) fork of a process that has touched BIG_MIB MiB, then the child's
 *     _exit and waitpid; while the child lives, MemFree drops by what the
 *     fork copied (page tables only, when it copies no pages).
 * Each is timed as a whole after one untimed warm-up; per operation:
 *   proc: fork_wait=X spawn_wait=Y pipeline=Z user_work=U big_fork=W big_fork_kb=K
 *   proc_ns: fork_wait=... (the same in nanoseconds)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long memfree_kb(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

static void fork_wait(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
}

static void spawn_wait(char *const argv[], int quiet)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t p;
	int rc = posix_spawn(&p, argv[0], &fa, NULL, argv, environ);
	if (rc == 0)
		waitpid(p, NULL, 0);
	else
		fprintf(stderr, "proc_bench: cannot spawn %s: %s\n", argv[0], strerror(rc));
	posix_spawn_file_actions_destroy(&fa);
}

struct timing {
	double ticks, ns;
};

#define TIME(out, n, stmt)						\
	do {								\
		stmt;	/* warm-up */					\
		uint64_t t0 = tsc(), n0 = now_ns();			\
		for (long i_ = 0; i_ < (n); i_++)			\
			stmt;						\
		(out).ticks = (double)(tsc() - t0) / (n);		\
		(out).ns = (double)(now_ns() - n0) / (n);		\
	} while (0)

int main(int argc, char **argv)
{
	/* The Linux guest's /init mounts neither /proc nor (with its
	 * console already open) devtmpfs on /dev. */
	if (access("/proc/meminfo", R_OK)) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	if (access("/dev/null", W_OK))
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	long forks = argc > 1 ? atol(argv[1]) : 200, spawns = argc > 2 ? atol(argv[2]) : 50;
	long pipelines = argc > 3 ? atol(argv[3]) : 3, big_mib = argc > 4 ? atol(argv[4]) : 256;
	char *hello[] = { "/hello", NULL };
	char *pipeline[] = { "/bin/sh", "-c", "seq 1 10000 | wc -l", NULL };
	char *seq_long[] = { "/bin/sh", "-c", "seq 1 10000", NULL };
	char *seq_short[] = { "/bin/sh", "-c", "seq 1 1", NULL };
	char *wc_long[] = { "/bin/sh", "-c", "wc -l </numbers", NULL };
	char *wc_short[] = { "/bin/sh", "-c", "wc -l </dev/null", NULL };
	FILE *numbers = fopen("/numbers", "w");
	for (int i = 1; numbers && i <= 10000; i++)
		fprintf(numbers, "%d\n", i);
	if (!numbers || fclose(numbers)) {
		fprintf(stderr, "proc_bench: cannot write /numbers\n");
		return 1;
	}
	struct timing f, s, pl, sl, ss, wl, ws, big;
	TIME(f, forks, fork_wait());
	TIME(s, spawns, spawn_wait(hello, 1));
	TIME(pl, pipelines, spawn_wait(pipeline, 1));
	TIME(sl, pipelines, spawn_wait(seq_long, 1));
	TIME(ss, pipelines, spawn_wait(seq_short, 1));
	TIME(wl, pipelines, spawn_wait(wc_long, 1));
	TIME(ws, pipelines, spawn_wait(wc_short, 1));
	struct timing user = { sl.ticks - ss.ticks + wl.ticks - ws.ticks,
			       sl.ns - ss.ns + wl.ns - ws.ns };

	size_t len = big_mib << 20;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "proc_bench: cannot map %ld MiB\n", big_mib);
		return 1;
	}
	for (size_t off = 0; off < len; off += 4096)
		mem[off] = 1;
	long before = memfree_kb(), copied_kb = -1;
	int pfd[2];
	if (pipe(pfd))
		return 1;
	uint64_t t0 = tsc(), n0 = now_ns();
	pid_t p = fork();
	if (p == 0) {
		char c;
		read(pfd[0], &c, 1);	/* until the parent has looked */
		_exit(0);
	}
	big.ticks = (double)(tsc() - t0);
	big.ns = (double)(now_ns() - n0);
	copied_kb = before - memfree_kb();
	write(pfd[1], "x", 1);
	waitpid(p, NULL, 0);
	printf("proc: fork_wait=%.0f spawn_wait=%.0f pipeline=%.0f user_work=%.0f big_fork=%.0f "
	       "big_fork_kb=%ld forks=%ld spawns=%ld pipelines=%ld big_mib=%ld\n",
	       f.ticks, s.ticks, pl.ticks, user.ticks, big.ticks, copied_kb, forks,
	       spawns, pipelines, big_mib);
	printf("proc_ns: fork_wait=%.0f spawn_wait=%.0f pipeline=%.0f user_work=%.0f big_fork=%.0f\n",
	       f.ns, s.ns, pl.ns, user.ns, big.ns);
	return 0;
}
