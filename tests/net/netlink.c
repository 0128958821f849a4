/* AF_NETLINK (NETLINK_ROUTE) and the SIOCGIF* ioctls: a plain Linux
 * program whose stdout must be the same natively and in the guest. It
 * prints only what holds on any Linux host: `lo` (index 1, its flags,
 * MTU and addresses), how dumps, acknowledgements and errors come back,
 * port ids; other interfaces are left out. Exits 0 when every check held. */
#define _GNU_SOURCE
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); printf(" (errno %s)\n", strerrorname_np(errno)); } \
	} while (0)

static const char *en(int rc)
{
	return rc < 0 ? strerrorname_np(errno) : "ok";
}

static int nl_open(int type)
{
	int fd = socket(AF_NETLINK, type | SOCK_CLOEXEC, NETLINK_ROUTE);
	CHECK(fd >= 0, "socket");
	return fd;
}

static void nl_request(int fd, int type, int flags, int seq, const void *body, size_t blen)
{
	char buf[256] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	memset(buf, 0, sizeof(buf));
	h->nlmsg_len = NLMSG_LENGTH(blen);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	memcpy(NLMSG_DATA(h), body, blen);
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(fd, buf, h->nlmsg_len, 0, (void *)&to, sizeof(to));
	CHECK(n == (ssize_t)h->nlmsg_len, "sendto %zd", n);
}

/* Reads a whole dump (until NLMSG_DONE); returns its length in buf. */
static size_t nl_dump(int fd, char *buf, size_t room, int seq, int *datagrams)
{
	size_t total = 0;
	*datagrams = 0;
	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf + total, room - total, 0, (void *)&from, &fl);
		CHECK(n > 0, "recvfrom %zd", n);
		if (n <= 0)
			return total;
		CHECK(fl == sizeof(from) && from.nl_family == AF_NETLINK && from.nl_pid == 0,
		      "from the kernel");
		(*datagrams)++;
		int done = 0;
		struct nlmsghdr *h = (void *)(buf + total);
		for (int len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			CHECK(h->nlmsg_seq == (unsigned)seq, "seq %u", h->nlmsg_seq);
			if (h->nlmsg_type == NLMSG_DONE)
				done = 1;
			else
				CHECK(h->nlmsg_flags & NLM_F_MULTI, "NLM_F_MULTI");
		}
		total += n;
		if (done)
			return total;
	}
}

static void show_link(struct nlmsghdr *h)
{
	struct ifinfomsg *ii = NLMSG_DATA(h);
	if (ii->ifi_index != 1)
		return;
	printf("link index 1 type %u flags %#x", ii->ifi_type, ii->ifi_flags);
	int len = IFLA_PAYLOAD(h);
	for (struct rtattr *a = IFLA_RTA(ii); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case IFLA_IFNAME:
			printf(" name %s", (char *)RTA_DATA(a));
			break;
		case IFLA_MTU:
			printf(" mtu %u", *(unsigned *)RTA_DATA(a));
			break;
		case IFLA_TXQLEN:
			printf(" txqlen %u", *(unsigned *)RTA_DATA(a));
			break;
		case IFLA_ADDRESS:
			printf(" address of %zu bytes", (size_t)RTA_PAYLOAD(a));
			break;
		}
	}
	printf("\n");
}

static void show_addr(struct nlmsghdr *h)
{
	struct ifaddrmsg *ia = NLMSG_DATA(h);
	if (ia->ifa_index != 1)
		return;
	char s[INET6_ADDRSTRLEN] = "?", label[IFNAMSIZ] = "-";
	int len = IFA_PAYLOAD(h), local = 0;
	for (struct rtattr *a = IFA_RTA(ia); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_ADDRESS)
			inet_ntop(ia->ifa_family, RTA_DATA(a), s, sizeof(s));
		if (a->rta_type == IFA_LOCAL)
			local = 1;
		if (a->rta_type == IFA_LABEL)
			snprintf(label, sizeof(label), "%s", (char *)RTA_DATA(a));
	}
	printf("addr %s %s/%u scope %u local %d label %s\n",
	       ia->ifa_family == AF_INET ? "inet" : "inet6", s, ia->ifa_prefixlen,
	       ia->ifa_scope, local, label);
}

static void dumps(int type)
{
	static char buf[1 << 16] __attribute__((aligned(4)));
	int fd = nl_open(type), dg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	CHECK(bind(fd, (void *)&sa, sizeof(sa)) == 0, "bind");
	socklen_t sl = sizeof(sa);
	CHECK(getsockname(fd, (void *)&sa, &sl) == 0, "getsockname");
	printf("%s: bound to the process's id: %d\n", type == SOCK_RAW ? "raw" : "dgram",
	       sa.nl_pid == (unsigned)getpid());
	/* Go's syscall.NetlinkRIB: an rtgenmsg of AF_UNSPEC. */
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	nl_request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, &g, sizeof(g));
	size_t n = nl_dump(fd, buf, sizeof(buf), 1, &dg);
	struct nlmsghdr *h = (void *)buf;
	for (int len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		CHECK(h->nlmsg_pid == sa.nl_pid, "nlmsg_pid %u", h->nlmsg_pid);
		if (h->nlmsg_type == RTM_NEWLINK)
			show_link(h);
	}
	nl_request(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 2, &g, sizeof(g));
	n = nl_dump(fd, buf, sizeof(buf), 2, &dg);
	h = (void *)buf;
	for (int len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == RTM_NEWADDR)
			show_addr(h);
	/* Only IPv6's. */
	struct ifaddrmsg ia = { .ifa_family = AF_INET6 };
	nl_request(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 3, &ia, sizeof(ia));
	n = nl_dump(fd, buf, sizeof(buf), 3, &dg);
	int v4 = 0;
	h = (void *)buf;
	for (int len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == RTM_NEWADDR)
			v4 += ((struct ifaddrmsg *)NLMSG_DATA(h))->ifa_family == AF_INET;
	printf("AF_INET6 dump has IPv4 addresses: %d\n", v4);
	close(fd);
}

/* One reply datagram, its messages printed. */
static void show_reply(int fd, const char *what)
{
	char buf[4096] __attribute__((aligned(4)));
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	printf("%s:", what);
	if (n < 0)
		printf(" %s", strerrorname_np(errno));
	struct nlmsghdr *h = (void *)buf;
	for (int len = n > 0 ? n : 0; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			printf(" error %s len %u seq %u inner-type %u flags %#x",
			       e->error ? strerrorname_np(-e->error) : "0", h->nlmsg_len,
			       h->nlmsg_seq, e->msg.nlmsg_type, h->nlmsg_flags);
		} else if (h->nlmsg_type == RTM_NEWLINK) {
			struct ifinfomsg *ii = NLMSG_DATA(h);
			printf(" newlink index %d flags %#x", ii->ifi_index, h->nlmsg_flags);
		} else {
			printf(" type %u", h->nlmsg_type);
		}
	}
	printf("\n");
}

static void requests(void)
{
	int fd = nl_open(SOCK_RAW);
	struct ifinfomsg ii = { .ifi_family = AF_UNSPEC, .ifi_index = 1 };
	nl_request(fd, RTM_GETLINK, NLM_F_REQUEST, 10, &ii, sizeof(ii));
	show_reply(fd, "getlink 1");
	nl_request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 11, &ii, sizeof(ii));
	show_reply(fd, "getlink 1 with ack");
	show_reply(fd, "then");
	ii.ifi_index = 9999;
	nl_request(fd, RTM_GETLINK, NLM_F_REQUEST, 12, &ii, sizeof(ii));
	show_reply(fd, "getlink 9999");
	/* By name. */
	char body[64] __attribute__((aligned(4)));
	memset(body, 0, sizeof(body));
	ii.ifi_index = 0;
	memcpy(body, &ii, sizeof(ii));
	struct rtattr *a = (void *)(body + NLMSG_ALIGN(sizeof(ii)));
	a->rta_type = IFLA_IFNAME;
	a->rta_len = RTA_LENGTH(3);
	memcpy(RTA_DATA(a), "lo", 3);
	nl_request(fd, RTM_GETLINK, NLM_F_REQUEST, 13, body,
		   NLMSG_ALIGN(sizeof(ii)) + RTA_ALIGN(a->rta_len));
	show_reply(fd, "getlink lo");
	nl_request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 14, &ii, sizeof(ii));
	show_reply(fd, "noop with ack");
	nl_request(fd, RTM_GETLINK, 0, 15, &ii, sizeof(ii));
	show_reply(fd, "not a request");

	/* MSG_PEEK|MSG_TRUNC says the datagram's length; MSG_TRUNC in
	 * msg_flags when it did not fit, and it is gone. */
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	nl_request(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 16, &g, sizeof(g));
	char buf[8192];
	ssize_t peek = recv(fd, buf, 0, MSG_PEEK | MSG_TRUNC);
	ssize_t got = recv(fd, buf, sizeof(buf), MSG_PEEK);
	printf("peek with MSG_TRUNC gives the length: %d\n", peek > 0 && peek == got);
	struct iovec iov = { buf, 16 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &m, 0);
	printf("short recvmsg: %zd, MSG_TRUNC %d\n", n, !!(m.msg_flags & MSG_TRUNC));
	close(fd);
}

static void names(void)
{
	int a = nl_open(SOCK_RAW), b = nl_open(SOCK_DGRAM), c = nl_open(SOCK_RAW);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	CHECK(getsockname(a, (void *)&sa, &sl) == 0, "getsockname");
	printf("unbound: pid %u len %u\n", sa.nl_pid, sl);
	sa.nl_pid = 0;
	CHECK(bind(a, (void *)&sa, sizeof(sa)) == 0, "bind a");
	CHECK(bind(b, (void *)&sa, sizeof(sa)) == 0, "bind b");
	struct sockaddr_nl sb;
	sl = sizeof(sa);
	getsockname(a, (void *)&sa, &sl);
	getsockname(b, (void *)&sb, &sl);
	printf("first is pid: %d, second negative: %d\n", sa.nl_pid == (unsigned)getpid(),
	       (int)sb.nl_pid < 0);
	printf("bind c to a's id: %s\n", en(bind(c, (void *)&sa, sizeof(sa))));
	sa.nl_pid = 0x7654321;
	printf("bind c to 0x7654321: %s\n", en(bind(c, (void *)&sa, sizeof(sa))));
	sl = sizeof(sa);
	getsockname(c, (void *)&sa, &sl);
	printf("c is %#x\n", sa.nl_pid);
	sa.nl_pid = 0x1234;
	printf("bind c again elsewhere: %s\n", en(bind(c, (void *)&sa, sizeof(sa))));
	printf("bind short: %s\n", en(bind(c, (void *)&sa, 4)));
	sl = sizeof(sa);
	CHECK(getpeername(c, (void *)&sa, &sl) == 0, "getpeername");
	printf("peer pid %u\n", sa.nl_pid);
	int v = 1 << 20;
	printf("SO_RCVBUF: %s\n", en(setsockopt(a, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v))));
	printf("NETLINK_EXT_ACK: %s\n",
	       en(setsockopt(a, SOL_NETLINK, NETLINK_EXT_ACK, &v, sizeof(v))));
	char x;
	printf("recv on empty: %s\n", en(recv(a, &x, 1, MSG_DONTWAIT)));
	close(a);
	close(b);
	close(c);
	printf("protocol 32: %s\n", en(socket(AF_NETLINK, SOCK_RAW, 32)));
	printf("SOCK_STREAM: %s\n", en(socket(AF_NETLINK, SOCK_STREAM, 0)));
}

static void ioctls(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;
	struct ifreq r;
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	rc = ioctl(fd, SIOCGIFINDEX, &r);
	printf("SIOCGIFINDEX lo: %s %d\n", en(rc), r.ifr_ifindex);
	rc = ioctl(fd, SIOCGIFFLAGS, &r);
	printf("SIOCGIFFLAGS lo: %s %#x\n", en(rc),
	       (unsigned short)r.ifr_flags);
	rc = ioctl(fd, SIOCGIFMTU, &r);
	printf("SIOCGIFMTU lo: %s %d\n", en(rc), r.ifr_mtu);
	rc = ioctl(fd, SIOCGIFHWADDR, &r);
	printf("SIOCGIFHWADDR lo: %s family %d\n", en(rc),
	       r.ifr_hwaddr.sa_family);
	rc = ioctl(fd, SIOCGIFADDR, &r);
	printf("SIOCGIFADDR lo: %s %s\n", en(rc),
	       inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
	rc = ioctl(fd, SIOCGIFNETMASK, &r);
	printf("SIOCGIFNETMASK lo: %s %s\n", en(rc),
	       inet_ntoa(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr));
	memset(&r, 0, sizeof(r));
	r.ifr_ifindex = 1;
	rc = ioctl(fd, SIOCGIFNAME, &r);
	printf("SIOCGIFNAME 1: %s %s\n", en(rc), r.ifr_name);
	strcpy(r.ifr_name, "nosuch0");
	printf("SIOCGIFINDEX nosuch0: %s\n", en(ioctl(fd, SIOCGIFINDEX, &r)));
	r.ifr_ifindex = 99999;
	printf("SIOCGIFNAME 99999: %s\n", en(ioctl(fd, SIOCGIFNAME, &r)));
	struct ifreq reqs[32];
	struct ifconf ic = { .ifc_len = 0, .ifc_buf = NULL };
	rc = ioctl(fd, SIOCGIFCONF, &ic);
	int need = ic.ifc_len;
	ic.ifc_len = sizeof(reqs);
	ic.ifc_req = reqs;
	rc |= ioctl(fd, SIOCGIFCONF, &ic);
	int lo = 0;
	for (int i = 0; i < ic.ifc_len / (int)sizeof(struct ifreq); i++)
		if (!strcmp(reqs[i].ifr_name, "lo"))
			lo = !strcmp(inet_ntoa(((struct sockaddr_in *)&reqs[i].ifr_addr)->sin_addr),
				     "127.0.0.1");
	printf("SIOCGIFCONF: %s, sizes agree %d, lo 127.0.0.1 %d\n", en(rc),
	       need == ic.ifc_len, lo);
	close(fd);
	/* glibc's if_nametoindex asks a netlink socket. */
	fd = nl_open(SOCK_DGRAM);
	strcpy(r.ifr_name, "lo");
	rc = ioctl(fd, SIOCGIFINDEX, &r);
	printf("SIOCGIFINDEX lo on netlink: %s %d\n", en(rc),
	       r.ifr_ifindex);
	close(fd);
}

static void libc(void)
{
	printf("if_nametoindex lo: %u\n", if_nametoindex("lo"));
	char name[IF_NAMESIZE];
	printf("if_indextoname 1: %s\n", if_indextoname(1, name));
	printf("if_nametoindex nosuch0: %u\n", if_nametoindex("nosuch0"));
	struct if_nameindex *ni = if_nameindex(), *p;
	int lo = 0;
	for (p = ni; p && p->if_index; p++)
		lo |= p->if_index == 1 && !strcmp(p->if_name, "lo");
	printf("if_nameindex has lo as 1: %d\n", lo);
	if_freenameindex(ni);
	struct ifaddrs *ifa, *i;
	CHECK(getifaddrs(&ifa) == 0, "getifaddrs");
	for (i = ifa; i; i = i->ifa_next) {
		if (strcmp(i->ifa_name, "lo") || !i->ifa_addr)
			continue;
		char a[INET6_ADDRSTRLEN] = "", m[INET6_ADDRSTRLEN] = "";
		int f = i->ifa_addr->sa_family;
		if (f == AF_INET) {
			inet_ntop(f, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof(a));
			inet_ntop(f, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, m, sizeof(m));
		} else if (f == AF_INET6) {
			inet_ntop(f, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, a, sizeof(a));
			inet_ntop(f, &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr, m, sizeof(m));
		}
		printf("getifaddrs lo family %d flags %#x %s %s\n", f, i->ifa_flags, a, m);
	}
	freeifaddrs(ifa);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	dumps(SOCK_RAW);
	dumps(SOCK_DGRAM);
	requests();
	names();
	ioctls();
	libc();
	printf("%d failures\n", failures);
	return failures != 0;
}
