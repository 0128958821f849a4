/* Ethernet devices as a network stack sees them (virtio-net for now).
 *
 * uk_netdev_poll hands every frame that arrived to the receive function
 * and reclaims sent buffers; where the device can interrupt, a callback
 * says when there is something to poll. Transmission copies the frame, so
 * the caller's buffers may be reused at once. Everything runs with
 * interrupts off (system calls, timer callbacks), never concurrently. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct uk_netdev;

/* A piece of a received frame (merged receive buffers may split one). */
struct uk_netdev_seg {
	const void *data;
	size_t len;
};

typedef void (*uk_netdev_rx_fn)(void *arg, const struct uk_netdev_seg *segs,
				int nsegs, size_t total);

/* The n-th network device (0 first), set up on first use; NULL when
 * there is none. */
struct uk_netdev *uk_netdev_get(int n);
void uk_netdev_mac(struct uk_netdev *nd, uint8_t mac[6]);
unsigned uk_netdev_mtu(struct uk_netdev *nd);
const char *uk_netdev_name(struct uk_netdev *nd);
/* Sends one Ethernet frame given as nsegs pieces (at most the MTU plus
 * the 14-byte header): 0, or -EAGAIN when the device stays busy, -EMSGSIZE. */
int uk_netdev_tx(struct uk_netdev *nd, const struct uk_netdev_seg *segs, int nsegs);
/* Delivers received frames to rx(arg, ...); returns how many. */
int uk_netdev_poll(struct uk_netdev *nd, uk_netdev_rx_fn rx, void *arg);
/* Has notify(arg) called (in interrupt context) when frames have
 * arrived; -EOPNOTSUPP when the device has no interrupt (poll it then). */
int uk_netdev_rx_notify(struct uk_netdev *nd, void (*notify)(void *), void *arg);

/* Counters since the device started, for diagnostics. */
struct uk_netdev_stats {
	uint64_t rx_frames, tx_frames;
	uint64_t tx_busy;	/* frames refused: no transmit slot in time */
	uint64_t irqs;
	/* The receive ring now: free descriptors, our next available index,
	 * the device's used index, the next used entry we will take. */
	unsigned rx_free, rx_avail, rx_used, rx_last_used;
};
void uk_netdev_stats(struct uk_netdev *nd, struct uk_netdev_stats *st);
