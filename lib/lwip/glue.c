/* lwIP in the kernel: NO_SYS=1, so every lwIP call happens with
 * interrupts off (system calls, the timer interrupt, the idle loop) and
 * never concurrently. This file holds the platform functions lwIP wants
 * (sys_now, randomness, assertions), the Ethernet interface over the
 * first network device (uk/netdev.h), its address from the boot
 * arguments (ip=ADDR/PREFIX gw=ADDR, or ip=dhcp; without ip= DHCP is
 * used), and the work: received frames from the device's interrupt (or,
 * on a device without one, a scheduler poll source), loopback delivery
 * after each operation, and lwIP's timeouts from a kernel timer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/sched.h>
#include <uk/netdev.h>
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/dhcp.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"
#include "lwip_internal.h"

/* Timeouts are checked at least this often while anything needs them. */
#define TICK_NS (100ULL * 1000000ULL)
#define DHCP_WAIT_NS (5ULL * 1000000000ULL)

static int initialised;
static struct netif eth;
static struct uk_netdev *nd;
static struct uk_timer tick;
static struct uk_poll_source poller;
int uk_lwip_live_sockets;
unsigned long long uk_lwip_rx_nopbuf;

struct uk_netdev *uk_lwip_netdev(void)
{
	return nd;
}

u32_t sys_now(void)
{
	return (u32_t)(ukplat_monotonic_ns() / 1000000ULL);
}

uint32_t uk_lwip_rand(void)
{
	uint64_t v;
	if (ukplat_hw_random(&v))
		return (uint32_t)v;
	/* xorshift over the TSC-based clock as a fallback. */
	static uint64_t x;
	if (!x)
		x = ukplat_monotonic_ns() | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (uint32_t)x;
}

void uk_lwip_assert(const char *msg, int line, const char *file)
{
	printf("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
	ukplat_backtrace(2, (unsigned long)__builtin_frame_address(0));
}

/* --- the Ethernet interface ----------------------------------------------- */

static err_t eth_linkoutput(struct netif *n, struct pbuf *p)
{
	(void)n;
	struct uk_netdev_seg segs[16];
	int ns = 0;
	for (struct pbuf *q = p; q && ns < 16; q = q->next) {
		if (!q->len)
			continue;
		segs[ns].data = q->payload;
		segs[ns].len = q->len;
		ns++;
	}
	static char bounce[2048];
	size_t total = 0;
	for (int i = 0; i < ns; i++)
		total += segs[i].len;
	if (total != p->tot_len) {
		/* A long chain: flatten it. */
		if (p->tot_len > sizeof(bounce))
			return ERR_BUF;
		pbuf_copy_partial(p, bounce, p->tot_len, 0);
		segs[0].data = bounce;
		segs[0].len = p->tot_len;
		ns = 1;
	}
	int rc = uk_netdev_tx(nd, segs, ns);
	return rc ? ERR_IF : ERR_OK;
}

static void eth_rx(void *arg, const struct uk_netdev_seg *segs, int nsegs,
		   size_t total)
{
	struct netif *n = arg;
	if (!total || total > 0xffff)
		return;
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)total, PBUF_POOL);
	if (!p) {
		uk_lwip_rx_nopbuf++;
		return;
	}
	u16_t off = 0;
	for (int i = 0; i < nsegs; i++) {
		pbuf_take_at(p, segs[i].data, (u16_t)segs[i].len, off);
		off += (u16_t)segs[i].len;
	}
	if (n->input(p, n) != ERR_OK)
		pbuf_free(p);
}

static err_t eth_init(struct netif *n)
{
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->hwaddr_len = 6;
	uk_netdev_mac(nd, n->hwaddr);
	n->mtu = (u16_t)uk_netdev_mtu(nd);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
		   NETIF_FLAG_LINK_UP | NETIF_FLAG_MLD6;
	n->output = etharp_output;
	n->output_ip6 = ethip6_output;
	n->linkoutput = eth_linkoutput;
#if LWIP_IPV6
	n->mtu6 = n->mtu;
#endif
	return ERR_OK;
}

/* --- boot arguments ----------------------------------------------------- */

static int parse_ip4(const char *s, size_t len, ip4_addr_t *out, int *prefix)
{
	uint32_t parts[4] = { 0 };
	int np = 0;
	size_t i = 0;
	while (np < 4) {
		if (i >= len || s[i] < '0' || s[i] > '9')
			return -1;
		uint32_t v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (uint32_t)(s[i] - '0');
			if (v > 255)
				return -1;
			i++;
		}
		parts[np++] = v;
		if (np < 4) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
	}
	if (prefix) {
		*prefix = -1;
		if (i < len && s[i] == '/') {
			i++;
			int v = 0;
			if (i >= len)
				return -1;
			while (i < len && s[i] >= '0' && s[i] <= '9')
				v = v * 10 + (s[i++] - '0');
			if (v > 32)
				return -1;
			*prefix = v;
		}
	}
	if (i != len)
		return -1;
	IP4_ADDR(out, parts[0], parts[1], parts[2], parts[3]);
	return 0;
}

struct netconf {
	int have_ip, dhcp, prefix;
	ip4_addr_t ip, gw;
};

static void parse_cmdline(struct netconf *nc)
{
	size_t len;
	const char *v = ukplat_bootarg("ip", &len);
	if (v) {
		if (len == 4 && !strncmp(v, "dhcp", 4))
			nc->dhcp = 1;
		else if (parse_ip4(v, len, &nc->ip, &nc->prefix) == 0)
			nc->have_ip = 1;
		else
			printf("lwip: bad boot argument ip=%.*s\n", (int)len, v);
	}
	v = ukplat_bootarg("gw", &len);
	if (v && parse_ip4(v, len, &nc->gw, NULL))
		printf("lwip: bad boot argument gw=%.*s\n", (int)len, v);
}

/* --- periodic work ------------------------------------------------------ */

static int active(void)
{
	return nd || uk_lwip_live_sockets > 0;
}

static void arm_tick(void)
{
	if (!initialised || !active())
		return;
	uint64_t wait = TICK_NS;
	u32_t ms = sys_timeouts_sleeptime();
	if (ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE && (uint64_t)ms * 1000000ULL < wait)
		wait = (uint64_t)ms * 1000000ULL;
	if (wait < 1000000ULL)
		wait = 1000000ULL;
	uint64_t deadline = ukplat_monotonic_ns() + wait;
	if (!tick.armed || tick.deadline_ns > deadline)
		uk_timer_arm(&tick, deadline);
}

void uk_lwip_work(void)
{
	if (!initialised)
		return;
	for (int rounds = 0; rounds < 8; rounds++) {
		int n = nd ? uk_netdev_poll(nd, eth_rx, &eth) : 0;
		netif_poll_all();
		if (!n)
			break;
	}
	sys_check_timeouts();
	netif_poll_all();
}

/* After an operation from a system call: loopback traffic is delivered
 * and the timer is armed for the timeouts the operation set. */
void uk_lwip_kick(void)
{
	uk_lwip_work();
	arm_tick();
}

static void tick_fn(struct uk_timer *t)
{
	(void)t;
	uk_lwip_work();
	arm_tick();
}

static void poll_fn(void)
{
	if (nd)
		uk_lwip_work();
}

static void rx_irq(void *arg)
{
	(void)arg;
	uk_lwip_work();
	arm_tick();
}

int uk_lwip_init(void)
{
	if (initialised)
		return 0;
	initialised = 1;
	lwip_init();
	tick.fn = tick_fn;
	nd = uk_netdev_get(0);
	if (!nd)
		return 0;
	struct netconf nc = { 0 };
	parse_cmdline(&nc);
	ip4_addr_t ip, mask, gw;
	ip4_addr_set_zero(&ip);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (nc.have_ip) {
		int prefix = nc.prefix >= 0 ? nc.prefix : 24;
		ip = nc.ip;
		ip4_addr_set_u32(&mask, prefix ? lwip_htonl(0xffffffffUL << (32 - prefix)) : 0);
		gw = nc.gw;
	}
	if (!netif_add(&eth, &ip, &mask, &gw, NULL, eth_init, ethernet_input)) {
		printf("lwip: cannot add the interface of %s\n", uk_netdev_name(nd));
		nd = NULL;
		return 0;
	}
	netif_set_default(&eth);
	netif_set_up(&eth);
	netif_set_link_up(&eth);
#if LWIP_IPV6
	netif_create_ip6_linklocal_address(&eth, 1);
	eth.ip6_autoconfig_enabled = 1;
#endif
	if (!nc.have_ip) {
		/* Wait (polling, at most DHCP_WAIT_NS) for the lease, so that
		 * the first connect already has an address. */
		if (dhcp_start(&eth) != ERR_OK) {
			printf("lwip: cannot start DHCP\n");
		} else {
			uint64_t end = ukplat_monotonic_ns() + DHCP_WAIT_NS;
			while (!dhcp_supplied_address(&eth) && ukplat_monotonic_ns() < end) {
				uk_lwip_work();
				__asm__ volatile("pause");
			}
			if (dhcp_supplied_address(&eth))
				printf("lwip: DHCP: %s\n", ip4addr_ntoa(netif_ip4_addr(&eth)));
			else
				printf("lwip: no DHCP lease yet\n");
		}
	}
	if (uk_netdev_rx_notify(nd, rx_irq, NULL)) {
		poller.check = poll_fn;
		uk_sched_add_poll_source(&poller);
	}
	arm_tick();
	return 0;
}

/* With an ip= boot argument (run.sh -n gives one) the interface comes
 * up at boot; otherwise lwIP starts with the first AF_INET/AF_INET6
 * socket, so programs without sockets pay nothing (no device scan, no
 * timer). A device found then without ip= is configured by DHCP. */
static int lwip_boot_init(void)
{
	struct netconf nc = { 0 };
	parse_cmdline(&nc);
	if (nc.have_ip || nc.dhcp)
		uk_lwip_init();
	return 0;
}
UK_INIT_AT(lwip_boot_init, UK_INIT_LEVEL_LATE);

/* --- the end of the program ---------------------------------------------- */

/* A program that writes to a socket and exits at once expects the kernel
 * to deliver what it wrote (Linux keeps sending after the process is
 * gone). Before the guest powers off, push out what TCP still holds, for
 * at most two seconds. */
void uk_net_flush_before_exit(void)
{
	if (!initialised)
		return;
	uint64_t until = ukplat_monotonic_ns() + 2000000000ULL;
	while (ukplat_monotonic_ns() < until) {
		int pending = 0;
		for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
			if (p->unsent || p->unacked)
				pending = 1;
		if (!pending)
			break;
		uk_lwip_work();
		ukplat_wait_until_ns(ukplat_monotonic_ns() + 1000000ULL);
	}
}
