/* Ethernet devices as a network stack sees them (virtio-net for now).
 *
 * Polled: uk_netdev_poll hands every frame that arrived to the receive
 * function and reclaims sent buffers. Transmission copies the frame, so
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
