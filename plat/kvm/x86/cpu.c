/* CPU setup: GDT with a TSS whose IST stacks serve every vector, the IDT,
 * FPU/SSE/XSAVE enablement for the application, and the syscall MSRs.
 * Each CPU has its own GDT, TSS and IST stacks; the IDT is shared. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include "x86.h"

#define IST_STACK_SIZE	UKPLAT_STACK_SIZE
#define NIST		6

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* A CPU's own descriptor tables (the TSS descriptor's busy bit is per
 * GDT, and the TSS names the CPU's IST stacks). */
struct cpu_tables {
	uint64_t gdt[5];
	struct tss tss;
} __attribute__((aligned(64)));

static struct cpu_tables cpu_tables[UKPLAT_MAX_CPUS];
static struct idt_entry idt[256] __attribute__((aligned(16)));
/* The boot CPU's IST stacks; the others' are kernel stacks taken when
 * they are started (ukplat_kstack_alloc), so that CPUs never started cost
 * no memory. Each is aligned to its size and names its CPU's slot in
 * ukplat_cpu_current (uk/plat/layout.h). */
static char ist_stacks[NIST][IST_STACK_SIZE] __attribute__((aligned(IST_STACK_SIZE)));
static char *ap_ist[UKPLAT_MAX_CPUS][NIST];
/* The boot thread's kernel stack (lib/sched names its slot). */
static char syscall_stack[UKPLAT_STACK_SIZE] __attribute__((aligned(UKPLAT_STACK_SIZE)));

extern char ukplat_trap_stubs[];
extern char ukplat_syscall_entries[];
extern unsigned long uk_syscall_kstack_top;

static uint32_t xsave_size;
static int has_xsave;

static int ist_for_vector(int vec)
{
	switch (vec) {
	case 8:
		return 1;	/* double fault */
	case 2:
		return 2;	/* NMI */
	case 18:
		return 3;	/* machine check */
	case 14:
		return 4;	/* page fault */
	default:
		return vec < 32 ? 5 : 6;
	}
}

static void setup_gdt_tss(int cpu)
{
	uint64_t *gdt = cpu_tables[cpu].gdt;
	struct tss *tss = &cpu_tables[cpu].tss;
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;	/* GDT_KCODE: 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL;	/* GDT_KDATA */
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	for (int i = 0; i < NIST; i++) {
		char *stack = cpu ? ap_ist[cpu][i] : ist_stacks[i];
		tss->ist[i] = (uint64_t)(stack + IST_STACK_SIZE);
		ukplat_stack_set_slot(stack, &ukplat_cpu_current[cpu]);
	}
	tss->iomap_base = sizeof(*tss);

	struct desc_ptr gp = { sizeof(cpu_tables[cpu].gdt) - 1, (uint64_t)gdt };
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3"
		: : "m"(gp), "i"(GDT_KCODE), "i"(GDT_KDATA), "r"(GDT_TSS)
		: "rax", "memory");
}

static void build_idt(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t h = (uint64_t)(ukplat_trap_stubs + 16 * v);
		idt[v].off_lo = h & 0xffff;
		idt[v].sel = GDT_KCODE;
		idt[v].ist = ist_for_vector(v);
		idt[v].type = 0x8e;	/* present, DPL 0, interrupt gate */
		idt[v].off_mid = (h >> 16) & 0xffff;
		idt[v].off_hi = h >> 32;
	}
}

static void load_idt(void)
{
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ip));
}

/* The same on every CPU; the boot CPU (boot set) also records what the
 * save area needs. */
static void setup_fpu(int boot)
{
	uint32_t a, b, c, d;
	unsigned long cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 &= ~(unsigned long)(X86_CR0_EM | X86_CR0_TS);
	cr0 |= X86_CR0_MP | X86_CR0_NE | X86_CR0_WP;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	cpuid(1, 0, &a, &b, &c, &d);
	if (boot)
		has_xsave = !!(c & (1 << 26));
	if (has_xsave)
		cr4 |= X86_CR4_OSXSAVE;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	__asm__ volatile("fninit");

	if (has_xsave) {
		/* x87, SSE, AVX and the AVX-512 states, as far as offered. */
		cpuid(0xd, 0, &a, &b, &c, &d);
		uint64_t xcr0 = a & 0xe7;
		__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)));
		cpuid(0xd, 0, &a, &b, &c, &d);
		if (boot)
			xsave_size = b;
	} else if (boot) {
		xsave_size = 512;
	}
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
}

/* Each CPU's MSR_LSTAR points at its own entry (syscall.S: 32 bytes
 * apart), which finds that CPU's kernel stack. */
static void setup_syscall(int cpu)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
	/* Kernel selectors in both halves: syscall stays in ring 0. */
	wrmsr(MSR_STAR, ((uint64_t)GDT_KCODE << 32) | ((uint64_t)GDT_KCODE << 48));
	wrmsr(MSR_LSTAR, (uint64_t)(ukplat_syscall_entries + 32 * cpu));
	/* Clear IF, DF, TF, AC on entry. */
	wrmsr(MSR_SFMASK, 0x40700);
}

/* The 8259 PICs: moved off the exception vectors (SeaBIOS leaves them at
 * 0x08) and masked; the kernel takes no legacy interrupts. */
static void mask_pic(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void x86_cpu_init(void)
{
	mask_pic();
	setup_gdt_tss(0);
	build_idt();
	load_idt();
	setup_fpu(1);
	uk_syscall_kstack_top = (unsigned long)&syscall_stack[sizeof(syscall_stack)];
	setup_syscall(0);
}

int x86_cpu_prepare(int cpu)
{
	for (int i = 0; i < NIST; i++)
		if (!ap_ist[cpu][i] && !(ap_ist[cpu][i] = ukplat_kstack_alloc()))
			return -ENOMEM;
	return 0;
}

void x86_cpu_init_ap(int cpu)
{
	setup_gdt_tss(cpu);
	load_idt();
	setup_fpu(0);
	setup_syscall(cpu);
}

uint32_t x86_xsave_size(void)
{
	return xsave_size;
}

size_t ukplat_fpu_area_size(void)
{
	return xsave_size;
}

void ukplat_fpu_save(void *area)
{
	if (has_xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void ukplat_fpu_restore(const void *area)
{
	if (has_xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/* The state a new program starts with: x87 and SSE controls at their
 * defaults, every register zero (XRSTOR of an empty XSTATE_BV). */
void ukplat_fpu_reset(void)
{
	static uint8_t init[4096] __attribute__((aligned(64)));
	if (xsave_size > sizeof(init))
		return;
	memset(init, 0, xsave_size);
	*(uint16_t *)init = 0x37f;		/* FCW */
	*(uint32_t *)(init + 24) = 0x1f80;	/* MXCSR */
	ukplat_fpu_restore(init);
}

void ukplat_set_syscall_stack(int cpu, void *top)
{
	extern unsigned long ukplat_syscall_kstack[];
	ukplat_syscall_kstack[cpu] = (unsigned long)top;
}

void ukplat_idle(void)
{
	/* sti takes effect after hlt starts: no wake-up is lost. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void *ukplat_ctx_init(void *stack_top, void (*fn)(void *), void *arg)
{
	extern char ukplat_ctx_start[];
	unsigned long *sp = (unsigned long *)((unsigned long)stack_top & ~15UL);
	*--sp = 0;				/* alignment */
	*--sp = (unsigned long)ukplat_ctx_start;	/* return address */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (unsigned long)fn;		/* r12 */
	*--sp = (unsigned long)arg;		/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	return sp;
}

void ukplat_set_fs_base(unsigned long v)
{
	wrmsr(MSR_FS_BASE, v);
}

unsigned long ukplat_get_fs_base(void)
{
	return rdmsr(MSR_FS_BASE);
}

void ukplat_set_gs_base(unsigned long v)
{
	wrmsr(MSR_GS_BASE, v);
}

unsigned long ukplat_get_gs_base(void)
{
	return rdmsr(MSR_GS_BASE);
}

uint32_t ukplat_hwcap(void)
{
	uint32_t a, b, c, d;
	cpuid(1, 0, &a, &b, &c, &d);
	return d;	/* AT_HWCAP on x86_64 is CPUID.1:EDX */
}

uint64_t ukplat_hwcap2(void)
{
	return 0;	/* no FSGSBASE for the application (yet) */
}

int ukplat_hw_random(uint64_t *out)
{
	uint32_t a, b, c, d;
	unsigned char ok;
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1 << 18)) {	/* RDSEED */
		for (int i = 0; i < 10; i++) {
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok));
			if (ok)
				return 1;
		}
	}
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1 << 30)) {	/* RDRAND */
		for (int i = 0; i < 10; i++) {
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
			if (ok)
				return 1;
		}
	}
	return 0;
}
