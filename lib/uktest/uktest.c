/* Runs the registered in-kernel tests after the libraries' init and
 * before the program; a failure stops the boot with status 1.
 *
 * Each test runs on a stack in the program's half of the address space:
 * the system calls it makes take the program's pointers only (through
 * uk/uaccess.h), and its locals then are such memory. Like every kernel
 * stack it is aligned to its size and names the running thread's slot
 * (uk/plat/layout.h). */
#include <stdio.h>
#include <string.h>
#include <linux/mman.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/mm.h>
#include <uk/test.h>
#include <uk/vfs.h>
#include <uk/uaccess.h>

#define TEST_STACK UKPLAT_STACK_SIZE
#define TEST_UMEM (64 * 1024)

extern const struct uk_testcase uk_testtab_start[], uk_testtab_end[];

void uk_test_fail(int *failures, const char *expr, const char *file, int line,
		  long a, long b)
{
	printf("uktest:   failed: %s (%ld vs %ld) at %s:%d\n", expr, a, b, file, line);
	(*failures)++;
}

static char *umem;
static unsigned long umem_used;

void *uk_test_umem(unsigned long n)
{
	n = (n + 15) & ~15UL;
	if (n > TEST_UMEM - umem_used) {
		printf("uktest: out of program memory for arguments\n");
		ukplat_halt(1);
	}
	char *p = umem + umem_used;
	umem_used += n;
	memset(p, 0, n);
	return p;
}

char *uk_test_ustr(const char *s)
{
	return strcpy(uk_test_umem(strlen(s) + 1), s);
}

static const struct uk_testcase *running;
static int running_failures;
static void *init_ctx, *test_ctx;

static void run_one(void *arg)
{
	(void)arg;
	running->fn(&running_failures);
	/* The tests call system calls directly, not through the syscall
	 * path that lets go of the files they used. */
	uk_fd_release_held();
	ukplat_ctx_switch(&test_ctx, init_ctx);
}

static int uktest_run(void)
{
	int passed = 0, failed = 0;
	size_t len = 2 * TEST_STACK + TEST_UMEM;
	long map = uk_mm_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map < 0) {
		printf("uktest: no stack for the tests (%ld)\n", map);
		ukplat_halt(1);
	}
	/* Mapped now: a fault of the kernel goes on below the stack it
	 * came on, which must not fault in turn. */
	uk_clear_user((void *)map, len);
	long stack = (map + TEST_STACK - 1) & ~(long)(TEST_STACK - 1);
	ukplat_stack_set_slot((void *)stack, ukplat_stack_slot());
	umem = (char *)stack + TEST_STACK;
	for (const struct uk_testcase *t = uk_testtab_start; t < uk_testtab_end; t++) {
		running = t;
		running_failures = 0;
		umem_used = 0;
		test_ctx = ukplat_ctx_init((char *)stack + TEST_STACK, run_one, NULL);
		ukplat_ctx_switch(&init_ctx, test_ctx);
		printf("uktest: %s %s.%s\n", running_failures ? "FAIL" : "ok",
		       t->suite, t->name);
		if (running_failures)
			failed++;
		else
			passed++;
	}
	uk_mm_munmap(map, len);
	printf("uktest: %d passed, %d failed\n", passed, failed);
	if (failed)
		ukplat_halt(1);
	return 0;
}
UK_INIT_AT(uktest_run, UK_INIT_LEVEL_LATE);
