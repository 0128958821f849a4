/* Device interrupt vectors handed out to drivers (virtio), the MSI
 * message that reaches this CPU, and where microvm wires its
 * virtio-mmio transports. IPIs are passed on to smp.c. */
#include <errno.h>
#include <stddef.h>
#include <uk/plat.h>
#include "x86.h"

/* Above the timer (32) and console (36) vectors, below the spurious one. */
#define IRQ_FIRST 48
#define IRQ_COUNT 32

static struct {
	ukplat_irq_fn fn;
	void *arg;
} handlers[IRQ_COUNT];

int ukplat_irq_alloc(ukplat_irq_fn fn, void *arg)
{
	for (int i = 0; i < IRQ_COUNT; i++) {
		if (!handlers[i].fn) {
			handlers[i].fn = fn;
			handlers[i].arg = arg;
			return IRQ_FIRST + i;
		}
	}
	return -ENOSPC;
}

int x86_irq_dispatch(unsigned long vector)
{
	if (vector < IRQ_FIRST || vector >= IRQ_FIRST + IRQ_COUNT)
		return x86_ipi_dispatch(vector);
	x86_lapic_eoi();
	unsigned i = (unsigned)(vector - IRQ_FIRST);
	if (handlers[i].fn)
		handlers[i].fn(handlers[i].arg);
	return 1;
}

void ukplat_msi_message(int vector, uint64_t *addr, uint32_t *data)
{
	/* Destination APIC ID 0, physical mode; fixed delivery, edge. */
	*addr = 0xfee00000ULL;
	*data = (uint32_t)vector;
}

/* microvm (QEMU 5.2 and later): transports wired from GSI 24 when it
 * has a second I/O APIC (then there are 24 of them), else from GSI 16
 * with ACPI, else from GSI 5. */
int ukplat_microvm_virtio_gsi(unsigned slot)
{
	if (x86_ioapic_present(24))
		return slot < 24 ? 24 + (int)slot : -ENODEV;
	unsigned base = x86_rsdp_paddr ? 16 : 5;
	return slot < 8 && x86_ioapic_present(base + slot) ? (int)(base + slot) : -ENODEV;
}
