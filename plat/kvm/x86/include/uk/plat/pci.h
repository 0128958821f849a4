/* PCI configuration space (configuration mechanism #1, ports 0xcf8 and
 * 0xcfc: pc and q35). Offsets are byte offsets into the 256-byte header;
 * accesses are naturally aligned. A missing function reads all ones. */
#pragma once
#include <stdint.h>

uint32_t ukplat_pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off);
uint16_t ukplat_pci_read16(unsigned bus, unsigned dev, unsigned fn, unsigned off);
uint8_t ukplat_pci_read8(unsigned bus, unsigned dev, unsigned fn, unsigned off);
void ukplat_pci_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off,
			uint32_t v);
void ukplat_pci_write16(unsigned bus, unsigned dev, unsigned fn, unsigned off,
			uint16_t v);
/* Port I/O for legacy (I/O BAR) devices. */
uint8_t ukplat_inb(uint16_t port);
uint16_t ukplat_inw(uint16_t port);
uint32_t ukplat_inl(uint16_t port);
void ukplat_outb(uint16_t port, uint8_t v);
void ukplat_outw(uint16_t port, uint16_t v);
void ukplat_outl(uint16_t port, uint32_t v);
