/*
 * Dies in the way named by argv[1], with no signal handler, for
 * tests/crash/test-crash.sh: the kernel's crash report (stderr) must name
 * the function and show the instructions around the fault.
 *   main     NULL store in main             func     NULL load in crash_here
 *   libc     strlen(NULL) inside the libc   callnull a call through NULL
 *   syscall  write() from an unmapped buffer (not a crash: EFAULT, so -1)
 *   ill      ud2 (SIGILL)
 *   oom      touches 4 GiB of anonymous memory, more than the guest has
 *            (natively it would succeed where the host has that much)
 *   oomchild a child does that; the parent reports how it ended and
 *            goes on (exit 0)
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct node {
	int pad[10];
	int value;
};

__attribute__((noinline)) int crash_here(struct node *n)
{
	return n->value + 1;	/* n is NULL: reads address 0x28 */
}

static void touch_4g(void)
{
	size_t len = 4UL << 30;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";
	volatile int *volatile p = NULL;
	struct node *volatile n = NULL;
	char *volatile s = NULL;
	void (*volatile f)(void) = NULL;
	const void *volatile bad = (const void *)8;

	puts("before");
	fflush(stdout);
	if (!strcmp(mode, "main"))
		*p = 1;
	else if (!strcmp(mode, "func"))
		return crash_here(n);
	else if (!strcmp(mode, "libc"))
		return (int)strlen(s);
	else if (!strcmp(mode, "callnull"))
		f();
	else if (!strcmp(mode, "syscall"))
		return (int)write(1, bad, 10);
	else if (!strcmp(mode, "ill"))
		__builtin_trap();
	else if (!strcmp(mode, "oom"))
		touch_4g();
	else if (!strcmp(mode, "oomchild")) {
		pid_t c = fork();
		if (c == 0) {
			touch_4g();
			_exit(0);
		}
		int st = 0;
		waitpid(c, &st, 0);
		printf("child %s %d\n", WIFSIGNALED(st) ? "killed by signal" : "exited",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		puts("parent goes on");
		return 0;
	}
	puts("after");		/* not reached */
	return 0;
}
