/* hello.c: the benchmark's hello world (built static-PIE): prints one line and exits. */
#include <stdio.h>

int main(void)
{
	puts("Hello, world!");
	return 0;
}
