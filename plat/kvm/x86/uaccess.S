/* The copy loops behind uk/uaccess.h. Each instruction that touches
 * program memory has an exception-table entry: a fault there resumes at
 * its fixup, which returns what was not done. Quadwords then bytes, never
 * rep movs (TCG emulates it a byte at a time). A faulting quadword goes on
 * a byte at a time, so that what is left counts from the first byte that
 * faults (the short counts of read and write are Linux's, to the byte). */

#define EX(insn, fixup)				\
	.pushsection __ex_table, "a";		\
	.balign 8;				\
	.quad insn, fixup;			\
	.popsection

	.text
/* size_t ukplat_uaccess_copy(void *dst, const void *src, size_t n) */
	.globl ukplat_uaccess_copy
	.p2align 4
ukplat_uaccess_copy:
	movq %rdx, %rcx
	shrq $3, %rcx
	jz 2f
1:	movq (%rsi), %rax
10:	movq %rax, (%rdi)
	addq $8, %rsi
	addq $8, %rdi
	decq %rcx
	jnz 1b
2:	andq $7, %rdx
	jz 4f
3:	movb (%rsi), %al
30:	movb %al, (%rdi)
	incq %rsi
	incq %rdi
	decq %rdx
	jnz 3b
4:	xorl %eax, %eax
	ret
	/* A quadword faulted (nothing of it was stored): rcx quadwords and
	 * the tail bytes are left, byte by byte from the same place. */
5:	andq $7, %rdx
	leaq (%rdx,%rcx,8), %rdx
	jmp 3b
	/* A byte faulted: rdx bytes are left. */
6:	movq %rdx, %rax
	ret
	EX(1b, 5b)
	EX(10b, 5b)
	EX(3b, 6b)
	EX(30b, 6b)

/* size_t ukplat_uaccess_clear(void *dst, size_t n) */
	.globl ukplat_uaccess_clear
	.p2align 4
ukplat_uaccess_clear:
	xorl %eax, %eax
	movq %rsi, %rcx
	shrq $3, %rcx
	jz 2f
1:	movq %rax, (%rdi)
	addq $8, %rdi
	decq %rcx
	jnz 1b
2:	andq $7, %rsi
	jz 4f
3:	movb %al, (%rdi)
	incq %rdi
	decq %rsi
	jnz 3b
4:	ret
	/* As in the copy: on byte by byte (rax is still 0). */
5:	andq $7, %rsi
	leaq (%rsi,%rcx,8), %rsi
	jmp 3b
6:	movq %rsi, %rax
	ret
	EX(1b, 5b)
	EX(3b, 6b)

/* long ukplat_uaccess_strncpy(char *dst, const char *src, size_t n) */
	.globl ukplat_uaccess_strncpy
	.p2align 4
ukplat_uaccess_strncpy:
	xorl %eax, %eax
	testq %rdx, %rdx
	jz 3f
1:	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	testb %cl, %cl
	jz 3f
	incq %rax
	cmpq %rdx, %rax
	jb 1b
3:	ret
4:	movq $-1, %rax
	ret
	EX(1b, 4b)
