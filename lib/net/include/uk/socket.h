/* Sockets: the generic layer and the interface an address family plugs
 * into.
 *
 * Every socket is a vnode of type S_IFSOCK on the "sockfs" mount (its
 * descriptor's path reads "socket:[ino]"), so read, write, readv, writev,
 * sendfile, fstat, poll, select and epoll work on it like on a pipe. The
 * socket system calls (lib/net/socket.c) find the struct uk_socket behind
 * a descriptor and call its ops; an address family only implements ops.
 *
 * A family registers a struct uk_socket_family (uk_socket_register_family,
 * from an UK_INIT_AT function); socket() and socketpair() for a family
 * nobody registered fail with EAFNOSUPPORT. AF_UNIX lives in af_unix.c;
 * AF_INET and AF_INET6 are for a network stack (lwIP) to register.
 *
 * Rules for a family's ops:
 * - Return 0 or a count, or a negative errno. A blocking wait interrupted
 *   by a signal returns what uk_socket_wait returned (-UK_ERESTARTSYS or
 *   -EINTR), or the partial count when some data moved.
 * - Nonblocking: sendmsg/recvmsg get MSG_DONTWAIT in flags when the
 *   descriptor is O_NONBLOCK; connect and accept get `nonblock`.
 * - Blocking honours SO_SNDTIMEO / SO_RCVTIMEO: compute the deadline once
 *   with uk_socket_deadline and sleep with uk_socket_wait, which returns
 *   -EAGAIN when it passes (Linux's EAGAIN for an expired timeout; a TCP
 *   connect turns it into EINPROGRESS).
 * - ioctl: return -UK_ENOIOCTLCMD for commands the family does not know
 *   (the generic layer then answers FIOSETOWN... or ENOTTY). arg is the
 *   program's: values go out with uk_put_user. FIONREAD (SIOCINQ) is
 *   ops->nread, which epoll asks too.
 * - Readiness: ops->poll returns POLL* bits; call uk_socket_wake(s) on
 *   every change of what it may return (data in or out, connection,
 *   shutdown, close, errors), or poll/epoll and blocked callers sleep on.
 * - Pending errors (SO_ERROR) live in s->err as a positive errno;
 *   uk_socket_take_error reads and clears it.
 * - A write to a connection whose peer has gone fails with -EPIPE and the
 *   family calls uk_socket_sigpipe(flags) (SIGPIPE unless MSG_NOSIGNAL).
 * - The generic layer keeps the SOL_SOCKET options (below); ops->setsockopt
 *   also sees SOL_SOCKET sets, after they are stored (its -ENOPROTOOPT is
 *   ignored there), and ops->getsockopt is asked first for SOL_SOCKET gets
 *   (return -ENOPROTOOPT to let the generic answer). Other levels go to
 *   the family only (NULL: EOPNOTSUPP).
 * - Addresses given to ops are kernel copies (at most
 *   sizeof(struct uk_sockaddr_storage) bytes); getname fills a buffer of
 *   that size and sets *len to the address's full length. Option values
 *   are kernel buffers too (setsockopt: what could be read of them).
 * - Message headers are the kernel's: msg_name and msg_control are
 *   kernel buffers, msg_iov a kernel array of buffers that are the
 *   program's (checked to lie in its half) or the kernel's. Move data
 *   with uk_iov_iter_copy_from/_to, which stop at a fault with a short
 *   count: then, as Linux, a send gives the bytes of the chunks that
 *   went in whole (or -EFAULT), a stream receive leaves what failed in
 *   the queue, and a datagram that could not go out is gone. recvmsg
 *   sets msg_namelen (0 when there is no address), msg_controllen
 *   (bytes of control data written) and msg_flags (MSG_TRUNC,
 *   MSG_CTRUNC...).
 *
 * Lifetime: uk_socket_alloc gives a socket holding one vnode reference;
 * installing it as a descriptor hands that reference to the open file.
 * ops->close runs when the last descriptor (open file) goes: the socket
 * is dead for the program; tear down connections and wake everyone.
 * ops->release runs when the last vnode reference goes (peers, epoll
 * and poll hold references too): free the family's data. A socket made
 * by a family and never installed (a connection not yet accepted) is
 * ended by the family itself (its own close logic, then uk_socket_put);
 * sockets the generic layer made and could not install (a socketpair that
 * failed) get ops->close, then the put.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <asm/socket.h>
#include <uk/vfs.h>

/* Constants: Linux's values, the program's ABI. Deliberately unguarded:
 * the same definition again is harmless, and a header that defines one
 * differently (lwIP's lwip/sockets.h does) fails the build instead of
 * changing the ABI. A network stack keeps its socket API off
 * (LWIP_SOCKET 0) or out of the files that include this one. */

/* Address families. */
#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_LOCAL	AF_UNIX
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define AF_MAX		46
#define PF_UNIX		AF_UNIX

/* Socket types and socket()'s flags. */
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_DCCP	6
#define SOCK_PACKET	10
#define UK_SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK	04000
#define SOCK_CLOEXEC	02000000

/* send/recv flags. */
#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_PROXY	0x10
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_FIN		0x200
#define MSG_SYN		0x400
#define MSG_CONFIRM	0x800
#define MSG_RST		0x1000
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000
#define MSG_BATCH	0x40000
#define MSG_ZEROCOPY	0x4000000
#define MSG_FASTOPEN	0x20000000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#define SCM_RIGHTS	0x01
#define SCM_CREDENTIALS	0x02

#define UK_ENOIOCTLCMD	515

#ifndef SOMAXCONN
#define SOMAXCONN	4096
#endif

/* The program's structures, with Linux's x86_64 layouts. */
struct uk_sockaddr {
	__kernel_sa_family_t sa_family;
	char sa_data[14];
};

#define uk_sockaddr_storage __kernel_sockaddr_storage

struct uk_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

struct uk_mmsghdr {
	struct uk_msghdr msg_hdr;
	unsigned int msg_len;
};

struct uk_cmsghdr {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};

#define UK_CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define UK_CMSG_LEN(len) (sizeof(struct uk_cmsghdr) + (len))
#define UK_CMSG_SPACE(len) (sizeof(struct uk_cmsghdr) + UK_CMSG_ALIGN(len))
#define UK_CMSG_DATA(c) ((unsigned char *)((struct uk_cmsghdr *)(c) + 1))

struct uk_ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

struct uk_linger {
	int l_onoff;
	int l_linger;
};

struct uk_socket;

struct uk_socket_ops {
	int (*bind)(struct uk_socket *s, const void *addr, int len);
	int (*connect)(struct uk_socket *s, const void *addr, int len, int nonblock);
	int (*listen)(struct uk_socket *s, int backlog);
	/* *out: a new socket (uk_socket_alloc) whose reference goes to the
	 * caller, which installs it. */
	int (*accept)(struct uk_socket *s, struct uk_socket **out, int nonblock);
	/* Both freshly created by the family's create. */
	int (*socketpair)(struct uk_socket *a, struct uk_socket *b);
	int (*shutdown)(struct uk_socket *s, int how);
	int (*getname)(struct uk_socket *s, void *addr, int *len, int peer);
	ssize_t (*sendmsg)(struct uk_socket *s, const struct uk_msghdr *msg, int flags);
	ssize_t (*recvmsg)(struct uk_socket *s, struct uk_msghdr *msg, int flags);
	int (*setsockopt)(struct uk_socket *s, int level, int name,
			  const void *val, int len);
	int (*getsockopt)(struct uk_socket *s, int level, int name,
			  void *val, int *len);
	unsigned int (*poll)(struct uk_socket *s);		/* POLL* */
	long (*nread)(struct uk_socket *s);	/* FIONREAD, or -errno */
	int (*ioctl)(struct uk_socket *s, unsigned int cmd, unsigned long arg);
	void (*close)(struct uk_socket *s);
	void (*release)(struct uk_socket *s);
};

struct uk_socket_family {
	int family;
	/* Sets s->ops and s->priv for a socket of this type (without
	 * SOCK_NONBLOCK/SOCK_CLOEXEC) and protocol: EPROTONOSUPPORT,
	 * ESOCKTNOSUPPORT... s->type may be changed (AF_UNIX's SOCK_RAW). */
	int (*create)(struct uk_socket *s, int type, int protocol);
};

struct uk_socket {
	const struct uk_socket_ops *ops;
	struct uk_vnode *vn;		/* S_IFSOCK; vn->priv == this */
	int family, type, protocol;
	void *priv;			/* the family's */
	int err;			/* pending error (SO_ERROR), positive */
	/* SOL_SOCKET options, kept by the generic layer. */
	uint64_t rcvtimeo_ns, sndtimeo_ns;	/* UK_NO_DEADLINE: none */
	int rcvbuf, sndbuf;
	int rcvlowat;
	int priority, mark;
	uint64_t bool_opts;		/* bit n: boolean option SO_n is on */
	struct uk_linger linger;
};

/* Registration (an init function of the family). */
int uk_socket_register_family(const struct uk_socket_family *fam);

/* A new socket of a family (its create is not called: the caller sets
 * ops and priv); one vnode reference for the caller. */
struct uk_socket *uk_socket_alloc(int family, int type, int protocol);
void uk_socket_get(struct uk_socket *s);
void uk_socket_put(struct uk_socket *s);
/* Makes a descriptor of it (takes the reference); flags: SOCK_NONBLOCK,
 * SOCK_CLOEXEC. Returns the descriptor, or an errno (then the reference
 * is dropped). */
int uk_socket_install(struct uk_socket *s, int flags);
/* The socket behind an open file, or NULL. */
struct uk_socket *uk_socket_from_file(struct uk_file *f);

/* Blocking. */
uint64_t uk_socket_deadline(struct uk_socket *s, int sending);
int uk_socket_wait(struct uk_socket *s, uint64_t deadline);
/* Sleeps on s's queue and on another socket's (a peer whose queue
 * decides when s may go on). */
int uk_socket_wait2(struct uk_socket *s, struct uk_socket *other, uint64_t deadline);
void uk_socket_wake(struct uk_socket *s);
/* A wake-up of the kinds given (UK_WAKE_IN: data or a connection to
 * take; UK_WAKE_OUT: room to send), for edge-triggered epoll. */
void uk_socket_wake_events(struct uk_socket *s, unsigned int events);
int uk_socket_take_error(struct uk_socket *s);	/* -err or 0; clears */
void uk_socket_sigpipe(int flags);
/* Copies an option's value out as getsockopt does: as much as *len
 * allows; *len becomes what was copied. val is a kernel buffer. */
static inline void uk_sockopt_put(void *val, int *len, const void *v, int n)
{
	if (*len < n)
		n = *len;
	for (int i = 0; i < n; i++)
		((char *)val)[i] = ((const char *)v)[i];
	*len = n;
}
static inline int uk_socket_opt(const struct uk_socket *s, int so)
{
	return so < 64 && ((s->bool_opts >> so) & 1);
}

/* Copying between iovecs and a buffer: an iterator over msg_iov. The
 * copies return how many bytes moved: short at the end of the iovecs or
 * at a fault in the program's memory (the iterator then stands there). */
struct uk_iov_iter {
	const struct iovec *iov;
	size_t n, i, off;	/* iovec i, byte off within it */
};
void uk_iov_iter_init(struct uk_iov_iter *it, const struct iovec *iov, size_t n);
size_t uk_iov_iter_copy_from(struct uk_iov_iter *it, void *dst, size_t len);
size_t uk_iov_iter_copy_to(struct uk_iov_iter *it, const void *src, size_t len);
size_t uk_iov_total(const struct iovec *iov, size_t n);
