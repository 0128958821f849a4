/* The local APIC timer: one-shot interrupts at a deadline, in TSC-deadline
 * mode where the CPU has it, else counted down from a rate measured once
 * against the TSC (and shared by all CPUs). Other LAPIC interrupt sources
 * stay masked. The interrupt command register sends IPIs. Every CPU's
 * LAPIC answers at the same address, so one mapping serves them all. */
#include <stdint.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1 << 16)
#define LVT_TSC_DEADLINE (2 << 17)
#define ICR_PENDING (1 << 12)	/* delivery status: not yet accepted */

static volatile uint32_t *apic;
static int tsc_deadline;
static uint64_t apic_ticks_per_ms;

static uint32_t rd(uint32_t reg)
{
	return apic[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
	apic[reg / 4] = v;
}

/* Enables the running CPU's LAPIC. The count-down timer is unmasked at
 * once, stopped (a count of 0 never fires): the calibration, on whichever
 * CPU first arms a timer, serves all of them. */
static void setup(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 11));
	wr(APIC_SVR, 0x100 | UKPLAT_SPURIOUS_VECTOR);
	wr(APIC_TPR, 0);
	wr(APIC_LVT_LINT0, LVT_MASKED);
	wr(APIC_LVT_LINT1, LVT_MASKED);
	wr(APIC_LVT_ERROR, LVT_MASKED);
	if (tsc_deadline) {
		wr(APIC_LVT_TIMER, UKPLAT_TIMER_VECTOR | LVT_TSC_DEADLINE);
		return;
	}
	wr(APIC_TIMER_DIV, 0xb);	/* divide by 1 */
	wr(APIC_LVT_TIMER, UKPLAT_TIMER_VECTOR);
}

void x86_lapic_init(void)
{
	uint32_t a, b, c, d;
	uint64_t base = rdmsr(MSR_APIC_BASE);
	apic = ukplat_ioremap(base & 0xfffff000UL);
	if (!apic) {
		printf("lapic: cannot map the local APIC\n");
		return;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	tsc_deadline = !!(c & (1 << 24));
	setup();
}

void x86_lapic_init_ap(void)
{
	if (apic)
		setup();
}

uint32_t x86_lapic_id(void)
{
	return apic ? rd(APIC_ID) >> 24 : 0;
}

void x86_lapic_icr(uint32_t apic_id, uint32_t low)
{
	unsigned long flags;
	if (!apic)
		return;
	/* The two halves from one CPU without an interrupt between them. */
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	wr(APIC_ICR_HIGH, apic_id << 24);
	wr(APIC_ICR_LOW, low);
	while (rd(APIC_ICR_LOW) & ICR_PENDING)
		cpu_pause();
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

/* Measures the count-down rate over 1 ms of TSC, on first use rather
 * than at boot (most programs never arm a timer). */
static void calibrate(void)
{
	wr(APIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = rdtsc(), span = ukplat_tsc_khz();
	while (rdtsc() - t0 < span)
		cpu_pause();
	apic_ticks_per_ms = 0xffffffffU - rd(APIC_TIMER_CUR);
	wr(APIC_TIMER_INIT, 0);
	if (!apic_ticks_per_ms)
		apic_ticks_per_ms = 1000;
}

void ukplat_timer_set(uint64_t deadline_ns)
{
	if (!apic)
		return;
	uint64_t now = ukplat_monotonic_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 1000;
	if (tsc_deadline) {
		wrmsr(MSR_TSC_DEADLINE, rdtsc() + delta * ukplat_tsc_khz() / 1000000 + 1);
		return;
	}
	if (!apic_ticks_per_ms)
		calibrate();
	uint64_t ticks = delta * apic_ticks_per_ms / 1000000;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffULL)
		ticks = 0xffffffffULL;
	wr(APIC_TIMER_INIT, (uint32_t)ticks);
}

void ukplat_timer_stop(void)
{
	if (!apic)
		return;
	if (tsc_deadline)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		wr(APIC_TIMER_INIT, 0);
}

void x86_lapic_eoi(void)
{
	if (apic)
		wr(APIC_EOI, 0);
}
