/* The I/O APIC: routes one legacy interrupt (the console's receive
 * interrupt, ISA IRQ 4) to a vector on this CPU; everything else stays
 * masked. Both microvm and pc/q35 have it at the standard address. */
#include <stdint.h>
#include <uk/plat.h>
#include "x86.h"

#define IOAPIC_BASE 0xfec00000UL
#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED (1U << 16)

static volatile uint32_t *ioapic;

static void wr(uint32_t reg, uint32_t v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

static uint32_t rd(uint32_t reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

void x86_ioapic_init(void)
{
	ioapic = ukplat_ioremap(IOAPIC_BASE);
	if (!ioapic)
		return;
	uint32_t ver = rd(0x01);
	if (ver == 0xffffffff) {
		ioapic = NULL;	/* none there */
		return;
	}
	int pins = ((ver >> 16) & 0xff) + 1;
	for (int i = 0; i < pins && i < 64; i++) {
		wr(REDTBL(i), RTE_MASKED);
		wr(REDTBL(i) + 1, 0);
	}
}

int x86_ioapic_route(int pin, int vector)
{
	if (!ioapic)
		return -1;
	/* Edge-triggered, active high, fixed delivery to APIC ID 0. */
	wr(REDTBL(pin) + 1, 0);
	wr(REDTBL(pin), vector);
	return 0;
}
