/* The generic socket layer: sockets as vnodes, the family table and the
 * socket system calls, which check their arguments, find the socket and
 * call its family's ops (see uk/socket.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/time_types.h>
#include <asm/ioctls.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/signal.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/socket.h>
#include <uk/ifinfo.h>

#define SOCKFS_MAGIC 0x534F434B
#define NSEC 1000000000ULL
#define SIGPIPE 13
#define SO_DEFAULT_BUF 212992		/* net.core.[rw]mem_default and _max */
#define SO_MIN_SNDBUF 4608
#define SO_MIN_RCVBUF 2304

static struct uk_mount *sockfs;
static const struct uk_socket_family *families[AF_MAX];

int uk_socket_register_family(const struct uk_socket_family *fam)
{
	if (fam->family <= 0 || fam->family >= AF_MAX)
		return -EINVAL;
	families[fam->family] = fam;
	return 0;
}

/* --- sockets as vnodes ------------------------------------------------- */

static struct uk_socket *vn_sock(struct uk_vnode *vn)
{
	return vn->priv;
}

static ssize_t sock_rw(struct uk_vnode *vn, struct uk_file *f, void *buf,
		       size_t len, int writing)
{
	struct uk_socket *s = vn_sock(vn);
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct uk_msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int flags = (f->flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	if (!len)
		return 0;
	/* Another thread may close the descriptor while this one sleeps:
	 * keep the socket alive until the call returns. */
	uk_socket_get(s);
	ssize_t n;
	if (writing)
		n = s->ops->sendmsg ? s->ops->sendmsg(s, &m, flags) : -EOPNOTSUPP;
	else
		n = s->ops->recvmsg ? s->ops->recvmsg(s, &m, flags) : -EOPNOTSUPP;
	uk_socket_put(s);
	return n;
}

static ssize_t sock_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			 size_t len, off_t off)
{
	(void)off;
	return sock_rw(vn, f, buf, len, 0);
}

static ssize_t sock_write(struct uk_vnode *vn, struct uk_file *f,
			  const void *buf, size_t len, off_t off)
{
	(void)off;
	return sock_rw(vn, f, (void *)buf, len, 1);
}

static unsigned int sock_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct uk_socket *s = vn_sock(vn);
	return s->ops->poll ? s->ops->poll(s) : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static int sock_ioctl(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
		      unsigned long arg)
{
	struct uk_socket *s = vn_sock(vn);
	int who;
	int rc = s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -UK_ENOIOCTLCMD;
	if (rc == -UK_ENOIOCTLCMD)
		rc = uk_ifinfo_ioctl(s->family, cmd, arg);	/* Linux's dev_ioctl */
	if (rc != -UK_ENOIOCTLCMD)
		return rc;
	switch (cmd) {
	case FIOSETOWN:
	case SIOCSPGRP:
		if (uk_get_user(who, (int *)arg))
			return -EFAULT;
		return uk_file_set_owner(f, who);
	case FIOGETOWN:
	case SIOCGPGRP:
		return uk_put_user(uk_file_owner(f), (int *)arg);
	}
	return -ENOTTY;
}

static long sock_nread(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct uk_socket *s = vn_sock(vn);
	return s->ops->nread ? s->ops->nread(s) : -ENOTTY;
}

static void sock_close(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct uk_socket *s = vn_sock(vn);
	if (s->ops->close)
		s->ops->close(s);
	uk_waitq_wake(&vn->wq, -1);
}

static void sock_release(struct uk_vnode *vn)
{
	struct uk_socket *s = vn_sock(vn);
	if (s->ops->release)
		s->ops->release(s);
	free(s);
}

static const struct uk_vnode_ops sock_vnode_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.nread = sock_nread,
	.close = sock_close,
	.release = sock_release,
};

static const struct uk_socket_ops no_ops;

struct uk_socket *uk_socket_alloc(int family, int type, int protocol)
{
	if (!sockfs && !(sockfs = uk_mount_new("sockfs", SOCKFS_MAGIC)))
		return NULL;
	struct uk_socket *s = calloc(1, sizeof(*s));
	struct uk_vnode *vn = s ? uk_vnode_alloc(sockfs, &sock_vnode_ops,
						 S_IFSOCK | 0777) : NULL;
	if (!vn) {
		free(s);
		return NULL;
	}
	vn->priv = s;
	uk_vfs_own(vn);
	s->vn = vn;
	s->ops = &no_ops;
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	s->rcvtimeo_ns = s->sndtimeo_ns = UK_NO_DEADLINE;
	s->rcvbuf = s->sndbuf = SO_DEFAULT_BUF;
	s->rcvlowat = 1;
	return s;
}

void uk_socket_get(struct uk_socket *s)
{
	uk_vnode_get(s->vn);
}

void uk_socket_put(struct uk_socket *s)
{
	uk_vnode_put(s->vn);
}

int uk_socket_install(struct uk_socket *s, int flags)
{
	char path[40];
	snprintf(path, sizeof(path), "socket:[%lu]", (unsigned long)s->vn->ino);
	struct uk_file *f = uk_file_new(s->vn, O_RDWR | (flags & SOCK_NONBLOCK), path);
	if (!f) {
		uk_socket_put(s);
		return -ENOMEM;
	}
	int fd = uk_fd_install(f, 0, !!(flags & SOCK_CLOEXEC));
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

struct uk_socket *uk_socket_from_file(struct uk_file *f)
{
	return f && f->vn->ops == &sock_vnode_ops ? f->vn->priv : NULL;
}

uint64_t uk_socket_deadline(struct uk_socket *s, int sending)
{
	uint64_t t = sending ? s->sndtimeo_ns : s->rcvtimeo_ns;
	if (t == UK_NO_DEADLINE)
		return UK_NO_DEADLINE;
	uint64_t now = ukplat_monotonic_ns();
	return t >= UK_NO_DEADLINE - now ? UK_NO_DEADLINE - 1 : now + t;
}

static int wait_result(int rc, uint64_t deadline)
{
	if (rc == -ETIMEDOUT)
		return -EAGAIN;
	if (rc == -EINTR)	/* as Linux's sock_intr_errno */
		return deadline == UK_NO_DEADLINE ? -UK_ERESTARTSYS : -EINTR;
	return 0;
}

int uk_socket_wait(struct uk_socket *s, uint64_t deadline)
{
	if (deadline != UK_NO_DEADLINE && ukplat_monotonic_ns() >= deadline)
		return -EAGAIN;
	return wait_result(uk_waitq_wait(&s->vn->wq, deadline), deadline);
}

int uk_socket_wait2(struct uk_socket *s, struct uk_socket *other, uint64_t deadline)
{
	if (!other || other == s)
		return uk_socket_wait(s, deadline);
	if (deadline != UK_NO_DEADLINE && ukplat_monotonic_ns() >= deadline)
		return -EAGAIN;
	struct uk_waitq *wqs[2] = { &s->vn->wq, &other->vn->wq };
	return wait_result(uk_waitq_wait_many(wqs, 2, deadline), deadline);
}

void uk_socket_wake(struct uk_socket *s)
{
	if (s)
		uk_waitq_wake(&s->vn->wq, -1);
}

void uk_socket_wake_events(struct uk_socket *s, unsigned int events)
{
	if (s)
		uk_waitq_wake_events(&s->vn->wq, -1, events);
}

int uk_socket_take_error(struct uk_socket *s)
{
	int e = s->err;
	s->err = 0;
	return -e;
}

void uk_socket_sigpipe(int flags)
{
	if (!(flags & MSG_NOSIGNAL))
		uk_signal_send_thread(uk_thread_current(), SIGPIPE, 0, 0);
}

void uk_iov_iter_init(struct uk_iov_iter *it, const struct iovec *iov, size_t n)
{
	it->iov = iov;
	it->n = n;
	it->i = 0;
	it->off = 0;
}

static size_t iov_copy(struct uk_iov_iter *it, void *buf, size_t len, int to_iov)
{
	size_t done = 0;
	while (done < len && it->i < it->n) {
		const struct iovec *v = &it->iov[it->i];
		size_t room = v->iov_len - it->off;
		if (!room) {
			it->i++;
			it->off = 0;
			continue;
		}
		size_t n = len - done < room ? len - done : room;
		char *p = (char *)v->iov_base + it->off;
		size_t got = to_iov ? uk_copy_out_part(p, (const char *)buf + done, n) :
				      uk_copy_in_part((char *)buf + done, p, n);
		done += got;
		it->off += got;
		if (got < n)
			break;	/* a fault */
	}
	return done;
}

size_t uk_iov_iter_copy_from(struct uk_iov_iter *it, void *dst, size_t len)
{
	return iov_copy(it, dst, len, 0);
}

size_t uk_iov_iter_copy_to(struct uk_iov_iter *it, const void *src, size_t len)
{
	return iov_copy(it, (void *)src, len, 1);
}

size_t uk_iov_total(const struct iovec *iov, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += iov[i].iov_len;
	return t;
}

/* --- socket and socketpair ------------------------------------------------ */

static int sock_create(int family, int type, int protocol, struct uk_socket **out)
{
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if ((type & ~(UK_SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) ||
	    (type & UK_SOCK_TYPE_MASK) > SOCK_PACKET)
		return -EINVAL;
	const struct uk_socket_family *fam = families[family];
	if (!fam)
		return -EAFNOSUPPORT;
	struct uk_socket *s = uk_socket_alloc(family, type & UK_SOCK_TYPE_MASK, protocol);
	if (!s)
		return -ENOMEM;
	int rc = fam->create(s, type & UK_SOCK_TYPE_MASK, protocol);
	if (rc) {
		s->ops = &no_ops;	/* nothing of the family's to undo */
		uk_socket_put(s);
		return rc;
	}
	*out = s;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, socket, int, family, int, type, int, protocol)
{
	struct uk_socket *s;
	int rc = sock_create(family, type, protocol, &s);
	if (rc)
		return rc;
	return uk_socket_install(s, type);
}

/* A socket the generic layer made and will not install (a socketpair
 * that failed, an accepted connection whose address could not go out)
 * ends as a close would end it. */
static void sock_discard(struct uk_socket *s)
{
	if (s->ops->close)
		s->ops->close(s);
	uk_socket_put(s);
}

UK_SYSCALL_R_DEFINE(int, socketpair, int, family, int, type, int, protocol,
		    int *, sv)
{
	struct uk_socket *a, *b;
	int rc = sock_create(family, type, protocol, &a);
	if (rc)
		return rc;
	rc = sock_create(family, type, protocol, &b);
	if (rc) {
		uk_socket_put(a);
		return rc;
	}
	rc = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (rc) {
		sock_discard(a);
		sock_discard(b);
		return rc;
	}
	int fa = uk_socket_install(a, type);
	if (fa < 0) {
		sock_discard(b);
		return fa;
	}
	int fb = uk_socket_install(b, type);
	if (fb < 0) {
		uk_fd_close(fa);
		return fb;
	}
	/* A table the program cannot take: both go again (Linux's). */
	int fds[2] = { fa, fb };
	if (uk_copy_to_user(sv, fds, sizeof(fds))) {
		uk_fd_close(fa);
		uk_fd_close(fb);
		return -EFAULT;
	}
	return 0;
}

/* --- the calls on a socket descriptor ---------------------------------------- */

/* Finds the socket of fd and holds its file for the call (another thread
 * may close the descriptor meanwhile). */
static int get_sock(int fd, struct uk_file **fp, struct uk_socket **sp)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	struct uk_socket *s = uk_socket_from_file(f);
	if (!s)
		return -ENOTSOCK;
	uk_file_get(f);
	*fp = f;
	*sp = s;
	return 0;
}

#define GET_SOCK(fd)						\
	struct uk_file *f;					\
	struct uk_socket *s;					\
	do {							\
		int _rc = get_sock(fd, &f, &s);			\
		if (_rc)					\
			return _rc;				\
	} while (0)

/* The program's address into the kernel (Linux's move_addr_to_kernel). */
static int addr_in(const void *uaddr, int len, struct uk_sockaddr_storage *ka)
{
	if (len < 0 || (size_t)len > sizeof(*ka))
		return -EINVAL;
	memset(ka, 0, sizeof(*ka));
	return len ? uk_copy_from_user(ka, uaddr, len) : 0;
}

/* Gives the program an address: as much as its *ulen allows, and the
 * full length in *ulen (Linux's move_addr_to_user). */
static int addr_out(const void *ka, int klen, void *uaddr, int *ulen)
{
	int len;
	if (uk_get_user(len, ulen))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && uk_copy_to_user(uaddr, ka, len))
		return -EFAULT;
	return uk_put_user(klen, ulen);
}

UK_SYSCALL_R_DEFINE(int, bind, int, fd, const void *, addr, int, len)
{
	struct uk_sockaddr_storage ka;
	GET_SOCK(fd);
	int rc = addr_in(addr, len, &ka);
	if (!rc)
		rc = s->ops->bind ? s->ops->bind(s, &ka, len) : -EOPNOTSUPP;
	uk_file_put(f);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, listen, int, fd, int, backlog)
{
	GET_SOCK(fd);
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	int rc = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	uk_file_put(f);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, connect, int, fd, const void *, addr, int, len)
{
	struct uk_sockaddr_storage ka;
	GET_SOCK(fd);
	int rc = addr_in(addr, len, &ka);
	if (!rc)
		rc = s->ops->connect ?
			s->ops->connect(s, &ka, len, !!(f->flags & O_NONBLOCK)) :
			-EOPNOTSUPP;
	uk_file_put(f);
	return rc;
}

/* As on Linux, the peer's address goes out after the accept: when it
 * cannot, the connection is dropped and the call fails. */
static int do_accept(int fd, void *addr, int *addrlen, int flags)
{
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	GET_SOCK(fd);
	struct uk_socket *ns = NULL;
	int rc = s->ops->accept ? s->ops->accept(s, &ns, !!(f->flags & O_NONBLOCK)) :
				  -EOPNOTSUPP;
	uk_file_put(f);
	if (rc)
		return rc;
	if (addr) {
		struct uk_sockaddr_storage ka;
		int klen = 0;
		memset(&ka, 0, sizeof(ka));
		if (ns->ops->getname && ns->ops->getname(ns, &ka, &klen, 1) < 0)
			klen = 0;
		if ((rc = addr_out(&ka, klen, addr, addrlen))) {
			sock_discard(ns);
			return rc;
		}
	}
	return uk_socket_install(ns, flags);
}

UK_SYSCALL_R_DEFINE(int, accept, int, fd, void *, addr, int *, addrlen)
{
	return do_accept(fd, addr, addrlen, 0);
}

UK_SYSCALL_R_DEFINE(int, accept4, int, fd, void *, addr, int *, addrlen, int, flags)
{
	return do_accept(fd, addr, addrlen, flags);
}

UK_SYSCALL_R_DEFINE(int, shutdown, int, fd, int, how)
{
	GET_SOCK(fd);
	int rc;
	if (how < SHUT_RD || how > SHUT_RDWR)
		rc = -EINVAL;
	else
		rc = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	uk_file_put(f);
	return rc;
}

static int do_getname(int fd, void *addr, int *len, int peer)
{
	GET_SOCK(fd);
	struct uk_sockaddr_storage ka;
	int klen = 0;
	memset(&ka, 0, sizeof(ka));
	int rc = s->ops->getname ? s->ops->getname(s, &ka, &klen, peer) : -EOPNOTSUPP;
	uk_file_put(f);
	return rc ? rc : addr_out(&ka, klen, addr, len);
}

UK_SYSCALL_R_DEFINE(int, getsockname, int, fd, void *, addr, int *, len)
{
	return do_getname(fd, addr, len, 0);
}

UK_SYSCALL_R_DEFINE(int, getpeername, int, fd, void *, addr, int *, len)
{
	return do_getname(fd, addr, len, 1);
}

/* --- sending and receiving ------------------------------------------------- */

/* The control data a send may carry (Linux's optmem limit: ENOBUFS
 * beyond) and a receive is given room for (credentials and
 * SCM_MAX_FD descriptors fit). */
#define SEND_CONTROL_MAX 65536
#define RECV_CONTROL_MAX 2048

/* A message header of the program in the kernel, as Linux's
 * copy_msghdr_from_user and import_iovec make it. */
struct kmsg {
	struct uk_msghdr m;		/* what the family sees */
	struct uk_sockaddr_storage addr;
	struct iovec fast[UK_IOV_FAST], *iov;
	char *control;			/* NULL, or malloc'ed */
	void *uname, *ucontrol;		/* the program's, for a receive */
};

/* Fills k from the program's header um: the iovecs checked, the name's
 * length cut to the storage, a send's name and control data copied in, a
 * receive given kernel room for its control data. */
static long msg_in(struct kmsg *k, const struct uk_msghdr *um, int sending)
{
	struct uk_msghdr *m = &k->m;
	k->iov = NULL;
	k->control = NULL;
	if (uk_copy_from_user(m, um, sizeof(*m)))
		return -EFAULT;
	if (m->msg_namelen < 0)
		return -EINVAL;
	if ((size_t)m->msg_namelen > sizeof(k->addr))
		m->msg_namelen = sizeof(k->addr);
	if (m->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	k->uname = m->msg_name;
	k->ucontrol = m->msg_control;
	if (sending && m->msg_name && m->msg_namelen) {
		long rc = addr_in(m->msg_name, m->msg_namelen, &k->addr);
		if (rc)
			return rc;
		m->msg_name = &k->addr;
	} else if (sending) {
		m->msg_name = NULL;
		m->msg_namelen = 0;
	}
	ssize_t n = uk_iov_import(m->msg_iov, m->msg_iovlen, k->fast, &k->iov);
	if (n < 0)
		return n;
	m->msg_iov = k->iov;
	size_t clen = m->msg_controllen;
	if (sending && clen > SEND_CONTROL_MAX)
		return -ENOBUFS;
	if (!sending && (!m->msg_control || clen > RECV_CONTROL_MAX))
		clen = m->msg_control ? RECV_CONTROL_MAX : 0;
	m->msg_control = NULL;
	m->msg_controllen = clen;
	if (!clen)
		return 0;
	if (!(k->control = malloc(clen)))
		return -ENOMEM;
	m->msg_control = k->control;
	return sending && uk_copy_from_user(k->control, k->ucontrol, clen) ? -EFAULT : 0;
}

static void msg_done(struct kmsg *k)
{
	if (k->iov != k->fast)
		free(k->iov);
	free(k->control);
}

/* Control data the program could not take: the descriptors it passed
 * are closed again, as Linux installs none then (and says MSG_CTRUNC). */
static void control_undo(const char *ctl, size_t len)
{
	size_t off = 0;
	while (len - off >= sizeof(struct uk_cmsghdr)) {
		const struct uk_cmsghdr *c = (const void *)(ctl + off);
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > len - off)
			break;
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			const int *fd = (const int *)UK_CMSG_DATA(c);
			for (size_t i = 0; i < (c->cmsg_len - UK_CMSG_LEN(0)) / sizeof(int); i++)
				uk_fd_close(fd[i]);
		}
		off += UK_CMSG_ALIGN(c->cmsg_len);
	}
}

/* A receive's results back to the program's header um, in Linux's
 * order: the name, the control data, msg_flags, msg_controllen. */
static long msg_out(struct kmsg *k, struct uk_msghdr *um)
{
	struct uk_msghdr *m = &k->m;
	long rc;
	if (k->uname && (rc = addr_out(&k->addr, m->msg_namelen, k->uname, &um->msg_namelen)))
		return rc;
	if (m->msg_controllen && uk_copy_to_user(k->ucontrol, k->control, m->msg_controllen)) {
		control_undo(k->control, m->msg_controllen);
		m->msg_flags |= MSG_CTRUNC;
		m->msg_controllen = 0;
	}
	if (uk_put_user(m->msg_flags, &um->msg_flags) ||
	    uk_put_user(m->msg_controllen, &um->msg_controllen))
		return -EFAULT;
	return 0;
}

static ssize_t send_k(struct uk_file *f, struct uk_socket *s, struct uk_msghdr *m,
		      int flags)
{
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	m->msg_flags = flags;
	return s->ops->sendmsg ? s->ops->sendmsg(s, m, flags) : -EOPNOTSUPP;
}

/* The family's receive into m; the address goes to ka. */
static ssize_t recv_k(struct uk_file *f, struct uk_socket *s, struct uk_msghdr *m,
		      struct uk_sockaddr_storage *ka, int flags)
{
	memset(ka, 0, sizeof(*ka));
	m->msg_name = ka;
	m->msg_namelen = 0;
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	m->msg_flags = flags & MSG_CMSG_CLOEXEC;	/* as Linux */
	return s->ops->recvmsg ? s->ops->recvmsg(s, m, flags) : -EOPNOTSUPP;
}

static ssize_t do_sendmsg(struct uk_file *f, struct uk_socket *s,
			  const struct uk_msghdr *um, int flags)
{
	struct kmsg k;
	ssize_t n = msg_in(&k, um, 1);
	if (!n)
		n = send_k(f, s, &k.m, flags);
	msg_done(&k);
	return n;
}

static ssize_t do_recvmsg(struct uk_file *f, struct uk_socket *s,
			  struct uk_msghdr *um, int flags)
{
	struct kmsg k;
	ssize_t n = msg_in(&k, um, 0);
	if (!n)
		n = recv_k(f, s, &k.m, &k.addr, flags);
	if (n >= 0) {
		long rc = msg_out(&k, um);
		if (rc)
			n = rc;
	}
	msg_done(&k);
	return n;
}

/* The buffer of sendto and recvfrom is checked before the socket is
 * looked at, as Linux's import_single_range. */
static int user_buffer(const void *buf, size_t *len)
{
	if (*len > UK_MAX_RW_COUNT)
		*len = UK_MAX_RW_COUNT;
	return uk_user_range_ok(buf, *len) ? 0 : -EFAULT;
}

UK_SYSCALL_R_DEFINE(ssize_t, sendto, int, fd, const void *, buf, size_t, len,
		    int, flags, const void *, addr, int, addrlen)
{
	int rc = user_buffer(buf, &len);
	if (rc)
		return rc;
	GET_SOCK(fd);
	struct uk_sockaddr_storage ka;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct uk_msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = 0;
	if (addr) {
		n = addr_in(addr, addrlen, &ka);
		m.msg_name = &ka;
		m.msg_namelen = addrlen;
	}
	if (!n)
		n = send_k(f, s, &m, flags);
	uk_file_put(f);
	return n;
}

UK_SYSCALL_R_DEFINE(ssize_t, recvfrom, int, fd, void *, buf, size_t, len,
		    int, flags, void *, addr, int *, addrlen)
{
	int rc = user_buffer(buf, &len);
	if (rc)
		return rc;
	GET_SOCK(fd);
	struct uk_sockaddr_storage ka;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct uk_msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recv_k(f, s, &m, &ka, flags);
	if (n >= 0 && addr && (rc = addr_out(&ka, m.msg_namelen, addr, addrlen)))
		n = rc;
	uk_file_put(f);
	return n;
}

UK_SYSCALL_R_DEFINE(ssize_t, sendmsg, int, fd, const struct uk_msghdr *, msg,
		    int, flags)
{
	GET_SOCK(fd);
	ssize_t n = do_sendmsg(f, s, msg, flags);
	uk_file_put(f);
	return n;
}

UK_SYSCALL_R_DEFINE(ssize_t, recvmsg, int, fd, struct uk_msghdr *, msg, int, flags)
{
	GET_SOCK(fd);
	ssize_t n = do_recvmsg(f, s, msg, flags);
	uk_file_put(f);
	return n;
}

#define UIO_MAXIOV_MMSG 1024

/* Each message's length goes out after it moved; a message whose length
 * cannot go out does not count (Linux's). */
UK_SYSCALL_R_DEFINE(int, sendmmsg, int, fd, struct uk_mmsghdr *, vec,
		    unsigned int, vlen, int, flags)
{
	GET_SOCK(fd);
	if (vlen > UIO_MAXIOV_MMSG)
		vlen = UIO_MAXIOV_MMSG;
	unsigned int i;
	ssize_t n = 0;
	for (i = 0; i < vlen; i++) {
		n = do_sendmsg(f, s, &vec[i].msg_hdr, flags);
		if (n >= 0 && uk_put_user((unsigned int)n, &vec[i].msg_len))
			n = -EFAULT;
		if (n < 0)
			break;
	}
	uk_file_put(f);
	return i ? (int)i : (int)n;
}

UK_SYSCALL_R_DEFINE(int, recvmmsg, int, fd, struct uk_mmsghdr *, vec,
		    unsigned int, vlen, int, flags, struct __kernel_timespec *, uts)
{
	uint64_t deadline = UK_NO_DEADLINE;
	struct __kernel_timespec ts;
	if (uts) {
		if (uk_copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NSEC)
			return -EINVAL;
		deadline = ukplat_monotonic_ns() + ts.tv_sec * NSEC + ts.tv_nsec;
	}
	GET_SOCK(fd);
	if (vlen > UIO_MAXIOV_MMSG)
		vlen = UIO_MAXIOV_MMSG;
	unsigned int i;
	ssize_t n = 0;
	for (i = 0; i < vlen; i++) {
		n = do_recvmsg(f, s, &vec[i].msg_hdr, flags);
		if (n >= 0 && uk_put_user((unsigned int)n, &vec[i].msg_len))
			n = -EFAULT;
		if (n < 0)
			break;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		/* As Linux: the timeout is checked after each message. */
		if (uts && ukplat_monotonic_ns() >= deadline)
			{ i++; break; }
	}
	uk_file_put(f);
	if (uts) {
		uint64_t now = ukplat_monotonic_ns(), left = deadline > now ? deadline - now : 0;
		ts.tv_sec = left / NSEC;
		ts.tv_nsec = left % NSEC;
		if (uk_copy_to_user(uts, &ts, sizeof(ts)) && i)
			return -EFAULT;
	}
	if (i)
		return i;
	return n;
}

/* --- options ------------------------------------------------------------- */

static int int_opt_in(const void *val, int len, int *v)
{
	if (len < (int)sizeof(int) || !val)
		return -EINVAL;
	*v = *(const int *)val;
	return 0;
}

static int set_timeout(const void *val, int len, uint64_t *out)
{
	const struct __kernel_sock_timeval *tv = val;
	if (!val || len < (int)sizeof(*tv))
		return -EINVAL;
	if (tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EDOM;
	if (tv->tv_sec < 0)
		*out = 0;	/* Linux: an immediate timeout */
	else if (tv->tv_sec == 0 && tv->tv_usec == 0)
		*out = UK_NO_DEADLINE;
	else if ((uint64_t)tv->tv_sec >= UK_NO_DEADLINE / NSEC - 1)
		*out = UK_NO_DEADLINE;
	else
		*out = tv->tv_sec * NSEC + tv->tv_usec * 1000ULL;
	return 0;
}

/* The boolean options the generic layer stores (and answers 0/1 for). */
static int bool_opt(int name)
{
	switch (name) {
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_REUSEPORT:
	case SO_KEEPALIVE:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_OOBINLINE:
	case SO_PASSCRED:
	case SO_PASSSEC:
	case SO_TIMESTAMP_OLD:
	case SO_TIMESTAMPNS_OLD:
	case SO_RXQ_OVFL:
	case SO_WIFI_STATUS:
	case SO_NOFCS:
	case SO_SELECT_ERR_QUEUE:
	case SO_BUSY_POLL:
	case SO_ZEROCOPY:
		return 1;
	}
	return 0;
}

static int sol_socket_set(struct uk_socket *s, int name, const void *val, int len)
{
	int v = 0, rc;
	switch (name) {
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		return set_timeout(val, len, &s->rcvtimeo_ns);
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		return set_timeout(val, len, &s->sndtimeo_ns);
	case SO_LINGER:
		if (!val || len < (int)sizeof(struct uk_linger))
			return -EINVAL;
		s->linger = *(const struct uk_linger *)val;
		s->linger.l_onoff = !!s->linger.l_onoff;
		return 0;
	case SO_BINDTODEVICE:
		return 0;
	case SO_ATTACH_FILTER:
	case SO_DETACH_FILTER:
		return 0;
	}
	if ((rc = int_opt_in(val, len, &v)))
		return rc;
	if (name == SO_REUSEPORT && s->family != AF_INET && s->family != AF_INET6)
		return -EOPNOTSUPP;
	if (bool_opt(name)) {
		if (v)
			s->bool_opts |= 1ULL << name;
		else
			s->bool_opts &= ~(1ULL << name);
		return 0;
	}
	switch (name) {
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		if ((unsigned int)v > SO_DEFAULT_BUF)
			v = SO_DEFAULT_BUF;
		s->sndbuf = 2 * v < SO_MIN_SNDBUF ? SO_MIN_SNDBUF : 2 * v;
		uk_socket_wake(s);
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		if ((unsigned int)v > SO_DEFAULT_BUF)
			v = SO_DEFAULT_BUF;
		s->rcvbuf = 2 * v < SO_MIN_RCVBUF ? SO_MIN_RCVBUF : 2 * v;
		return 0;
	case SO_RCVLOWAT:
		s->rcvlowat = v < 1 ? 1 : v;
		return 0;
	case SO_PRIORITY:
		s->priority = v;
		return 0;
	case SO_MARK:
		s->mark = v;
		return 0;
	case SO_SNDLOWAT:
		return -ENOPROTOOPT;
	}
	return -ENOPROTOOPT;
}

static int set_opt(struct uk_socket *s, int level, int name, const void *val, int len)
{
	if (level != SOL_SOCKET)
		return s->ops->setsockopt ? s->ops->setsockopt(s, level, name, val, len) :
					    -EOPNOTSUPP;
	int rc = sol_socket_set(s, name, val, len), frc = 0;
	if (s->ops->setsockopt && (rc == 0 || rc == -ENOPROTOOPT))
		frc = s->ops->setsockopt(s, level, name, val, len);
	if (rc == -ENOPROTOOPT)
		rc = frc;
	else if (!rc && frc != -ENOPROTOOPT)
		rc = frc;
	return rc;
}

/* Option values are small: at most this much is taken in or given out. */
#define OPT_MAX 256

/* The value comes in as far as it can be read; Linux reads only the
 * bytes an option needs, so a value a fault cut short is EFAULT where
 * its length is refused (and when nothing could be read). */
UK_SYSCALL_R_DEFINE(int, setsockopt, int, fd, int, level, int, name,
		    const void *, val, int, len)
{
	GET_SOCK(fd);
	char kval[OPT_MAX] __attribute__((aligned(8)));
	size_t want = len < 0 ? 0 : len < OPT_MAX ? (size_t)len : OPT_MAX, got = 0;
	int rc = 0;
	if (len < 0)
		rc = -EINVAL;
	else if (!uk_user_range_ok(val, want) ||
		 ((got = uk_copy_in_part(kval, val, want)) == 0 && want))
		rc = -EFAULT;
	else
		rc = set_opt(s, level, name, kval, got);
	if (got < want && rc == -EINVAL)
		rc = -EFAULT;
	uk_file_put(f);
	return rc;
}

static int sol_socket_get(struct uk_socket *s, int name, void *val, int *len)
{
	union {
		int i;
		struct __kernel_sock_timeval tv;
		struct uk_linger l;
	} u;
	int n = sizeof(int);
	uint64_t t;
	memset(&u, 0, sizeof(u));
	if (bool_opt(name)) {
		u.i = uk_socket_opt(s, name);
		goto out;
	}
	switch (name) {
	case SO_TYPE:
		u.i = s->type;
		break;
	case SO_PROTOCOL:
		u.i = s->protocol;
		break;
	case SO_DOMAIN:
		u.i = s->family;
		break;
	case SO_ERROR:
		u.i = -uk_socket_take_error(s);
		break;
	case SO_SNDBUF:
		u.i = s->sndbuf;
		break;
	case SO_RCVBUF:
		u.i = s->rcvbuf;
		break;
	case SO_RCVLOWAT:
		u.i = s->rcvlowat;
		break;
	case SO_SNDLOWAT:
		u.i = 1;
		break;
	case SO_PRIORITY:
		u.i = s->priority;
		break;
	case SO_MARK:
		u.i = s->mark;
		break;
	case SO_ACCEPTCONN:
		u.i = 0;
		break;
	case SO_LINGER:
		u.l = s->linger;
		n = sizeof(u.l);
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		t = (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW) ?
			s->rcvtimeo_ns : s->sndtimeo_ns;
		if (t != UK_NO_DEADLINE) {
			u.tv.tv_sec = t / NSEC;
			u.tv.tv_usec = (t % NSEC) / 1000;
		}
		n = sizeof(u.tv);
		break;
	case SO_PEERCRED: {
		struct uk_ucred c = { .pid = 0, .uid = -1, .gid = -1 };
		memcpy(&u, &c, sizeof(c));
		n = sizeof(c);
		break;
	}
	default:
		return -ENOPROTOOPT;
	}
out:
	uk_sockopt_put(val, len, &u, n);
	return 0;
}

/* As Linux: the length comes in first (EFAULT, EINVAL when negative),
 * the value goes out, then its length. */
UK_SYSCALL_R_DEFINE(int, getsockopt, int, fd, int, level, int, name,
		    void *, val, int *, len)
{
	GET_SOCK(fd);
	char kval[OPT_MAX] __attribute__((aligned(8)));
	int klen, rc = uk_get_user(klen, len);
	if (!rc && klen < 0)
		rc = -EINVAL;
	if (!rc && klen > OPT_MAX)
		klen = OPT_MAX;
	if (!rc && level == SOL_SOCKET) {
		rc = s->ops->getsockopt ? s->ops->getsockopt(s, level, name, kval, &klen) :
					  -ENOPROTOOPT;
		if (rc == -ENOPROTOOPT)
			rc = sol_socket_get(s, name, kval, &klen);
	} else if (!rc) {
		rc = s->ops->getsockopt ? s->ops->getsockopt(s, level, name, kval, &klen) :
					  -EOPNOTSUPP;
	}
	if (!rc && (uk_copy_to_user(val, kval, klen) || uk_put_user(klen, len)))
		rc = -EFAULT;
	uk_file_put(f);
	return rc;
}
