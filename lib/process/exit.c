/* The end of the process, and the crash report for a fault that kills the
 * program: status 128+signal, as a shell reports it on Linux. */
#include <stdio.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/process.h>

void uk_process_exit(int status)
{
	ukplat_halt(status & 0xff);
}

static const char *signal_name(int signo)
{
	switch (signo) {
	case 4: return "SIGILL";
	case 5: return "SIGTRAP";
	case 7: return "SIGBUS";
	case 8: return "SIGFPE";
	case 11: return "SIGSEGV";
	default: return "signal";
	}
}

void uk_app_fatal_fault(struct __regs *r, int signo, unsigned long addr,
			const char *what)
{
	printf("\n%s: the program crashed (%s) at address %#lx\n",
	       signal_name(signo), what, addr);
	if (r->rip >= USER_TOP)
		printf("(in the kernel, serving syscall %lu %s from the program)\n",
		       uk_syscall_regs ? uk_syscall_regs->orig_rax : 0,
		       uk_syscall_regs ? uk_syscall_name(uk_syscall_regs->orig_rax) : "");
	printf("error code %#lx\n", r->error);
	ukplat_dump_regs(2, r);
	uk_process_exit(128 + signo);
}
