/* virtio devices: the list the transports fill on the first look-up, and
 * the status and feature handshake every device goes through. */
#include <errno.h>
#include <stdio.h>
#include <uk/virtio.h>
#include "virtio_internal.h"

static struct uk_virtio_dev *devices, **devices_tail = &devices;
static int scanned;

void virtio_add_device(struct uk_virtio_dev *d)
{
	d->next = NULL;
	*devices_tail = d;
	devices_tail = &d->next;
}

static void scan(void)
{
	if (scanned)
		return;
	scanned = 1;
	/* microvm has no PCI: its devices sit on virtio-mmio slots. On pc
	 * and q35 every virtio device is on PCI. */
	if (virtio_pci_scan() == 0)
		virtio_mmio_scan();
}

struct uk_virtio_dev *uk_virtio_find(uint16_t id, struct uk_virtio_dev *prev)
{
	scan();
	for (struct uk_virtio_dev *d = prev ? prev->next : devices; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

static void add_status(struct uk_virtio_dev *d, uint8_t bits)
{
	d->ops->set_status(d, d->ops->get_status(d) | bits);
}

int uk_virtio_negotiate(struct uk_virtio_dev *d, uint64_t wanted)
{
	d->ops->reset(d);
	add_status(d, UK_VIRTIO_S_ACKNOWLEDGE);
	add_status(d, UK_VIRTIO_S_DRIVER);
	uint64_t offered = d->ops->get_features(d);
	if (!d->legacy) {
		if (!(offered & UK_VIRTIO_F_VERSION_1)) {
			printf("virtio %s: the device does not offer VERSION_1\n", d->where);
			uk_virtio_failed(d);
			return -ENODEV;
		}
		wanted |= UK_VIRTIO_F_VERSION_1;
	}
	d->features = offered & wanted;
	d->ops->set_features(d, d->features);
	if (!d->legacy) {
		add_status(d, UK_VIRTIO_S_FEATURES_OK);
		if (!(d->ops->get_status(d) & UK_VIRTIO_S_FEATURES_OK)) {
			printf("virtio %s: the device refused features %#llx\n", d->where,
			       (unsigned long long)d->features);
			uk_virtio_failed(d);
			return -ENODEV;
		}
	}
	return 0;
}

void uk_virtio_driver_ok(struct uk_virtio_dev *d)
{
	add_status(d, UK_VIRTIO_S_DRIVER_OK);
}

void uk_virtio_failed(struct uk_virtio_dev *d)
{
	add_status(d, UK_VIRTIO_S_FAILED);
}

void uk_virtio_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			   unsigned len)
{
	d->ops->config_read(d, off, buf, len);
}

int uk_virtio_irq_setup(struct uk_virtio_dev *d, void (*fn)(void *), void *arg)
{
	if (!d->ops->irq_setup)
		return -EOPNOTSUPP;
	return d->ops->irq_setup(d, fn, arg);
}
