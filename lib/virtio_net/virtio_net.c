/* The virtio-net device on lib/virtio's transports: queue 0 receives,
 * queue 1 transmits. Buffers are 2 KiB slots in pages from the page
 * allocator (physically contiguous, direct-mapped); every frame is
 * copied in or out of a slot, which keeps the device independent of the
 * stack's buffer management. With merged receive buffers a frame may
 * span several slots (the header's num_buffers says how many); without
 * GSO offloads it never does in practice, but it is handled.
 *
 * The device interrupts only for received frames (and only once someone
 * asked, uk_netdev_rx_notify); sent buffers are reclaimed lazily. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/virtio.h>
#include <uk/netdev.h>

#define VIRTIO_NET_F_MTU	(1ULL << 3)
#define VIRTIO_NET_F_MAC	(1ULL << 5)
#define VIRTIO_NET_F_MRG_RXBUF	(1ULL << 15)
#define VIRTIO_NET_F_STATUS	(1ULL << 16)

#define SLOT		2048
#define RX_SLOTS	128
#define TX_SLOTS	64
#define MAX_NETDEVS	4
#define TX_SPIN_NS	(2ULL * 1000000000ULL)

struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;	/* with MRG_RXBUF or VERSION_1 */
} __attribute__((packed));

struct uk_netdev {
	struct uk_virtio_dev *dev;
	struct uk_virtq *rxq, *txq;
	unsigned hdr_len;	/* 12, or 10 for a legacy device without MRG_RXBUF */
	unsigned nrx, ntx;
	char *rxmem, *txmem;	/* slots */
	size_t rxpages, txpages;
	uint16_t *tx_free;	/* stack of free tx slot numbers */
	unsigned tx_nfree;
	uint8_t mac[6];
	unsigned mtu;
	char name[48];
	/* A frame being gathered from several receive slots. */
	struct uk_netdev_seg segs[8];
	unsigned pending_slots[8];
	int nsegs, want;
	size_t total;
	struct uk_netdev_stats stats;
	int has_irq;
	void (*notify)(void *);
	void *notify_arg;
};

static struct uk_netdev *netdevs[MAX_NETDEVS];
static int probed, nnetdevs;

static char *rx_slot(struct uk_netdev *nd, unsigned i)
{
	return nd->rxmem + (size_t)i * SLOT;
}

static char *tx_slot(struct uk_netdev *nd, unsigned i)
{
	return nd->txmem + (size_t)i * SLOT;
}

/* Tokens must be non-NULL: slot i travels as i + 1. */
static int rx_post(struct uk_netdev *nd, unsigned i)
{
	struct uk_virtq_sg sg = { KPA(rx_slot(nd, i)), SLOT };
	return uk_virtq_add(nd->rxq, &sg, 0, 1, (void *)(uintptr_t)(i + 1));
}

static void irq(void *arg)
{
	struct uk_netdev *nd = arg;
	nd->stats.irqs++;
	if (nd->notify)
		nd->notify(nd->notify_arg);
}

static struct uk_netdev *start(struct uk_virtio_dev *d)
{
	struct uk_netdev *nd = calloc(1, sizeof(*nd));
	if (!nd)
		return NULL;
	if (uk_virtio_negotiate(d, VIRTIO_NET_F_MAC | VIRTIO_NET_F_MRG_RXBUF |
				   VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MTU |
				   UK_VIRTIO_F_ANY_LAYOUT))
		goto fail;
	nd->dev = d;
	nd->hdr_len = (!d->legacy || (d->features & VIRTIO_NET_F_MRG_RXBUF)) ? 12 : 10;
	if (d->features & VIRTIO_NET_F_MAC) {
		uk_virtio_config_read(d, 0, nd->mac, 6);
	} else {
		/* A locally administered address of our own. */
		static const uint8_t def[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
		memcpy(nd->mac, def, 6);
	}
	nd->mtu = 1500;
	if (d->features & VIRTIO_NET_F_MTU) {
		uint16_t mtu;
		uk_virtio_config_read(d, 10, &mtu, 2);
		if (mtu >= 68 && mtu < 1500)
			nd->mtu = mtu;
	}
	nd->has_irq = uk_virtio_irq_setup(d, irq, nd) == 0;
	nd->rxq = uk_virtq_new(d, 0, RX_SLOTS);
	nd->txq = uk_virtq_new(d, 1, TX_SLOTS);
	if (!nd->rxq || !nd->txq)
		goto failed;
	nd->nrx = nd->rxq->size;
	nd->ntx = nd->txq->size;
	nd->rxpages = ((size_t)nd->nrx * SLOT + PAGE_SIZE - 1) / PAGE_SIZE;
	nd->txpages = ((size_t)nd->ntx * SLOT + PAGE_SIZE - 1) / PAGE_SIZE;
	nd->rxmem = uk_palloc(nd->rxpages);
	nd->txmem = uk_palloc(nd->txpages);
	nd->tx_free = calloc(nd->ntx, sizeof(uint16_t));
	if (!nd->rxmem || !nd->txmem || !nd->tx_free)
		goto failed;
	memset(nd->txmem, 0, nd->txpages * PAGE_SIZE);
	for (unsigned i = 0; i < nd->ntx; i++)
		nd->tx_free[nd->tx_nfree++] = nd->ntx - 1 - i;
	for (unsigned i = 0; i < nd->nrx; i++)
		rx_post(nd, i);
	uk_virtio_driver_ok(d);
	uk_virtq_kick(nd->rxq);
	snprintf(nd->name, sizeof(nd->name), "virtio-net %s", d->where);
	d->driver = nd;
	/* Under verbose=1 (run.sh -v) only: the program's stderr is also a
	 * container's log. */
	size_t len;
	const char *verbose = ukplat_bootarg("verbose", &len);
	if (verbose && len == 1 && *verbose == '1')
		printf("%s: %02x:%02x:%02x:%02x:%02x:%02x%s, %u rx / %u tx slots, %s\n",
		       nd->name, nd->mac[0], nd->mac[1], nd->mac[2], nd->mac[3],
		       nd->mac[4], nd->mac[5], d->legacy ? " (legacy)" : "", nd->nrx,
		       nd->ntx, nd->has_irq ? "interrupts" : "polled");
	return nd;
failed:
	/* The queues stay with the (failed) device. */
	uk_virtio_failed(d);
	if (nd->rxmem)
		uk_pfree(nd->rxmem, nd->rxpages);
	if (nd->txmem)
		uk_pfree(nd->txmem, nd->txpages);
	free(nd->tx_free);
fail:
	free(nd);
	return NULL;
}

struct uk_netdev *uk_netdev_get(int n)
{
	if (!probed) {
		probed = 1;
		struct uk_virtio_dev *d = NULL;
		while (nnetdevs < MAX_NETDEVS &&
		       (d = uk_virtio_find(UK_VIRTIO_ID_NET, d))) {
			if (d->driver)
				continue;
			struct uk_netdev *nd = start(d);
			if (nd)
				netdevs[nnetdevs++] = nd;
		}
	}
	return n >= 0 && n < nnetdevs ? netdevs[n] : NULL;
}

void uk_netdev_mac(struct uk_netdev *nd, uint8_t mac[6])
{
	memcpy(mac, nd->mac, 6);
}

unsigned uk_netdev_mtu(struct uk_netdev *nd)
{
	return nd->mtu;
}

const char *uk_netdev_name(struct uk_netdev *nd)
{
	return nd->name;
}

void uk_netdev_stats(struct uk_netdev *nd, struct uk_netdev_stats *st)
{
	*st = nd->stats;
	st->rx_free = nd->rxq->num_free;
	st->rx_avail = nd->rxq->avail_idx;
	st->rx_used = *(volatile uint16_t *)&nd->rxq->used->idx;
	st->rx_last_used = nd->rxq->last_used;
}

int uk_netdev_rx_notify(struct uk_netdev *nd, void (*notify)(void *), void *arg)
{
	if (!nd->has_irq)
		return -EOPNOTSUPP;
	nd->notify = notify;
	nd->notify_arg = arg;
	uk_virtq_intr(nd->rxq, 1);
	return 0;
}

static void tx_reclaim(struct uk_netdev *nd)
{
	void *tok;
	while ((tok = uk_virtq_get(nd->txq, NULL)))
		nd->tx_free[nd->tx_nfree++] = (uint16_t)((uintptr_t)tok - 1);
}

int uk_netdev_tx(struct uk_netdev *nd, const struct uk_netdev_seg *segs, int nsegs)
{
	size_t total = 0;
	for (int i = 0; i < nsegs; i++)
		total += segs[i].len;
	if (total + nd->hdr_len > SLOT)
		return -EMSGSIZE;
	tx_reclaim(nd);
	if (!nd->tx_nfree) {
		/* The device takes frames as fast as the host sends them:
		 * wait a little for a slot rather than drop. */
		uint64_t deadline = ukplat_monotonic_ns() + TX_SPIN_NS;
		while (!nd->tx_nfree) {
			if (ukplat_monotonic_ns() >= deadline) {
				nd->stats.tx_busy++;
				return -EAGAIN;
			}
			__asm__ volatile("pause");
			tx_reclaim(nd);
		}
	}
	unsigned slot = nd->tx_free[--nd->tx_nfree];
	char *p = tx_slot(nd, slot);
	memset(p, 0, nd->hdr_len);
	size_t off = nd->hdr_len;
	for (int i = 0; i < nsegs; i++) {
		memcpy(p + off, segs[i].data, segs[i].len);
		off += segs[i].len;
	}
	struct uk_virtq_sg sg = { KPA(p), (uint32_t)off };
	int rc = uk_virtq_add(nd->txq, &sg, 1, 0, (void *)(uintptr_t)(slot + 1));
	if (rc) {
		nd->tx_free[nd->tx_nfree++] = slot;
		return -EAGAIN;
	}
	uk_virtq_kick(nd->txq);
	nd->stats.tx_frames++;
	return 0;
}

static void rx_repost_pending(struct uk_netdev *nd)
{
	for (int i = 0; i < nd->nsegs; i++)
		rx_post(nd, nd->pending_slots[i]);
	nd->nsegs = 0;
	nd->want = 0;
	nd->total = 0;
}

int uk_netdev_poll(struct uk_netdev *nd, uk_netdev_rx_fn rx, void *arg)
{
	int frames = 0, reposted = 0;
	void *tok;
	uint32_t len;
	tx_reclaim(nd);
	/* No interrupts for frames that arrive while we take them; they are
	 * taken in this loop (looked for again after turning them back on). */
	int quiet = nd->notify != NULL;
	if (quiet)
		uk_virtq_intr(nd->rxq, 0);
again:
	while ((tok = uk_virtq_get(nd->rxq, &len))) {
		unsigned slot = (unsigned)((uintptr_t)tok - 1);
		char *p = rx_slot(nd, slot);
		if (len > SLOT)
			len = SLOT;
		const char *data = p;
		size_t dlen = len;
		if (!nd->nsegs) {
			/* The first slot of a frame starts with the header. */
			if (len < nd->hdr_len) {
				rx_post(nd, slot);
				reposted++;
				continue;
			}
			struct virtio_net_hdr h;
			memcpy(&h, p, sizeof(h));
			nd->want = nd->hdr_len == 12 && h.num_buffers ? h.num_buffers : 1;
			if (nd->want > 8)
				nd->want = 8;	/* cannot happen without GSO */
			data += nd->hdr_len;
			dlen -= nd->hdr_len;
		}
		nd->segs[nd->nsegs].data = data;
		nd->segs[nd->nsegs].len = dlen;
		nd->pending_slots[nd->nsegs] = slot;
		nd->nsegs++;
		nd->total += dlen;
		if (nd->nsegs < nd->want)
			continue;
		rx(arg, nd->segs, nd->nsegs, nd->total);
		frames++;
		nd->stats.rx_frames++;
		reposted += nd->nsegs;
		rx_repost_pending(nd);
	}
	if (quiet) {
		uk_virtq_intr(nd->rxq, 1);
		if (uk_virtq_pending(nd->rxq))
			goto again;
	}
	if (reposted)
		uk_virtq_kick(nd->rxq);
	return frames;
}
