/* The `syscall` instruction lands here through MSR_LSTAR, in ring 0 on the
 * application's stack. Switch to the thread's kernel stack before pushing
 * anything (the red zone below the application's rsp is never written),
 * save a struct __regs and call ukplat_syscall_handler. The return restores
 * rflags on the kernel stack and jumps back: never sysret (ring 3). */
#include <uk/plat/layout.h>
#include <uk/plat/regs.h>

/* One entry per CPU, 32 bytes apart, each CPU's MSR_LSTAR pointing at its
 * own: a CPU finds its kernel stack and scratch slot with no register to
 * spare and without trusting GS (the program's). */
	.text
	.p2align 5
	.globl ukplat_syscall_entries, ukplat_syscall_entry
ukplat_syscall_entries:
ukplat_syscall_entry:				/* the boot CPU's */
	.set cpu, 0
	.rept UKPLAT_MAX_CPUS
	.p2align 5
	movq %rsp, ukplat_syscall_scratch + 8 * cpu(%rip)
	movq ukplat_syscall_kstack + 8 * cpu(%rip), %rsp
	pushq $GDT_KDATA			/* ss */
	pushq ukplat_syscall_scratch + 8 * cpu(%rip)	/* rsp */
	jmp syscall_common
	.set cpu, cpu + 1
	.endr

syscall_common:
	pushq %r11				/* rflags */
	pushq $GDT_KCODE			/* cs */
	pushq %rcx				/* rip */
	pushq $0				/* error */
	pushq %rax				/* orig_rax: the number */
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	call ukplat_syscall_handler
	/* Fast return: callee-saved registers were preserved by the C code
	 * and rcx/r11 are clobbered by the ABI, so only the caller-saved
	 * ones come back from the frame. A call that rewrites the frame
	 * (rt_sigreturn, execve) leaves through ukplat_regs_restore. */
	addq $REGS_R10, %rsp
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	addq $8, %rsp			/* rcx */
	popq %rdx
	popq %rsi
	popq %rdi
	/* Linux returns rip in rcx and rflags in r11. */
	movq REGS_RIP - REGS_ORIG_RAX(%rsp), %rcx
	movq REGS_RFLAGS - REGS_ORIG_RAX(%rsp), %r11
	/* rflags without IF until the jump: sti's one-instruction shadow
	 * makes the first interrupt land at the program's rip. One taken
	 * here, in kernel text, would run as if its CPU held the big
	 * kernel lock, which it has given up. */
	pushq %r11
	andq $~0x200, (%rsp)
	popfq
	movq REGS_RSP - REGS_ORIG_RAX(%rsp), %rsp
	testl $0x200, %r11d
	jz 1f
	sti
1:	jmp *%rcx

/* ukplat_regs_restore(regs): resumes the application with every register
 * taken from the frame (no register is clobbered); going to the program,
 * the CPU gives up the big kernel lock (not when it resumes kernel code:
 * a user-memory helper's fixup). */
	.globl ukplat_regs_restore
ukplat_regs_restore:
	movq %rdi, %rsp
	movabsq $USER_TOP, %rax
	cmpq %rax, REGS_RIP(%rsp)
	jae 1f
	call ukplat_bkl_unlock_call	/* below the frame: free stack */
1:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	addq $16, %rsp			/* orig_rax, error */
	iretq

/* ukplat_enter_app(entry, sp): start the program with clean registers. */
	.globl ukplat_enter_app
ukplat_enter_app:
	movq %rsi, %r12
	movq %rdi, %r13
	call ukplat_bkl_unlock_call	/* the boot CPU held it since boot */
	movq %r12, %rsp
	movq %r13, %rcx
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %edx, %edx			/* no rtld_fini for _start */
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	pushq $0x002
	popfq
	sti				/* IF set with the jump, as above */
	jmp *%rcx

/* Each CPU's: the running thread's kernel stack top, and where the
 * entry keeps the program's rsp for a moment. */
	.data
	.p2align 3
	.globl ukplat_syscall_kstack, uk_syscall_kstack_top
ukplat_syscall_kstack:
uk_syscall_kstack_top:				/* the boot CPU's */
	.fill UKPLAT_MAX_CPUS, 8, 0
ukplat_syscall_scratch:
	.fill UKPLAT_MAX_CPUS, 8, 0
