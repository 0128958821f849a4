/* Dereferences NULL: must die by SIGSEGV (status 139) with a crash report on stderr. */
#include <stdio.h>

int main(void)
{
	volatile int *p = NULL;

	puts("before");
	fflush(stdout);
	*p = 1;			/* faults */
	puts("after");		/* not reached */
	return 0;
}
