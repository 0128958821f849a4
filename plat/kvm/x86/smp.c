/* Several CPUs: the table of CPUs from ACPI's MADT, which CPU is running
 * (RDPID, RDTSCP or the LAPIC id), the start of an AP with INIT-SIPI-SIPI
 * through the real-mode trampoline (trampoline.S), and IPIs. Until the
 * scheduler starts them, the APs stay as the firmware left them: halted,
 * waiting for a STARTUP IPI. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/smp.h>
#include "x86.h"

#define MSR_TSC_AUX 0xc0000103
/* ICR low word: delivery mode, level, trigger. */
#define ICR_FIXED 0x000
#define ICR_NMI 0x400
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_ASSERT 0x4000
#define ICR_LEVEL 0x8000

enum cpu_state { CPU_PARKED, CPU_STARTING, CPU_RUNNING };

static struct cpu {
	uint32_t apic_id;
	int state;
	void (*fn)(void *);
	void *arg;
} cpus[UKPLAT_MAX_CPUS];
static int ncpus = 1;

/* How ukplat_cpu_id finds the running CPU. */
static enum { ID_ONE, ID_RDPID, ID_RDTSCP, ID_LAPIC } id_by = ID_ONE;
static uint8_t cpu_of_apic[256];	/* xAPIC ids are 8 bits */

/* The trampoline's page and the page table after it, below 1 MiB. */
static uint64_t tramp_pa;
static int hypervisor;

static unsigned ipis[UKPLAT_MAX_CPUS][2];

extern char x86_trampoline_start[], x86_trampoline_end[];
extern char x86_tr_gdt_desc[], x86_tr_pm32[], x86_tr_lm64[];
extern char x86_tr_cr3[], x86_tr_cpu[], x86_tr_stack[], x86_tr_entry[];
extern uint64_t boot_pml4[], boot_pdpt_dmap[];

int ukplat_cpu_count(void)
{
	return ncpus;
}

uint32_t x86_cpu_apic_id(int cpu)
{
	return cpus[cpu].apic_id;
}

int ukplat_cpu_id(void)
{
	unsigned long v;
	uint32_t lo, hi, aux;

	switch (id_by) {
	case ID_RDPID:
		__asm__ volatile("rdpid %0" : "=r"(v));
		return (int)v;
	case ID_RDTSCP:
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		return (int)aux;
	case ID_LAPIC:
		return cpu_of_apic[x86_lapic_id() & 0xff];
	default:
		return 0;
	}
}

/* The CPUs of the MADT, the boot CPU first whatever its place there.
 * x2APIC ids above 254 cannot be reached in xAPIC mode: those CPUs are
 * left out. */
void x86_smp_init(void)
{
	uint32_t ids[UKPLAT_MAX_CPUS], a, b, c, d;
	uint32_t self = x86_lapic_id();
	int n = x86_acpi_cpus(ids, UKPLAT_MAX_CPUS);

	cpus[0].apic_id = self;
	cpus[0].state = CPU_RUNNING;
	if (n > UKPLAT_MAX_CPUS) {
		printf("smp: %d CPUs, using the first %d\n", n, UKPLAT_MAX_CPUS);
		n = UKPLAT_MAX_CPUS;
	}
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		if (ids[i] >= 255) {
			printf("smp: CPU with APIC id %u left out (x2APIC)\n",
			       ids[i]);
			continue;
		}
		cpus[ncpus].apic_id = ids[i];
		cpus[ncpus].state = CPU_PARKED;
		cpu_of_apic[ids[i]] = (uint8_t)ncpus;
		ncpus++;
	}

	cpuid(1, 0, &a, &b, &c, &d);
	hypervisor = !!(c & (1U << 31));
	cpuid(7, 0, &a, &b, &c, &d);
	int rdpid = !!(c & (1 << 22));
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	int rdtscp = !!(d & (1 << 27));
	if (rdpid || rdtscp)
		wrmsr(MSR_TSC_AUX, 0);
	/* With one CPU the answer is known without asking the CPU. */
	if (ncpus > 1)
		id_by = rdpid ? ID_RDPID : rdtscp ? ID_RDTSCP : ID_LAPIC;

	size_t len;
	const char *v = ncpus > 1 ? ukplat_bootarg("verbose", &len) : NULL;
	if (v && len == 1 && *v == '1') {
		static const char *const by[] = { "", "RDPID", "RDTSCP", "the LAPIC id" };
		printf("smp: %d CPUs, APIC ids", ncpus);
		for (int i = 0; i < ncpus; i++)
			printf(" %u", cpus[i].apic_id);
		printf("; the running one's index from %s\n", by[id_by]);
	}
}

/* The AP's way from the trampoline: on the kernel's boot page table and
 * the stack it was given, with its own descriptor tables and LAPIC. */
static void __attribute__((noreturn)) ap_entry(int cpu)
{
	write_cr3((unsigned long)boot_pml4);
	/* The trampoline's identity map used global pages: drop them too
	 * (a CR3 load keeps them), or low program addresses would reach
	 * low physical memory. */
	unsigned long cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 & ~(unsigned long)X86_CR4_PGE));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");

	x86_cpu_init_ap(cpu);
	if (id_by == ID_RDPID || id_by == ID_RDTSCP)
		wrmsr(MSR_TSC_AUX, (uint64_t)cpu);
	x86_lapic_init_ap();

	void (*fn)(void *) = cpus[cpu].fn;
	void *arg = cpus[cpu].arg;
	__atomic_store_n(&cpus[cpu].state, CPU_RUNNING, __ATOMIC_RELEASE);
	fn(arg);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void set32(uint64_t pa, const char *field, uint32_t v)
{
	*(uint32_t *)KVA(pa + (uint64_t)(field - x86_trampoline_start)) = v;
}

static void add32(uint64_t pa, const char *field, uint32_t v)
{
	*(uint32_t *)KVA(pa + (uint64_t)(field - x86_trampoline_start)) += v;
}

static void set64(uint64_t pa, const char *field, uint64_t v)
{
	*(uint64_t *)KVA(pa + (uint64_t)(field - x86_trampoline_start)) = v;
}

/* Copies the trampoline to a free page below 1 MiB and builds its page
 * table in the next one: the kernel's top-level entries, and the direct
 * map's first-level table also at address 0, as an identity map. */
static int trampoline_init(void)
{
	uint64_t pa = x86_low_pages(2);
	if (!pa) {
		printf("smp: no free pages below 1 MiB for the APs' start\n");
		return -ENOMEM;
	}
	memcpy(KVA(pa), x86_trampoline_start,
	       (size_t)(x86_trampoline_end - x86_trampoline_start));
	add32(pa, x86_tr_gdt_desc + 2, (uint32_t)pa);
	add32(pa, x86_tr_pm32, (uint32_t)pa);
	add32(pa, x86_tr_lm64, (uint32_t)pa);
	uint64_t *pt = KVA(pa + PAGE_SIZE);
	memcpy(pt, KVA(boot_pml4), PAGE_SIZE);
	pt[0] = (uint64_t)boot_pdpt_dmap | PTE_P | PTE_W;
	set32(pa, x86_tr_cr3, (uint32_t)(pa + PAGE_SIZE));
	set64(pa, x86_tr_entry, (uint64_t)ap_entry);
	tramp_pa = pa;
	return 0;
}

static void udelay(uint64_t us)
{
	ukplat_wait_until_ns(ukplat_monotonic_ns() + us * 1000);
}

int ukplat_cpu_start(int id, void (*fn)(void *), void *arg, void *stack_top)
{
	if (id <= 0 || id >= ncpus || !fn || !stack_top ||
	    __atomic_load_n(&cpus[id].state, __ATOMIC_ACQUIRE) != CPU_PARKED)
		return -EINVAL;
	if (!tramp_pa && trampoline_init() < 0)
		return -ENOMEM;
	if (x86_cpu_prepare(id) < 0)
		return -ENOMEM;

	cpus[id].fn = fn;
	cpus[id].arg = arg;
	set32(tramp_pa, x86_tr_cpu, (uint32_t)id);
	set64(tramp_pa, x86_tr_stack, (uint64_t)stack_top & ~15UL);
	cpus[id].state = CPU_STARTING;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	/* The MP specification's sequence, with Linux's delays: none after
	 * INIT in a virtual machine, 10 ms on hardware. */
	uint32_t apic = cpus[id].apic_id;
	x86_lapic_icr(apic, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	udelay(hypervisor ? 0 : 10000);
	x86_lapic_icr(apic, ICR_INIT | ICR_LEVEL);
	for (int i = 0; i < 2; i++) {
		x86_lapic_icr(apic, ICR_STARTUP | (uint32_t)(tramp_pa >> PAGE_SHIFT));
		udelay(hypervisor ? 10 : 200);
	}

	uint64_t deadline = ukplat_monotonic_ns() + 1000000000ULL;
	while (__atomic_load_n(&cpus[id].state, __ATOMIC_ACQUIRE) != CPU_RUNNING) {
		if (ukplat_monotonic_ns() > deadline) {
			/* Back to waiting for a STARTUP IPI: a late start
			 * would find the trampoline reused. */
			x86_lapic_icr(apic, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
			x86_lapic_icr(apic, ICR_INIT | ICR_LEVEL);
			cpus[id].state = CPU_PARKED;
			return -ETIMEDOUT;
		}
		cpu_pause();
	}
	return 0;
}

int x86_cpu_running(int cpu)
{
	return __atomic_load_n(&cpus[cpu].state, __ATOMIC_ACQUIRE) == CPU_RUNNING;
}

void ukplat_ipi_send(int cpu, unsigned vector)
{
	/* A parked CPU, waiting for a STARTUP IPI, would drop it anyway. */
	if (cpu < 0 || cpu >= ncpus ||
	    __atomic_load_n(&cpus[cpu].state, __ATOMIC_ACQUIRE) != CPU_RUNNING)
		return;
	x86_lapic_icr(cpus[cpu].apic_id, ICR_FIXED | ICR_ASSERT | (vector & 0xff));
}

void x86_nmi_send(int cpu)
{
	if (cpu < 0 || cpu >= ncpus ||
	    __atomic_load_n(&cpus[cpu].state, __ATOMIC_ACQUIRE) != CPU_RUNNING)
		return;
	x86_lapic_icr(cpus[cpu].apic_id, ICR_NMI | ICR_ASSERT);
}

void __attribute__((weak)) uk_sched_ipi_resched(void)
{
}

void __attribute__((weak)) uk_sched_ipi_call(void)
{
}

int x86_ipi_dispatch(unsigned long vector)
{
	int which;
	if (vector == UKPLAT_IPI_RESCHED_VECTOR)
		which = 0;
	else if (vector == UKPLAT_IPI_CALL_VECTOR)
		which = 1;
	else
		return 0;
	x86_lapic_eoi();
	__atomic_fetch_add(&ipis[ukplat_cpu_id()][which], 1, __ATOMIC_RELAXED);
	if (which == 1)
		x86_tlb_serve();	/* served already while taking the lock, as a rule */
	if (which == 0)
		uk_sched_ipi_resched();
	else
		uk_sched_ipi_call();
	return 1;
}

unsigned x86_ipi_count(int cpu, unsigned vector)
{
	int which = vector == UKPLAT_IPI_CALL_VECTOR;
	return __atomic_load_n(&ipis[cpu][which], __ATOMIC_ACQUIRE);
}
