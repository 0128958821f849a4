/* Runs the registered in-kernel tests after the libraries' init and
 * before the program; a failure stops the boot with status 1. */
#include <stdio.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/test.h>

extern const struct uk_testcase uk_testtab_start[], uk_testtab_end[];

void uk_test_fail(int *failures, const char *expr, const char *file, int line,
		  long a, long b)
{
	printf("uktest:   failed: %s (%ld vs %ld) at %s:%d\n", expr, a, b, file, line);
	(*failures)++;
}

static int uktest_run(void)
{
	int passed = 0, failed = 0;
	for (const struct uk_testcase *t = uk_testtab_start; t < uk_testtab_end; t++) {
		int failures = 0;
		t->fn(&failures);
		printf("uktest: %s %s.%s\n", failures ? "FAIL" : "ok", t->suite, t->name);
		if (failures)
			failed++;
		else
			passed++;
	}
	printf("uktest: %d passed, %d failed\n", passed, failed);
	if (failed)
		ukplat_halt(1);
	return 0;
}
UK_INIT_AT(uktest_run, UK_INIT_LEVEL_LATE);
