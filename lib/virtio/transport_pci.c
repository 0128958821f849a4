/* The virtio-pci transport (QEMU pc and q35): the modern (1.0) interface
 * through the vendor capabilities of the function's memory BARs, or the
 * legacy one in I/O BAR 0 when a device offers nothing else. The
 * firmware has assigned the BARs; we only turn decoding and bus mastering
 * on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/plat/pci.h>
#include <uk/virtio.h>
#include "virtio_internal.h"

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAP_PTR		0x34

#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

/* The MSI-X capability and table entries. */
#define MSIX_CTRL		0x02
#define MSIX_TABLE		0x04
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_MASKALL	0x4000
#define MSIX_ENTRY_SIZE		16
#define VIRTIO_MSI_NO_VECTOR	0xffff

#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG	3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

/* struct virtio_pci_common_cfg */
#define COMMON_DFSELECT		0x00
#define COMMON_DF		0x04
#define COMMON_GFSELECT		0x08
#define COMMON_GF		0x0c
#define COMMON_MSIX		0x10
#define COMMON_NUMQ		0x12
#define COMMON_STATUS		0x14
#define COMMON_CFGGENERATION	0x15
#define COMMON_Q_SELECT		0x16
#define COMMON_Q_SIZE		0x18
#define COMMON_Q_MSIX		0x1a
#define COMMON_Q_ENABLE		0x1c
#define COMMON_Q_NOFF		0x1e
#define COMMON_Q_DESCLO		0x20
#define COMMON_Q_DESCHI		0x24
#define COMMON_Q_AVAILLO	0x28
#define COMMON_Q_AVAILHI	0x2c
#define COMMON_Q_USEDLO		0x30
#define COMMON_Q_USEDHI		0x34

/* The legacy interface in I/O BAR 0 (no MSI-X). */
#define LEGACY_HOST_FEATURES	0x00
#define LEGACY_GUEST_FEATURES	0x04
#define LEGACY_QUEUE_PFN	0x08
#define LEGACY_QUEUE_NUM	0x0c
#define LEGACY_QUEUE_SEL	0x0e
#define LEGACY_QUEUE_NOTIFY	0x10
#define LEGACY_STATUS		0x12
#define LEGACY_ISR		0x13
#define LEGACY_CONFIG		0x14

struct pci_dev {
	struct uk_virtio_dev dev;
	unsigned bus, slot, fn;
	/* modern */
	volatile uint8_t *common, *notify, *isr, *devcfg;
	uint32_t notify_mult;
	unsigned msix_cap;		/* 0: none */
	int msix_on;			/* queues use table entry 0 */
	/* legacy */
	uint16_t iobase;
};

static struct pci_dev *P(struct uk_virtio_dev *d)
{
	return d->tpriv;
}

#define C8(d, off) (*(volatile uint8_t *)(P(d)->common + (off)))
#define C16(d, off) (*(volatile uint16_t *)(P(d)->common + (off)))
#define C32(d, off) (*(volatile uint32_t *)(P(d)->common + (off)))

/* --- modern ------------------------------------------------------------ */

static uint8_t modern_get_status(struct uk_virtio_dev *d)
{
	return C8(d, COMMON_STATUS);
}

static void modern_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	C8(d, COMMON_STATUS) = s;
}

static void modern_reset(struct uk_virtio_dev *d)
{
	C8(d, COMMON_STATUS) = 0;
	for (int i = 0; i < 1000000 && C8(d, COMMON_STATUS); i++)
		__asm__ volatile("pause");
}

static uint64_t modern_get_features(struct uk_virtio_dev *d)
{
	C32(d, COMMON_DFSELECT) = 0;
	uint64_t f = C32(d, COMMON_DF);
	C32(d, COMMON_DFSELECT) = 1;
	return f | (uint64_t)C32(d, COMMON_DF) << 32;
}

static void modern_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	C32(d, COMMON_GFSELECT) = 0;
	C32(d, COMMON_GF) = (uint32_t)f;
	C32(d, COMMON_GFSELECT) = 1;
	C32(d, COMMON_GF) = (uint32_t)(f >> 32);
}

static void modern_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			       unsigned len)
{
	uint8_t *b = buf;
	uint8_t gen;
	do {
		gen = C8(d, COMMON_CFGGENERATION);
		for (unsigned i = 0; i < len; i++)
			b[i] = P(d)->devcfg[off + i];
	} while (gen != C8(d, COMMON_CFGGENERATION));
}

static void modern_config_write(struct uk_virtio_dev *d, unsigned off,
				const void *buf, unsigned len)
{
	const uint8_t *b = buf;
	for (unsigned i = 0; i < len; i++)
		P(d)->devcfg[off + i] = b[i];
}

static unsigned modern_queue_max(struct uk_virtio_dev *d, unsigned idx)
{
	if (idx >= C16(d, COMMON_NUMQ))
		return 0;
	C16(d, COMMON_Q_SELECT) = idx;
	if (C16(d, COMMON_Q_ENABLE))
		return 0;
	return C16(d, COMMON_Q_SIZE);
}

static int modern_queue_setup(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	C16(d, COMMON_Q_SELECT) = vq->index;
	C16(d, COMMON_Q_SIZE) = vq->size;
	C16(d, COMMON_Q_MSIX) = P(d)->msix_on ? 0 : VIRTIO_MSI_NO_VECTOR;
	if (P(d)->msix_on && C16(d, COMMON_Q_MSIX) != 0) {
		printf("virtio %s: queue %u refused its MSI-X vector\n", d->where,
		       vq->index);
		return -EIO;
	}
	C32(d, COMMON_Q_DESCLO) = (uint32_t)vq->desc_pa;
	C32(d, COMMON_Q_DESCHI) = (uint32_t)(vq->desc_pa >> 32);
	C32(d, COMMON_Q_AVAILLO) = (uint32_t)vq->avail_pa;
	C32(d, COMMON_Q_AVAILHI) = (uint32_t)(vq->avail_pa >> 32);
	C32(d, COMMON_Q_USEDLO) = (uint32_t)vq->used_pa;
	C32(d, COMMON_Q_USEDHI) = (uint32_t)(vq->used_pa >> 32);
	vq->notify_off = C16(d, COMMON_Q_NOFF) * P(d)->notify_mult;
	C16(d, COMMON_Q_ENABLE) = 1;
	return C16(d, COMMON_Q_ENABLE) == 1 ? 0 : -EIO;
}

static void modern_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	*(volatile uint16_t *)(P(d)->notify + vq->notify_off) = vq->index;
}

static uint64_t bar_address(struct pci_dev *p, unsigned bar);

/* One MSI-X table entry (0) for the whole device; the device's
 * configuration changes interrupt nobody. */
static int modern_irq_setup(struct uk_virtio_dev *d, void (*fn)(void *), void *arg)
{
	struct pci_dev *p = P(d);
	if (!p->msix_cap)
		return -EOPNOTSUPP;
	uint32_t table = ukplat_pci_read32(p->bus, p->slot, p->fn, p->msix_cap + MSIX_TABLE);
	uint64_t base = bar_address(p, table & 7);
	if (!base)
		return -ENODEV;
	volatile uint32_t *entry = virtio_iomap(base + (table & ~7u), MSIX_ENTRY_SIZE);
	if (!entry)
		return -ENOMEM;
	int vector = ukplat_irq_alloc(fn, arg);
	if (vector < 0)
		return vector;
	uint64_t addr;
	uint32_t data;
	ukplat_msi_message(vector, &addr, &data);
	entry[0] = (uint32_t)addr;
	entry[1] = (uint32_t)(addr >> 32);
	entry[2] = data;
	entry[3] = 0;	/* unmasked */
	uint16_t ctrl = ukplat_pci_read16(p->bus, p->slot, p->fn, p->msix_cap + MSIX_CTRL);
	ctrl = (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL;
	ukplat_pci_write16(p->bus, p->slot, p->fn, p->msix_cap + MSIX_CTRL, ctrl);
	C16(d, COMMON_MSIX) = VIRTIO_MSI_NO_VECTOR;
	p->msix_on = 1;
	return 0;
}

static const struct uk_virtio_transport_ops modern_ops = {
	.reset = modern_reset,
	.get_status = modern_get_status,
	.set_status = modern_set_status,
	.get_features = modern_get_features,
	.set_features = modern_set_features,
	.config_read = modern_config_read,
	.config_write = modern_config_write,
	.queue_max = modern_queue_max,
	.queue_setup = modern_queue_setup,
	.notify = modern_notify,
	.irq_setup = modern_irq_setup,
};

/* --- legacy ------------------------------------------------------------ */

static uint8_t legacy_get_status(struct uk_virtio_dev *d)
{
	return ukplat_inb(P(d)->iobase + LEGACY_STATUS);
}

static void legacy_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	ukplat_outb(P(d)->iobase + LEGACY_STATUS, s);
}

static void legacy_reset(struct uk_virtio_dev *d)
{
	legacy_set_status(d, 0);
	(void)legacy_get_status(d);
}

static uint64_t legacy_get_features(struct uk_virtio_dev *d)
{
	return ukplat_inl(P(d)->iobase + LEGACY_HOST_FEATURES);
}

static void legacy_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	ukplat_outl(P(d)->iobase + LEGACY_GUEST_FEATURES, (uint32_t)f);
}

static void legacy_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			       unsigned len)
{
	uint8_t *b = buf;
	for (unsigned i = 0; i < len; i++)
		b[i] = ukplat_inb(P(d)->iobase + LEGACY_CONFIG + off + i);
}

static void legacy_config_write(struct uk_virtio_dev *d, unsigned off,
				const void *buf, unsigned len)
{
	const uint8_t *b = buf;
	for (unsigned i = 0; i < len; i++)
		ukplat_outb(P(d)->iobase + LEGACY_CONFIG + off + i, b[i]);
}

static unsigned legacy_queue_max(struct uk_virtio_dev *d, unsigned idx)
{
	ukplat_outw(P(d)->iobase + LEGACY_QUEUE_SEL, idx);
	if (ukplat_inl(P(d)->iobase + LEGACY_QUEUE_PFN))
		return 0;
	return ukplat_inw(P(d)->iobase + LEGACY_QUEUE_NUM);
}

static int legacy_queue_setup(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	ukplat_outw(P(d)->iobase + LEGACY_QUEUE_SEL, vq->index);
	/* The legacy interface has no size register: the ring must be the
	 * device's size. */
	if (ukplat_inw(P(d)->iobase + LEGACY_QUEUE_NUM) != vq->size)
		return -EINVAL;
	ukplat_outl(P(d)->iobase + LEGACY_QUEUE_PFN, vq->desc_pa / PAGE_SIZE);
	return 0;
}

static void legacy_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	ukplat_outw(P(d)->iobase + LEGACY_QUEUE_NOTIFY, vq->index);
}

static const struct uk_virtio_transport_ops legacy_ops = {
	.reset = legacy_reset,
	.get_status = legacy_get_status,
	.set_status = legacy_set_status,
	.get_features = legacy_get_features,
	.set_features = legacy_set_features,
	.config_read = legacy_config_read,
	.config_write = legacy_config_write,
	.queue_max = legacy_queue_max,
	.queue_setup = legacy_queue_setup,
	.notify = legacy_notify,
};

/* --- discovery ----------------------------------------------------------- */

/* The physical address of a memory BAR (0 if it is unassigned or I/O). */
static uint64_t bar_address(struct pci_dev *p, unsigned bar)
{
	if (bar > 5)
		return 0;
	uint32_t lo = ukplat_pci_read32(p->bus, p->slot, p->fn, PCI_BAR0 + 4 * bar);
	if (lo & 1)
		return 0;
	uint64_t a = lo & ~0xfu;
	if (((lo >> 1) & 3) == 2 && bar < 5)
		a |= (uint64_t)ukplat_pci_read32(p->bus, p->slot, p->fn,
						 PCI_BAR0 + 4 * (bar + 1)) << 32;
	return a;
}

/* Maps the regions the vendor capabilities point at; 0 when the common,
 * notify and device regions are all there. */
static int find_modern(struct pci_dev *p)
{
	if (!(ukplat_pci_read16(p->bus, p->slot, p->fn, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	unsigned cap = ukplat_pci_read8(p->bus, p->slot, p->fn, PCI_CAP_PTR) & 0xfc;
	for (int guard = 0; cap && guard < 48; guard++) {
		uint8_t id = ukplat_pci_read8(p->bus, p->slot, p->fn, cap);
		unsigned next = ukplat_pci_read8(p->bus, p->slot, p->fn, cap + 1) & 0xfc;
		if (id == PCI_CAP_ID_MSIX)
			p->msix_cap = cap;
		if (id == PCI_CAP_ID_VNDR) {
			uint8_t type = ukplat_pci_read8(p->bus, p->slot, p->fn, cap + 3);
			uint8_t bar = ukplat_pci_read8(p->bus, p->slot, p->fn, cap + 4);
			uint32_t off = ukplat_pci_read32(p->bus, p->slot, p->fn, cap + 8);
			uint32_t len = ukplat_pci_read32(p->bus, p->slot, p->fn, cap + 12);
			uint64_t base = bar_address(p, bar);
			volatile uint8_t **slot = NULL;
			switch (type) {
			case VIRTIO_PCI_CAP_COMMON_CFG: slot = &p->common; break;
			case VIRTIO_PCI_CAP_NOTIFY_CFG: slot = &p->notify; break;
			case VIRTIO_PCI_CAP_ISR_CFG: slot = &p->isr; break;
			case VIRTIO_PCI_CAP_DEVICE_CFG: slot = &p->devcfg; break;
			}
			if (slot && !*slot && base) {
				*slot = virtio_iomap(base + off, len);
				if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
					p->notify_mult = ukplat_pci_read32(p->bus, p->slot,
									   p->fn, cap + 16);
			}
		}
		cap = next;
	}
	return p->common && p->notify && p->devcfg ? 0 : -ENODEV;
}

static void probe_function(unsigned bus, unsigned slot, unsigned fn)
{
	uint16_t device = ukplat_pci_read16(bus, slot, fn, PCI_DEVICE_ID);
	if (device < 0x1000 || device > 0x107f)
		return;
	struct pci_dev *p = calloc(1, sizeof(*p));
	if (!p)
		return;
	p->bus = bus;
	p->slot = slot;
	p->fn = fn;
	p->dev.tpriv = p;
	/* 0x1040 + type: modern only; 0x1000-0x103f: transitional, the type
	 * in the subsystem id. */
	p->dev.id = device >= 0x1040 ? device - 0x1040
				     : ukplat_pci_read16(bus, slot, fn, PCI_SUBSYSTEM_ID);
	snprintf(p->dev.where, sizeof(p->dev.where), "pci %u:%u.%u", bus, slot, fn);
	uint16_t cmd = ukplat_pci_read16(bus, slot, fn, PCI_COMMAND);
	if (find_modern(p) == 0) {
		p->dev.ops = &modern_ops;
		ukplat_pci_write16(bus, slot, fn, PCI_COMMAND,
				   cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	} else {
		uint32_t bar0 = ukplat_pci_read32(bus, slot, fn, PCI_BAR0);
		if (!(bar0 & 1) || device >= 0x1040 || !(bar0 & ~3u)) {
			printf("virtio %s: no usable interface\n", p->dev.where);
			free(p);
			return;
		}
		p->iobase = bar0 & ~3u;
		p->dev.ops = &legacy_ops;
		p->dev.legacy = 1;
		ukplat_pci_write16(bus, slot, fn, PCI_COMMAND,
				   cmd | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	}
	virtio_add_device(&p->dev);
}

static void scan_bus(unsigned bus, int depth)
{
	for (unsigned slot = 0; slot < 32; slot++) {
		if (ukplat_pci_read16(bus, slot, 0, PCI_VENDOR_ID) == 0xffff)
			continue;
		unsigned nfn = ukplat_pci_read8(bus, slot, 0, PCI_HEADER_TYPE) & 0x80 ? 8 : 1;
		for (unsigned fn = 0; fn < nfn; fn++) {
			uint16_t vendor = ukplat_pci_read16(bus, slot, fn, PCI_VENDOR_ID);
			if (vendor == 0xffff)
				continue;
			uint8_t htype = ukplat_pci_read8(bus, slot, fn, PCI_HEADER_TYPE) & 0x7f;
			if (htype == 1) {
				/* A PCI-PCI bridge: the bus behind it. */
				unsigned sec = ukplat_pci_read8(bus, slot, fn, PCI_SECONDARY_BUS);
				if (sec > bus && depth < 8)
					scan_bus(sec, depth + 1);
				continue;
			}
			if (vendor == VIRTIO_PCI_VENDOR)
				probe_function(bus, slot, fn);
		}
	}
}

int virtio_pci_scan(void)
{
	/* No host bridge answering at 0:0.0: no PCI (microvm). */
	if (ukplat_pci_read16(0, 0, 0, PCI_VENDOR_ID) == 0xffff)
		return 0;
	scan_bus(0, 0);
	return 1;
}
