/* The network interfaces as the program sees them: a table the network
 * stack (lib/lwip) provides, read by AF_NETLINK's NETLINK_ROUTE dumps
 * (af_netlink.c) and by the SIOCGIF* ioctls every socket answers
 * (ifinfo.c), as Linux's dev_ioctl does for any family.
 *
 * Without a provider the table is empty: netlink dumps hold only
 * NLMSG_DONE and every interface name or index is ENODEV. */
#pragma once
#include <stdint.h>

#define UK_IFNAMSIZ	16
#define UK_IF_MAX	8	/* links the table may hold */
#define UK_IFADDR_MAX	32	/* addresses */

/* Linux's values (<linux/if.h>, <linux/if_arp.h>, <linux/if_addr.h>,
 * <linux/rtnetlink.h>). */
#define UK_IFF_UP		0x1
#define UK_IFF_BROADCAST	0x2
#define UK_IFF_LOOPBACK		0x8
#define UK_IFF_RUNNING		0x40
#define UK_IFF_MULTICAST	0x1000
#define UK_IFF_LOWER_UP		0x10000
#define UK_ARPHRD_ETHER		1
#define UK_ARPHRD_LOOPBACK	772
#define UK_IFA_F_TENTATIVE	0x40
#define UK_IFA_F_PERMANENT	0x80
#define UK_RT_SCOPE_UNIVERSE	0
#define UK_RT_SCOPE_LINK	253
#define UK_RT_SCOPE_HOST	254

struct uk_iflink {
	int index;			/* 1.. */
	char name[UK_IFNAMSIZ];		/* NUL-terminated */
	unsigned int flags;		/* UK_IFF_* as ifi_flags says them */
	unsigned int mtu, txqlen;
	unsigned short type;		/* UK_ARPHRD_* */
	unsigned char hwaddr[6], hwlen;
	unsigned char oper;		/* IF_OPER_*: 0 unknown, 6 up */
};

struct uk_ifaddr {
	int index;			/* of the link */
	int family;			/* AF_INET or AF_INET6 */
	unsigned char prefix, scope, flags;	/* flags: UK_IFA_F_* */
	unsigned char has_brd;
	unsigned char addr[16];		/* network order; 4 bytes for IPv4 */
	unsigned char brd[4];
};

struct uk_ifinfo_ops {
	/* Fill at most max entries; return how many. */
	int (*links)(struct uk_iflink *out, int max);
	int (*addrs)(struct uk_ifaddr *out, int max);
};

/* The network stack's table (one provider; a later one replaces it). */
void uk_ifinfo_register(const struct uk_ifinfo_ops *ops);
int uk_ifinfo_links(struct uk_iflink *out, int max);
int uk_ifinfo_addrs(struct uk_ifaddr *out, int max);
/* The link of that index or name: 0, or -ENODEV. */
int uk_ifinfo_link_by_index(int index, struct uk_iflink *out);
int uk_ifinfo_link_by_name(const char *name, struct uk_iflink *out);

/* The SIOCGIF* ioctls (SIOCGIFCONF, SIOCGIFINDEX, SIOCGIFNAME,
 * SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFTXQLEN, and for
 * inet sockets SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR): the
 * result, or -UK_ENOIOCTLCMD for another command. arg is the
 * program's. */
int uk_ifinfo_ioctl(int family, unsigned int cmd, unsigned long arg);
