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

static struct uk_timer timer;
static uint64_t period_ns;

static void report(struct uk_timer *t)
{
	uint64_t free = uk_pmem_free_pages(), total = uk_pmem_total_pages();
	printf("memstat: free %llu pages (%llu KiB) of %llu\n", (unsigned long long)free,
	       (unsigned long long)free * (PAGE_SIZE / 1024), (unsigned long long)total);
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
