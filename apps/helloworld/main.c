/* Hello world app: a dynamically linked glibc program (PT_INTERP, libc.so.6). */
#include <stdio.h>

int main(void)
{
	puts("Hello, world!");
	return 0;
}
