/*
 * A NULL dereference with no SIGSEGV handler, in a named, non-inlined
 * function: the process must die by SIGSEGV (status 139). In the guest the
 * kernel's crash report (stderr) should show the faulting instructions
 * disassembled and a symbol name (crash_here); the report format is the
 * kernel's to decide, so the runner checks the status for now.
 */
#include <stdio.h>

struct node {
	int pad[10];
	int value;
};

__attribute__((noinline)) int crash_here(struct node *n)
{
	return n->value + 1;	/* n is NULL: reads address 0x28 */
}

int main(int argc, char **argv)
{
	(void)argv;
	struct node *volatile n = NULL;

	puts("before");
	fflush(stdout);
	int v = crash_here(n);
	printf("not reached %d\n", v + argc);
	return 0;
}
