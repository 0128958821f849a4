/* Several CPUs: the table of CPUs from ACPI's MADT and which CPU is
 * running (RDPID, RDTSCP or the LAPIC id). The APs stay as the firmware
 * left them: halted, waiting for a STARTUP IPI. */
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/smp.h>
#include "x86.h"

#define MSR_TSC_AUX 0xc0000103

enum cpu_state { CPU_PARKED, CPU_RUNNING };

static struct cpu {
	uint32_t apic_id;
	int state;
} cpus[UKPLAT_MAX_CPUS];
static int ncpus = 1;

/* How ukplat_cpu_id finds the running CPU. */
static enum { ID_ONE, ID_RDPID, ID_RDTSCP, ID_LAPIC } id_by = ID_ONE;
static uint8_t cpu_of_apic[256];	/* xAPIC ids are 8 bits */

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
