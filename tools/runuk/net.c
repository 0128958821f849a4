/* The guest's network. In a network namespace the engine prepared (its
 * default bridge: a veth with an address and a default route), the guest
 * takes the interface over as Kata does: a tap in the namespace, and tc
 * redirecting everything the veth receives to the tap and back
 * (mirred), with the veth's MAC, address and gateway given to the guest,
 * so the engine's port forwarding reaches the program. With the host's
 * network (no namespace) QEMU's user-mode networking gives the guest
 * outbound connections; a namespace of its own without a path (ctr's
 * default) has nothing to take over: the guest gets no network. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runuk.h"

#define TAP_NAME "uktap0"

struct guest_if {
	char name[IFNAMSIZ];
	char addr[INET_ADDRSTRLEN];
	int prefix;
	char gw[INET_ADDRSTRLEN];
	unsigned char mac[6];
	int mtu;
};

/* The first interface with an IPv4 address that is not loopback. */
static int find_interface(struct guest_if *gi)
{
	struct ifaddrs *ifs, *i;
	if (getifaddrs(&ifs))
		return -1;
	int found = -1;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK) || !strcmp(i->ifa_name, TAP_NAME))
			continue;
		snprintf(gi->name, sizeof(gi->name), "%s", i->ifa_name);
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, gi->addr,
			  sizeof(gi->addr));
		uint32_t mask = ntohl(((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr);
		gi->prefix = __builtin_popcount(mask);
		found = 0;
		break;
	}
	freeifaddrs(ifs);
	return found;
}

/* The default route's gateway through gi->name, from /proc/net/route
 * (the namespace's: we are in it). */
static void find_gateway(struct guest_if *gi)
{
	FILE *f = fopen("/proc/net/route", "r");
	char line[256], ifname[64];
	unsigned dest, gw, flags;
	gi->gw[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %x %x %x", ifname, &dest, &gw, &flags) != 4 ||
		    strcmp(ifname, gi->name) || dest != 0 || !gw)
			continue;
		struct in_addr a = { .s_addr = gw };
		inet_ntop(AF_INET, &a, gi->gw, sizeof(gi->gw));
		break;
	}
	fclose(f);
}

static int if_ioctl(int s, unsigned long req, struct ifreq *ifr, const char *name)
{
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	return ioctl(s, req, ifr);
}

/* A persistent tap (it lives as long as the namespace), up, with the
 * veth's MTU. */
static int make_tap(int s, int mtu)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", TAP_NAME);
	int rc = ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETPERSIST, 1) ? -1 : 0;
	close(fd);
	if (rc)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	if (if_ioctl(s, SIOCSIFMTU, &ifr, TAP_NAME))
		return -1;
	if (if_ioctl(s, SIOCGIFFLAGS, &ifr, TAP_NAME))
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return if_ioctl(s, SIOCSIFFLAGS, &ifr, TAP_NAME);
}

/* iproute2's tc, quietly; its status. */
static int tc(const char *const *args)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		execvp("tc", (char *const *)args);
		_exit(127);
	}
	int ws;
	if (pid < 0 || waitpid(pid, &ws, 0) < 0)
		return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Everything arriving at `from` leaves through `to`. */
static int redirect(const char *from, const char *to)
{
	const char *del[] = { "tc", "qdisc", "del", "dev", from, "ingress", NULL };
	const char *add[] = { "tc", "qdisc", "add", "dev", from, "ingress", NULL };
	/* u32 matching everything: matchall is not in every kernel. */
	const char *filt[] = { "tc", "filter", "add", "dev", from, "parent", "ffff:",
			       "protocol", "all", "u32", "match", "u32", "0", "0",
			       "action", "mirred", "egress", "redirect", "dev", to, NULL };
	tc(del);
	if (tc(add) || tc(filt)) {
		log_error("tc: cannot redirect %s to %s (is iproute2's tc installed?)", from, to);
		return -1;
	}
	return 0;
}

static int take_over(struct argv_buf *a)
{
	struct guest_if gi = { 0 };
	struct ifreq ifr = { 0 };
	if (find_interface(&gi)) {
		log_info("network: no IPv4 interface in the namespace: the guest has no network");
		return 0;
	}
	find_gateway(&gi);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || if_ioctl(s, SIOCGIFHWADDR, &ifr, gi.name)) {
		log_error("network: %s: %s", gi.name, strerror(errno));
		goto err;
	}
	memcpy(gi.mac, ifr.ifr_hwaddr.sa_data, 6);
	gi.mtu = if_ioctl(s, SIOCGIFMTU, &ifr, gi.name) ? 1500 : ifr.ifr_mtu;
	if (make_tap(s, gi.mtu)) {
		log_error("network: tap %s: %s", TAP_NAME, strerror(errno));
		goto err;
	}
	close(s);
	if (redirect(gi.name, TAP_NAME) || redirect(TAP_NAME, gi.name))
		return -1;
	log_info("network: the guest takes %s over: %s/%d, gateway %s", gi.name, gi.addr,
		 gi.prefix, *gi.gw ? gi.gw : "none");
	const unsigned char *m = gi.mac;
	if (argv_add(a, "-t") || argv_add(a, TAP_NAME) || argv_add(a, "-a") ||
	    argv_addf(a, "ip=%s/%d", gi.addr, gi.prefix) ||
	    (*gi.gw && (argv_add(a, "-a") || argv_addf(a, "gw=%s", gi.gw))) ||
	    argv_add(a, "-q") ||
	    argv_addf(a, "-global virtio-net-device.mac=%02x:%02x:%02x:%02x:%02x:%02x",
		      m[0], m[1], m[2], m[3], m[4], m[5]))
		return -1;
	return 0;
err:
	if (s >= 0)
		close(s);
	return -1;
}

/* "HOST:GUEST,..." as run.sh's -p options. */
static int publish(const char *ports, struct argv_buf *a)
{
	char *list = strdup(ports), *save = NULL;
	int rc = list ? 0 : -1;
	for (char *p = list ? strtok_r(list, ", ", &save) : NULL; p && !rc;
	     p = strtok_r(NULL, ", ", &save)) {
		unsigned h, gport;
		char end;
		if (sscanf(p, "%u:%u%c", &h, &gport, &end) != 2 || !h || h > 65535 || !gport ||
		    gport > 65535) {
			log_error("annotation %s: %s: expected HOST:GUEST", RUNUK_PORTS_ANNOTATION, p);
			rc = -1;
		} else {
			rc = argv_add(a, "-p") || argv_addf(a, "%u:%u", h, gport) ? -1 : 0;
		}
	}
	free(list);
	return rc;
}

int net_setup(const struct oci_config *c, struct argv_buf *a)
{
	if (c->netns_new) {
		log_info("network: a namespace of its own: the guest has no network");
		return 0;
	}
	if (!c->netns) {
		log_info("network: the host's: QEMU's user-mode networking, ports published: %s",
			 c->ports ? c->ports : "none (annotation " RUNUK_PORTS_ANNOTATION ")");
		if (argv_add(a, "-n"))
			return -1;
		return c->ports ? publish(c->ports, a) : 0;
	}
	int fd = open(c->netns, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		log_error("network namespace %s: %s", c->netns, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return take_over(a);
}
