/* abort() (what a failed assert() does) must kill the program by SIGABRT: status 134. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	puts("before");
	fflush(stdout);
	abort();
}
