/* The interface table (uk/ifinfo.h): the network stack's provider, the
 * look-ups by index and name, and the SIOCGIF* ioctls, which Linux
 * answers on a socket of any family (glibc's if_nametoindex asks an
 * AF_NETLINK one). */
#include <errno.h>
#include <string.h>
#include <uk/uaccess.h>
#include <uk/socket.h>
#include <uk/ifinfo.h>

#define K_SIOCGIFNAME		0x8910
#define K_SIOCGIFCONF		0x8912
#define K_SIOCGIFFLAGS		0x8913
#define K_SIOCGIFADDR		0x8915
#define K_SIOCGIFBRDADDR	0x8919
#define K_SIOCGIFNETMASK	0x891b
#define K_SIOCGIFMTU		0x8921
#define K_SIOCGIFHWADDR		0x8927
#define K_SIOCGIFINDEX		0x8933
#define K_SIOCGIFTXQLEN		0x8942

static const struct uk_ifinfo_ops *provider;

void uk_ifinfo_register(const struct uk_ifinfo_ops *ops)
{
	provider = ops;
}

int uk_ifinfo_links(struct uk_iflink *out, int max)
{
	return provider ? provider->links(out, max) : 0;
}

int uk_ifinfo_addrs(struct uk_ifaddr *out, int max)
{
	return provider ? provider->addrs(out, max) : 0;
}

int uk_ifinfo_link_by_index(int index, struct uk_iflink *out)
{
	struct uk_iflink l[UK_IF_MAX];
	int n = uk_ifinfo_links(l, UK_IF_MAX);
	for (int i = 0; i < n; i++)
		if (l[i].index == index) {
			*out = l[i];
			return 0;
		}
	return -ENODEV;
}

int uk_ifinfo_link_by_name(const char *name, struct uk_iflink *out)
{
	struct uk_iflink l[UK_IF_MAX];
	int n = uk_ifinfo_links(l, UK_IF_MAX);
	for (int i = 0; i < n; i++)
		if (!strncmp(l[i].name, name, UK_IFNAMSIZ)) {
			*out = l[i];
			return 0;
		}
	return -ENODEV;
}

/* The program's struct ifreq and struct ifconf (x86_64 layouts). */
struct k_ifreq {
	char name[UK_IFNAMSIZ];
	union {
		struct uk_sockaddr addr;
		short flags;
		int ivalue;
		char pad[24];
	} u;
};

struct k_ifconf {
	int len;
	int pad;
	void *buf;
};

struct k_sockaddr_in {
	uint16_t family, port;
	unsigned char addr[4], zero[8];
};

/* The link's first IPv4 address, or NULL. */
static const struct uk_ifaddr *first_ip4(const struct uk_ifaddr *a, int n, int index)
{
	for (int i = 0; i < n; i++)
		if (a[i].index == index && a[i].family == AF_INET)
			return &a[i];
	return NULL;
}

static void sin_of(struct uk_sockaddr *sa, const unsigned char *ip)
{
	struct k_sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.family = AF_INET;
	memcpy(sin.addr, ip, 4);
	memcpy(sa, &sin, sizeof(sin));
}

/* SIOCGIFCONF: an ifreq for each IPv4 address, or with a NULL buffer
 * the room they need (Linux's dev_ifconf and inet_gifconf). */
static int ifconf(unsigned long arg)
{
	struct k_ifconf ic;
	if (uk_copy_from_user(&ic, (void *)arg, sizeof(ic)))
		return -EFAULT;
	struct uk_iflink l[UK_IF_MAX];
	struct uk_ifaddr a[UK_IFADDR_MAX];
	int nl = uk_ifinfo_links(l, UK_IF_MAX), na = uk_ifinfo_addrs(a, UK_IFADDR_MAX);
	int done = 0;
	for (int i = 0; i < nl; i++)
		for (int j = 0; j < na; j++) {
			if (a[j].index != l[i].index || a[j].family != AF_INET)
				continue;
			if (!ic.buf) {
				done += sizeof(struct k_ifreq);
				continue;
			}
			if (ic.len - done < (int)sizeof(struct k_ifreq))
				goto out;
			struct k_ifreq r;
			memset(&r, 0, sizeof(r));
			memcpy(r.name, l[i].name, UK_IFNAMSIZ);
			sin_of(&r.u.addr, a[j].addr);
			if (uk_copy_to_user((char *)ic.buf + done, &r, sizeof(r)))
				return -EFAULT;
			done += sizeof(r);
		}
out:
	return uk_put_user(done, (int *)arg);
}

int uk_ifinfo_ioctl(int family, unsigned int cmd, unsigned long arg)
{
	struct k_ifreq r;
	struct uk_iflink l;
	int rc;
	switch (cmd) {
	case K_SIOCGIFCONF:
		return ifconf(arg);
	case K_SIOCGIFNAME:
		if (uk_copy_from_user(&r, (void *)arg, sizeof(r)))
			return -EFAULT;
		if ((rc = uk_ifinfo_link_by_index(r.u.ivalue, &l)))
			return rc;
		return uk_copy_to_user((void *)arg, l.name, UK_IFNAMSIZ) ? -EFAULT : 0;
	case K_SIOCGIFINDEX:
	case K_SIOCGIFFLAGS:
	case K_SIOCGIFMTU:
	case K_SIOCGIFHWADDR:
	case K_SIOCGIFTXQLEN:
		break;
	case K_SIOCGIFADDR:
	case K_SIOCGIFNETMASK:
	case K_SIOCGIFBRDADDR:
		if (family != AF_INET && family != AF_INET6)
			return -UK_ENOIOCTLCMD;
		break;
	default:
		return -UK_ENOIOCTLCMD;
	}
	if (uk_copy_from_user(&r, (void *)arg, sizeof(r)))
		return -EFAULT;
	r.name[UK_IFNAMSIZ - 1] = 0;
	if ((rc = uk_ifinfo_link_by_name(r.name, &l)))
		return rc;
	memset(&r.u, 0, sizeof(r.u));
	switch (cmd) {
	case K_SIOCGIFINDEX:
		r.u.ivalue = l.index;
		break;
	case K_SIOCGIFFLAGS:
		r.u.flags = (short)l.flags;	/* the low 16 bits, as Linux */
		break;
	case K_SIOCGIFMTU:
		r.u.ivalue = l.mtu;
		break;
	case K_SIOCGIFTXQLEN:
		r.u.ivalue = l.txqlen;
		break;
	case K_SIOCGIFHWADDR:
		r.u.addr.sa_family = l.type;
		memcpy(r.u.addr.sa_data, l.hwaddr, l.hwlen);
		break;
	default: {
		/* The inet ones: the link's first IPv4 address (Linux's
		 * devinet_ioctl: EADDRNOTAVAIL without one; EINVAL for a
		 * broadcast address on a link without broadcast). */
		struct uk_ifaddr a[UK_IFADDR_MAX];
		int na = uk_ifinfo_addrs(a, UK_IFADDR_MAX);
		const struct uk_ifaddr *ia = first_ip4(a, na, l.index);
		if (!ia)
			return -EADDRNOTAVAIL;
		if (cmd == K_SIOCGIFADDR) {
			sin_of(&r.u.addr, ia->addr);
		} else if (cmd == K_SIOCGIFNETMASK) {
			uint32_t m = ia->prefix ? 0xffffffffu << (32 - ia->prefix) : 0;
			unsigned char b[4] = { m >> 24, m >> 16, m >> 8, m };
			sin_of(&r.u.addr, b);
		} else {
			if (!(l.flags & UK_IFF_BROADCAST))
				return -EINVAL;
			sin_of(&r.u.addr, ia->has_brd ? ia->brd : (const unsigned char[4]){ 0 });
		}
	}
	}
	return uk_copy_to_user((void *)arg, &r, sizeof(r)) ? -EFAULT : 0;
}
