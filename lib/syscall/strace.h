/* strace-form tracing of system calls (CONFIG_LIBSYSCALL_STRACE). */
#pragma once
#include <uk/plat/regs.h>

extern int uk_strace_enabled;
void uk_strace_init(void);
void uk_strace_call(unsigned long nr, struct __regs *r);
long uk_syscall_invoke(unsigned long nr, struct __regs *r);
