/* The I/O APICs: route legacy and device interrupt lines (GSIs) to
 * vectors on this CPU; every line nobody asked for stays masked. The
 * first I/O APIC sits at the standard address on microvm, pc and q35
 * and serves GSIs 0-23; microvm adds a second one, 0x10000 above it, for
 * GSIs 24-47 (its virtio-mmio transports), which is only looked for on
 * first use. */
#include <errno.h>
#include <stdint.h>
#include <uk/plat.h>
#include "x86.h"

#define IOAPIC_BASE 0xfec00000UL
#define IOAPIC2_BASE 0xfec10000UL
#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED (1U << 16)

struct ioapic {
	volatile uint32_t *regs;
	unsigned gsi_base, pins;
	int probed;
};

static struct ioapic ioapics[2] = { { .gsi_base = 0 }, { .gsi_base = 24 } };

static void wr(struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[IOREGSEL / 4] = reg;
	a->regs[IOWIN / 4] = v;
}

static uint32_t rd(struct ioapic *a, uint32_t reg)
{
	a->regs[IOREGSEL / 4] = reg;
	return a->regs[IOWIN / 4];
}

/* Maps the I/O APIC at paddr and masks all its pins; 0 when one is there. */
static int probe(struct ioapic *a, unsigned long paddr)
{
	a->probed = 1;
	a->regs = ukplat_ioremap(paddr);
	if (!a->regs)
		return -ENODEV;
	uint32_t ver = rd(a, 0x01);
	if (ver == 0xffffffff || ver == 0) {
		a->regs = NULL;	/* none there */
		return -ENODEV;
	}
	a->pins = ((ver >> 16) & 0xff) + 1;
	if (a->pins > 64)
		a->pins = 64;
	for (unsigned i = 0; i < a->pins; i++) {
		wr(a, REDTBL(i), RTE_MASKED);
		wr(a, REDTBL(i) + 1, 0);
	}
	return 0;
}

void x86_ioapic_init(void)
{
	probe(&ioapics[0], IOAPIC_BASE);
	if (ioapics[0].regs && ioapics[0].pins > 24)
		ioapics[1].gsi_base = ioapics[0].pins;
}

static struct ioapic *ioapic_of(unsigned gsi)
{
	if (ioapics[0].regs && gsi < ioapics[0].pins)
		return &ioapics[0];
	if (!ioapics[0].regs || gsi < ioapics[1].gsi_base)
		return NULL;
	if (!ioapics[1].probed)
		probe(&ioapics[1], IOAPIC2_BASE);
	if (ioapics[1].regs && gsi - ioapics[1].gsi_base < ioapics[1].pins)
		return &ioapics[1];
	return NULL;
}

int x86_ioapic_present(unsigned gsi)
{
	return ioapic_of(gsi) != NULL;
}

int ukplat_irq_route_gsi(unsigned gsi, int vector)
{
	struct ioapic *a = ioapic_of(gsi);
	if (!a)
		return -ENODEV;
	unsigned pin = gsi - a->gsi_base;
	/* Edge-triggered, active high, fixed delivery to APIC ID 0. */
	wr(a, REDTBL(pin) + 1, 0);
	wr(a, REDTBL(pin), (uint32_t)vector);
	return 0;
}
