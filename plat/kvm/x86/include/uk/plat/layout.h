/* Address-space layout and x86 control-register bits shared by C and asm. */
#pragma once

#define KERNEL_VBASE	0xffffffff80000000
#define DIRECTMAP_BASE	0xffff800000000000
#define USER_TOP	0x0000800000000000
#define PAGE_SIZE	4096
#define PAGE_SHIFT	12

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_A		0x020
#define PTE_D		0x040
#define PTE_PS		0x080
#define PTE_G		0x100
#define PTE_NX		0x8000000000000000

#define X86_CR0_PE	(1 << 0)
#define X86_CR0_MP	(1 << 1)
#define X86_CR0_EM	(1 << 2)
#define X86_CR0_TS	(1 << 3)
#define X86_CR0_NE	(1 << 5)
#define X86_CR0_WP	(1 << 16)
#define X86_CR0_PG	(1 << 31)
#define X86_CR4_PAE	(1 << 5)
#define X86_CR4_PGE	(1 << 7)
#define X86_CR4_OSFXSR	(1 << 9)
#define X86_CR4_OSXMMEXCPT (1 << 10)
#define X86_CR4_FSGSBASE (1 << 16)
#define X86_CR4_OSXSAVE	(1 << 18)

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define EFER_SCE	(1 << 0)
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)

#define GDT_KCODE	0x08
#define GDT_KDATA	0x10
#define GDT_TSS		0x18

#ifndef __ASSEMBLY__
#define KVA(paddr)	((void *)((unsigned long)(paddr) + DIRECTMAP_BASE))
#define KPA(vaddr)	((unsigned long)(vaddr) >= KERNEL_VBASE ? \
			 (unsigned long)(vaddr) - KERNEL_VBASE : \
			 (unsigned long)(vaddr) - DIRECTMAP_BASE)
#endif
