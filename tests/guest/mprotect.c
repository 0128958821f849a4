/* Writes to a page made read-only by mprotect: must die by SIGSEGV (status 139). */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		puts("mmap failed");
		return 1;
	}
	p[0] = 42;
	if (mprotect((void *)p, 4096, PROT_READ) != 0) {
		puts("mprotect failed");
		return 1;
	}
	if (p[0] != 42) {
		puts("content lost");
		return 1;
	}
	puts("before");
	fflush(stdout);
	p[1] = 1;		/* faults */
	puts("after");		/* not reached */
	return 0;
}
