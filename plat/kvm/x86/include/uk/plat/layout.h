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
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

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

/* Kernel stacks (threads', IST, boot) are UKPLAT_STACK_SIZE bytes aligned
 * to their size; the word at the lowest address points at the slot that
 * holds the thread running on it (the thread's own, or for stacks a CPU
 * owns, the CPU's entry in ukplat_cpu_current). Ring-0 code finds the
 * running thread from its stack pointer: nothing the program controls (GS,
 * FS) is trusted, and every CPU finds its own. */
#define UKPLAT_STACK_SIZE 32768
#define UKPLAT_MAX_CPUS 64
/* Threads' kernel stacks: slots of twice the stack size, the lower half
 * an unmapped guard, in a region of their own (not linear: no device
 * reads or writes them by physical address). */
#define UKPLAT_KSTACK_AREA 0xffffff8000000000UL
#define UKPLAT_KSTACK_AREA_SIZE (2UL << 30)

#ifndef __ASSEMBLY__
/* Each CPU's running thread (lib/sched keeps it). */
extern void *ukplat_cpu_current[UKPLAT_MAX_CPUS];

/* The slot of the thread running on the current stack. */
static inline void **ukplat_stack_slot(void)
{
	unsigned long sp;
	__asm__("movq %%rsp, %0" : "=r"(sp));
	return *(void ***)(sp & ~(unsigned long)(UKPLAT_STACK_SIZE - 1));
}

/* Names the slot for a stack (its base: the lowest address). */
static inline void ukplat_stack_set_slot(void *base, void **slot)
{
	*(void ***)base = slot;
}

#define KVA(paddr)	((void *)((unsigned long)(paddr) + DIRECTMAP_BASE))
#define KPA(vaddr)	((unsigned long)(vaddr) >= KERNEL_VBASE ? \
			 (unsigned long)(vaddr) - KERNEL_VBASE : \
			 (unsigned long)(vaddr) - DIRECTMAP_BASE)
#endif
