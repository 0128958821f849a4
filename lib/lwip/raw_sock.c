/* Raw IP sockets (SOCK_RAW of AF_INET and AF_INET6) over lwIP's raw
 * API, with Linux's semantics: CAP_NET_RAW needed; a protocol of 0 is
 * EPROTONOSUPPORT; an IPv4 socket receives each datagram of its
 * protocol with the IP header and sends without one (lwIP builds it)
 * unless IP_HDRINCL (IPPROTO_RAW implies it; the kernel then fills in
 * the length, the checksum and a zero source); an IPv6 socket sees
 * only the payload, and ICMPv6's checksum is computed for it. Received
 * datagrams are copies: lwIP goes on with them (ICMP still answers an
 * echo, TCP still gets its segments), as Linux hands raw sockets
 * clones. ICMP_FILTER and ICMP6_FILTER drop the types they name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/poll.h>
#include <uk/socket.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include "lwip/raw.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/ip4.h"
#include "lwip_internal.h"

#define CAP_NET_RAW		13
#define K_IPPROTO_IP		0
#define K_IPPROTO_ICMP		1
#define K_IPPROTO_IPV6		41
#define K_IPPROTO_ICMPV6	58
#define K_IPPROTO_RAW		255
#define K_IPPROTO_MAX		263
#define K_SOL_RAW		255
#define K_IP_TOS		1
#define K_IP_TTL		2
#define K_IP_HDRINCL		3
#define K_ICMP_FILTER		1
#define K_IPV6_CHECKSUM		7
#define K_IPV6_UNICAST_HOPS	16
#define K_ICMP6_FILTER		1
#define K_SIOCOUTQ		0x5411
#define RAW_MAX			0xffff

struct k_sockaddr_in {
	uint16_t family, port;
	uint32_t addr;
	uint8_t zero[8];
};

struct k_sockaddr_in6 {
	uint16_t family, port;
	uint32_t flowinfo;
	uint32_t addr[4];
	uint32_t scope_id;
};

struct rdgram {
	struct rdgram *next;
	ip_addr_t from;
	size_t len;
	char data[];
};

struct rsock {
	struct uk_socket *s;
	struct raw_pcb *pcb;
	struct rdgram *head, *tail;
	size_t qbytes;
	int hdrincl, closed, have_peer;
	uint16_t peer_port;		/* as connect gave it (Linux's inet_dport) */
	uint32_t icmp_filter;		/* ICMP_FILTER: bit t drops type t */
	uint32_t icmp6_filter[8];	/* ICMP6_FILTER: a set bit blocks */
};

static int err_to_errno(err_t e)
{
	switch (e) {
	case ERR_OK: return 0;
	case ERR_MEM: return -ENOBUFS;
	case ERR_BUF: return -ENOBUFS;
	case ERR_RTE: return -ENETUNREACH;
	case ERR_VAL: return -EINVAL;
	case ERR_USE: return -EADDRINUSE;
	case ERR_IF: return -ENETDOWN;
	default: return -EIO;
	}
}

/* --- addresses ----------------------------------------------------------- */

static int addr_in(struct uk_socket *s, const void *sa, int len, ip_addr_t *ip,
		   uint16_t *port)
{
	uint16_t fam;
	if (len < 2)
		return -EINVAL;
	memcpy(&fam, sa, 2);
	if (s->family == AF_INET) {
		struct k_sockaddr_in a;
		if (len < (int)sizeof(a))
			return -EINVAL;
		if (fam != AF_INET)
			return -EAFNOSUPPORT;
		memcpy(&a, sa, sizeof(a));
		ip_addr_set_ip4_u32(ip, a.addr);
		*port = a.port;
		return 0;
	}
	struct k_sockaddr_in6 a;
	if (len < 24)
		return -EINVAL;
	if (fam != AF_INET6)
		return -EAFNOSUPPORT;
	memset(&a, 0, sizeof(a));
	memcpy(&a, sa, len < (int)sizeof(a) ? (size_t)len : sizeof(a));
	IP_SET_TYPE(ip, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(ip)->addr, a.addr, 16);
	ip6_addr_clear_zone(ip_2_ip6(ip));
	if (ip6_addr_islinklocal(ip_2_ip6(ip))) {
		struct netif *n = a.scope_id ? netif_get_by_index((u8_t)a.scope_id) :
					       netif_default;
		if (n)
			ip6_addr_set_zone(ip_2_ip6(ip), netif_get_index(n));
	}
	*port = a.port;
	return 0;
}

static int addr_out(struct uk_socket *s, const ip_addr_t *ip, uint16_t port, void *out)
{
	if (s->family == AF_INET) {
		struct k_sockaddr_in a;
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		a.port = port;
		a.addr = IP_IS_V4(ip) ? ip4_addr_get_u32(ip_2_ip4(ip)) : 0;
		memcpy(out, &a, sizeof(a));
		return sizeof(a);
	}
	struct k_sockaddr_in6 a;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.port = port;
	if (IP_IS_V6(ip)) {
		memcpy(a.addr, ip_2_ip6(ip)->addr, 16);
		if (ip6_addr_islinklocal(ip_2_ip6(ip)))
			a.scope_id = ip6_addr_zone(ip_2_ip6(ip));
	}
	memcpy(out, &a, sizeof(a));
	return sizeof(a);
}

/* An address of ours (or the wildcard, or loopback), as bind wants. */
static int addr_is_local(const ip_addr_t *ip)
{
	struct netif *n;
	if (ip_addr_isany(ip) || ip_addr_isloopback(ip))
		return 1;
	NETIF_FOREACH(n) {
		if (IP_IS_V4(ip) && ip4_addr_cmp(ip_2_ip4(ip), netif_ip4_addr(n)))
			return 1;
		if (IP_IS_V6(ip) && netif_get_ip6_addr_match(n, ip_2_ip6(ip)) >= 0)
			return 1;
	}
	return 0;
}

/* --- receiving ------------------------------------------------------------ */

static int filtered(struct rsock *rs, const struct pbuf *p, size_t hdr)
{
	u8_t type;
	if (pbuf_copy_partial(p, &type, 1, (u16_t)hdr) != 1)
		return 0;
	if (rs->s->family == AF_INET)
		return rs->s->protocol == K_IPPROTO_ICMP && type < 32 &&
		       ((rs->icmp_filter >> type) & 1);
	return rs->s->protocol == K_IPPROTO_ICMPV6 &&
	       ((rs->icmp6_filter[type >> 5] >> (type & 31)) & 1);
}

static u8_t raw_recv_cb(void *arg, struct raw_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr)
{
	(void)pcb;
	struct rsock *rs = arg;
	/* IPv4 keeps its header (Linux's); IPv6 gives the payload. */
	size_t hdr = ip_current_header_tot_len();
	size_t skip = rs->s->family == AF_INET6 ? hdr : 0;
	if (rs->closed || p->tot_len < hdr || filtered(rs, p, hdr))
		return 0;
	size_t len = p->tot_len - skip;
	if (rs->qbytes + len > (size_t)rs->s->rcvbuf)
		return 0;
	struct rdgram *d = malloc(sizeof(*d) + len);
	if (!d)
		return 0;
	d->next = NULL;
	d->len = len;
	ip_addr_copy(d->from, *addr);
	pbuf_copy_partial(p, d->data, (u16_t)len, (u16_t)skip);
	if (rs->tail)
		rs->tail->next = d;
	else
		rs->head = d;
	rs->tail = d;
	rs->qbytes += len;
	uk_socket_wake(rs->s);
	return 0;	/* not eaten: the stack goes on with it */
}

/* --- the ops --------------------------------------------------------------- */

static int raw_op_bind(struct uk_socket *s, const void *addr, int len)
{
	struct rsock *rs = s->priv;
	ip_addr_t ip;
	uint16_t port;
	int rc = addr_in(s, addr, len, &ip, &port);
	if (rc)
		return rc;
	if (!addr_is_local(&ip))
		return -EADDRNOTAVAIL;
	return err_to_errno(raw_bind(rs->pcb, &ip));
}

static int raw_op_connect(struct uk_socket *s, const void *addr, int len, int nonblock)
{
	(void)nonblock;
	struct rsock *rs = s->priv;
	uint16_t fam = 0;
	if (len >= 2)
		memcpy(&fam, addr, 2);
	if (fam == AF_UNSPEC) {
		raw_disconnect(rs->pcb);
		rs->have_peer = 0;
		return 0;
	}
	ip_addr_t ip;
	uint16_t port;
	int rc = addr_in(s, addr, len, &ip, &port);
	if (rc)
		return rc;
	err_t e = raw_connect(rs->pcb, &ip);
	if (e != ERR_OK)
		return err_to_errno(e);
	/* The source a datagram to the peer gets, as Linux's
	 * ip4_datagram_connect fixes it. */
	if (ip_addr_isany(&rs->pcb->local_ip)) {
		if (ip_addr_isloopback(&ip)) {
			ip_addr_copy(rs->pcb->local_ip, ip);
		} else {
			struct netif *n = ip_route(IP46_ADDR_ANY(IP_GET_TYPE(&ip)), &ip);
			const ip_addr_t *src = n ? ip_netif_get_local_ip(n, &ip) : NULL;
			if (src)
				ip_addr_copy(rs->pcb->local_ip, *src);
		}
	}
	rs->have_peer = 1;
	rs->peer_port = port;
	return 0;
}

static int raw_op_getname(struct uk_socket *s, void *addr, int *len, int peer)
{
	struct rsock *rs = s->priv;
	if (peer) {
		/* Linux's inet_getname: no peer without a port, and a raw
		 * socket's is what connect was given (usually none). */
		if (!rs->have_peer || !rs->peer_port)
			return -ENOTCONN;
		*len = addr_out(s, &rs->pcb->remote_ip, rs->peer_port, addr);
	} else {
		/* Linux's inet_sport of a raw socket: its protocol. */
		*len = addr_out(s, &rs->pcb->local_ip, lwip_htons((u16_t)s->protocol), addr);
	}
	return 0;
}

/* IP_HDRINCL: what Linux's raw_send_hdrinc fills in of the header. */
static int fix_header(struct pbuf *p, const ip_addr_t *dst, ip_addr_t *src)
{
	struct ip_hdr *h = p->payload;
	if (p->len < IP_HLEN || IPH_V(h) != 4 || IPH_HL_BYTES(h) < IP_HLEN ||
	    IPH_HL_BYTES(h) > p->tot_len)
		return -EINVAL;
	IPH_LEN_SET(h, lwip_htons(p->tot_len));
	if (ip4_addr_isany_val(h->src)) {
		struct netif *n = ip_route(IP4_ADDR_ANY, dst);
		if (!n)
			return -ENETUNREACH;
		ip4_addr_copy(h->src, ip4_addr_isloopback(ip_2_ip4(dst)) ?
					      *ip_2_ip4(dst) : *netif_ip4_addr(n));
	}
	if (!IPH_ID(h))
		IPH_ID_SET(h, lwip_htons((u16_t)uk_lwip_rand()));
	IPH_CHKSUM_SET(h, 0);
	IPH_CHKSUM_SET(h, inet_chksum(h, IPH_HL_BYTES(h)));
	ip_addr_copy_from_ip4(*src, h->src);
	return 0;
}

static ssize_t raw_op_sendmsg(struct uk_socket *s, const struct uk_msghdr *msg, int flags)
{
	(void)flags;
	struct rsock *rs = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	ip_addr_t ip;
	if (total > RAW_MAX)
		return -EMSGSIZE;
	if (msg->msg_name && msg->msg_namelen) {
		uint16_t port, fam = 0;
		struct uk_sockaddr_storage ka;
		int nl = msg->msg_namelen > (int)sizeof(ka) ? (int)sizeof(ka) : msg->msg_namelen;
		memcpy(&ka, msg->msg_name, nl);
		memcpy(&fam, &ka, nl >= 2 ? 2 : 0);
		if (fam == AF_UNSPEC && nl >= 2)	/* Linux takes it for its own */
			ka.ss_family = s->family;
		int rc = addr_in(s, &ka, nl, &ip, &port);
		if (rc)
			return rc;
	} else if (rs->have_peer) {
		ip_addr_copy(ip, rs->pcb->remote_ip);
	} else {
		return -EDESTADDRREQ;
	}
	struct pbuf *p = pbuf_alloc(rs->hdrincl ? PBUF_RAW : PBUF_IP, (u16_t)total, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	if (uk_iov_iter_copy_from(&it, p->payload, total) < total) {
		pbuf_free(p);
		return -EFAULT;
	}
	err_t e;
	if (rs->hdrincl && s->family == AF_INET) {
		ip_addr_t src;
		int rc = fix_header(p, &ip, &src);
		if (rc) {
			pbuf_free(p);
			return rc;
		}
		struct netif *n = ip_route(&src, &ip);
		e = n ? raw_sendto_if_src(rs->pcb, p, &ip, n, &src) : ERR_RTE;
	} else {
		e = raw_sendto(rs->pcb, p, &ip);
	}
	pbuf_free(p);
	uk_lwip_kick();
	if (e != ERR_OK)
		return err_to_errno(e);
	return total;
}

static ssize_t raw_op_recvmsg(struct uk_socket *s, struct uk_msghdr *msg, int flags)
{
	struct rsock *rs = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	uint64_t deadline = uk_socket_deadline(s, 0);
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	while (!rs->head) {
		int e = uk_socket_take_error(s);
		if (e)
			return e;
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return rc;
		uk_lwip_kick();
	}
	struct rdgram *d = rs->head;
	size_t n = d->len < total ? d->len : total, len = d->len;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	int fault = uk_iov_iter_copy_to(&it, d->data, n) < n;
	if (msg->msg_name)
		msg->msg_namelen = addr_out(s, &d->from, 0, msg->msg_name);
	if (len > total)
		msg->msg_flags |= MSG_TRUNC;
	if (!(flags & MSG_PEEK)) {
		rs->head = d->next;
		if (!rs->head)
			rs->tail = NULL;
		rs->qbytes -= len;
		free(d);
	}
	if (fault)
		return -EFAULT;
	return (flags & MSG_TRUNC) ? (ssize_t)len : (ssize_t)n;
}

/* lwIP sends a header-included datagram as it is: the flag follows
 * IP_HDRINCL (its other flags kept). */
static void set_hdrincl(struct rsock *rs, int on)
{
	u8_t f = raw_flags(rs->pcb) & ~RAW_FLAGS_HDRINCL;
	raw_setflags(rs->pcb, f | (on ? RAW_FLAGS_HDRINCL : 0));
	rs->hdrincl = on;
}

static int int_in(const void *val, int len, int *v)
{
	if (len < (int)sizeof(int)) {
		if (len < 1)
			return -EINVAL;
		*v = *(const unsigned char *)val;	/* Linux takes a byte too */
		return 0;
	}
	memcpy(v, val, sizeof(int));
	return 0;
}

static int raw_setsockopt(struct uk_socket *s, int level, int name, const void *val,
			  int len)
{
	struct rsock *rs = s->priv;
	int v = 0, rc;
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT;
	if (s->family == AF_INET && level == K_SOL_RAW && name == K_ICMP_FILTER) {
		if (s->protocol != K_IPPROTO_ICMP)
			return -EOPNOTSUPP;
		if (len < 4)
			return -EINVAL;
		memcpy(&rs->icmp_filter, val, 4);
		return 0;
	}
	if (s->family == AF_INET6 && level == K_IPPROTO_ICMPV6 && name == K_ICMP6_FILTER) {
		if (s->protocol != K_IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		memset(rs->icmp6_filter, 0, sizeof(rs->icmp6_filter));
		memcpy(rs->icmp6_filter, val, len < 32 ? (size_t)len : 32);
		return 0;
	}
	if (s->family == AF_INET && level == K_IPPROTO_IP) {
		if ((rc = int_in(val, len, &v)))
			return rc;
		switch (name) {
		case K_IP_HDRINCL:
			set_hdrincl(rs, !!v);
			return 0;
		case K_IP_TTL:
			if (v < -1 || v == 0 || v > 255)
				return -EINVAL;
			rs->pcb->ttl = v < 0 ? 64 : v;
			return 0;
		case K_IP_TOS:
			rs->pcb->tos = (u8_t)v;
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (s->family == AF_INET6 && level == K_IPPROTO_IPV6) {
		if ((rc = int_in(val, len, &v)))
			return rc;
		switch (name) {
		case K_IPV6_CHECKSUM:
			/* ICMPv6's is always computed (Linux: EINVAL). */
			if (s->protocol == K_IPPROTO_ICMPV6 || (v > 0 && (v & 1)))
				return -EINVAL;
			rs->pcb->chksum_reqd = v >= 0;
			rs->pcb->chksum_offset = v >= 0 ? (u16_t)v : 0;
			return 0;
		case K_IPV6_UNICAST_HOPS:
			if (v < -1 || v > 255)
				return -EINVAL;
			rs->pcb->ttl = v < 0 ? 64 : v;
			return 0;
		}
		return -ENOPROTOOPT;
	}
	return -ENOPROTOOPT;
}

static int raw_getsockopt(struct uk_socket *s, int level, int name, void *val, int *len)
{
	struct rsock *rs = s->priv;
	int v;
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT;
	if (s->family == AF_INET && level == K_SOL_RAW && name == K_ICMP_FILTER) {
		if (s->protocol != K_IPPROTO_ICMP)
			return -EOPNOTSUPP;
		uk_sockopt_put(val, len, &rs->icmp_filter, 4);
		return 0;
	}
	if (s->family == AF_INET6 && level == K_IPPROTO_ICMPV6 && name == K_ICMP6_FILTER) {
		if (s->protocol != K_IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		uk_sockopt_put(val, len, rs->icmp6_filter, 32);
		return 0;
	}
	if (s->family == AF_INET && level == K_IPPROTO_IP) {
		switch (name) {
		case K_IP_HDRINCL: v = rs->hdrincl; break;
		case K_IP_TTL: v = rs->pcb->ttl; break;
		case K_IP_TOS: v = rs->pcb->tos; break;
		default: return -ENOPROTOOPT;
		}
	} else if (s->family == AF_INET6 && level == K_IPPROTO_IPV6) {
		switch (name) {
		case K_IPV6_CHECKSUM:
			v = rs->pcb->chksum_reqd ? rs->pcb->chksum_offset : -1;
			break;
		case K_IPV6_UNICAST_HOPS: v = rs->pcb->ttl; break;
		default: return -ENOPROTOOPT;
		}
	} else {
		return -ENOPROTOOPT;
	}
	if (*len < 0)
		return -EINVAL;
	uk_sockopt_put(val, len, &v, sizeof(v));
	return 0;
}

static unsigned int raw_op_poll(struct uk_socket *s)
{
	struct rsock *rs = s->priv;
	unsigned int ev = POLLOUT | POLLWRNORM;
	if (rs->head)
		ev |= POLLIN | POLLRDNORM;
	if (s->err)
		ev |= POLLERR;
	return ev;
}

static long raw_op_nread(struct uk_socket *s)
{
	struct rsock *rs = s->priv;
	return rs->head ? (long)rs->head->len : 0;
}

static int raw_op_ioctl(struct uk_socket *s, unsigned int cmd, unsigned long arg)
{
	(void)s;
	if (cmd == K_SIOCOUTQ)
		return uk_put_user(0, (int *)arg);
	return -UK_ENOIOCTLCMD;
}

static void teardown(struct rsock *rs)
{
	if (rs->closed)
		return;
	rs->closed = 1;
	raw_remove(rs->pcb);
	rs->pcb = NULL;
	while (rs->head) {
		struct rdgram *d = rs->head;
		rs->head = d->next;
		free(d);
	}
	rs->tail = NULL;
	rs->qbytes = 0;
	uk_lwip_live_sockets--;
}

static void raw_op_close(struct uk_socket *s)
{
	teardown(s->priv);
	uk_socket_wake(s);
}

static void raw_op_release(struct uk_socket *s)
{
	struct rsock *rs = s->priv;
	if (!rs)
		return;
	teardown(rs);
	free(rs);
	s->priv = NULL;
}

static const struct uk_socket_ops raw_ops = {
	.bind = raw_op_bind,
	.connect = raw_op_connect,
	.getname = raw_op_getname,
	.sendmsg = raw_op_sendmsg,
	.recvmsg = raw_op_recvmsg,
	.setsockopt = raw_setsockopt,
	.getsockopt = raw_getsockopt,
	.poll = raw_op_poll,
	.nread = raw_op_nread,
	.ioctl = raw_op_ioctl,
	.close = raw_op_close,
	.release = raw_op_release,
};

int uk_lwip_raw_create(struct uk_socket *s, int protocol)
{
	if (protocol < 0 || protocol >= K_IPPROTO_MAX)
		return -EINVAL;
	if (!uk_vfs_capable(CAP_NET_RAW))
		return -EPERM;
	if (protocol == K_IPPROTO_IP || protocol > 255)
		return -EPROTONOSUPPORT;
	struct rsock *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	u8_t type = s->family == AF_INET ? IPADDR_TYPE_V4 : IPADDR_TYPE_V6;
	struct raw_pcb *pcb = raw_new_ip_type(type, (u8_t)protocol);
	if (!pcb) {
		free(rs);
		return -ENOBUFS;
	}
	if (s->family == AF_INET6 && protocol == K_IPPROTO_ICMPV6) {
		pcb->chksum_reqd = 1;
		pcb->chksum_offset = 2;
	}
	rs->s = s;
	rs->pcb = pcb;
	set_hdrincl(rs, protocol == K_IPPROTO_RAW);
	raw_recv(pcb, raw_recv_cb, rs);
	s->priv = rs;
	s->ops = &raw_ops;
	uk_lwip_live_sockets++;
	return 0;
}
