/* Kernel context switches between threads, and running a function on
 * another stack (to leave an interrupt's IST stack when preempting). */

	.text
/* ukplat_ctx_switch(void **prev_sp, void *next_sp) */
	.globl ukplat_ctx_switch
ukplat_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* A new thread's first switch lands here: call fn(arg) from the frame
 * ukplat_ctx_init built (fn in r12, arg in r13). */
	.globl ukplat_ctx_start
ukplat_ctx_start:
	movq %r13, %rdi
	xorl %ebp, %ebp
	callq *%r12
	ud2

/* ukplat_run_on_stack(void *sp, void (*fn)(void *), void *arg): never
 * returns. */
	.globl ukplat_run_on_stack
ukplat_run_on_stack:
	movq %rdi, %rsp
	andq $-16, %rsp
	movq %rdx, %rdi
	xorl %ebp, %ebp
	callq *%rsi
	ud2
