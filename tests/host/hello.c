/* Tiny program built at test time (glibc/musl, static/static-pie/dynamic) as
 * a known-good input for the ELF validator tests and the fuzz seed corpus.
 */
#include <stdio.h>

static _Thread_local int calls = 1;

int main(int argc, char **argv)
{
	calls += argc;
	printf("hello from %s (%d)\n", argv[0], calls);
	return 0;
}
