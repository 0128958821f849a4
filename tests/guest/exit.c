/* Exits with the status given in argv[1] (checks exit_group status propagation). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int st = argc > 1 ? atoi(argv[1]) : 0;

	printf("exiting with %d\n", st);
	return st;
}
