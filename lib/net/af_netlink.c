/* AF_NETLINK with NETLINK_ROUTE only, and of it what programs use to
 * list interfaces and addresses (Go's syscall.NetlinkRIB, glibc's
 * getifaddrs and if_nameindex): RTM_GETLINK and RTM_GETADDR dumps and
 * RTM_GETLINK of one link, answered from the interface table
 * (uk/ifinfo.h). A request is answered when it is sent: the replies
 * queue as datagrams (a dump's messages in datagrams of at most
 * DUMP_CHUNK bytes, NLMSG_DONE in the last one if it fits) that recvmsg
 * takes as Linux's netlink_recvmsg does (MSG_PEEK, MSG_TRUNC). Other
 * requests get an NLMSG_ERROR (EOPNOTSUPP); nothing is ever multicast,
 * so joining groups is accepted and brings nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/poll.h>
#include <uk/init.h>
#include <uk/process.h>
#include <uk/socket.h>
#include <uk/ifinfo.h>

#define NETLINK_ROUTE		0
#define NETLINK_MAX_PROTO	32
#define SOL_NETLINK		270
#define NLMSG_NOOP		1
#define NLMSG_ERROR		2
#define NLMSG_DONE		3
#define NLMSG_MIN_TYPE		0x10
#define NLM_F_REQUEST		0x1
#define NLM_F_MULTI		0x2
#define NLM_F_ACK		0x4
#define NLM_F_DUMP		0x300
#define NLM_F_CAPPED		0x100
#define NETLINK_CAP_ACK		10
#define NETLINK_OPT_MAX		12
#define RTM_NEWLINK		16
#define RTM_GETLINK		18
#define RTM_NEWADDR		20
#define RTM_GETADDR		22
#define IFLA_ADDRESS		1
#define IFLA_BROADCAST		2
#define IFLA_IFNAME		3
#define IFLA_MTU		4
#define IFLA_TXQLEN		13
#define IFLA_OPERSTATE		16
#define IFLA_LINKMODE		17
#define IFLA_GROUP		27
#define IFLA_PROMISCUITY	30
#define IFLA_NUM_TX_QUEUES	31
#define IFLA_NUM_RX_QUEUES	32
#define IFLA_CARRIER		33
#define IFA_ADDRESS		1
#define IFA_LOCAL		2
#define IFA_LABEL		3
#define IFA_BROADCAST		4
#define IFA_CACHEINFO		6
#define IFA_FLAGS		8

/* Linux's NLMSG_GOODSIZE for 4 KiB pages: what a dump puts in one
 * datagram. */
#define DUMP_CHUNK		3776
#define NL_ALIGN(n)		(((n) + 3) & ~3u)
#define NL_HDRLEN		16

struct k_nlmsghdr {
	uint32_t len;
	uint16_t type, flags;
	uint32_t seq, pid;
};

struct k_sockaddr_nl {
	uint16_t family, pad;
	uint32_t pid, groups;
};

struct k_ifinfomsg {
	uint8_t family, pad;
	uint16_t type;
	int32_t index;
	uint32_t flags, change;
};

struct k_ifaddrmsg {
	uint8_t family, prefixlen, flags, scope;
	uint32_t index;
};

struct nldgram {
	struct nldgram *next;
	size_t len;
	char data[DUMP_CHUNK];
};

struct nlsock {
	struct uk_socket *s;
	uint32_t portid, groups;	/* portid 0: not bound */
	uint32_t dst_pid, dst_groups;
	struct nldgram *head, *tail;
	size_t qbytes;
	int opts[NETLINK_OPT_MAX + 1];	/* the boolean SOL_NETLINK options */
	struct nlsock *next;		/* among the bound ones */
};

static struct nlsock *bound;
static int32_t rover = -4096;

/* --- port ids -------------------------------------------------------------- */

static int portid_taken(uint32_t id)
{
	for (struct nlsock *n = bound; n; n = n->next)
		if (n->portid == id)
			return 1;
	return 0;
}

static void do_bind(struct nlsock *nl, uint32_t id)
{
	nl->portid = id;
	nl->next = bound;
	bound = nl;
}

/* As Linux's netlink_autobind: the process's id first, then negative
 * numbers from -4096 down. */
static int autobind(struct nlsock *nl)
{
	if (nl->portid)
		return 0;
	uint32_t id = uk_proc()->pid;
	while (portid_taken(id)) {
		id = (uint32_t)rover--;
		if (rover > -4096)
			rover = -4096;
	}
	do_bind(nl, id);
	return 0;
}

static void unbind(struct nlsock *nl)
{
	for (struct nlsock **p = &bound; *p; p = &(*p)->next)
		if (*p == nl) {
			*p = nl->next;
			break;
		}
	nl->portid = 0;
}

/* --- building replies ------------------------------------------------------- */

/* One message being built (they are small: a link's or an address's). */
struct msgbuf {
	char b[512];
	size_t len;
};

static void msg_start(struct msgbuf *m, uint16_t type, uint16_t flags,
		      const struct k_nlmsghdr *req, uint32_t portid)
{
	struct k_nlmsghdr h = { 0, type, flags, req->seq, portid };
	memcpy(m->b, &h, sizeof(h));
	m->len = sizeof(h);
}

static void msg_put(struct msgbuf *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	memset(m->b + m->len + n, 0, NL_ALIGN(n) - n);
	m->len += NL_ALIGN(n);
}

static void attr_put(struct msgbuf *m, uint16_t type, const void *p, size_t n)
{
	uint16_t h[2] = { (uint16_t)(4 + n), type };
	memcpy(m->b + m->len, h, 4);
	m->len += 4;
	msg_put(m, p, n);
}

static void attr_u32(struct msgbuf *m, uint16_t type, uint32_t v)
{
	attr_put(m, type, &v, 4);
}

static void attr_u8(struct msgbuf *m, uint16_t type, uint8_t v)
{
	attr_put(m, type, &v, 1);
}

static void msg_end(struct msgbuf *m)
{
	uint32_t len = m->len;
	memcpy(m->b, &len, 4);
}

/* Queues one message: in the last datagram when chained (a dump's) and
 * it fits, else in a new one. */
static int queue_msg(struct nlsock *nl, const void *p, size_t len, int chain)
{
	struct nldgram *d = nl->tail;
	if (!chain || !d || DUMP_CHUNK - d->len < len) {
		if (len > DUMP_CHUNK || !(d = malloc(sizeof(*d))))
			return -ENOBUFS;
		d->next = NULL;
		d->len = 0;
		if (nl->tail)
			nl->tail->next = d;
		else
			nl->head = d;
		nl->tail = d;
	}
	memcpy(d->data + d->len, p, len);
	d->len += len;
	nl->qbytes += len;
	return 0;
}

static void link_msg(struct msgbuf *m, const struct uk_iflink *l, uint16_t flags,
		     const struct k_nlmsghdr *req, uint32_t portid)
{
	msg_start(m, RTM_NEWLINK, flags, req, portid);
	struct k_ifinfomsg ii = { 0, 0, l->type, l->index, l->flags, 0 };
	msg_put(m, &ii, sizeof(ii));
	attr_put(m, IFLA_IFNAME, l->name, strnlen(l->name, UK_IFNAMSIZ) + 1);
	attr_u32(m, IFLA_TXQLEN, l->txqlen);
	attr_u8(m, IFLA_OPERSTATE, l->oper);
	attr_u8(m, IFLA_LINKMODE, 0);
	attr_u32(m, IFLA_MTU, l->mtu);
	attr_u32(m, IFLA_GROUP, 0);
	attr_u32(m, IFLA_PROMISCUITY, 0);
	attr_u32(m, IFLA_NUM_TX_QUEUES, 1);
	attr_u32(m, IFLA_NUM_RX_QUEUES, 1);
	attr_u8(m, IFLA_CARRIER, 1);
	static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const unsigned char zero[6];
	attr_put(m, IFLA_ADDRESS, l->hwaddr, l->hwlen);
	attr_put(m, IFLA_BROADCAST, l->type == UK_ARPHRD_ETHER ? bcast : zero, l->hwlen);
	msg_end(m);
}

static void addr_msg(struct msgbuf *m, const struct uk_ifaddr *a, const char *label,
		     const struct k_nlmsghdr *req, uint32_t portid)
{
	msg_start(m, RTM_NEWADDR, NLM_F_MULTI, req, portid);
	struct k_ifaddrmsg ia = { a->family, a->prefix, a->flags, a->scope, a->index };
	msg_put(m, &ia, sizeof(ia));
	size_t alen = a->family == AF_INET ? 4 : 16;
	uint32_t forever[4] = { 0xffffffffu, 0xffffffffu, 0, 0 };
	attr_put(m, IFA_ADDRESS, a->addr, alen);
	if (a->family == AF_INET) {
		/* Linux's inet_fill_ifaddr order. */
		attr_put(m, IFA_LOCAL, a->addr, alen);
		if (a->has_brd)
			attr_put(m, IFA_BROADCAST, a->brd, 4);
		attr_put(m, IFA_LABEL, label, strnlen(label, UK_IFNAMSIZ) + 1);
		attr_u32(m, IFA_FLAGS, a->flags);
		attr_put(m, IFA_CACHEINFO, forever, sizeof(forever));
	} else {
		attr_put(m, IFA_CACHEINFO, forever, sizeof(forever));
		attr_u32(m, IFA_FLAGS, a->flags);
	}
	msg_end(m);
}

/* NLMSG_DONE: with the dump's last messages when they fit (chain), as
 * Linux's netlink_dump appends it. */
static int dump_done(struct nlsock *nl, const struct k_nlmsghdr *req, int chain)
{
	struct msgbuf m;
	int32_t zero = 0;
	msg_start(&m, NLMSG_DONE, NLM_F_MULTI, req, nl->portid);
	msg_put(&m, &zero, 4);
	msg_end(&m);
	return queue_msg(nl, m.b, m.len, chain);
}

/* A dump starts a datagram of its own (chain 0 for its first message). */
static int dump_links(struct nlsock *nl, const struct k_nlmsghdr *req)
{
	struct uk_iflink l[UK_IF_MAX];
	int n = uk_ifinfo_links(l, UK_IF_MAX), rc = 0, chain = 0;
	struct msgbuf m;
	for (int i = 0; i < n && !rc; i++, chain = 1) {
		link_msg(&m, &l[i], NLM_F_MULTI, req, nl->portid);
		rc = queue_msg(nl, m.b, m.len, chain);
	}
	return rc ? rc : dump_done(nl, req, chain);
}

/* Addresses by family (AF_UNSPEC: IPv4's, then IPv6's, as Linux's
 * rtnl_dump_all goes through the families in order). */
static int dump_addrs(struct nlsock *nl, const struct k_nlmsghdr *req, int family)
{
	struct uk_iflink l[UK_IF_MAX];
	struct uk_ifaddr a[UK_IFADDR_MAX];
	int nl_n = uk_ifinfo_links(l, UK_IF_MAX), na = uk_ifinfo_addrs(a, UK_IFADDR_MAX);
	int rc = 0, chain = 0;
	static const int fams[2] = { AF_INET, AF_INET6 };
	struct msgbuf m;
	for (int f = 0; f < 2; f++) {
		if (family != AF_UNSPEC && family != fams[f])
			continue;
		for (int i = 0; i < nl_n; i++)
			for (int j = 0; j < na && !rc; j++) {
				if (a[j].family != fams[f] || a[j].index != l[i].index)
					continue;
				addr_msg(&m, &a[j], l[i].name, req, nl->portid);
				rc = queue_msg(nl, m.b, m.len, chain);
				chain = 1;
			}
	}
	return rc ? rc : dump_done(nl, req, chain);
}

/* RTM_GETLINK of one link: by ifi_index, else by IFLA_IFNAME. */
static int get_link(struct nlsock *nl, const struct k_nlmsghdr *req, const char *p)
{
	size_t plen = req->len - NL_HDRLEN;
	struct k_ifinfomsg ii;
	struct uk_iflink l;
	int rc;
	if (plen < sizeof(ii))
		return -EINVAL;
	memcpy(&ii, p, sizeof(ii));
	if (ii.index > 0) {
		rc = uk_ifinfo_link_by_index(ii.index, &l);
	} else {
		char name[UK_IFNAMSIZ] = { 0 };
		size_t off = NL_ALIGN(sizeof(ii));
		while (off + 4 <= plen) {
			uint16_t h[2];
			memcpy(h, p + off, 4);
			if (h[0] < 4 || off + h[0] > plen)
				break;
			if (h[1] == IFLA_IFNAME) {
				size_t n = h[0] - 4 < UK_IFNAMSIZ - 1 ? h[0] - 4 : UK_IFNAMSIZ - 1;
				memcpy(name, p + off + 4, n);
			}
			off += NL_ALIGN(h[0]);
		}
		if (!name[0])
			return -EINVAL;
		rc = uk_ifinfo_link_by_name(name, &l);
	}
	if (rc)
		return rc;
	struct msgbuf m;
	link_msg(&m, &l, 0, req, nl->portid);
	return queue_msg(nl, m.b, m.len, 0);
}

/* NLMSG_ERROR: err (0: an acknowledgement) and the request's header,
 * with its payload when it is an error (Linux's netlink_ack). */
static int ack(struct nlsock *nl, const struct k_nlmsghdr *req, const char *p, int err)
{
	size_t plen = err && !nl->opts[NETLINK_CAP_ACK] ? req->len - NL_HDRLEN : 0;
	size_t len = NL_HDRLEN + 4 + NL_HDRLEN + NL_ALIGN(plen);
	char *b = calloc(1, len);
	if (!b)
		return -ENOBUFS;
	struct k_nlmsghdr h = { len, NLMSG_ERROR, plen ? 0 : NLM_F_CAPPED, req->seq,
				nl->portid };
	int32_t e = err;
	memcpy(b, &h, sizeof(h));
	memcpy(b + NL_HDRLEN, &e, 4);
	memcpy(b + NL_HDRLEN + 4, req, NL_HDRLEN);
	memcpy(b + 2 * NL_HDRLEN + 4, p, plen);
	int rc = len <= DUMP_CHUNK ? queue_msg(nl, b, len, 0) : -ENOBUFS;
	free(b);
	return rc;
}

/* One request (rtnetlink_rcv_msg): 0, or the error to acknowledge. */
static int route_request(struct nlsock *nl, const struct k_nlmsghdr *h, const char *p)
{
	size_t plen = h->len - NL_HDRLEN;
	int family = plen ? (uint8_t)p[0] : AF_UNSPEC;
	switch (h->type) {
	case RTM_GETLINK:
		if ((h->flags & NLM_F_DUMP) == NLM_F_DUMP)
			return dump_links(nl, h);
		return get_link(nl, h, p);
	case RTM_GETADDR:
		if ((h->flags & NLM_F_DUMP) == NLM_F_DUMP)
			return dump_addrs(nl, h, family);
		return -EOPNOTSUPP;
	}
	return -EOPNOTSUPP;
}

/* The messages of one sent datagram, as Linux's netlink_rcv_skb walks
 * them. */
static void route_input(struct nlsock *nl, const char *buf, size_t len)
{
	while (len >= NL_HDRLEN) {
		struct k_nlmsghdr h;
		memcpy(&h, buf, sizeof(h));
		if (h.len < NL_HDRLEN || h.len > len)
			return;
		int err = 0;
		if ((h.flags & NLM_F_REQUEST) && h.type >= NLMSG_MIN_TYPE)
			err = route_request(nl, &h, buf + NL_HDRLEN);
		if ((h.flags & NLM_F_ACK) || err)
			ack(nl, &h, buf + NL_HDRLEN, err);
		size_t step = NL_ALIGN(h.len);
		if (step > len)
			step = len;
		buf += step;
		len -= step;
	}
}

/* --- the socket ops ------------------------------------------------------- */

static int nl_addr_in(const void *addr, int len, struct k_sockaddr_nl *out)
{
	if (len < (int)sizeof(*out))
		return -EINVAL;
	memcpy(out, addr, sizeof(*out));
	return out->family == AF_NETLINK ? 0 : -EINVAL;
}

static int nl_bind(struct uk_socket *s, const void *addr, int len)
{
	struct nlsock *nl = s->priv;
	struct k_sockaddr_nl a;
	int rc = nl_addr_in(addr, len, &a);
	if (rc)
		return rc;
	if (nl->portid) {
		if (a.pid && a.pid != nl->portid)
			return -EINVAL;
	} else if (a.pid) {
		if (portid_taken(a.pid))
			return -EADDRINUSE;
		do_bind(nl, a.pid);
	} else {
		autobind(nl);
	}
	nl->groups = a.groups;
	return 0;
}

static int nl_connect(struct uk_socket *s, const void *addr, int len, int nonblock)
{
	(void)nonblock;
	struct nlsock *nl = s->priv;
	struct k_sockaddr_nl a;
	uint16_t fam = 0;
	if (len >= 2)
		memcpy(&fam, addr, 2);
	if (len >= 2 && fam == AF_UNSPEC) {
		nl->dst_pid = nl->dst_groups = 0;
		return 0;
	}
	int rc = nl_addr_in(addr, len, &a);
	if (rc)
		return rc;
	autobind(nl);
	nl->dst_pid = a.pid;
	nl->dst_groups = a.groups;
	return 0;
}

static int nl_getname(struct uk_socket *s, void *addr, int *len, int peer)
{
	struct nlsock *nl = s->priv;
	struct k_sockaddr_nl a = { AF_NETLINK, 0, 0, 0 };
	if (peer) {
		a.pid = nl->dst_pid;
		a.groups = nl->dst_groups;
	} else {
		a.pid = nl->portid;
		a.groups = nl->groups;
	}
	memcpy(addr, &a, sizeof(a));
	*len = sizeof(a);
	return 0;
}

static ssize_t nl_sendmsg(struct uk_socket *s, const struct uk_msghdr *msg, int flags)
{
	(void)flags;
	struct nlsock *nl = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	uint32_t dst = nl->dst_pid;
	if (msg->msg_name && msg->msg_namelen) {
		struct k_sockaddr_nl a;
		int rc = nl_addr_in(msg->msg_name, msg->msg_namelen, &a);
		if (rc)
			return rc;
		dst = a.pid;
	}
	if (total > (size_t)s->sndbuf - 32)
		return -EMSGSIZE;
	autobind(nl);
	/* Only the kernel (port 0) answers: other programs' netlink
	 * sockets are not reachable here. */
	if (dst)
		return -ECONNREFUSED;
	char *buf = malloc(total ? total : 1);
	if (!buf)
		return -ENOBUFS;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	if (uk_iov_iter_copy_from(&it, buf, total) < total) {
		free(buf);
		return -EFAULT;
	}
	route_input(nl, buf, total);
	free(buf);
	if (nl->head)
		uk_socket_wake(s);
	return total;
}

static ssize_t nl_recvmsg(struct uk_socket *s, struct uk_msghdr *msg, int flags)
{
	struct nlsock *nl = s->priv;
	size_t total = uk_iov_total(msg->msg_iov, msg->msg_iovlen);
	uint64_t deadline = uk_socket_deadline(s, 0);
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	while (!nl->head) {
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return rc;
	}
	struct nldgram *d = nl->head;
	size_t n = d->len < total ? d->len : total;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, msg->msg_iov, msg->msg_iovlen);
	int fault = uk_iov_iter_copy_to(&it, d->data, n) < n;
	if (msg->msg_name) {
		struct k_sockaddr_nl a = { AF_NETLINK, 0, 0, 0 };
		memcpy(msg->msg_name, &a, sizeof(a));
		msg->msg_namelen = sizeof(a);
	}
	size_t len = d->len;
	if (len > total)
		msg->msg_flags |= MSG_TRUNC;
	if (!(flags & MSG_PEEK)) {
		nl->head = d->next;
		if (!nl->head)
			nl->tail = NULL;
		nl->qbytes -= len;
		free(d);
	}
	if (fault)
		return -EFAULT;
	return (flags & MSG_TRUNC) ? (ssize_t)len : (ssize_t)n;
}

static int nl_setsockopt(struct uk_socket *s, int level, int name, const void *val,
			 int len)
{
	struct nlsock *nl = s->priv;
	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (len < (int)sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case 1:		/* NETLINK_ADD_MEMBERSHIP: nothing is multicast */
	case 2:		/* NETLINK_DROP_MEMBERSHIP */
		autobind(nl);
		return 0;
	case 3:		/* NETLINK_PKTINFO */
	case 4:		/* NETLINK_BROADCAST_ERROR */
	case 5:		/* NETLINK_NO_ENOBUFS */
	case 8:		/* NETLINK_LISTEN_ALL_NSID */
	case NETLINK_CAP_ACK:
	case 11:	/* NETLINK_EXT_ACK */
	case 12:	/* NETLINK_GET_STRICT_CHK */
		nl->opts[name] = !!v;
		return 0;
	}
	return -ENOPROTOOPT;
}

static int nl_getsockopt(struct uk_socket *s, int level, int name, void *val, int *len)
{
	struct nlsock *nl = s->priv;
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT;
	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	switch (name) {
	case 3:
	case 4:
	case 5:
	case 8:
	case NETLINK_CAP_ACK:
	case 11:
	case 12:
		if (*len < (int)sizeof(int))
			return -EINVAL;
		uk_sockopt_put(val, len, &nl->opts[name], sizeof(int));
		return 0;
	}
	return -ENOPROTOOPT;
}

static unsigned int nl_poll(struct uk_socket *s)
{
	struct nlsock *nl = s->priv;
	unsigned int ev = POLLOUT | POLLWRNORM;
	if (nl->head)
		ev |= POLLIN | POLLRDNORM;
	return ev;
}

static void nl_close(struct uk_socket *s)
{
	struct nlsock *nl = s->priv;
	unbind(nl);
	while (nl->head) {
		struct nldgram *d = nl->head;
		nl->head = d->next;
		free(d);
	}
	nl->tail = NULL;
	nl->qbytes = 0;
}

static void nl_release(struct uk_socket *s)
{
	nl_close(s);
	free(s->priv);
	s->priv = NULL;
}

static const struct uk_socket_ops nl_ops = {
	.bind = nl_bind,
	.connect = nl_connect,
	.getname = nl_getname,
	.sendmsg = nl_sendmsg,
	.recvmsg = nl_recvmsg,
	.setsockopt = nl_setsockopt,
	.getsockopt = nl_getsockopt,
	.poll = nl_poll,
	.close = nl_close,
	.release = nl_release,
};

static int nl_create(struct uk_socket *s, int type, int protocol)
{
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= NETLINK_MAX_PROTO)
		return -EPROTONOSUPPORT;
	if (protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	struct nlsock *nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->s = s;
	s->priv = nl;
	s->ops = &nl_ops;
	return 0;
}

static const struct uk_socket_family netlink_family = {
	.family = AF_NETLINK,
	.create = nl_create,
};

static int netlink_init(void)
{
	return uk_socket_register_family(&netlink_family);
}
UK_INIT_AT(netlink_init, UK_INIT_LEVEL_LIB);
