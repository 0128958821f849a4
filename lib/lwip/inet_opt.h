/* The options of an inet socket beyond the basic ones inet_sock.c keeps:
 * IPv6's (RFC 3542: hop limits, traffic class, the IPV6_RECV* ancillary
 * data) and UDP-Lite's checksum coverage, with Linux's values and checks
 * (inet_opt.c). Every function runs with lwIP's lock held (as
 * inet_sock.c's callers). */
#pragma once

#include <stddef.h>
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

#define K_IPPROTO_UDPLITE	136
#define K_SOL_UDPLITE		136

struct uk_socket;
struct uk_msghdr;

struct inet_xopts {
	int uhops;		/* IPV6_UNICAST_HOPS; -1: the default (64) */
	int mhops;		/* IPV6_MULTICAST_HOPS; -1: the default (1) */
	int mloop;		/* IPV6_MULTICAST_LOOP */
	int tclass;		/* IPV6_TCLASS */
	unsigned int rx;	/* RX_* bits: the IPV6_RECV* options that are on */
	/* UDP-Lite (RFC 3828): coverage sent and least coverage taken;
	 * cov_send_set/cov_recv_set say the option was given (Linux's
	 * UDPLITE_SEND_CC/UDPLITE_RECV_CC). */
	int cov_send, cov_recv;
	int cov_send_set, cov_recv_set;
};

/* What a received datagram's headers said, for the ancillary data and
 * UDP-Lite's coverage check. */
struct inet_rxmeta {
	ip_addr_t dst;		/* the address it was sent to */
	u8_t ifindex;		/* the interface it came in on */
	u8_t hlim, tclass;	/* IPv6 hop limit and traffic class */
	u8_t proto;		/* IP_PROTO_UDP or IP_PROTO_UDPLITE */
	u16_t cscov;		/* UDP-Lite: the coverage, 0 when full */
};

void inet_xopts_init(struct inet_xopts *o);

/* setsockopt/getsockopt at IPPROTO_IPV6 (an AF_INET6 socket) and at
 * SOL_UDP/SOL_UDPLITE (a datagram socket). ttl and tos are the TCP
 * pcb's fields the hop limit and traffic class go to (NULL: a datagram
 * socket, whose sends pick them per datagram). Return
 * -ENOPROTOOPT for a name they do not know. */
int inet6_setopt(struct inet_xopts *o, int name, int v, int len, const void *val,
		 u8_t *ttl, u8_t *tos);
int inet6_getopt(const struct inet_xopts *o, int name, void *val, int *len);
/* The hop limit an IPv6 datagram to dst goes out with (IPV6_UNICAST_HOPS
 * or IPV6_MULTICAST_HOPS); IPv4 ones keep IP_TTL's, as on Linux. */
u8_t inet6_hops(const struct inet_xopts *o, const ip_addr_t *dst);
int inet_udp_setopt(struct inet_xopts *o, int protocol, int name, int v, int len);
int inet_udp_getopt(const struct inet_xopts *o, int name, void *val, int *len);

/* A received datagram's headers into m (from lwIP's udp_recv callback,
 * while lwIP's ip_data describes the packet); 0, or -1 when the datagram
 * is not the socket's (the other one of UDP and UDP-Lite, or less
 * UDP-Lite coverage than UDPLITE_RECV_CSCOV asks). */
int inet_rx_meta(const struct inet_xopts *o, int protocol, struct pbuf *p,
		 struct inet_rxmeta *m);

/* The ancillary data of a receive on an AF_INET6 datagram socket, into
 * msg->msg_control (a kernel buffer of room bytes): msg_controllen and
 * MSG_CTRUNC as Linux's put_cmsg leaves them. */
void inet6_rx_cmsg(const struct inet_xopts *o, const struct inet_rxmeta *m,
		   struct uk_msghdr *msg, size_t room);

/* The per-packet settings of a send on an AF_INET6 datagram socket, from
 * its ancillary data (IPV6_HOPLIMIT, IPV6_TCLASS, IPV6_PKTINFO): -1 for
 * the socket's own. 0, or -EINVAL (-ENODEV) as Linux. */
struct inet_txctl {
	int hlim, tclass;
};
int inet6_tx_cmsg(const struct uk_msghdr *msg, struct inet_txctl *t);

/* The coverage a UDP-Lite datagram of len payload bytes goes out with
 * (lwIP's chksum_len_tx: 0 for the whole datagram), as Linux picks it. */
u16_t inet_udplite_txcov(const struct inet_xopts *o, size_t len);
