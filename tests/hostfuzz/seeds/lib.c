/* Seed library for the ldwalk and elfcompat targets (never run), built
 * under several names: an export that reaches a system call with a
 * number from its caller, through a PLT call when FZ_NEXT is set. */
long fz_b(long);

long fz_sys(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

long FZ_NAME(long n)
{
#ifdef FZ_NEXT
	return fz_b(n) + fz_sys(n + 36);
#else
	return fz_sys(n == 3 ? 102 : 104);
#endif
}
