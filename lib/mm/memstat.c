/* Memory diagnostics: with the boot argument memstat=SECONDS the kernel
 * prints, every SECONDS, the free and total physical pages on the log
 * stream, so that a long run can be checked for leaks from the host:
 * `run.sh -a memstat=5 ...`. */
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/sched.h>
#include <uk/mm.h>
#include <uk/process.h>
#include <uk/thread.h>

static struct uk_timer timer;
static uint64_t period_ns;

static void report(struct uk_timer *t)
{
	uint64_t free = uk_pmem_free_pages(), total = uk_pmem_total_pages();
	int procs = 0, ready = 0, blocked = 0;
	for (struct uk_process *p = uk_process_first(); p; p = p->next_all)
		procs++;
	for (struct uk_thread *th = sched_threads(); th; th = th->next_all) {
		ready += th->state == T_READY || th->state == T_RUNNING;
		blocked += th->state == T_BLOCKED;
	}
	printf("memstat: free %llu pages (%llu KiB) of %llu; %d processes, threads: %d "
	       "runnable, %d blocked\n", (unsigned long long)free,
	       (unsigned long long)free * (PAGE_SIZE / 1024), (unsigned long long)total,
	       procs, ready, blocked);
	uk_timer_arm(t, ukplat_monotonic_ns() + period_ns);
}

static int memstat_init(void)
{
	size_t len;
	const char *v = ukplat_bootarg("memstat", &len);
	long s = v ? strtol(v, NULL, 10) : 0;
	if (s > 0) {
		period_ns = (uint64_t)s * 1000000000ULL;
		timer.fn = report;
		uk_timer_arm(&timer, ukplat_monotonic_ns() + period_ns);
	}
	return 0;
}
UK_INIT_AT(memstat_init, UK_INIT_LEVEL_LATE);
