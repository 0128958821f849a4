/* A raw fork, vfork, clone or clone3 whose child (0 in rax) calls exit(0)
 * at once, touching neither the stack nor any other memory, so that it
 * does not matter which stack, TLS or address space the flags gave it
 * (sysfuzz's calls, regress's cases). Returns the parent's result. */
#pragma once

static __attribute__((noinline, unused)) long raw_spawn(long n, long a, long b, long c,
							long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret = n;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "+a"(ret)
			 : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
