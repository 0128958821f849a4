/* The virtio-mmio transport (QEMU microvm, Firecracker): version 1
 * (legacy: page-frame queue addresses, QEMU's default) and version 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/virtio.h>
#include "virtio_internal.h"

#define MMIO_MAGIC		0x000
#define MMIO_VERSION		0x004
#define MMIO_DEVICE_ID		0x008
#define MMIO_VENDOR_ID		0x00c
#define MMIO_DEVICE_FEATURES	0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES	0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_GUEST_PAGE_SIZE	0x028	/* v1 */
#define MMIO_QUEUE_SEL		0x030
#define MMIO_QUEUE_NUM_MAX	0x034
#define MMIO_QUEUE_NUM		0x038
#define MMIO_QUEUE_ALIGN	0x03c	/* v1 */
#define MMIO_QUEUE_PFN		0x040	/* v1 */
#define MMIO_QUEUE_READY	0x044	/* v2 */
#define MMIO_QUEUE_NOTIFY	0x050
#define MMIO_INTERRUPT_STATUS	0x060
#define MMIO_INTERRUPT_ACK	0x064
#define MMIO_STATUS		0x070
#define MMIO_QUEUE_DESC_LOW	0x080
#define MMIO_QUEUE_DESC_HIGH	0x084
#define MMIO_QUEUE_DRIVER_LOW	0x090
#define MMIO_QUEUE_DRIVER_HIGH	0x094
#define MMIO_QUEUE_DEVICE_LOW	0x0a0
#define MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define MMIO_CONFIG		0x100

#define MMIO_MAGIC_VALUE	0x74726976	/* "virt" */

/* QEMU microvm: up to 24 transports of 512 bytes from 0xfeb00000. */
#define MICROVM_MMIO_BASE	0xfeb00000UL
#define MICROVM_MMIO_SLOTS	24
#define MICROVM_MMIO_SIZE	512

struct mmio_dev {
	struct uk_virtio_dev dev;
	volatile uint8_t *regs;
	uint64_t paddr;
	int version;
	int gsi;			/* its interrupt line; -1: unknown */
	void (*irq_fn)(void *);
	void *irq_arg;
};

static struct mmio_dev *M(struct uk_virtio_dev *d)
{
	return d->tpriv;
}

static uint32_t rd(struct uk_virtio_dev *d, unsigned off)
{
	return *(volatile uint32_t *)(M(d)->regs + off);
}

static void wr(struct uk_virtio_dev *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(M(d)->regs + off) = v;
}

static uint8_t mmio_get_status(struct uk_virtio_dev *d)
{
	return rd(d, MMIO_STATUS) & 0xff;
}

static void mmio_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	wr(d, MMIO_STATUS, s);
}

static void mmio_reset(struct uk_virtio_dev *d)
{
	wr(d, MMIO_STATUS, 0);
	for (int i = 0; i < 1000000 && rd(d, MMIO_STATUS); i++)
		__asm__ volatile("pause");
}

static uint64_t mmio_get_features(struct uk_virtio_dev *d)
{
	wr(d, MMIO_DEVICE_FEATURES_SEL, 0);
	uint64_t f = rd(d, MMIO_DEVICE_FEATURES);
	if (M(d)->version >= 2) {
		wr(d, MMIO_DEVICE_FEATURES_SEL, 1);
		f |= (uint64_t)rd(d, MMIO_DEVICE_FEATURES) << 32;
	}
	return f;
}

static void mmio_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	wr(d, MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, MMIO_DRIVER_FEATURES, (uint32_t)f);
	if (M(d)->version >= 2) {
		wr(d, MMIO_DRIVER_FEATURES_SEL, 1);
		wr(d, MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
	}
}

static void mmio_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			     unsigned len)
{
	uint8_t *b = buf;
	for (unsigned i = 0; i < len; i++)
		b[i] = *(volatile uint8_t *)(M(d)->regs + MMIO_CONFIG + off + i);
}

static void mmio_config_write(struct uk_virtio_dev *d, unsigned off,
			      const void *buf, unsigned len)
{
	const uint8_t *b = buf;
	for (unsigned i = 0; i < len; i++)
		*(volatile uint8_t *)(M(d)->regs + MMIO_CONFIG + off + i) = b[i];
}

static unsigned mmio_queue_max(struct uk_virtio_dev *d, unsigned idx)
{
	wr(d, MMIO_QUEUE_SEL, idx);
	if (M(d)->version >= 2 ? rd(d, MMIO_QUEUE_READY) : rd(d, MMIO_QUEUE_PFN))
		return 0;	/* already in use */
	return rd(d, MMIO_QUEUE_NUM_MAX);
}

static int mmio_queue_setup(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	wr(d, MMIO_QUEUE_SEL, vq->index);
	wr(d, MMIO_QUEUE_NUM, vq->size);
	if (M(d)->version == 1) {
		wr(d, MMIO_GUEST_PAGE_SIZE, PAGE_SIZE);
		wr(d, MMIO_QUEUE_ALIGN, UK_VIRTQ_ALIGN);
		wr(d, MMIO_QUEUE_PFN, vq->desc_pa / PAGE_SIZE);
		return 0;
	}
	wr(d, MMIO_QUEUE_DESC_LOW, (uint32_t)vq->desc_pa);
	wr(d, MMIO_QUEUE_DESC_HIGH, (uint32_t)(vq->desc_pa >> 32));
	wr(d, MMIO_QUEUE_DRIVER_LOW, (uint32_t)vq->avail_pa);
	wr(d, MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(vq->avail_pa >> 32));
	wr(d, MMIO_QUEUE_DEVICE_LOW, (uint32_t)vq->used_pa);
	wr(d, MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(vq->used_pa >> 32));
	wr(d, MMIO_QUEUE_READY, 1);
	return rd(d, MMIO_QUEUE_READY) == 1 ? 0 : -EIO;
}

static void mmio_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	wr(d, MMIO_QUEUE_NOTIFY, vq->index);
}

/* The line stays raised while InterruptStatus is non-zero and the I/O
 * APIC pin is edge-triggered: acknowledge before the driver looks at its
 * queues, so a completion that arrives meanwhile raises a new edge. Both
 * causes (used buffers, configuration change) are acknowledged blind:
 * one register access instead of two, each an exit to the VMM. */
#define MMIO_INT_ALL 3
static void mmio_irq(void *arg)
{
	struct mmio_dev *m = arg;
	wr(&m->dev, MMIO_INTERRUPT_ACK, MMIO_INT_ALL);
	m->irq_fn(m->irq_arg);
}

static int mmio_irq_setup(struct uk_virtio_dev *d, void (*fn)(void *), void *arg)
{
	struct mmio_dev *m = M(d);
	if (m->gsi < 0)
		return -ENODEV;
	m->irq_fn = fn;
	m->irq_arg = arg;
	int vector = ukplat_irq_alloc(mmio_irq, m);
	if (vector < 0)
		return vector;
	return ukplat_irq_route_gsi((unsigned)m->gsi, vector);
}

static const struct uk_virtio_transport_ops mmio_ops = {
	.reset = mmio_reset,
	.get_status = mmio_get_status,
	.set_status = mmio_set_status,
	.get_features = mmio_get_features,
	.set_features = mmio_set_features,
	.config_read = mmio_config_read,
	.config_write = mmio_config_write,
	.queue_max = mmio_queue_max,
	.queue_setup = mmio_queue_setup,
	.notify = mmio_notify,
	.irq_setup = mmio_irq_setup,
};

/* Looks at one transport; an empty slot has device id 0. */
static void probe(uint64_t paddr, volatile uint8_t *regs, int gsi)
{
	uint32_t magic = *(volatile uint32_t *)(regs + MMIO_MAGIC);
	uint32_t version = *(volatile uint32_t *)(regs + MMIO_VERSION);
	uint32_t id = *(volatile uint32_t *)(regs + MMIO_DEVICE_ID);
	if (magic != MMIO_MAGIC_VALUE || !id)
		return;
	if (version != 1 && version != 2) {
		printf("virtio mmio %#llx: unknown version %u\n",
		       (unsigned long long)paddr, version);
		return;
	}
	struct mmio_dev *m = calloc(1, sizeof(*m));
	if (!m)
		return;
	m->regs = regs;
	m->paddr = paddr;
	m->version = version;
	m->gsi = gsi;
	m->dev.ops = &mmio_ops;
	m->dev.tpriv = m;
	m->dev.id = id;
	m->dev.legacy = version == 1;
	snprintf(m->dev.where, sizeof(m->dev.where), "mmio %#llx",
		 (unsigned long long)paddr);
	virtio_add_device(&m->dev);
}

static uint64_t parse_num(const char **s)
{
	const char *p = *s;
	uint64_t v = 0;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++) {
		int dgt;
		if (*p >= '0' && *p <= '9')
			dgt = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			dgt = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			dgt = *p - 'A' + 10;
		else
			break;
		v = v * base + dgt;
	}
	if (*p == 'K' || *p == 'k') {
		v <<= 10;
		p++;
	} else if (*p == 'M' || *p == 'm') {
		v <<= 20;
		p++;
	}
	*s = p;
	return v;
}

/* virtio_mmio.device=SIZE@ADDR[:IRQ] words before "--"; returns how
 * many it found. */
static int scan_cmdline(void)
{
	int found = 0;
	size_t len;
	for (const char *v = ukplat_bootarg("virtio_mmio.device", &len); v;
	     v = ukplat_bootarg_from(v + len, "virtio_mmio.device", &len)) {
		const char *p = v;
		uint64_t size = parse_num(&p);
		if (*p != '@')
			continue;
		p++;
		uint64_t addr = parse_num(&p);
		int gsi = -1;
		if (*p == ':') {
			p++;
			gsi = (int)parse_num(&p);
		}
		volatile uint8_t *regs = virtio_iomap(addr, size ? size : 512);
		if (regs) {
			probe(addr, regs, gsi);
			found++;
		}
	}
	return found;
}

void virtio_mmio_scan(void)
{
	if (scan_cmdline())
		return;
	volatile uint8_t *base = virtio_iomap(MICROVM_MMIO_BASE,
					      MICROVM_MMIO_SLOTS * MICROVM_MMIO_SIZE);
	if (!base)
		return;
	for (int i = 0; i < MICROVM_MMIO_SLOTS; i++)
		probe(MICROVM_MMIO_BASE + i * MICROVM_MMIO_SIZE,
		      base + i * MICROVM_MMIO_SIZE, ukplat_microvm_virtio_gsi(i));
}
