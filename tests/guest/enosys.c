/* Unknown syscall numbers must return -1/ENOSYS, not crash or hang. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static int check(long nr)
{
	errno = 0;
	long r = syscall(nr, 1, 2, 3);
	if (r == -1 && errno == ENOSYS)
		return 1;
	printf("syscall(%ld) returned %ld errno %d\n", nr, r, errno);
	return 0;
}

/* 335 is not tested: Linux >= 6.11 made it uretprobe, which raises SIGILL. */
int main(void)
{
	int ok = check(1000) & check(511) & check(-1) & check(0x7fffffff);

	puts(ok ? "ENOSYS ok" : "ENOSYS bad");
	return !ok;
}
