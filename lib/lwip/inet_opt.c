/* IPv6 socket options (RFC 3542, man 7 ipv6) and UDP-Lite's coverage
 * options (RFC 3828, man 7 udplite) for inet_sock.c: their values and
 * Linux's checks, the ancillary data a UDP6 receive hands out and a
 * send takes in, and the coverage check of a received UDP-Lite
 * datagram. Touches only the option state and lwIP's description of the
 * packet being received (ip_data), never a socket's queues. */
#include <errno.h>
#include <string.h>
#include <uk/socket.h>
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/prot/udp.h"
#include "inet_opt.h"

/* Linux's <linux/in6.h> and <linux/udp.h> names. */
#define K_SOL_IPV6		41
#define K_IPV6_2292PKTINFO	2
#define K_IPV6_2292HOPLIMIT	8
#define K_IPV6_UNICAST_HOPS	16
#define K_IPV6_MULTICAST_HOPS	18
#define K_IPV6_MULTICAST_LOOP	19
#define K_IPV6_RECVPKTINFO	49
#define K_IPV6_PKTINFO		50
#define K_IPV6_RECVHOPLIMIT	51
#define K_IPV6_HOPLIMIT		52
#define K_IPV6_RECVTCLASS	66
#define K_IPV6_TCLASS		67
#define K_UDPLITE_SEND_CSCOV	10
#define K_UDPLITE_RECV_CSCOV	11
#define K_SCM_RIGHTS		1
#define K_SCM_CREDENTIALS	2

/* The IPV6_RECV* options, in the order Linux hands their data out. */
#define RX_PKTINFO	0x01
#define RX_HOPLIMIT	0x02
#define RX_TCLASS	0x04
#define RX_2292PKTINFO	0x08
#define RX_2292HOPLIMIT	0x10

#define DEFAULT_UHOPS	64	/* net.ipv6.conf.all.hop_limit */
#define DEFAULT_MHOPS	1

struct k_in6_pktinfo {
	uint32_t addr[4];
	int ifindex;
};

void inet_xopts_init(struct inet_xopts *o)
{
	memset(o, 0, sizeof(*o));
	o->uhops = -1;
	o->mhops = -1;
	o->mloop = 1;
}

static unsigned int rx_bit(int name)
{
	switch (name) {
	case K_IPV6_RECVPKTINFO: return RX_PKTINFO;
	case K_IPV6_RECVHOPLIMIT: return RX_HOPLIMIT;
	case K_IPV6_RECVTCLASS: return RX_TCLASS;
	case K_IPV6_2292PKTINFO: return RX_2292PKTINFO;
	case K_IPV6_2292HOPLIMIT: return RX_2292HOPLIMIT;
	}
	return 0;
}

int inet6_setopt(struct inet_xopts *o, int name, int v, int len, const void *val,
		 u8_t *ttl, u8_t *tos)
{
	(void)val;
	if (len < (int)sizeof(int))
		return -EINVAL;
	unsigned int bit = rx_bit(name);
	if (bit) {
		if (v)
			o->rx |= bit;
		else
			o->rx &= ~bit;
		return 0;
	}
	switch (name) {
	case K_IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		o->uhops = v;
		if (ttl)
			*ttl = (u8_t)(v < 0 ? DEFAULT_UHOPS : v);
		return 0;
	case K_IPV6_MULTICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		o->mhops = v;
		return 0;
	case K_IPV6_MULTICAST_LOOP:
		if (v != !!v)
			return -EINVAL;
		o->mloop = v;
		return 0;
	case K_IPV6_TCLASS:
		/* RFC 3542 6.5: -1 is the default, 0. */
		if (v < -1 || v > 255)
			return -EINVAL;
		o->tclass = v < 0 ? 0 : v;
		if (tos)
			*tos = (u8_t)o->tclass;
		return 0;
	}
	return -ENOPROTOOPT;
}

u8_t inet6_hops(const struct inet_xopts *o, const ip_addr_t *dst)
{
	if (IP_IS_V6(dst) && ip6_addr_ismulticast(ip_2_ip6(dst)))
		return (u8_t)(o->mhops < 0 ? DEFAULT_MHOPS : o->mhops);
	return (u8_t)(o->uhops < 0 ? DEFAULT_UHOPS : o->uhops);
}

int inet6_getopt(const struct inet_xopts *o, int name, void *val, int *len)
{
	int v;
	unsigned int bit = rx_bit(name);
	if (bit) {
		v = !!(o->rx & bit);
	} else {
		switch (name) {
		case K_IPV6_UNICAST_HOPS:
			v = o->uhops < 0 ? DEFAULT_UHOPS : o->uhops;
			break;
		case K_IPV6_MULTICAST_HOPS:
			v = o->mhops < 0 ? DEFAULT_MHOPS : o->mhops;
			break;
		case K_IPV6_MULTICAST_LOOP:
			v = o->mloop;
			break;
		case K_IPV6_TCLASS:
			v = o->tclass;
			break;
		default:
			return -ENOPROTOOPT;
		}
	}
	uk_sockopt_put(val, len, &v, sizeof(v));
	return 0;
}

/* Linux's udp_lib_setsockopt: the coverage options exist on UDP-Lite
 * sockets only; a coverage below the header's 8 bytes means 8. */
int inet_udp_setopt(struct inet_xopts *o, int protocol, int name, int v, int len)
{
	if (len < (int)sizeof(int))
		return -EINVAL;
	if (name != K_UDPLITE_SEND_CSCOV && name != K_UDPLITE_RECV_CSCOV)
		return -ENOPROTOOPT;
	if (protocol != K_IPPROTO_UDPLITE)
		return -ENOPROTOOPT;
	if (v != 0 && v < UDP_HLEN)
		v = UDP_HLEN;
	else if (v > 0xffff)
		v = 0xffff;
	if (name == K_UDPLITE_SEND_CSCOV) {
		o->cov_send = v;
		o->cov_send_set = 1;
	} else {
		o->cov_recv = v;
		o->cov_recv_set = 1;
	}
	return 0;
}

/* Readable on UDP sockets too (0), as on Linux. */
int inet_udp_getopt(const struct inet_xopts *o, int name, void *val, int *len)
{
	int v;
	if (name == K_UDPLITE_SEND_CSCOV)
		v = o->cov_send;
	else if (name == K_UDPLITE_RECV_CSCOV)
		v = o->cov_recv;
	else
		return -ENOPROTOOPT;
	uk_sockopt_put(val, len, &v, sizeof(v));
	return 0;
}

/* Linux's udplite_sender_cscov: the header's length field is the
 * coverage when it is less than the datagram (0: all of it, said
 * explicitly), else the datagram's length. */
u16_t inet_udplite_txcov(const struct inet_xopts *o, size_t len)
{
	size_t whole = len + UDP_HLEN;
	if (o->cov_send_set && (size_t)o->cov_send < whole)
		return (u16_t)o->cov_send;
	return (u16_t)whole;
}

int inet_rx_meta(const struct inet_xopts *o, int protocol, struct pbuf *p,
		 struct inet_rxmeta *m)
{
	memset(m, 0, sizeof(*m));
	ip_addr_copy(m->dst, *ip_current_dest_addr());
	struct netif *in = ip_current_input_netif();
	m->ifindex = in ? netif_get_index(in) : 0;
	if (ip_current_is_v6()) {
		m->hlim = IP6H_HOPLIM(ip6_current_header());
		m->tclass = (u8_t)IP6H_TC(ip6_current_header());
	} else {
		m->hlim = IPH_TTL(ip4_current_header());
		m->tclass = IPH_TOS(ip4_current_header());
	}
	/* lwIP hands either protocol to any pcb on the port: UDP and
	 * UDP-Lite are two port spaces on Linux. */
	m->proto = ip_current_header_proto();
	int lite = protocol == K_IPPROTO_UDPLITE;
	if (lite != (m->proto == IP_PROTO_UDPLITE))
		return -1;
	if (!lite)
		return 0;
	/* The UDP-Lite header stands just before the payload lwIP gives,
	 * unless this is a copy made for a second receiver (SO_REUSEADDR
	 * broadcast), which has none: then the coverage is taken as full. */
	const u8_t *h = (const u8_t *)p->payload - UDP_HLEN;
	if (h < (const u8_t *)(p + 1))
		return 0;
	const struct udp_hdr *uh = (const void *)h;
	size_t whole = (size_t)p->tot_len + UDP_HLEN;
	u16_t cov = lwip_ntohs(uh->len);
	/* Linux's udplite_checksum_init: a coverage past the end is
	 * dropped; one short of it is partial. */
	if (cov > whole)
		return -1;
	if (cov == whole)
		cov = 0;
	m->cscov = cov;
	/* udp_queue_rcv_one_skb: a receiver that set UDPLITE_RECV_CSCOV
	 * takes partial coverage only if it is at least that much (0
	 * wants full coverage). */
	if (cov && o->cov_recv_set && (!o->cov_recv || cov < o->cov_recv))
		return -1;
	return 0;
}

/* Linux's put_cmsg: a header that does not fit sets MSG_CTRUNC and
 * nothing is written; data that does not fit is cut (MSG_CTRUNC, a
 * cmsg_len that says what was written). */
static void put_cmsg(struct uk_msghdr *msg, size_t room, size_t *used, int type,
		     const void *data, size_t len)
{
	size_t left = room - *used;
	if (!msg->msg_control || left < sizeof(struct uk_cmsghdr)) {
		msg->msg_flags |= MSG_CTRUNC;
		return;
	}
	size_t cmlen = UK_CMSG_LEN(len);
	if (left < cmlen) {
		msg->msg_flags |= MSG_CTRUNC;
		cmlen = left;
	}
	char *at = (char *)msg->msg_control + *used;
	struct uk_cmsghdr c = {
		.cmsg_len = cmlen, .cmsg_level = K_SOL_IPV6, .cmsg_type = type,
	};
	memcpy(at, &c, sizeof(c));
	memcpy(at + sizeof(c), data, cmlen - sizeof(c));
	size_t space = UK_CMSG_SPACE(len);
	*used += space < left ? space : left;
}

/* Linux's ip6_datagram_recv_common_ctl and _specific_ctl: the packet
 * information for IPv4 datagrams too (a mapped address), the hop limit
 * and traffic class for IPv6 ones only. */
void inet6_rx_cmsg(const struct inet_xopts *o, const struct inet_rxmeta *m,
		   struct uk_msghdr *msg, size_t room)
{
	size_t used = 0;
	struct k_in6_pktinfo pi;
	memset(&pi, 0, sizeof(pi));
	pi.ifindex = m->ifindex;
	if (IP_IS_V6(&m->dst)) {
		memcpy(pi.addr, ip_2_ip6(&m->dst)->addr, 16);
	} else {
		pi.addr[2] = PP_HTONL(0xffffUL);
		pi.addr[3] = ip4_addr_get_u32(ip_2_ip4(&m->dst));
	}
	if (o->rx & RX_PKTINFO)
		put_cmsg(msg, room, &used, K_IPV6_PKTINFO, &pi, sizeof(pi));
	if (IP_IS_V6(&m->dst)) {
		int hl = m->hlim, tc = m->tclass;
		if (o->rx & RX_HOPLIMIT)
			put_cmsg(msg, room, &used, K_IPV6_HOPLIMIT, &hl, sizeof(hl));
		if (o->rx & RX_TCLASS)
			put_cmsg(msg, room, &used, K_IPV6_TCLASS, &tc, sizeof(tc));
		if (o->rx & RX_2292PKTINFO)
			put_cmsg(msg, room, &used, K_IPV6_2292PKTINFO, &pi, sizeof(pi));
		if (o->rx & RX_2292HOPLIMIT)
			put_cmsg(msg, room, &used, K_IPV6_2292HOPLIMIT, &hl, sizeof(hl));
	}
	msg->msg_controllen = used;
}

static int addr6_is_ours(const ip6_addr_t *a)
{
	if (ip6_addr_isloopback(a))
		return 1;
	struct netif *n;
	NETIF_FOREACH(n)
		if (netif_get_ip6_addr_match(n, a) >= 0)
			return 1;
	return 0;
}

/* Linux's ip6_datagram_send_ctl, for the items it takes without
 * privileges that lwIP can carry out; the others are -EINVAL, as an
 * unknown one is there. IPV6_PKTINFO's source address is checked to be
 * ours, then lwIP picks the source by the route, as Linux does for the
 * loopback. */
int inet6_tx_cmsg(const struct uk_msghdr *msg, struct inet_txctl *t)
{
	t->hlim = -1;
	t->tclass = -1;
	if (!msg->msg_control)
		return 0;
	const char *base = msg->msg_control;
	size_t total = msg->msg_controllen, off = 0;
	while (total - off >= sizeof(struct uk_cmsghdr)) {
		const struct uk_cmsghdr *c = (const void *)(base + off);
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > total - off)
			return -EINVAL;
		size_t dlen = c->cmsg_len - sizeof(*c);
		const void *data = UK_CMSG_DATA(c);
		int v = 0;
		if (dlen >= sizeof(int))
			memcpy(&v, data, sizeof(int));
		if (c->cmsg_level == SOL_SOCKET) {
			/* __sock_cmsg_send: descriptors and credentials pass
			 * through; what needs privileges or timestamps is not
			 * here. */
			if (c->cmsg_type != K_SCM_RIGHTS && c->cmsg_type != K_SCM_CREDENTIALS)
				return -EINVAL;
		} else if (c->cmsg_level == K_SOL_IPV6) {
			switch (c->cmsg_type) {
			case K_IPV6_HOPLIMIT:
			case K_IPV6_2292HOPLIMIT:
				if (dlen != sizeof(int) || v < -1 || v > 255)
					return -EINVAL;
				t->hlim = v;
				break;
			case K_IPV6_TCLASS:
				if (dlen != sizeof(int) || v < -1 || v > 255)
					return -EINVAL;
				/* Linux sends a -1 given here as 0xff (the
				 * socket's class is the default only when
				 * the item is absent). */
				t->tclass = v & 0xff;
				break;
			case K_IPV6_PKTINFO:
			case K_IPV6_2292PKTINFO: {
				struct k_in6_pktinfo pi;
				if (dlen < sizeof(pi))
					return -EINVAL;
				memcpy(&pi, data, sizeof(pi));
				if (pi.ifindex && (pi.ifindex < 0 || pi.ifindex > 255 ||
						   !netif_get_by_index((u8_t)pi.ifindex)))
					return -ENODEV;
				ip6_addr_t a;
				memcpy(a.addr, pi.addr, 16);
				ip6_addr_clear_zone(&a);
				if (!pi.ifindex && ip6_addr_islinklocal(&a))
					return -EINVAL;
				if (!ip6_addr_isany(&a) && !addr6_is_ours(&a))
					return -EINVAL;
				break;
			}
			default:
				return -EINVAL;
			}
		}
		off += UK_CMSG_ALIGN(c->cmsg_len);
		if (off > total)
			break;
	}
	return 0;
}
