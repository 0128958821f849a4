/* Guest and native: UDP-Lite over 127.0.0.1 and ::1 with its coverage
 * options (man 7 udplite), and the IPv6 socket options of RFC 3542 with
 * the ancillary data of UDP6 receives and sends (man 7 ipv6). Prints
 * values and errno names only (no ports), so the guest's output must
 * equal Linux's byte for byte. Stops by itself after 60 s. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
#ifndef SOL_UDPLITE
#define SOL_UDPLITE 136
#endif
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ENODEV: return "ENODEV";
	case EAGAIN: return "EAGAIN";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

/* "name = value" of an int option, or "name: ERRNO". */
static void show_get(const char *what, int s, int level, int name)
{
	int v = -12345;
	socklen_t l = sizeof(v);
	if (getsockopt(s, level, name, &v, &l))
		printf("get %s: %s\n", what, ename(errno));
	else
		printf("get %s = %d (len %u)\n", what, v, (unsigned)l);
}

static void show_set(const char *what, int s, int level, int name, int v, socklen_t len)
{
	int rc = setsockopt(s, level, name, &v, len);
	printf("set %s %d/%u: %s\n", what, v, (unsigned)len, rc ? ename(errno) : "0");
}

static socklen_t loopback(int family, struct sockaddr_storage *ss, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->sin_port = htons(port);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a = (void *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	a->sin6_port = htons(port);
	return sizeof(*a);
}

static int port_of(int s)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	getsockname(s, (void *)&ss, &l);
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
					       ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A datagram socket bound to the loopback address of family. */
static int bound(int family, int proto, struct sockaddr_storage *ss, socklen_t *len)
{
	int s = socket(family, SOCK_DGRAM, proto);
	if (s < 0)
		return -1;
	*len = loopback(family, ss, 0);
	if (bind(s, (void *)ss, *len))
		return -1;
	*len = loopback(family, ss, port_of(s));
	return s;
}

/* What arrives at s within 500 ms: its length, or "nothing". */
static void show_recv(const char *what, int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	char buf[2048];
	if (poll(&p, 1, 500) <= 0) {
		printf("%s: nothing\n", what);
		return;
	}
	ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	printf("%s: %zd bytes%s\n", what, n, n < 0 ? ename(errno) : "");
}

static void udplite(int family)
{
	const char *fam = family == AF_INET ? "v4" : "v6";
	printf("--- UDP-Lite %s\n", fam);
	struct sockaddr_storage sa, ca;
	socklen_t sl, cl;
	int srv = bound(family, IPPROTO_UDPLITE, &sa, &sl);
	int cli = bound(family, IPPROTO_UDPLITE, &ca, &cl);
	if (srv < 0 || cli < 0) {
		printf("udplite %s sockets: %s\n", fam, ename(errno));
		return;
	}
	show_get("SO_PROTOCOL", srv, SOL_SOCKET, SO_PROTOCOL);
	show_get("SO_TYPE", srv, SOL_SOCKET, SO_TYPE);
	show_get("SEND_CSCOV", srv, SOL_UDPLITE, UDPLITE_SEND_CSCOV);
	show_get("RECV_CSCOV", srv, SOL_UDPLITE, UDPLITE_RECV_CSCOV);
	int vals[] = { 4, 20, 70000, -5, 0 };
	for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		show_set("SEND_CSCOV", cli, SOL_UDPLITE, UDPLITE_SEND_CSCOV, vals[i], sizeof(int));
		show_get("SEND_CSCOV", cli, SOL_UDPLITE, UDPLITE_SEND_CSCOV);
	}
	show_set("RECV_CSCOV short", cli, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 20, 2);
	show_set("RECV_CSCOV at SOL_UDP", cli, IPPROTO_UDP, UDPLITE_RECV_CSCOV, 3, sizeof(int));
	show_get("RECV_CSCOV at SOL_UDP", cli, IPPROTO_UDP, UDPLITE_RECV_CSCOV);
	show_set("RECV_CSCOV", cli, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 0, sizeof(int));

	char msg[100];
	memset(msg, 'x', sizeof(msg));
	/* Coverage 20 of 108 bytes, then full coverage (0), then 40. */
	int cov[] = { 20, 0, 40, 108, 200 };
	for (int round = 0; round < 3; round++) {
		if (round == 1)
			show_set("srv RECV_CSCOV", srv, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 30, sizeof(int));
		if (round == 2)
			show_set("srv RECV_CSCOV", srv, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 0, sizeof(int));
		for (unsigned i = 0; i < sizeof(cov) / sizeof(cov[0]); i++) {
			char what[64];
			setsockopt(cli, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &cov[i], sizeof(int));
			ssize_t n = sendto(cli, msg, sizeof(msg), 0, (void *)&sa, sl);
			snprintf(what, sizeof(what), "send cov %d (%zd)", cov[i], n);
			show_recv(what, srv);
		}
	}
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	sendto(cli, "hi", 2, 0, (void *)&sa, sl);
	ssize_t n = recvfrom(srv, msg, sizeof(msg), 0, (void *)&from, &fl);
	printf("recvfrom %zd, sender %s\n", n,
	       fl == cl && !memcmp(&from, &ca, cl) ? "matches" : "differs");

	/* UDP and UDP-Lite are two port spaces: a UDP datagram to the
	 * UDP-Lite socket's port finds nobody. */
	int u = socket(family, SOCK_DGRAM, IPPROTO_UDP);
	show_get("UDP SEND_CSCOV", u, SOL_UDPLITE, UDPLITE_SEND_CSCOV);
	show_set("UDP SEND_CSCOV", u, SOL_UDPLITE, UDPLITE_SEND_CSCOV, 20, sizeof(int));
	sendto(u, "udp", 3, 0, (void *)&sa, sl);
	show_recv("UDP to UDP-Lite port", srv);
	close(u);
	close(srv);
	close(cli);
}

static void print_cmsgs(struct msghdr *m)
{
	printf("  controllen %zu%s\n", (size_t)m->msg_controllen,
	       m->msg_flags & MSG_CTRUNC ? " MSG_CTRUNC" : "");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		size_t dl = c->cmsg_len - CMSG_LEN(0);
		printf("  cmsg level %d type %d len %zu:", c->cmsg_level, c->cmsg_type,
		       (size_t)c->cmsg_len);
		if (c->cmsg_type == IPV6_PKTINFO && dl >= sizeof(struct in6_pktinfo)) {
			struct in6_pktinfo pi;
			char a[INET6_ADDRSTRLEN];
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			inet_ntop(AF_INET6, &pi.ipi6_addr, a, sizeof(a));
			printf(" %s ifindex %d\n", a, pi.ipi6_ifindex);
		} else if (dl >= sizeof(int)) {
			int v;
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			printf(" %d\n", v);
		} else {
			printf(" (%zu bytes)\n", dl);
		}
	}
}

/* Receives one datagram on s with ctl bytes of room for ancillary data. */
static void recv_anc(const char *what, int s, size_t ctl)
{
	char buf[256], cbuf[512] __attribute__((aligned(8)));
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl ? cbuf : NULL;
	m.msg_controllen = ctl;
	memset(cbuf, 0, sizeof(cbuf));
	struct pollfd p = { .fd = s, .events = POLLIN };
	if (poll(&p, 1, 2000) <= 0) {
		printf("%s: nothing\n", what);
		return;
	}
	ssize_t n = recvmsg(s, &m, 0);
	if (n < 0) {
		printf("%s: %s\n", what, ename(errno));
		return;
	}
	printf("%s: %zd bytes\n", what, n);
	print_cmsgs(&m);
}

/* sendmsg with the ancillary items (type, value) given; len_extra makes
 * the first item's cmsg_len that much longer. */
static void send_anc(const char *what, int s, struct sockaddr_storage *to, socklen_t tl,
		     int n, const int *types, const int *vals, int len_extra)
{
	char cbuf[256] __attribute__((aligned(8)));
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { "payload", 7 };
	struct msghdr m = { 0 };
	m.msg_name = to;
	m.msg_namelen = tl;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = n ? cbuf : NULL;
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		struct cmsghdr *c = (void *)(cbuf + off);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = types[i];
		c->cmsg_len = CMSG_LEN(sizeof(int)) + (i == 0 ? len_extra : 0);
		memcpy(CMSG_DATA(c), &vals[i], sizeof(int));
		off += CMSG_SPACE(sizeof(int) + (i == 0 ? len_extra : 0));
	}
	m.msg_controllen = off;
	ssize_t r = sendmsg(s, &m, 0);
	printf("%s: %s\n", what, r < 0 ? ename(errno) : "sent");
}

static void ipv6_options(void)
{
	printf("--- IPv6 options\n");
	int u = socket(AF_INET6, SOCK_DGRAM, 0), t = socket(AF_INET6, SOCK_STREAM, 0);
	int u4 = socket(AF_INET, SOCK_DGRAM, 0);
	struct { const char *n; int v; } opts[] = {
		{ "UNICAST_HOPS", IPV6_UNICAST_HOPS }, { "MULTICAST_HOPS", IPV6_MULTICAST_HOPS },
		{ "MULTICAST_LOOP", IPV6_MULTICAST_LOOP }, { "TCLASS", IPV6_TCLASS },
		{ "RECVHOPLIMIT", IPV6_RECVHOPLIMIT }, { "RECVTCLASS", IPV6_RECVTCLASS },
		{ "RECVPKTINFO", IPV6_RECVPKTINFO }, { "V6ONLY", IPV6_V6ONLY },
	};
	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char w[64];
		snprintf(w, sizeof(w), "udp6 %s", opts[i].n);
		show_get(w, u, IPPROTO_IPV6, opts[i].v);
		snprintf(w, sizeof(w), "tcp6 %s", opts[i].n);
		show_get(w, t, IPPROTO_IPV6, opts[i].v);
	}
	show_get("udp4 UNICAST_HOPS", u4, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
	show_set("udp4 UNICAST_HOPS", u4, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 5, sizeof(int));
	int hops[] = { 256, -2, -1, 5, 255, 0 };
	for (unsigned i = 0; i < sizeof(hops) / sizeof(hops[0]); i++) {
		show_set("UNICAST_HOPS", u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops[i], sizeof(int));
		show_get("UNICAST_HOPS", u, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
		show_set("MULTICAST_HOPS", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops[i], sizeof(int));
		show_get("MULTICAST_HOPS", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
	}
	int tcs[] = { 256, -2, 0x28, -1 };
	for (unsigned i = 0; i < sizeof(tcs) / sizeof(tcs[0]); i++) {
		show_set("TCLASS", u, IPPROTO_IPV6, IPV6_TCLASS, tcs[i], sizeof(int));
		show_get("TCLASS", u, IPPROTO_IPV6, IPV6_TCLASS);
	}
	show_set("MULTICAST_LOOP", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 2, sizeof(int));
	show_set("MULTICAST_LOOP", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, sizeof(int));
	show_get("MULTICAST_LOOP", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
	show_set("RECVHOPLIMIT short", u, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, 1);
	show_set("RECVHOPLIMIT", u, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 7, sizeof(int));
	show_get("RECVHOPLIMIT", u, IPPROTO_IPV6, IPV6_RECVHOPLIMIT);
	show_set("RECVTCLASS", t, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, sizeof(int));
	show_get("RECVTCLASS", t, IPPROTO_IPV6, IPV6_RECVTCLASS);
	show_get("short UNICAST_HOPS", u, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
	char c = 0;
	socklen_t cl = 1;
	int rc = getsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &c, &cl);
	printf("get 1-byte UNICAST_HOPS: %s %d len %u\n", rc ? ename(errno) : "0", c, (unsigned)cl);

	/* Go's TestDialerControl: a hop limit of 1 on a TCP dial to ::1. */
	struct sockaddr_storage sa;
	socklen_t sl = loopback(AF_INET6, &sa, 0);
	int ls = socket(AF_INET6, SOCK_STREAM, 0);
	show_set("listener UNICAST_HOPS", ls, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 1, sizeof(int));
	bind(ls, (void *)&sa, sl);
	listen(ls, 1);
	sl = loopback(AF_INET6, &sa, port_of(ls));
	show_set("dialer UNICAST_HOPS", t, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 1, sizeof(int));
	rc = connect(t, (void *)&sa, sl);
	printf("tcp6 connect with hop limit 1: %s\n", rc ? ename(errno) : "0");
	int a = accept(ls, NULL, NULL);
	printf("accept: %s\n", a < 0 ? ename(errno) : "ok");
	if (a >= 0) {
		show_get("accepted UNICAST_HOPS", a, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
		write(t, "ping", 4);
		char b[8];
		ssize_t n = read(a, b, sizeof(b));
		printf("read %zd\n", n);
		close(a);
	}
	close(ls);
	close(t);
	close(u);
	close(u4);
}

static void ancillary(int proto)
{
	printf("--- UDP6 ancillary data (protocol %d)\n", proto);
	struct sockaddr_storage sa, ca;
	socklen_t sl, cl;
	int srv = bound(AF_INET6, proto, &sa, &sl);
	int cli = bound(AF_INET6, proto, &ca, &cl);
	if (srv < 0 || cli < 0) {
		printf("sockets: %s\n", ename(errno));
		return;
	}
	int one = 1;
	/* Nothing asked for: no ancillary data. */
	sendto(cli, "a", 1, 0, (void *)&sa, sl);
	recv_anc("plain", srv, 256);
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
	sendto(cli, "a", 1, 0, (void *)&sa, sl);
	recv_anc("hop limit", srv, 256);
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof(one));
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	sendto(cli, "a", 1, 0, (void *)&sa, sl);
	recv_anc("pktinfo, hop limit, tclass", srv, 256);
	int v = 7;
	setsockopt(cli, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
	v = 0x20;
	setsockopt(cli, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v));
	sendto(cli, "a", 1, 0, (void *)&sa, sl);
	recv_anc("socket's hops 7, tclass 32", srv, 256);
	/* IPv4's TTL and TOS are another socket's business. */
	v = 9;
	printf("IP_TTL 9: %d\n", setsockopt(cli, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	v = 0x10;
	printf("IP_TOS 16: %d\n", setsockopt(cli, IPPROTO_IP, IP_TOS, &v, sizeof(v)));
	show_get("IP_TTL", cli, IPPROTO_IP, IP_TTL);
	show_get("UNICAST_HOPS", cli, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
	sendto(cli, "a", 1, 0, (void *)&sa, sl);
	recv_anc("after IP_TTL 9, IP_TOS 16", srv, 256);

	int types[] = { IPV6_TCLASS, IPV6_HOPLIMIT };
	int vals[] = { 4, 2 };
	send_anc("sendmsg tclass 4 hoplimit 2", cli, &sa, sl, 2, types, vals, 0);
	recv_anc("per packet", srv, 256);
	int dflt[] = { -1, -1 };
	send_anc("sendmsg tclass -1 hoplimit -1", cli, &sa, sl, 2, types, dflt, 0);
	recv_anc("per packet defaults", srv, 256);
	send_anc("sendmsg odd size", cli, &sa, sl, 2, types, vals, 1);
	int big[] = { 4, 256 };
	send_anc("sendmsg hoplimit 256", cli, &sa, sl, 2, types, big, 0);
	int unknown[] = { 200 };
	send_anc("sendmsg unknown type", cli, &sa, sl, 1, unknown, vals, 0);
	recv_anc("after the refused sends", srv, 256);

	/* Truncation, as Linux's put_cmsg does it. */
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVPKTINFO, &(int){ 0 }, sizeof(int));
	size_t sizes[] = { 0, 1, CMSG_LEN(0) - 1, CMSG_LEN(sizeof(int)) - 1,
			   CMSG_SPACE(sizeof(int)), CMSG_SPACE(sizeof(int)) + 1,
			   CMSG_SPACE(sizeof(int)) + CMSG_LEN(sizeof(int)) - 1,
			   2 * CMSG_SPACE(sizeof(int)) };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char w[64];
		sendto(cli, "a", 1, 0, (void *)&sa, sl);
		snprintf(w, sizeof(w), "control room %zu", sizes[i]);
		recv_anc(w, srv, sizes[i]);
	}
	close(srv);
	close(cli);

	/* A dual-stack socket and an IPv4 sender: packet information with
	 * a mapped address, no hop limit. */
	srv = socket(AF_INET6, SOCK_DGRAM, proto);
	struct sockaddr_in6 any = { .sin6_family = AF_INET6 };
	bind(srv, (void *)&any, sizeof(any));
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
	setsockopt(srv, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	int c4 = socket(AF_INET, SOCK_DGRAM, proto);
	struct sockaddr_storage s4;
	socklen_t l4 = loopback(AF_INET, &s4, port_of(srv));
	sendto(c4, "v4", 2, 0, (void *)&s4, l4);
	recv_anc("from IPv4", srv, 256);
	close(c4);
	close(srv);
}

int main(void)
{
	alarm(60);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int s = socket(AF_INET, SOCK_STREAM, IPPROTO_UDPLITE);
	printf("stream udplite: %s\n", s < 0 ? ename(errno) : "made");
	udplite(AF_INET);
	udplite(AF_INET6);
	ipv6_options();
	ancillary(IPPROTO_UDP);
	ancillary(IPPROTO_UDPLITE);
	return 0;
}
