/* Raw IP sockets (SOCK_RAW of AF_INET and AF_INET6) on the loopback
 * interface: a plain Linux program, run as root, whose stdout must be
 * the same natively and in the guest. ICMP echoes to 127.0.0.1 and ::1
 * (a raw socket sees its own request, then the kernel's reply), the IP
 * header on IPv4 and not on IPv6, IP_HDRINCL, ICMP_FILTER, names, and
 * EPERM without CAP_NET_RAW. Exits 0 when every check held. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#ifndef ICMP_FILTER
#define ICMP_FILTER 1	/* <linux/icmp.h>, which clashes with glibc's headers */
#endif

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); printf(" (errno %s)\n", strerrorname_np(errno)); } \
	} while (0)

static const char *en(long rc)
{
	return rc < 0 ? strerrorname_np(errno) : "ok";
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (b[i] << 8) | b[i + 1];
	if (n & 1)
		s += b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

static struct sockaddr_in lo4(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* An echo request: 8 bytes of header, then the text. */
static size_t echo(uint8_t *b, int type, int id, int seq, const char *text)
{
	size_t n = 8 + strlen(text);
	memset(b, 0, 8);
	b[0] = type;
	b[4] = id >> 8, b[5] = id;
	b[6] = seq >> 8, b[7] = seq;
	memcpy(b + 8, text, strlen(text));
	if (type == ICMP_ECHO) {
		uint16_t c = csum(b, n);
		memcpy(b + 2, &c, 2);
	}
	return n;
}

static int wait_in(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 5000);
}

/* Receives one IPv4 datagram and prints it (header fields that do not
 * vary, then the ICMP type, id, sequence and text). */
static void show4(int fd, const char *what)
{
	uint8_t b[2048];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	CHECK(wait_in(fd) == 1, "poll");
	ssize_t n = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT, (void *)&from, &fl);
	printf("%s: %s", what, en(n));
	if (n < (ssize_t)sizeof(struct iphdr)) {
		printf("\n");
		return;
	}
	struct iphdr *ip = (void *)b;
	char s[16], d[16], f[16];
	inet_ntop(AF_INET, &ip->saddr, s, sizeof(s));
	inet_ntop(AF_INET, &ip->daddr, d, sizeof(d));
	inet_ntop(AF_INET, &from.sin_addr, f, sizeof(f));
	printf(" v%d ihl %d proto %d ttl %d %s->%s tot_len ok %d from %s port %d len %u",
	       ip->version, ip->ihl, ip->protocol, ip->ttl, s, d, ntohs(ip->tot_len) == n,
	       f, ntohs(from.sin_port), fl);
	uint8_t *p = b + ip->ihl * 4;
	size_t pl = n - ip->ihl * 4;
	if (ip->protocol == IPPROTO_ICMP && pl >= 8)
		printf(" icmp type %d id %d seq %d cksum ok %d \"%.*s\"", p[0],
		       (p[4] << 8) | p[5], (p[6] << 8) | p[7], csum(p, pl) == 0,
		       (int)pl - 8, (char *)p + 8);
	else
		printf(" payload \"%.*s\"", (int)pl, (char *)p);
	printf("\n");
}

static void names4(int fd, const char *what)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int rc = getsockname(fd, (void *)&a, &l);
	char s[16];
	inet_ntop(AF_INET, &a.sin_addr, s, sizeof(s));
	printf("%s getsockname: %s family %d %s port %d len %u\n", what, en(rc), a.sin_family,
	       s, ntohs(a.sin_port), l);
	l = sizeof(a);
	memset(&a, 0, sizeof(a));
	rc = getpeername(fd, (void *)&a, &l);
	inet_ntop(AF_INET, &a.sin_addr, s, sizeof(s));
	printf("%s getpeername: %s", what, en(rc));
	if (rc == 0)
		printf(" %s port %d", s, ntohs(a.sin_port));
	printf("\n");
}

static void icmp4(void)
{
	printf("SOCK_RAW protocol 0: %s\n", en(socket(AF_INET, SOCK_RAW, 0)));
	printf("SOCK_RAW protocol 300: %s\n", en(socket(AF_INET, SOCK_RAW, 300)));
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	CHECK(fd >= 0, "socket icmp");
	struct sockaddr_in a = lo4();
	names4(fd, "unbound");
	printf("bind 127.0.0.1: %s\n", en(bind(fd, (void *)&a, sizeof(a))));
	names4(fd, "bound");
	struct sockaddr_in bad = lo4();
	bad.sin_addr.s_addr = inet_addr("192.0.2.1");
	int fd2 = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	printf("bind 192.0.2.1: %s\n", en(bind(fd2, (void *)&bad, sizeof(bad))));
	printf("bind short: %s\n", en(bind(fd2, (void *)&a, 8)));
	close(fd2);
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(fd, IPPROTO_IP, IP_HDRINCL, &v, &vl);
	printf("IP_HDRINCL %d\n", v);
	uint8_t b[256];
	size_t n = echo(b, ICMP_ECHO, 0x1234, 1, "ping one");
	printf("sendto: %s\n", en(sendto(fd, b, n, 0, (void *)&a, sizeof(a))));
	show4(fd, "first");
	show4(fd, "second");
	char x;
	printf("then: %s\n", en(recv(fd, &x, 1, MSG_DONTWAIT)));
	printf("send unconnected: %s\n", en(send(fd, b, n, 0)));

	/* MSG_PEEK, MSG_TRUNC, FIONREAD-free: a short read loses the rest. */
	n = echo(b, ICMP_ECHO, 0x1234, 2, "ping two");
	sendto(fd, b, n, 0, (void *)&a, sizeof(a));
	wait_in(fd);
	ssize_t full = recv(fd, b, 0, MSG_PEEK | MSG_TRUNC);
	struct iovec iov = { b, 8 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t got = recvmsg(fd, &m, 0);
	printf("peek says %zd; short recvmsg %zd MSG_TRUNC %d\n", full, got,
	       !!(m.msg_flags & MSG_TRUNC));
	show4(fd, "reply two");

	/* ICMP_FILTER: echo requests dropped, replies kept. */
	uint32_t filt = 1u << ICMP_ECHO;
	printf("ICMP_FILTER: %s\n", en(setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt))));
	n = echo(b, ICMP_ECHO, 0x1234, 3, "ping three");
	sendto(fd, b, n, 0, (void *)&a, sizeof(a));
	show4(fd, "filtered");
	printf("then: %s\n", en(recv(fd, &x, 1, MSG_DONTWAIT)));
	filt = 0;
	setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt));

	/* Connected. */
	printf("connect: %s\n", en(connect(fd, (void *)&a, sizeof(a))));
	names4(fd, "connected");
	n = echo(b, ICMP_ECHO, 0x1234, 4, "ping four");
	printf("send: %s\n", en(send(fd, b, n, 0)));
	show4(fd, "connected first");
	show4(fd, "connected second");
	close(fd);
}

/* IP_HDRINCL (IPPROTO_RAW): the kernel fills in the length, the
 * checksum and a zero source address. */
static void hdrincl(void)
{
	int rx = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	CHECK(rx >= 0 && tx >= 0, "sockets");
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(tx, IPPROTO_IP, IP_HDRINCL, &v, &vl);
	printf("IPPROTO_RAW: IP_HDRINCL %d\n", v);
	uint8_t b[256];
	struct iphdr *ip = (void *)b;
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 33;
	ip->protocol = IPPROTO_ICMP;
	ip->daddr = htonl(INADDR_LOOPBACK);
	size_t n = sizeof(*ip) + echo(b + sizeof(*ip), ICMP_ECHO, 0x4321, 1, "by hand");
	struct sockaddr_in a = lo4();
	printf("sendto: %s\n", en(sendto(tx, b, n, 0, (void *)&a, sizeof(a))));
	show4(rx, "hand-made");
	show4(rx, "its reply");
	close(tx);
	close(rx);
}

/* A protocol of no one's (253, for experiments): two raw sockets. */
static void otherproto(void)
{
	int a = socket(AF_INET, SOCK_RAW, 253), b = socket(AF_INET, SOCK_RAW, 253);
	CHECK(a >= 0 && b >= 0, "sockets");
	struct sockaddr_in lo = lo4();
	printf("protocol 253 sendto: %s\n", en(sendto(a, "hello", 5, 0, (void *)&lo, sizeof(lo))));
	show4(b, "other socket");
	show4(a, "own socket");
	close(a);
	close(b);
	/* Go's "ip:tcp" dial: bind, connect, the names. */
	int t = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	printf("tcp bind: %s\n", en(bind(t, (void *)&lo, sizeof(lo))));
	printf("tcp connect: %s\n", en(connect(t, (void *)&lo, sizeof(lo))));
	names4(t, "tcp");
	close(t);
}

static void show6(int fd, const char *what)
{
	uint8_t b[2048];
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	CHECK(wait_in(fd) == 1, "poll");
	ssize_t n = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT, (void *)&from, &fl);
	char f[64];
	inet_ntop(AF_INET6, &from.sin6_addr, f, sizeof(f));
	printf("%s: %s len %zd from %s port %d", what, en(n), n, f, ntohs(from.sin6_port));
	if (n >= 8)
		printf(" icmp6 type %d id %d seq %d \"%.*s\"", b[0], (b[4] << 8) | b[5],
		       (b[6] << 8) | b[7], (int)n - 8, (char *)b + 8);
	printf("\n");
}

static void icmp6(void)
{
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	CHECK(fd >= 0, "socket icmp6");
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	printf("bind ::1: %s\n", en(bind(fd, (void *)&a, sizeof(a))));
	struct sockaddr_in6 n6;
	socklen_t l = sizeof(n6);
	getsockname(fd, (void *)&n6, &l);
	char s[64];
	inet_ntop(AF_INET6, &n6.sin6_addr, s, sizeof(s));
	printf("getsockname6: %s port %d len %u\n", s, ntohs(n6.sin6_port), l);
	int v = 4;
	printf("IPV6_CHECKSUM on ICMPv6: %s\n",
	       en(setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &v, sizeof(v))));
	uint8_t b[256];
	size_t n = echo(b, ICMP6_ECHO_REQUEST, 0x6666, 1, "ping six");
	printf("sendto6: %s\n", en(sendto(fd, b, n, 0, (void *)&a, sizeof(a))));
	show6(fd, "six first");
	show6(fd, "six second");
	/* ICMP6_FILTER: only echo replies. */
	struct icmp6_filter f;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	printf("ICMP6_FILTER: %s\n", en(setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f))));
	n = echo(b, ICMP6_ECHO_REQUEST, 0x6666, 2, "ping six again");
	sendto(fd, b, n, 0, (void *)&a, sizeof(a));
	show6(fd, "six filtered");
	char x;
	printf("then: %s\n", en(recv(fd, &x, 1, MSG_DONTWAIT)));
	close(fd);
}

/* Without CAP_NET_RAW in the effective set: EPERM. */
static void noperm(void)
{
	pid_t p = fork();
	if (p == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		syscall(SYS_capget, &h, d);
		d[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
		if (syscall(SYS_capset, &h, d))
			_exit(2);
		int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		_exit(fd < 0 && errno == EPERM ? 0 : 1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("without CAP_NET_RAW: %s\n",
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "EPERM" : "not EPERM");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	icmp4();
	hdrincl();
	otherproto();
	icmp6();
	noperm();
	printf("%d failures\n", failures);
	return failures != 0;
}
