/* Device memory for the transports: consecutive ioremap'ed pages. */
#include <stdio.h>
#include <uk/plat.h>
#include "virtio_internal.h"

volatile void *virtio_iomap(uint64_t paddr, size_t len)
{
	uint64_t first = paddr & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t end = (paddr + (len ? len : 1) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	char *base = NULL;
	for (uint64_t p = first; p < end; p += PAGE_SIZE) {
		char *va = ukplat_ioremap(p);
		if (!va)
			return NULL;
		if (!base)
			base = va;
		else if (va != base + (p - first)) {
			printf("virtio: device memory at %#llx not mapped contiguously\n",
			       (unsigned long long)paddr);
			return NULL;
		}
	}
	return base + (paddr - first);
}
