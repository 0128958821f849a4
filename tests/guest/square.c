/* Calls the custom syscall 400 (CONFIG_LIBSQUARE) with 5; the guest prints 25. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	long r = syscall(400, 5L);

	printf("%ld\n", r);
	return r == 25 ? 0 : 1;
}
