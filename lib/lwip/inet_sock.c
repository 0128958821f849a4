/* AF_INET and AF_INET6 sockets for lib/net's socket layer, over lwIP's
 * raw API (NO_SYS: every call with interrupts off, never concurrent).
 *
 * SOCK_STREAM sits on a tcp_pcb: lwIP's callbacks (recv, sent, err,
 * accept, connected) queue data and state in the socket and wake its
 * vnode's wait queue, which blocked callers and poll/select/epoll sleep
 * on. Received pbufs stay queued until the program reads them, and only
 * then is the window reopened (tcp_recved): the receive buffer is the
 * TCP window. SOCK_DGRAM sits on a udp_pcb (UDP or UDP-Lite) with a
 * queue of datagrams. The IPv6 and UDP-Lite options, and the ancillary
 * data they bring, are inet_opt.c's.
 *
 * An AF_INET6 socket is dual-stack (its pcb takes IPv4 and IPv6) unless
 * IPV6_V6ONLY is set before bind; IPv4 peers show as ::ffff:a.b.c.d.
 *
 * lwIP delivers loopback traffic (127.0.0.1, ::1, our own addresses) only
 * from netif_poll_all(): every operation ends with uk_lwip_kick(), which
 * also receives frames and runs due timeouts. Callbacks may run inside
 * such a kick, so the pcb pointer is read again after each one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/poll.h>
#include <asm/ioctls.h>
#include <uk/init.h>
#include <uk/sched.h>
#include <uk/socket.h>
#include <uk/uaccess.h>
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include "lwip_internal.h"
#include "inet_opt.h"

#define K_IPPROTO_IP	0
#define K_IPPROTO_TCP	6
#define K_IPPROTO_UDP	17
#define K_IPPROTO_IPV6	41
#define K_TCP_NODELAY	1
#define K_TCP_MAXSEG	2
#define K_TCP_CORK	3
#define K_TCP_KEEPIDLE	4
#define K_TCP_KEEPINTVL	5
#define K_TCP_KEEPCNT	6
#define K_IP_TOS	1
#define K_IP_TTL	2
#define K_IPV6_V6ONLY	26
#define K_SIOCOUTQ	0x5411

struct k_sockaddr_in {
	uint16_t family;
	uint16_t port;		/* network order */
	uint32_t addr;		/* network order */
	uint8_t zero[8];
};

struct k_sockaddr_in6 {
	uint16_t family;
	uint16_t port;
	uint32_t flowinfo;
	uint32_t addr[4];
	uint32_t scope_id;
};

enum { ST_NEW, ST_LISTEN, ST_CONNECTING, ST_CONNECTED, ST_CLOSED };

struct dgram {
	struct dgram *next;
	struct pbuf *p;
	ip_addr_t addr;
	u16_t port;
	struct inet_rxmeta meta;	/* for the ancillary data */
};

struct isock {
	struct uk_socket *s;
	int family;
	int state;
	struct tcp_pcb *tcp;
	struct udp_pcb *udp;
	/* Stream receive queue: pbufs (their own len only), rx_off into
	 * the first; rx_avail bytes unread. */
	struct pbuf *rxq, *rxq_tail;
	size_t rx_off, rx_avail;
	int rx_eof;		/* FIN received (or the connection ended) */
	int shut_rd, shut_wr;
	int dead;		/* the pcb is gone (reset, aborted, closed) */
	int nodelay, v6only, ttl, tos;
	int closed;		/* the program closed it */
	struct inet_xopts x;	/* IPv6 and UDP-Lite options (inet_opt.c) */
	/* Listening: connections not yet accepted. */
	struct isock *acq_head, *acq_tail;
	int acq_len, backlog;
	/* Datagrams. */
	struct dgram *dq_head, *dq_tail;
	size_t dq_bytes;
	/* Names, kept for after the pcb went. */
	ip_addr_t local_ip, remote_ip;
	u16_t local_port, remote_port;
	int have_peer;
	struct isock *next;	/* in the accept queue */
};

static const struct uk_socket_ops tcp_ops, udp_ops;

static int err_to_errno(err_t e)
{
	switch (e) {
	case ERR_OK: return 0;
	case ERR_MEM: return -ENOMEM;
	case ERR_BUF: return -ENOBUFS;
	case ERR_TIMEOUT: return -ETIMEDOUT;
	case ERR_RTE: return -ENETUNREACH;
	case ERR_INPROGRESS: return -EINPROGRESS;
	case ERR_VAL: return -EINVAL;
	case ERR_WOULDBLOCK: return -EWOULDBLOCK;
	case ERR_USE: return -EADDRINUSE;
	case ERR_ALREADY: return -EALREADY;
	case ERR_ISCONN: return -EISCONN;
	case ERR_CONN: return -ENOTCONN;
	case ERR_IF: return -ENETDOWN;
	case ERR_ABRT: return -ECONNABORTED;
	case ERR_RST: return -ECONNRESET;
	case ERR_CLSD: return -ENOTCONN;
	default: return -EIO;
	}
}

static void wake(struct isock *is)
{
	uk_socket_wake(is->s);
}

/* --- addresses ----------------------------------------------------------- */

/* A program's address into lwIP's; AF_UNSPEC gives -EAFNOSUPPORT (the
 * callers that accept it check first). */
static int addr_in(struct isock *is, const void *sa, int len, ip_addr_t *ip,
		   u16_t *port)
{
	uint16_t fam;
	if (len < 2)
		return -EINVAL;
	memcpy(&fam, sa, 2);
	if (is->family == AF_INET) {
		if (fam != AF_INET)
			return -EAFNOSUPPORT;
		if (len < (int)sizeof(struct k_sockaddr_in))
			return -EINVAL;
		struct k_sockaddr_in a;
		memcpy(&a, sa, sizeof(a));
		ip_addr_set_ip4_u32(ip, a.addr);
		*port = lwip_ntohs(a.port);
		return 0;
	}
	if (fam != AF_INET6)
		return -EAFNOSUPPORT;
	if (len < 24)
		return -EINVAL;
	struct k_sockaddr_in6 a;
	memset(&a, 0, sizeof(a));
	memcpy(&a, sa, len < (int)sizeof(a) ? (size_t)len : sizeof(a));
	*port = lwip_ntohs(a.port);
	if (a.addr[0] == 0 && a.addr[1] == 0 && a.addr[2] == PP_HTONL(0xffffUL)) {
		if (is->v6only)
			return -ENETUNREACH;
		ip_addr_set_ip4_u32(ip, a.addr[3]);
		return 0;
	}
	IP_SET_TYPE(ip, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(ip)->addr, a.addr, 16);
	ip6_addr_clear_zone(ip_2_ip6(ip));
	if (ip6_addr_islinklocal(ip_2_ip6(ip)) && a.scope_id)
		ip6_addr_set_zone(ip_2_ip6(ip), (u8_t)a.scope_id);
	else if (ip6_addr_islinklocal(ip_2_ip6(ip))) {
		struct netif *n = netif_default;
		if (n)
			ip6_addr_set_zone(ip_2_ip6(ip), netif_get_index(n));
	}
	return 0;
}

/* lwIP's address into a program's; returns the length. */
static int addr_out(struct isock *is, const ip_addr_t *ip, u16_t port, void *out)
{
	if (is->family == AF_INET) {
		struct k_sockaddr_in a;
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		a.port = lwip_htons(port);
		a.addr = (ip && IP_IS_V4(ip)) ? ip4_addr_get_u32(ip_2_ip4(ip)) : 0;
		memcpy(out, &a, sizeof(a));
		return sizeof(a);
	}
	struct k_sockaddr_in6 a;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.port = lwip_htons(port);
	if (ip && IP_IS_V4(ip) && !IP_IS_ANY_TYPE_VAL(*ip)) {
		u32_t v4 = ip4_addr_get_u32(ip_2_ip4(ip));
		if (v4) {
			a.addr[2] = PP_HTONL(0xffffUL);
			a.addr[3] = v4;
		}
	} else if (ip && IP_IS_V6(ip)) {
		memcpy(a.addr, ip_2_ip6(ip)->addr, 16);
		if (ip6_addr_islinklocal(ip_2_ip6(ip)))
			a.scope_id = ip6_addr_zone(ip_2_ip6(ip));
	}
	memcpy(out, &a, sizeof(a));
	return sizeof(a);
}

/* The wildcard address of the socket's family (dual-stack for AF_INET6). */
static const ip_addr_t *any_addr(struct isock *is)
{
	if (is->family == AF_INET)
		return IP4_ADDR_ANY;
	return is->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;
}

static int is_any(const ip_addr_t *ip)
{
	if (IP_IS_V4(ip))
		return ip4_addr_isany_val(*ip_2_ip4(ip));
	return ip6_addr_isany(ip_2_ip6(ip));
}

/* bind() to an address that is not ours: EADDRNOTAVAIL, as Linux. */
static int addr_is_local(const ip_addr_t *ip)
{
	if (is_any(ip))
		return 1;
	if (IP_IS_V4(ip)) {
		u32_t a = ip4_addr_get_u32(ip_2_ip4(ip));
		if (ip4_addr_isloopback(ip_2_ip4(ip)) || a == IPADDR_BROADCAST ||
		    ip4_addr_ismulticast(ip_2_ip4(ip)))
			return 1;
		/* A subnet's broadcast address, per interface: without a
		 * network there is no netif_default to ask (lwIP's check
		 * dereferences the one it is given). */
		struct netif *n;
		NETIF_FOREACH(n)
			if (ip4_addr_cmp(netif_ip4_addr(n), ip_2_ip4(ip)) ||
			    ip4_addr_isbroadcast_u32(a, n))
				return 1;
		return 0;
	}
	if (ip6_addr_isloopback(ip_2_ip6(ip)) || ip6_addr_ismulticast(ip_2_ip6(ip)))
		return 1;
	struct netif *n;
	NETIF_FOREACH(n)
		if (netif_get_ip6_addr_match(n, ip_2_ip6(ip)) >= 0)
			return 1;
	return 0;
}

/* Connecting to the wildcard means the local host, as on Linux. */
static void any_to_loopback(ip_addr_t *ip)
{
	if (!is_any(ip))
		return;
	if (IP_IS_V4(ip))
		ip_addr_set_ip4_u32(ip, PP_HTONL(0x7f000001UL));
	else {
		IP_SET_TYPE(ip, IPADDR_TYPE_V6);
		ip6_addr_set_loopback(ip_2_ip6(ip));
	}
}

static void cache_names(struct isock *is)
{
	if (is->tcp) {
		ip_addr_copy(is->local_ip, is->tcp->local_ip);
		is->local_port = is->tcp->local_port;
		if (is->state == ST_CONNECTED || is->state == ST_CONNECTING) {
			ip_addr_copy(is->remote_ip, is->tcp->remote_ip);
			is->remote_port = is->tcp->remote_port;
			is->have_peer = 1;
		}
	} else if (is->udp) {
		ip_addr_copy(is->local_ip, is->udp->local_ip);
		is->local_port = is->udp->local_port;
		if (is->udp->flags & UDP_FLAGS_CONNECTED) {
			ip_addr_copy(is->remote_ip, is->udp->remote_ip);
			is->remote_port = is->udp->remote_port;
			is->have_peer = 1;
		} else {
			is->have_peer = 0;
		}
	}
}

/* --- TCP callbacks ------------------------------------------------------- */

static err_t tcp_recv_cb(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct isock *is = arg;
	if (!is) {
		if (p) {
			tcp_recved(pcb, p->tot_len);
			pbuf_free(p);
		}
		return ERR_OK;
	}
	if (!p || err != ERR_OK) {
		if (p)
			pbuf_free(p);
		is->rx_eof = 1;
		wake(is);
		return ERR_OK;
	}
	if (is->shut_rd) {
		/* Read side shut: the data is dropped, the window stays open. */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	is->rx_avail += p->tot_len;
	/* Keep the chain as a list of pbufs, each with its own len. */
	if (is->rxq_tail)
		is->rxq_tail->next = p;
	else
		is->rxq = p;
	struct pbuf *q = p;
	while (q->next)
		q = q->next;
	is->rxq_tail = q;
	uk_socket_wake_events(is->s, UK_WAKE_IN);
	return ERR_OK;
}

static err_t tcp_sent_cb(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb;
	(void)len;
	if (arg)
		uk_socket_wake_events(((struct isock *)arg)->s, UK_WAKE_OUT);
	return ERR_OK;
}

static void tcp_err_cb(void *arg, err_t err)
{
	struct isock *is = arg;
	if (!is)
		return;
	is->tcp = NULL;		/* lwIP freed it */
	is->dead = 1;
	if (is->state == ST_CONNECTING) {
		is->s->err = err == ERR_RST ? ECONNREFUSED :
			     err == ERR_ABRT ? ETIMEDOUT : -err_to_errno(err);
	} else if (err == ERR_RST) {
		is->s->err = ECONNRESET;
	} else if (err == ERR_ABRT) {
		is->s->err = ECONNABORTED;
	}
	is->state = ST_CLOSED;
	is->rx_eof = 1;
	wake(is);
}

static err_t tcp_connected_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)pcb;
	struct isock *is = arg;
	if (!is)
		return ERR_OK;
	if (err == ERR_OK) {
		is->state = ST_CONNECTED;
		cache_names(is);
	}
	wake(is);
	return ERR_OK;
}

static void hook_tcp(struct isock *is, struct tcp_pcb *pcb)
{
	is->tcp = pcb;
	tcp_arg(pcb, is);
	tcp_recv(pcb, tcp_recv_cb);
	tcp_sent(pcb, tcp_sent_cb);
	tcp_err(pcb, tcp_err_cb);
}

static void unhook_tcp(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	if (pcb->state != LISTEN) {
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
	} else {
		tcp_accept(pcb, NULL);
	}
}

static struct isock *isock_new(struct uk_socket *s, int family)
{
	struct isock *is = calloc(1, sizeof(*is));
	if (!is)
		return NULL;
	is->s = s;
	is->family = family;
	is->ttl = 64;
	inet_xopts_init(&is->x);
	s->priv = is;
	uk_lwip_live_sockets++;
	return is;
}

/* Undoes isock_new for a socket whose lwIP pcb could not be made. */
static void isock_unmake(struct isock *is)
{
	is->s->priv = NULL;
	uk_lwip_live_sockets--;
	free(is);
}

static void teardown(struct isock *is);

static err_t tcp_accept_cb(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct isock *ls = arg;
	if (!ls || err != ERR_OK || !newpcb)
		return ERR_VAL;
	if (ls->acq_len >= ls->backlog + 1)
		return ERR_MEM;		/* lwIP resets it */
	struct uk_socket *s = uk_socket_alloc(ls->family, SOCK_STREAM, ls->s->protocol);
	if (!s)
		return ERR_MEM;
	struct isock *is = isock_new(s, ls->family);
	if (!is) {
		uk_socket_put(s);
		return ERR_MEM;
	}
	s->ops = &tcp_ops;
	is->state = ST_CONNECTED;
	is->nodelay = ls->nodelay;
	is->v6only = ls->v6only;
	/* The IPv6 options are the listener's, as Linux copies them. */
	is->x = ls->x;
	if (is->x.uhops >= 0)
		newpcb->ttl = (u8_t)is->x.uhops;
	if (is->family == AF_INET6)
		newpcb->tos = (u8_t)is->x.tclass;
	hook_tcp(is, newpcb);
	if (is->nodelay)
		tcp_nagle_disable(newpcb);
	cache_names(is);
	if (ls->acq_tail)
		ls->acq_tail->next = is;
	else
		ls->acq_head = is;
	ls->acq_tail = is;
	ls->acq_len++;
	wake(ls);
	return ERR_OK;
}

/* --- TCP operations ------------------------------------------------------ */

static int inet_bind_common(struct isock *is, const void *addr, int len,
			    ip_addr_t *ip, u16_t *port)
{
	int rc = addr_in(is, addr, len, ip, port);
	if (rc)
		return rc == -ENETUNREACH ? -EADDRNOTAVAIL : rc;
	if (!addr_is_local(ip))
		return -EADDRNOTAVAIL;
	if (is_any(ip))
		ip_addr_copy(*ip, *any_addr(is));
	return 0;
}

static int tcp_op_bind(struct uk_socket *s, const void *addr, int len)
{
	struct isock *is = s->priv;
	ip_addr_t ip;
	u16_t port;
	if (!is->tcp || is->state != ST_NEW || is->local_port)
		return -EINVAL;
	int rc = inet_bind_common(is, addr, len, &ip, &port);
	if (rc)
		return rc;
	if (uk_socket_opt(s, SO_REUSEADDR))
		ip_set_option(is->tcp, SOF_REUSEADDR);
	err_t e = tcp_bind(is->tcp, &ip, port);
	if (e != ERR_OK)
		return err_to_errno(e);
	cache_names(is);
	return 0;
}

static int tcp_op_listen(struct uk_socket *s, int backlog)
{
	struct isock *is = s->priv;
	if (backlog < 0)
		backlog = 0;
	if (is->state == ST_LISTEN) {
		is->backlog = backlog;
		return 0;
	}
	if (is->state != ST_NEW || !is->tcp)
		return -EINVAL;
	if (uk_socket_opt(s, SO_REUSEADDR))
		ip_set_option(is->tcp, SOF_REUSEADDR);
	if (!is->local_port) {
		err_t e = tcp_bind(is->tcp, any_addr(is), 0);
		if (e != ERR_OK)
			return err_to_errno(e);
	}
	err_t e = ERR_OK;
	struct tcp_pcb *l = tcp_listen_with_backlog_and_err(is->tcp, 255, &e);
	if (!l)
		return err_to_errno(e);
	is->tcp = l;
	tcp_arg(l, is);
	tcp_accept(l, tcp_accept_cb);
	is->state = ST_LISTEN;
	is->backlog = backlog;
	cache_names(is);
	return 0;
}

static int tcp_op_accept(struct uk_socket *s, struct uk_socket **out, int nonblock)
{
	struct isock *is = s->priv;
	if (is->state != ST_LISTEN)
		return -EINVAL;
	uint64_t deadline = uk_socket_deadline(s, 0);
	for (;;) {
		uk_lwip_kick();
		if (is->state != ST_LISTEN || is->closed)
			return -EINVAL;
		struct isock *c = is->acq_head;
		if (c) {
			is->acq_head = c->next;
			if (!is->acq_head)
				is->acq_tail = NULL;
			is->acq_len--;
			c->next = NULL;
			*out = c->s;
			return 0;
		}
		if (nonblock)
			return -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return rc;
	}
}

static int tcp_op_connect(struct uk_socket *s, const void *addr, int len, int nonblock)
{
	struct isock *is = s->priv;
	switch (is->state) {
	case ST_LISTEN:
		return -EISCONN;
	case ST_CONNECTED:
		return -EISCONN;
	case ST_CONNECTING:
		if (nonblock)
			return -EALREADY;
		goto wait;
	case ST_CLOSED: {
		int e = uk_socket_take_error(s);
		return e ? e : -EISCONN;
	}
	}
	ip_addr_t ip;
	u16_t port;
	uint16_t fam = 0;
	if (len >= 2)
		memcpy(&fam, addr, 2);
	if (fam == AF_UNSPEC)
		return 0;
	int rc = addr_in(is, addr, len, &ip, &port);
	if (rc)
		return rc;
	if (!is->tcp)
		return -EINVAL;
	any_to_loopback(&ip);
	if (uk_socket_opt(s, SO_REUSEADDR))
		ip_set_option(is->tcp, SOF_REUSEADDR);
	is->state = ST_CONNECTING;
	err_t e = tcp_connect(is->tcp, &ip, port, tcp_connected_cb);
	if (e != ERR_OK) {
		is->state = ST_NEW;
		return err_to_errno(e);
	}
	cache_names(is);
	uk_lwip_kick();
	if (nonblock)
		return -EINPROGRESS;
wait:;
	uint64_t deadline = uk_socket_deadline(s, 1);
	while (is->state == ST_CONNECTING) {
		int w = uk_socket_wait(s, deadline);
		if (w == -EAGAIN)
			return -EINPROGRESS;
		if (w)
			return w;
		uk_lwip_kick();
	}
	if (is->state == ST_CONNECTED)
		return 0;
	int e2 = uk_socket_take_error(s);
	return e2 ? e2 : -ECONNREFUSED;
}

static int tcp_op_shutdown(struct uk_socket *s, int how)
{
	struct isock *is = s->priv;
	if (is->state == ST_LISTEN) {
		/* Linux: shutdown(SHUT_RD) of a listener stops accept. */
		return -ENOTCONN;
	}
	if (is->state != ST_CONNECTED && !(is->state == ST_CLOSED && is->have_peer))
		return -ENOTCONN;
	if (how == SHUT_RD || how == SHUT_RDWR) {
		is->shut_rd = 1;
	}
	if ((how == SHUT_WR || how == SHUT_RDWR) && !is->shut_wr) {
		is->shut_wr = 1;
		if (is->tcp) {
			tcp_shutdown(is->tcp, 0, 1);
			uk_lwip_kick();
		}
	}
	wake(is);
	return 0;
}

static int tcp_op_getname(struct uk_socket *s, void *addr, int *len, int peer)
{
	struct isock *is = s->priv;
	if (is->tcp)
		cache_names(is);
	if (peer) {
		if (!is->have_peer || (is->state != ST_CONNECTED && is->state != ST_CLOSED))
			return -ENOTCONN;
		*len = addr_out(is, &is->remote_ip, is->remote_port, addr);
	} else {
		*len = addr_out(is, &is->local_ip, is->local_port, addr);
	}
	return 0;
}

static size_t send_room(struct isock *is)
{
	if (!is->tcp)
		return 0;
	if (tcp_sndqueuelen(is->tcp) >= TCP_SND_QUEUELEN - 2)
		return 0;
	return tcp_sndbuf(is->tcp);
}

static ssize_t tcp_op_sendmsg(struct uk_socket *s, const struct uk_msghdr *msg, int flags)
{
	struct isock *is = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen), done = 0;
	uint64_t deadline = uk_socket_deadline(s, 1);
	/* As Linux: a connection in progress is waited for; a socket never
	 * connected gives EPIPE. */
	while (is->state == ST_CONNECTING) {
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return rc;
		uk_lwip_kick();
	}
	if (is->state == ST_NEW || is->state == ST_LISTEN) {
		uk_socket_sigpipe(flags);
		return -EPIPE;
	}
	size_t vi = 0, voff = 0;
	while (done < total || total == 0) {
		if (is->shut_wr || !is->tcp || is->dead) {
			if (done)
				break;
			int e = uk_socket_take_error(s);
			if (e)
				return e;
			uk_socket_sigpipe(flags);
			return -EPIPE;
		}
		if (total == 0)
			return 0;
		size_t room = send_room(is);
		if (!room) {
			tcp_output(is->tcp);
			uk_lwip_kick();
			if (is->tcp && send_room(is))
				continue;
			/* A blocking send waits until all of it is queued, as
			 * Linux's does; only a signal, SO_SNDTIMEO or an error
			 * ends it short. */
			if (flags & MSG_DONTWAIT)
				return done ? (ssize_t)done : -EAGAIN;
			int rc = uk_socket_wait(s, deadline);
			if (rc)
				return done ? (ssize_t)done : rc;
			uk_lwip_kick();
			continue;
		}
		while (room && done < total) {
			while (vi < msg->msg_iovlen && voff >= msg->msg_iov[vi].iov_len) {
				vi++;
				voff = 0;
			}
			if (vi >= msg->msg_iovlen)
				break;
			size_t n = msg->msg_iov[vi].iov_len - voff;
			if (n > room)
				n = room;
			if (n > 0xffff)
				n = 0xffff;
			/* lwIP copies the bytes itself: only what is there to
			 * read goes to it, and a fault ends the send (Linux's
			 * short count). */
			const char *src = (const char *)msg->msg_iov[vi].iov_base + voff;
			size_t ok = uk_user_readable(src, n);
			if (!ok)
				return done ? (ssize_t)done : -EFAULT;
			if (ok < n) {
				n = ok;
				total = done + n;
			}
			u8_t wf = TCP_WRITE_FLAG_COPY;
			if (done + n < total || (flags & MSG_MORE))
				wf |= TCP_WRITE_FLAG_MORE;
			err_t e = tcp_write(is->tcp, src, (u16_t)n, wf);
			if (e == ERR_MEM) {
				room = 0;
				break;
			}
			if (e != ERR_OK)
				return done ? (ssize_t)done : err_to_errno(e);
			voff += n;
			done += n;
			room -= n;
		}
		if (is->tcp)
			tcp_output(is->tcp);
		uk_lwip_kick();
	}
	return done;
}

static void rx_consume(struct isock *is, size_t n)
{
	size_t left = n;
	while (left && is->rxq) {
		struct pbuf *p = is->rxq;
		size_t here = p->len - is->rx_off;
		if (left < here) {
			is->rx_off += left;
			left = 0;
			break;
		}
		left -= here;
		is->rx_off = 0;
		is->rxq = p->next;
		if (!is->rxq)
			is->rxq_tail = NULL;
		p->next = NULL;
		p->tot_len = p->len;
		pbuf_free(p);
	}
	is->rx_avail -= n;
	size_t win = n;
	while (is->tcp && win) {
		u16_t w = win > 0xffff ? 0xffff : (u16_t)win;
		tcp_recved(is->tcp, w);
		win -= w;
	}
}

static ssize_t tcp_op_recvmsg(struct uk_socket *s, struct uk_msghdr *msg, int flags)
{
	struct isock *is = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen), done = 0;
	msg->msg_namelen = 0;
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	if (flags & MSG_OOB)
		return -EINVAL;
	if (is->state == ST_LISTEN || is->state == ST_NEW)
		return -ENOTCONN;
	uint64_t deadline = uk_socket_deadline(s, 0);
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	for (;;) {
		if (is->rx_avail && done < total) {
			/* Copy from the queue (a peek starts over each time). */
			struct pbuf *p = is->rxq;
			size_t off = is->rx_off, copied = 0;
			int fault = 0;
			while (p && done + copied < total) {
				size_t here = p->len - off;
				size_t n = total - done - copied;
				if (n > here)
					n = here;
				/* A piece that cannot all go out stays queued. */
				if (uk_iov_iter_copy_to(&it, (char *)p->payload + off, n) < n) {
					fault = 1;
					break;
				}
				copied += n;
				off += n;
				if (off >= p->len) {
					p = p->next;
					off = 0;
				}
			}
			if (!(flags & MSG_PEEK))
				rx_consume(is, copied);
			done += copied;
			if (fault)
				return done ? (ssize_t)done : -EFAULT;
			if (!(flags & MSG_PEEK))
				uk_lwip_kick();
			if (done >= total || !(flags & MSG_WAITALL) || (flags & MSG_PEEK))
				return done;
			continue;
		}
		if (total == 0)
			return 0;
		if (is->rx_eof || is->shut_rd || is->dead) {
			if (done)
				return done;
			int e = uk_socket_take_error(s);
			if (e && e != -ECONNABORTED)
				return e;
			return 0;
		}
		if (is->state == ST_CONNECTING) {
			if (flags & MSG_DONTWAIT)
				return -EAGAIN;
		}
		if (flags & MSG_DONTWAIT)
			return done ? (ssize_t)done : -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return done ? (ssize_t)done : rc;
		uk_lwip_kick();
	}
}

static unsigned int tcp_op_poll(struct uk_socket *s)
{
	struct isock *is = s->priv;
	unsigned int ev = 0;
	switch (is->state) {
	case ST_NEW:
		return POLLOUT | POLLWRNORM | POLLHUP;
	case ST_LISTEN:
		return is->acq_head ? POLLIN | POLLRDNORM : 0;
	case ST_CONNECTING:
		return 0;
	default:
		break;
	}
	if (is->rx_avail || is->rx_eof || is->shut_rd)
		ev |= POLLIN | POLLRDNORM;
	if (is->rx_eof || is->shut_rd)
		ev |= POLLRDHUP;
	if (is->tcp && !is->shut_wr && send_room(is) >= TCP_SNDLOWAT)
		ev |= POLLOUT | POLLWRNORM;
	if ((is->rx_eof && is->shut_wr) || is->dead) {
		ev |= POLLHUP;
		if (is->dead)
			ev |= POLLOUT | POLLWRNORM | POLLIN | POLLRDNORM;
	}
	if (s->err)
		ev |= POLLERR;
	return ev;
}

static int inet_setsockopt(struct uk_socket *s, int level, int name,
			   const void *val, int len)
{
	struct isock *is = s->priv;
	int v = 0;
	if (len >= (int)sizeof(int))
		memcpy(&v, val, sizeof(int));
	else if (len > 0)
		v = *(const unsigned char *)val;
	if (level == SOL_SOCKET) {
		u8_t *opts = is->tcp ? &is->tcp->so_options :
			     is->udp ? &is->udp->so_options : NULL;
		if (opts && name == SO_KEEPALIVE) {
			if (v)
				*opts |= SOF_KEEPALIVE;
			else
				*opts &= (u8_t)~SOF_KEEPALIVE;
		}
		if (opts && name == SO_REUSEADDR) {
			if (v)
				*opts |= SOF_REUSEADDR;
			else
				*opts &= (u8_t)~SOF_REUSEADDR;
		}
		return 0;
	}
	if (len < (int)sizeof(int))
		return -EINVAL;
	if (level == K_IPPROTO_TCP) {
		if (s->type != SOCK_STREAM)
			return -ENOPROTOOPT;
		switch (name) {
		case K_TCP_NODELAY:
			is->nodelay = !!v;
			if (is->tcp && is->state != ST_LISTEN) {
				if (v)
					tcp_nagle_disable(is->tcp);
				else
					tcp_nagle_enable(is->tcp);
			}
			return 0;
		case K_TCP_KEEPIDLE:
			if (v < 1)
				return -EINVAL;
			if (is->tcp)
				is->tcp->keep_idle = (u32_t)v * 1000;
			return 0;
		case K_TCP_KEEPINTVL:
			if (v < 1)
				return -EINVAL;
			if (is->tcp)
				is->tcp->keep_intvl = (u32_t)v * 1000;
			return 0;
		case K_TCP_KEEPCNT:
			if (v < 1)
				return -EINVAL;
			if (is->tcp)
				is->tcp->keep_cnt = (u32_t)v;
			return 0;
		case K_TCP_MAXSEG:
		case K_TCP_CORK:
		case 12:	/* TCP_QUICKACK */
		case 9:		/* TCP_DEFER_ACCEPT */
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == K_IPPROTO_IP) {
		switch (name) {
		case K_IP_TTL:
			if (v < 1 || v > 255)
				return -EINVAL;
			is->ttl = v;
			if (is->tcp)
				is->tcp->ttl = (u8_t)v;
			if (is->udp)
				is->udp->ttl = (u8_t)v;
			return 0;
		case K_IP_TOS:
			is->tos = v & 0xff;
			if (is->tcp)
				is->tcp->tos = (u8_t)v;
			if (is->udp)
				is->udp->tos = (u8_t)v;
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == K_IPPROTO_IPV6 && is->family == AF_INET6) {
		if (name == K_IPV6_V6ONLY) {
			if (is->local_port)
				return -EINVAL;
			is->v6only = !!v;
			return 0;
		}
		/* A datagram socket picks them per datagram (sendmsg). */
		return inet6_setopt(&is->x, name, v, len, val,
				    is->tcp ? &is->tcp->ttl : NULL,
				    is->tcp ? &is->tcp->tos : NULL);
	}
	if ((level == K_IPPROTO_UDP || level == K_SOL_UDPLITE) && s->type == SOCK_DGRAM)
		return inet_udp_setopt(&is->x, s->protocol, name, v, len);
	return -ENOPROTOOPT;
}

static int inet_getsockopt(struct uk_socket *s, int level, int name, void *val, int *len)
{
	struct isock *is = s->priv;
	int v;
	if (level == SOL_SOCKET) {
		if (name == SO_ACCEPTCONN) {
			v = is->state == ST_LISTEN;
			uk_sockopt_put(val, len, &v, sizeof(v));
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == K_IPPROTO_TCP && s->type == SOCK_STREAM) {
		switch (name) {
		case K_TCP_NODELAY:
			v = is->nodelay;
			break;
		case K_TCP_MAXSEG:
			v = is->tcp && is->state != ST_LISTEN ? tcp_mss(is->tcp) : TCP_MSS;
			break;
		case K_TCP_KEEPIDLE:
			v = is->tcp ? (int)(is->tcp->keep_idle / 1000) : 7200;
			break;
		case K_TCP_KEEPINTVL:
			v = is->tcp ? (int)(is->tcp->keep_intvl / 1000) : 75;
			break;
		case K_TCP_KEEPCNT:
			v = is->tcp ? (int)is->tcp->keep_cnt : 9;
			break;
		case K_TCP_CORK:
			v = 0;
			break;
		default:
			return -ENOPROTOOPT;
		}
		uk_sockopt_put(val, len, &v, sizeof(v));
		return 0;
	}
	if (level == K_IPPROTO_IP) {
		if (name == K_IP_TTL)
			v = is->ttl;
		else if (name == K_IP_TOS)
			v = is->tos;
		else
			return -ENOPROTOOPT;
		uk_sockopt_put(val, len, &v, sizeof(v));
		return 0;
	}
	if (level == K_IPPROTO_IPV6 && is->family == AF_INET6 && name == K_IPV6_V6ONLY) {
		v = is->v6only;
		uk_sockopt_put(val, len, &v, sizeof(v));
		return 0;
	}
	if (level == K_IPPROTO_IPV6 && is->family == AF_INET6)
		return inet6_getopt(&is->x, name, val, len);
	if ((level == K_IPPROTO_UDP || level == K_SOL_UDPLITE) && s->type == SOCK_DGRAM)
		return inet_udp_getopt(&is->x, name, val, len);
	/* Linux's ip_getsockopt takes the levels IPv4 sockets do not know. */
	if (is->family == AF_INET && level != K_IPPROTO_IP &&
	    !(level == K_IPPROTO_TCP && s->type == SOCK_STREAM))
		return -EOPNOTSUPP;
	return -ENOPROTOOPT;
}

static long tcp_op_nread(struct uk_socket *s)
{
	struct isock *is = s->priv;
	return is->state == ST_LISTEN ? -EINVAL : (int)is->rx_avail;
}

static int tcp_op_ioctl(struct uk_socket *s, unsigned int cmd, unsigned long arg)
{
	struct isock *is = s->priv;
	if (cmd == K_SIOCOUTQ)
		return uk_put_user(is->tcp && is->state != ST_LISTEN ?
				   (int)(TCP_SND_BUF - tcp_sndbuf(is->tcp)) : 0, (int *)arg);
	return -UK_ENOIOCTLCMD;
}

static void free_rxq(struct isock *is)
{
	while (is->rxq) {
		struct pbuf *p = is->rxq;
		is->rxq = p->next;
		p->next = NULL;
		p->tot_len = p->len;
		pbuf_free(p);
	}
	is->rxq_tail = NULL;
	is->rx_avail = 0;
	is->rx_off = 0;
}

/* Ends the socket for the program (close, or a connection never
 * accepted): the pcb goes (with a FIN, or a reset when data was left
 * unread or SO_LINGER is 0), queued data is freed. */
static void teardown(struct isock *is)
{
	if (is->closed)
		return;
	is->closed = 1;
	if (is->tcp) {
		struct tcp_pcb *pcb = is->tcp;
		is->tcp = NULL;
		unhook_tcp(pcb);
		if (pcb->state == LISTEN) {
			tcp_close(pcb);
		} else if (is->rx_avail ||
			   (is->s->linger.l_onoff && !is->s->linger.l_linger)) {
			tcp_abort(pcb);
		} else if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
		}
	}
	if (is->udp) {
		udp_remove(is->udp);
		is->udp = NULL;
	}
	free_rxq(is);
	while (is->dq_head) {
		struct dgram *d = is->dq_head;
		is->dq_head = d->next;
		pbuf_free(d->p);
		free(d);
	}
	is->dq_tail = NULL;
	while (is->acq_head) {
		struct isock *c = is->acq_head;
		is->acq_head = c->next;
		c->next = NULL;
		teardown(c);
		uk_socket_put(c->s);
	}
	is->acq_tail = NULL;
	is->acq_len = 0;
	is->state = ST_CLOSED;
	uk_lwip_live_sockets--;
}

static void inet_op_close(struct uk_socket *s)
{
	struct isock *is = s->priv;
	teardown(is);
	uk_lwip_kick();
}

static void inet_op_release(struct uk_socket *s)
{
	struct isock *is = s->priv;
	if (!is)
		return;
	teardown(is);
	free(is);
	s->priv = NULL;
}

static const struct uk_socket_ops tcp_ops = {
	.bind = tcp_op_bind,
	.connect = tcp_op_connect,
	.listen = tcp_op_listen,
	.accept = tcp_op_accept,
	.shutdown = tcp_op_shutdown,
	.getname = tcp_op_getname,
	.sendmsg = tcp_op_sendmsg,
	.recvmsg = tcp_op_recvmsg,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.poll = tcp_op_poll,
	.nread = tcp_op_nread,
	.ioctl = tcp_op_ioctl,
	.close = inet_op_close,
	.release = inet_op_release,
};

/* --- UDP ----------------------------------------------------------------- */

static void udp_recv_cb(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr, u16_t port)
{
	(void)pcb;
	struct isock *is = arg;
	if (!is || is->closed || is->shut_rd ||
	    is->dq_bytes + p->tot_len > (size_t)is->s->rcvbuf) {
		pbuf_free(p);
		return;
	}
	struct inet_rxmeta meta;
	if (inet_rx_meta(&is->x, is->s->protocol, p, &meta)) {
		pbuf_free(p);
		return;
	}
	struct dgram *d = malloc(sizeof(*d));
	if (!d) {
		pbuf_free(p);
		return;
	}
	d->next = NULL;
	d->p = p;
	d->meta = meta;
	ip_addr_copy(d->addr, *addr);
	d->port = port;
	if (is->dq_tail)
		is->dq_tail->next = d;
	else
		is->dq_head = d;
	is->dq_tail = d;
	is->dq_bytes += p->tot_len;
	wake(is);
}

static int udp_op_bind(struct uk_socket *s, const void *addr, int len)
{
	struct isock *is = s->priv;
	ip_addr_t ip;
	u16_t port;
	if (!is->udp || is->local_port)
		return -EINVAL;
	int rc = inet_bind_common(is, addr, len, &ip, &port);
	if (rc)
		return rc;
	if (uk_socket_opt(s, SO_REUSEADDR))
		ip_set_option(is->udp, SOF_REUSEADDR);
	err_t e = udp_bind(is->udp, &ip, port);
	if (e != ERR_OK)
		return err_to_errno(e);
	cache_names(is);
	return 0;
}

static int udp_op_connect(struct uk_socket *s, const void *addr, int len, int nonblock)
{
	(void)nonblock;
	struct isock *is = s->priv;
	uint16_t fam = 0;
	if (!is->udp)
		return -EINVAL;
	if (len >= 2)
		memcpy(&fam, addr, 2);
	if (fam == AF_UNSPEC) {
		udp_disconnect(is->udp);
		cache_names(is);
		return 0;
	}
	ip_addr_t ip;
	u16_t port;
	int rc = addr_in(is, addr, len, &ip, &port);
	if (rc)
		return rc;
	any_to_loopback(&ip);
	if (!is->local_port) {
		err_t e = udp_bind(is->udp, any_addr(is), 0);
		if (e != ERR_OK)
			return err_to_errno(e);
	}
	err_t e = udp_connect(is->udp, &ip, port);
	if (e != ERR_OK)
		return err_to_errno(e);
	cache_names(is);
	is->state = ST_CONNECTED;
	return 0;
}

static int udp_op_getname(struct uk_socket *s, void *addr, int *len, int peer)
{
	struct isock *is = s->priv;
	cache_names(is);
	if (peer) {
		if (!is->have_peer)
			return -ENOTCONN;
		*len = addr_out(is, &is->remote_ip, is->remote_port, addr);
	} else {
		*len = addr_out(is, &is->local_ip, is->local_port, addr);
	}
	return 0;
}

static int udp_op_shutdown(struct uk_socket *s, int how)
{
	struct isock *is = s->priv;
	if (!is->have_peer)
		return -ENOTCONN;
	if (how != SHUT_WR)
		is->shut_rd = 1;
	if (how != SHUT_RD)
		is->shut_wr = 1;
	wake(is);
	return 0;
}

static ssize_t udp_op_sendmsg(struct uk_socket *s, const struct uk_msghdr *msg, int flags)
{
	struct isock *is = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	if (!is->udp)
		return -EBADF;
	if (is->shut_wr) {
		uk_socket_sigpipe(flags);
		return -EPIPE;
	}
	if (total > 65507)
		return -EMSGSIZE;
	ip_addr_t ip;
	u16_t port = 0;
	int to = 0;
	if (msg->msg_name && msg->msg_namelen) {
		struct uk_sockaddr_storage ka;
		int nl = msg->msg_namelen;
		if (nl < 0)
			return -EINVAL;
		if (nl > (int)sizeof(ka))
			nl = sizeof(ka);
		memcpy(&ka, msg->msg_name, nl);
		int rc = addr_in(is, &ka, nl, &ip, &port);
		if (rc)
			return rc;
		if (!port)
			return -EINVAL;
		any_to_loopback(&ip);
		to = 1;
	} else if (!(is->udp->flags & UDP_FLAGS_CONNECTED)) {
		return -EDESTADDRREQ;
	}
	/* An IPv6 datagram's hop limit and traffic class: its ancillary
	 * data's, or the socket's IPv6 options (an IPv4 one keeps IP_TTL's
	 * and IP_TOS's, and its ancillary data, as Linux's, is not read
	 * here). */
	struct inet_txctl tx = { -1, -1 };
	const ip_addr_t *dst = to ? &ip : &is->udp->remote_ip;
	if (is->family == AF_INET6 && IP_IS_V6(dst)) {
		int rc = inet6_tx_cmsg(msg, &tx);
		if (rc)
			return rc;
		if (tx.hlim < 0)
			tx.hlim = inet6_hops(&is->x, dst);
		if (tx.tclass < 0)
			tx.tclass = is->x.tclass;
	}
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)total, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	if (uk_iov_iter_copy_from(&it, p->payload, total) < total) {
		pbuf_free(p);
		return -EFAULT;
	}
	u8_t ttl = is->udp->ttl, tos = is->udp->tos;
	if (tx.hlim >= 0)
		is->udp->ttl = (u8_t)tx.hlim;
	if (tx.tclass >= 0)
		is->udp->tos = (u8_t)tx.tclass;
	if (s->protocol == K_IPPROTO_UDPLITE)
		is->udp->chksum_len_tx = inet_udplite_txcov(&is->x, total);
	err_t e = to ? udp_sendto(is->udp, p, &ip, port) : udp_send(is->udp, p);
	if (is->udp) {
		is->udp->ttl = ttl;
		is->udp->tos = tos;
	}
	pbuf_free(p);
	cache_names(is);
	uk_lwip_kick();
	if (e != ERR_OK)
		return err_to_errno(e);
	return total;
}

static ssize_t udp_op_recvmsg(struct uk_socket *s, struct uk_msghdr *msg, int flags)
{
	struct isock *is = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	uint64_t deadline = uk_socket_deadline(s, 0);
	size_t ctl_room = msg->msg_controllen;
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	for (;;) {
		struct dgram *d = is->dq_head;
		if (d) {
			size_t len = d->p->tot_len, n = len < total ? len : total;
			struct uk_iov_iter it;
			uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
			size_t off = 0;
			int fault = 0;
			for (struct pbuf *q = d->p; q && off < n && !fault; q = q->next) {
				size_t c = q->len < n - off ? q->len : n - off;
				fault = uk_iov_iter_copy_to(&it, q->payload, c) < c;
				off += c;
			}
			if (msg->msg_name) {
				/* A kernel buffer of sizeof(struct
				 * uk_sockaddr_storage) (the generic layer's). */
				msg->msg_namelen = addr_out(is, &d->addr, d->port,
							    msg->msg_name);
			} else {
				msg->msg_namelen = 0;
			}
			if (len > total)
				msg->msg_flags |= MSG_TRUNC;
			if (is->family == AF_INET6)
				inet6_rx_cmsg(&is->x, &d->meta, msg, ctl_room);
			/* A datagram that could not go out is gone too (Linux's). */
			if (!(flags & MSG_PEEK)) {
				is->dq_head = d->next;
				if (!is->dq_head)
					is->dq_tail = NULL;
				is->dq_bytes -= len;
				pbuf_free(d->p);
				free(d);
			}
			if (fault)
				return -EFAULT;
			return (flags & MSG_TRUNC) ? (ssize_t)len : (ssize_t)n;
		}
		if (is->shut_rd)
			return 0;
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
}

static unsigned int udp_op_poll(struct uk_socket *s)
{
	struct isock *is = s->priv;
	unsigned int ev = 0;
	if (is->dq_head || is->shut_rd)
		ev |= POLLIN | POLLRDNORM;
	if (!is->shut_wr)
		ev |= POLLOUT | POLLWRNORM;
	if (is->shut_rd && is->shut_wr)
		ev |= POLLHUP;
	if (s->err)
		ev |= POLLERR;
	return ev;
}

static long udp_op_nread(struct uk_socket *s)
{
	struct isock *is = s->priv;
	return is->dq_head ? (int)is->dq_head->p->tot_len : 0;
}

static int udp_op_ioctl(struct uk_socket *s, unsigned int cmd, unsigned long arg)
{
	(void)s;
	if (cmd == K_SIOCOUTQ)
		return uk_put_user(0, (int *)arg);
	return -UK_ENOIOCTLCMD;
}

static const struct uk_socket_ops udp_ops = {
	.bind = udp_op_bind,
	.connect = udp_op_connect,
	.shutdown = udp_op_shutdown,
	.getname = udp_op_getname,
	.sendmsg = udp_op_sendmsg,
	.recvmsg = udp_op_recvmsg,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.poll = udp_op_poll,
	.nread = udp_op_nread,
	.ioctl = udp_op_ioctl,
	.close = inet_op_close,
	.release = inet_op_release,
};

/* --- the families ------------------------------------------------------- */

static int inet_create(struct uk_socket *s, int type, int protocol)
{
	u8_t iptype = s->family == AF_INET ? IPADDR_TYPE_V4 : IPADDR_TYPE_ANY;
	uk_lwip_init();
	if (type == SOCK_STREAM) {
		if (protocol && protocol != K_IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		struct isock *is = isock_new(s, s->family);
		if (!is)
			return -ENOMEM;
		struct tcp_pcb *pcb = tcp_new_ip_type(iptype);
		if (!pcb) {
			isock_unmake(is);
			return -ENOBUFS;
		}
		hook_tcp(is, pcb);
		s->protocol = K_IPPROTO_TCP;
		s->ops = &tcp_ops;
		return 0;
	}
	if (type == SOCK_DGRAM) {
		if (protocol && protocol != K_IPPROTO_UDP && protocol != K_IPPROTO_UDPLITE)
			return -EPROTONOSUPPORT;
		struct isock *is = isock_new(s, s->family);
		if (!is)
			return -ENOMEM;
		struct udp_pcb *pcb = udp_new_ip_type(iptype);
		if (!pcb) {
			isock_unmake(is);
			return -ENOBUFS;
		}
		is->udp = pcb;
		udp_recv(pcb, udp_recv_cb, is);
		s->protocol = protocol ? protocol : K_IPPROTO_UDP;
		if (protocol == K_IPPROTO_UDPLITE)
			udp_setflags(pcb, UDP_FLAGS_UDPLITE);
		s->ops = &udp_ops;
		return 0;
	}
	if (type == SOCK_RAW)
		return uk_lwip_raw_create(s, protocol);
	return -ESOCKTNOSUPPORT;
}

static const struct uk_socket_family inet_family = {
	.family = AF_INET,
	.create = inet_create,
};

static const struct uk_socket_family inet6_family = {
	.family = AF_INET6,
	.create = inet_create,
};

static int inet_init(void)
{
	int rc = uk_socket_register_family(&inet_family);
	if (!rc)
		rc = uk_socket_register_family(&inet6_family);
	return rc;
}
UK_INIT_AT(inet_init, UK_INIT_LEVEL_LIB);
