/* PVH entry: 32-bit protected mode, paging off, %ebx = hvm_start_info.
 * Builds long mode with boot page tables that map the first GiB three
 * ways (identity, direct map, kernel image) and jumps to C. */
#include <uk/plat/layout.h>

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.pvh, "a"
	.p2align 2
	.long 4			/* name size */
	.long 4			/* desc size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long _pvh_start32

	.section .boot.text, "ax"
	.code32
	.globl _pvh_start32
_pvh_start32:
	cli
	cld
	movl %ebx, %esi			/* keep start_info across setup */
	lgdt boot_gdt_desc

	movl %cr4, %eax
	orl $(X86_CR4_PAE | X86_CR4_PGE), %eax
	movl %eax, %cr4

	movl $boot_pml4, %eax
	movl %eax, %cr3

	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr

	movl %cr0, %eax
	orl $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP), %eax
	movl %eax, %cr0
	ljmp $0x08, $_boot_long

	.code64
_boot_long:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl %esi, %edi			/* start_info physical address */
	movabsq $ukplat_entry, %rax
	call *%rax
1:	hlt
	jmp 1b

	.section .boot.data, "aw"
	.p2align 12
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt_low + PTE_P + PTE_W
	.fill 255, 8, 0
	.quad boot_pdpt_dmap + PTE_P + PTE_W	/* DIRECTMAP_BASE */
	.fill 254, 8, 0
	.quad boot_pdpt_high + PTE_P + PTE_W	/* KERNEL_VBASE */
	.p2align 12
boot_pdpt_low:
	.quad boot_pd + PTE_P + PTE_W
	.fill 511, 8, 0
	.p2align 12
	.globl boot_pdpt_dmap
boot_pdpt_dmap:
	.quad boot_pd + PTE_P + PTE_W
	.fill 511, 8, 0
	.p2align 12
boot_pdpt_high:
	.fill 510, 8, 0
	.quad boot_pd + PTE_P + PTE_W
	.quad 0
	.p2align 12
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) + PTE_P + PTE_W + PTE_PS + PTE_G
	.set i, i + 1
	.endr

	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	/* The boot stack: it carries the kernel through init and the loader. */
	.bss
	.p2align 15			/* UKPLAT_STACK_SIZE: see layout.h */
	.globl boot_stack
boot_stack:
	.skip 32768
	.globl boot_stack_top
boot_stack_top:
