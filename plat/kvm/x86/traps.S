/* Exception and interrupt entry stubs: every vector runs on an IST stack
 * (so the application's stack and red zone are never written), saves a
 * struct __regs and calls ukplat_trap_handler. */
#include <uk/plat/layout.h>
#include <uk/plat/regs.h>

.macro SAVE_REGS
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
.endm

.macro RESTORE_REGS
	popq %r15
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
.endm

	.text
trap_common:
	SAVE_REGS
	cld
	movq %rsp, %rdi
	call ukplat_trap_handler
	RESTORE_REGS
	addq $16, %rsp			/* vector and error code */
	iretq

/* One 16-byte stub per vector (C computes its address from the start);
 * the CPU pushes an error code only for some vectors. */
.macro TRAP_STUB vec
	.p2align 4
	.if \vec == 8 || \vec == 10 || \vec == 11 || \vec == 12 || \vec == 13 || \vec == 14 || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

	.altmacro
	.p2align 4
	.globl ukplat_trap_stubs
ukplat_trap_stubs:
	.set vec, 0
	.rept 256
	TRAP_STUB %vec
	.set vec, vec + 1
	.endr
	.noaltmacro
