/* The APs' start: a STARTUP IPI runs this page, copied below 1 MiB by
 * smp.c, in real mode at CS = page >> 4, IP = 0. It goes to protected
 * mode, then to long mode on the page table smp.c put in the data at
 * its end (the kernel's, plus an identity map of low memory for the few
 * instructions that run here after paging is on), and jumps to the
 * kernel with %edi = the CPU's index on the stack smp.c chose. The
 * code refers to itself only through offsets from its start: smp.c
 * fills in the absolute addresses. */
#include <uk/plat/layout.h>

#define OFF(label) ((label) - x86_trampoline_start)

	.section .rodata, "a"
	.p2align 4
	.globl x86_trampoline_start
x86_trampoline_start:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %esi, %esi
	movw %ax, %si
	shll $4, %esi			/* the page's physical address */
	lgdtl OFF(tr_gdt_desc)
	movl %cr0, %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_pm32)

	.code32
tr_code32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $(X86_CR4_PAE | X86_CR4_PGE), %eax
	movl %eax, %cr4
	movl OFF(tr_cr3)(%esi), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(X86_CR0_PG | X86_CR0_WP), %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_lm64)(%esi)

	.code64
tr_code64:
	movl %esi, %esi			/* the upper half is undefined */
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq OFF(tr_stack)(%rsi), %rsp
	movl OFF(tr_cpu)(%rsi), %edi
	movq OFF(tr_entry)(%rsi), %rax
	xorl %ebp, %ebp
	call *%rax
1:	cli
	hlt
	jmp 1b

	/* Data: the GDT of the way up, then what smp.c fills in. */
	.p2align 3
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:
	.globl x86_tr_gdt_desc, x86_tr_pm32, x86_tr_lm64
	.globl x86_tr_cr3, x86_tr_cpu, x86_tr_stack, x86_tr_entry
x86_tr_gdt_desc:
tr_gdt_desc:
	.word tr_gdt_end - tr_gdt - 1
	.long OFF(tr_gdt)		/* + the page */
	.p2align 2
x86_tr_pm32:
tr_pm32:
	.long OFF(tr_code32)		/* + the page */
	.word 0x08
	.p2align 2
x86_tr_lm64:
tr_lm64:
	.long OFF(tr_code64)		/* + the page */
	.word 0x18
	.p2align 2
x86_tr_cr3:
tr_cr3:
	.long 0
x86_tr_cpu:
tr_cpu:
	.long 0
	.p2align 3
x86_tr_stack:
tr_stack:
	.quad 0
x86_tr_entry:
tr_entry:
	.quad 0
	.globl x86_trampoline_end
x86_trampoline_end:
