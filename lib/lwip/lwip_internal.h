/* Shared between the lwIP glue and the AF_INET/AF_INET6 socket family. */
#pragma once

/* Starts lwIP (idempotent): the loopback interface, and the Ethernet
 * interface when there is a network device. */
int uk_lwip_init(void);
/* Receives frames, delivers loopback traffic, runs due timeouts. */
void uk_lwip_work(void);
/* uk_lwip_work after an lwIP call from a system call, and re-arms the
 * timer for the timeouts it may have set. */
void uk_lwip_kick(void);
/* Open inet sockets: the timer keeps running while there are any (or a
 * network device). */
extern int uk_lwip_live_sockets;
/* The network device lwIP drives (NULL: none), and the received frames
 * dropped for want of a buffer, for diagnostics (diag.c). */
struct uk_netdev *uk_lwip_netdev(void);
extern unsigned long long uk_lwip_rx_nopbuf;
/* A SOCK_RAW socket of s's family (raw_sock.c): sets s->ops and
 * s->priv, or returns EPERM, EPROTONOSUPPORT... */
struct uk_socket;
int uk_lwip_raw_create(struct uk_socket *s, int protocol);
