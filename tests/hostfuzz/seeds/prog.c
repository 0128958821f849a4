/* Seed program for the ldwalk and elfcompat targets (never run): calls
 * into a library, and makes system calls of its own, one with the number
 * as an argument the way glibc's syscall() takes it. */
long fz_a(long);

static long sys1(long nr, long a)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a) : "rcx", "r11", "memory");
	return ret;
}

void _start(void)
{
	long r = fz_a(3);

	r += sys1(39, 0);	/* getpid */
	sys1(r > 0 ? 60 : 231, r);	/* exit or exit_group */
	for (;;)
		;
}
