/* Between the virtio core and its transports. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <uk/virtio.h>

/* Adds a found device to the list uk_virtio_find walks. */
void virtio_add_device(struct uk_virtio_dev *d);
/* Scans PCI for virtio functions; returns 0 when there is no PCI at all
 * (microvm), 1 otherwise. */
int virtio_pci_scan(void);
/* Adds the virtio-mmio devices: those named on the command line
 * (virtio_mmio.device=SIZE@ADDR[:IRQ]), else microvm's fixed slots. */
void virtio_mmio_scan(void);
/* Maps [paddr, paddr + len) uncached; NULL when it cannot. */
volatile void *virtio_iomap(uint64_t paddr, size_t len);
