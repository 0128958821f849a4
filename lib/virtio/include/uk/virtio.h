/* virtio: devices found on a transport (PCI or MMIO), feature
 * negotiation, and split virtqueues. Transports (transport_pci.c,
 * transport_mmio.c) fill a struct uk_virtio_dev with their operations;
 * device drivers (9p, later net) only use the functions below, so every
 * device works on every transport.
 *
 * Drivers pull their devices: uk_virtio_find scans the transports on its
 * first call. Queues start polled (uk_virtq_wait; the device is told not
 * to interrupt); a driver that wants interrupts asks for one per device
 * (uk_virtio_irq_setup: MSI-X on PCI, an I/O APIC line on MMIO) and
 * turns them on per queue (uk_virtq_intr).
 *
 * Errors are negative errno values. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Device types. */
#define UK_VIRTIO_ID_NET	1
#define UK_VIRTIO_ID_BLOCK	2
#define UK_VIRTIO_ID_CONSOLE	3
#define UK_VIRTIO_ID_RNG	4
#define UK_VIRTIO_ID_9P		9

/* Device status bits. */
#define UK_VIRTIO_S_ACKNOWLEDGE	1
#define UK_VIRTIO_S_DRIVER	2
#define UK_VIRTIO_S_DRIVER_OK	4
#define UK_VIRTIO_S_FEATURES_OK	8
#define UK_VIRTIO_S_NEEDS_RESET	64
#define UK_VIRTIO_S_FAILED	128

/* Transport-level feature bits. */
#define UK_VIRTIO_F_ANY_LAYOUT		(1ULL << 27)
#define UK_VIRTIO_F_INDIRECT_DESC	(1ULL << 28)
#define UK_VIRTIO_F_EVENT_IDX		(1ULL << 29)
#define UK_VIRTIO_F_VERSION_1		(1ULL << 32)
#define UK_VIRTIO_F_ACCESS_PLATFORM	(1ULL << 33)

struct uk_virtio_dev;
struct uk_virtq;

/* What a transport does; config offsets are within the device-specific
 * configuration space. */
struct uk_virtio_transport_ops {
	void (*reset)(struct uk_virtio_dev *d);	/* returns when reset */
	uint8_t (*get_status)(struct uk_virtio_dev *d);
	void (*set_status)(struct uk_virtio_dev *d, uint8_t status);
	uint64_t (*get_features)(struct uk_virtio_dev *d);
	void (*set_features)(struct uk_virtio_dev *d, uint64_t features);
	void (*config_read)(struct uk_virtio_dev *d, unsigned off, void *buf,
			    unsigned len);
	void (*config_write)(struct uk_virtio_dev *d, unsigned off,
			     const void *buf, unsigned len);
	/* The largest size of queue idx; 0 when there is no such queue. */
	unsigned (*queue_max)(struct uk_virtio_dev *d, unsigned idx);
	/* Gives the device the ring's addresses and enables it. */
	int (*queue_setup)(struct uk_virtio_dev *d, struct uk_virtq *vq);
	void (*notify)(struct uk_virtio_dev *d, struct uk_virtq *vq);
	/* Binds the device's interrupt to fn(arg) (see uk_virtio_irq_setup);
	 * NULL when the transport has none. */
	int (*irq_setup)(struct uk_virtio_dev *d, void (*fn)(void *), void *arg);
};

struct uk_virtio_dev {
	const struct uk_virtio_transport_ops *ops;
	void *tpriv;			/* the transport's state */
	uint16_t id;			/* UK_VIRTIO_ID_* */
	int legacy;			/* a pre-1.0 interface (no VERSION_1) */
	uint64_t features;		/* negotiated */
	char where[40];			/* for messages: "pci 0:3.0" ... */
	void *driver;			/* set by the driver that claimed it */
	struct uk_virtio_dev *next;
};

/* The next device of the given type after prev (NULL: the first), found
 * on any transport; NULL when there is none. */
struct uk_virtio_dev *uk_virtio_find(uint16_t id, struct uk_virtio_dev *prev);

/* Resets the device and negotiates: offers the device's features ANDed
 * with wanted (plus VERSION_1 when the transport is modern); on success
 * d->features holds the result. */
int uk_virtio_negotiate(struct uk_virtio_dev *d, uint64_t wanted);
/* Sets DRIVER_OK once the queues are set up. */
void uk_virtio_driver_ok(struct uk_virtio_dev *d);
/* Marks the device FAILED (the driver gave up on it). */
void uk_virtio_failed(struct uk_virtio_dev *d);
void uk_virtio_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			   unsigned len);
/* After negotiation and before the queues are created: fn(arg) will run
 * (in interrupt context, interrupts off) when a queue whose interrupts
 * are on has completions; the transport has acknowledged the interrupt
 * by then. -EOPNOTSUPP when the transport cannot interrupt (legacy PCI),
 * other errors when no line or vector is free: the driver then polls. */
int uk_virtio_irq_setup(struct uk_virtio_dev *d, void (*fn)(void *), void *arg);

/* Split virtqueues. */
struct uk_vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define UK_VRING_DESC_F_NEXT	1
#define UK_VRING_DESC_F_WRITE	2

struct uk_vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};
#define UK_VRING_AVAIL_F_NO_INTERRUPT 1

struct uk_vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct uk_vring_used {
	uint16_t flags;
	uint16_t idx;
	struct uk_vring_used_elem ring[];
};
#define UK_VRING_USED_F_NO_NOTIFY 1

/* The ring is one physically contiguous block laid out as a legacy
 * device expects (descriptors, available ring, then the used ring on the
 * next page), so the same memory suits legacy and modern transports. */
#define UK_VIRTQ_ALIGN 4096

struct uk_virtq {
	struct uk_virtio_dev *dev;
	unsigned index;
	unsigned size;			/* entries, a power of two */
	struct uk_vring_desc *desc;
	struct uk_vring_avail *avail;
	struct uk_vring_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	void *mem;			/* the block, for freeing */
	size_t mem_pages;
	uint16_t free_head, num_free;
	uint16_t avail_idx;		/* ours, published to avail->idx */
	uint16_t last_used;		/* the next used entry to take */
	void **tokens;			/* per chain head */
	uint32_t notify_off;		/* the transport's notification slot */
};

/* A buffer of a request: physical address and length. */
struct uk_virtq_sg {
	uint64_t paddr;
	uint32_t len;
};

/* Creates queue idx of at most max_size entries and gives it to the
 * device; NULL (with a message) when it cannot. */
struct uk_virtq *uk_virtq_new(struct uk_virtio_dev *d, unsigned idx,
			      unsigned max_size);
/* Queues one request: nout buffers the device reads, then nin it writes.
 * -ENOSPC when the ring has too few free descriptors. */
int uk_virtq_add(struct uk_virtq *vq, const struct uk_virtq_sg *sg,
		 unsigned nout, unsigned nin, void *token);
/* Asks the device to interrupt (on) or not (off) when it completes
 * requests of this queue; off when the queue is created. */
void uk_virtq_intr(struct uk_virtq *vq, int on);
/* Whether a completed request waits to be taken (uk_virtq_get). */
int uk_virtq_pending(struct uk_virtq *vq);
/* Tells the device about what was added. */
void uk_virtq_kick(struct uk_virtq *vq);
/* A completed request's token (and the bytes the device wrote), or NULL
 * when none has completed. */
void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len);
/* Polls until the request with this token completes: 0, or -ETIMEDOUT
 * after timeout_ns (other completions met meanwhile are dropped). */
int uk_virtq_wait(struct uk_virtq *vq, void *token, uint32_t *len,
		  uint64_t timeout_ns);
