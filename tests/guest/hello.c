/* Prints "Hello, world!": the smallest libc program (built glibc/musl, PIE/non-PIE). */
#include <stdio.h>

int main(void)
{
	puts("Hello, world!");
	return 0;
}
