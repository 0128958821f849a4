/* Hello world app: the smallest glibc static-PIE program, run from a rootfs. */
#include <stdio.h>

int main(void)
{
	puts("Hello, world!");
	return 0;
}
