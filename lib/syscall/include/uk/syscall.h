/* System call definition and dispatch.
 *
 * UK_SYSCALL_R_DEFINE(rtype, name, type1, arg1, ...) defines the typed
 * implementation of Linux system call `name` (up to six arguments) and
 * uk_syscall_r_<name>, which returns the result or -errno, and registers
 * it in the dispatch table under __NR_<name> (from Linux's uapi numbers;
 * a call of our own defines __NR_<name> before the macro). The defining
 * library lists it in its Makefile.uk as
 *     UK_PROVIDED_SYSCALLS-$(CONFIG_LIBX) += name-<number>
 * and the build fails when the two disagree. */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include <uk/syscall_nr.h>
#include <uk/plat/regs.h>
#include <uk/thread.h>

#define UK_SYSCALL_MAX 512

typedef long (*uk_syscall_fn)(long, long, long, long, long, long);

struct uk_syscall_entry {
	long nr;
	uk_syscall_fn fn;
	const char *name;
	const char *params;	/* "type, name, ..." as written: for strace */
	int nargs;
};

/* The registers of the syscall the running thread is serving (for calls
 * that need more than their arguments: arch_prctl, clone, rt_sigreturn;
 * and for the restart decision). Per thread: another thread's call never
 * replaces it. */
#define uk_syscall_regs (uk_current->sys_frame)

long uk_syscall_unknown(unsigned long nr);
const char *uk_syscall_name(unsigned long nr);

#define __UK_STR(x) #x
#define __UK_XSTR(x) __UK_STR(x)

#define __UK_NARGS_X(_0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, N, ...) N
#define __UK_NARGS(...) \
	__UK_NARGS_X(_, ##__VA_ARGS__, 6, x, 5, x, 4, x, 3, x, 2, x, 1, x, 0)
#define __UK_CAT(a, b) a##b
#define __UK_XCAT(a, b) __UK_CAT(a, b)

#define __UK_PARAMS0() void
#define __UK_PARAMS1(t1, n1) t1 n1
#define __UK_PARAMS2(t1, n1, t2, n2) t1 n1, t2 n2
#define __UK_PARAMS3(t1, n1, t2, n2, t3, n3) t1 n1, t2 n2, t3 n3
#define __UK_PARAMS4(t1, n1, t2, n2, t3, n3, t4, n4) \
	t1 n1, t2 n2, t3 n3, t4 n4
#define __UK_PARAMS5(t1, n1, t2, n2, t3, n3, t4, n4, t5, n5) \
	t1 n1, t2 n2, t3 n3, t4 n4, t5 n5
#define __UK_PARAMS6(t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6) \
	t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6

#define __UK_CASTS0()
#define __UK_CASTS1(t1, n1) (t1)a0
#define __UK_CASTS2(t1, n1, t2, n2) (t1)a0, (t2)a1
#define __UK_CASTS3(t1, n1, t2, n2, t3, n3) (t1)a0, (t2)a1, (t3)a2
#define __UK_CASTS4(t1, n1, t2, n2, t3, n3, t4, n4) \
	(t1)a0, (t2)a1, (t3)a2, (t4)a3
#define __UK_CASTS5(t1, n1, t2, n2, t3, n3, t4, n4, t5, n5) \
	(t1)a0, (t2)a1, (t3)a2, (t4)a3, (t5)a4
#define __UK_CASTS6(t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6) \
	(t1)a0, (t2)a1, (t3)a2, (t4)a3, (t5)a4, (t6)a5

#define __UK_PARAMS(...) \
	__UK_XCAT(__UK_PARAMS, __UK_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define __UK_CASTS(...) \
	__UK_XCAT(__UK_CASTS, __UK_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define UK_SYSCALL_R_DEFINE(rtype, sc, ...)                               \
	static rtype __uk_syscall_impl_##sc(__UK_PARAMS(__VA_ARGS__));   \
	long uk_syscall_r_##sc(long a0, long a1, long a2, long a3,        \
				 long a4, long a5);                         \
	long uk_syscall_r_##sc(long a0, long a1, long a2, long a3,        \
				 long a4, long a5)                          \
	{                                                                   \
		(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5; \
		return (long)__uk_syscall_impl_##sc(__UK_CASTS(__VA_ARGS__)); \
	}                                                                   \
	static const struct uk_syscall_entry __uk_syscall_entry_##sc      \
		__attribute__((used, section(".uk_syscalltab"), aligned(8))) = { \
		.nr = __NR_##sc,                                          \
		.fn = uk_syscall_r_##sc,                                  \
		.name = #sc,                                              \
		.params = #__VA_ARGS__,                                     \
		.nargs = __UK_NARGS(__VA_ARGS__),                           \
	};                                                                  \
	__asm__(".globl uk_syscall_nr_" #sc "\n\t"                        \
		".set uk_syscall_nr_" #sc ", " __UK_XSTR(__NR_##sc));   \
	static rtype __uk_syscall_impl_##sc(__UK_PARAMS(__VA_ARGS__))
