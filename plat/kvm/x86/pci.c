/* PCI configuration space through ports 0xcf8/0xcfc, and port I/O for
 * drivers of I/O-space devices. */
#include <stdint.h>
#include <uk/plat/pci.h>

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc

uint8_t ukplat_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint16_t ukplat_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t ukplat_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void ukplat_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void ukplat_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

void ukplat_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static void select_reg(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	ukplat_outl(PCI_CONFIG_ADDR, 0x80000000u | (bus & 0xff) << 16 |
		    (dev & 0x1f) << 11 | (fn & 7) << 8 | (off & 0xfc));
}

uint32_t ukplat_pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	select_reg(bus, dev, fn, off);
	return ukplat_inl(PCI_CONFIG_DATA);
}

uint16_t ukplat_pci_read16(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	select_reg(bus, dev, fn, off);
	return ukplat_inw(PCI_CONFIG_DATA + (off & 2));
}

uint8_t ukplat_pci_read8(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	select_reg(bus, dev, fn, off);
	return ukplat_inb(PCI_CONFIG_DATA + (off & 3));
}

void ukplat_pci_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off,
			uint32_t v)
{
	select_reg(bus, dev, fn, off);
	ukplat_outl(PCI_CONFIG_DATA, v);
}

void ukplat_pci_write16(unsigned bus, unsigned dev, unsigned fn, unsigned off,
			uint16_t v)
{
	select_reg(bus, dev, fn, off);
	ukplat_outw(PCI_CONFIG_DATA + (off & 2), v);
}
