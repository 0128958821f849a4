/* lwIP's interfaces as the interface table of uk/ifinfo.h (netlink
 * dumps, SIOCGIF* ioctls): the loopback interface is Linux's `lo`
 * (index 1), the Ethernet one `eth0` (index 2, lwIP's netif numbers
 * follow the order of netif_add), with their IPv4 and IPv6 addresses.
 * Asking starts lwIP, as the first inet socket does. */
#include <string.h>
#include <uk/init.h>
#include <uk/socket.h>
#include <uk/ifinfo.h>
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include "lwip_internal.h"

#define LO_MTU		65536
#define TXQLEN		1000
#define IF_OPER_DOWN	2
#define IF_OPER_UP	6

/* lwIP's list is newest first; Linux lists links by index. */
#define FOREACH_BY_INDEX(n)						\
	for (int idx_ = 1; idx_ <= 255; idx_++)	/* u8_t indices */	\
		if (((n) = netif_get_by_index((u8_t)idx_)) != NULL)

static int is_loop(const struct netif *n)
{
	return n->name[0] == 'l' && n->name[1] == 'o';
}

static void if_name(const struct netif *n, char *out)
{
	memset(out, 0, UK_IFNAMSIZ);
	if (is_loop(n)) {
		memcpy(out, "lo", 2);
		return;
	}
	/* The Ethernet interfaces in lwIP's order: eth0, eth1... */
	int k = 0;
	struct netif *m;
	NETIF_FOREACH(m) {
		if (m == n)
			break;
		if (!is_loop(m))
			k++;
	}
	memcpy(out, "eth", 3);
	out[3] = (char)('0' + k % 10);
}

static int links(struct uk_iflink *out, int max)
{
	struct netif *n;
	int k = 0;
	uk_lwip_init();
	FOREACH_BY_INDEX(n) {
		if (k >= max)
			break;
		struct uk_iflink *l = &out[k++];
		memset(l, 0, sizeof(*l));
		l->index = netif_get_index(n);
		if_name(n, l->name);
		l->txqlen = TXQLEN;
		l->hwlen = 6;
		int up = netif_is_up(n) && netif_is_link_up(n);
		if (is_loop(n)) {
			l->type = UK_ARPHRD_LOOPBACK;
			l->mtu = LO_MTU;
			l->flags = UK_IFF_LOOPBACK;
			l->oper = 0;	/* IF_OPER_UNKNOWN, as Linux's lo */
		} else {
			l->type = UK_ARPHRD_ETHER;
			l->mtu = n->mtu;
			memcpy(l->hwaddr, n->hwaddr, 6);
			l->flags = UK_IFF_BROADCAST | UK_IFF_MULTICAST;
			l->oper = up ? IF_OPER_UP : IF_OPER_DOWN;
		}
		if (netif_is_up(n))
			l->flags |= UK_IFF_UP;
		if (up)
			l->flags |= UK_IFF_RUNNING | UK_IFF_LOWER_UP;
	}
	return k;
}

static int prefix_of(uint32_t mask_host_order)
{
	int p = 0;
	while (p < 32 && (mask_host_order & (0x80000000u >> p)))
		p++;
	return p;
}

static int addrs(struct uk_ifaddr *out, int max)
{
	struct netif *n;
	int k = 0;
	uk_lwip_init();
	FOREACH_BY_INDEX(n) {
		const ip4_addr_t *ip = netif_ip4_addr(n);
		if (k < max && !ip4_addr_isany(ip)) {
			struct uk_ifaddr *a = &out[k++];
			memset(a, 0, sizeof(*a));
			a->index = netif_get_index(n);
			a->family = AF_INET;
			uint32_t ipv = ip4_addr_get_u32(ip);
			uint32_t mask = ip4_addr_get_u32(netif_ip4_netmask(n));
			memcpy(a->addr, &ipv, 4);
			a->prefix = prefix_of(lwip_ntohl(mask));
			a->flags = UK_IFA_F_PERMANENT;
			if (is_loop(n)) {
				a->scope = UK_RT_SCOPE_HOST;
			} else {
				uint32_t brd = ipv | ~mask;
				a->scope = UK_RT_SCOPE_UNIVERSE;
				a->has_brd = 1;
				memcpy(a->brd, &brd, 4);
			}
		}
		for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES && k < max; i++) {
			u8_t st = netif_ip6_addr_state(n, i);
			if (ip6_addr_isinvalid(st))
				continue;
			const ip6_addr_t *ip6 = netif_ip6_addr(n, i);
			struct uk_ifaddr *a = &out[k++];
			memset(a, 0, sizeof(*a));
			a->index = netif_get_index(n);
			a->family = AF_INET6;
			memcpy(a->addr, ip6->addr, 16);
			a->flags = UK_IFA_F_PERMANENT;
			if (ip6_addr_istentative(st))
				a->flags |= UK_IFA_F_TENTATIVE;
			if (ip6_addr_isloopback(ip6)) {
				a->prefix = 128;
				a->scope = UK_RT_SCOPE_HOST;
			} else {
				a->prefix = 64;
				a->scope = ip6_addr_islinklocal(ip6) ? UK_RT_SCOPE_LINK :
								       UK_RT_SCOPE_UNIVERSE;
			}
		}
	}
	return k;
}

static const struct uk_ifinfo_ops lwip_ifinfo = {
	.links = links,
	.addrs = addrs,
};

static int ifinfo_init(void)
{
	uk_ifinfo_register(&lwip_ifinfo);
	return 0;
}
UK_INIT_AT(ifinfo_init, UK_INIT_LEVEL_LIB);
