/* Saved register frame of a trap or a syscall (Linux pt_regs order). */
#pragma once

#define REGS_R15	0
#define REGS_R14	8
#define REGS_R13	16
#define REGS_R12	24
#define REGS_RBP	32
#define REGS_RBX	40
#define REGS_R11	48
#define REGS_R10	56
#define REGS_R9		64
#define REGS_R8		72
#define REGS_RAX	80
#define REGS_RCX	88
#define REGS_RDX	96
#define REGS_RSI	104
#define REGS_RDI	112
#define REGS_ORIG_RAX	120	/* syscall number, or trap vector */
#define REGS_ERROR	128	/* error code of an exception */
#define REGS_RIP	136
#define REGS_CS		144
#define REGS_RFLAGS	152
#define REGS_RSP	160
#define REGS_SS		168
#define REGS_SIZE	176

#ifndef __ASSEMBLY__
struct __regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi;
	unsigned long orig_rax;
	unsigned long error;
	unsigned long rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct __regs) == REGS_SIZE, "regs layout");
#endif
