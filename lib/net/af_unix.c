/* AF_UNIX: stream, datagram and seqpacket sockets inside the kernel.
 *
 * Data goes straight into the receiver's queue of buffers ("skbs", each
 * charged to its sender until consumed: a sender may have at most
 * SO_SNDBUF bytes in flight). A connect to a listener makes the server's
 * end at once (an "embryo", queued on the listener until accept), so the
 * client may write before it is accepted, as on Linux.
 *
 * Names: a path name is an S_IFSOCK inode made with the directory's mknod;
 * the bound sockets (path and abstract ones) are on one list, a path one
 * found by its inode (mount and number). Unnamed sockets get an abstract
 * name from autobind (bind with only the family, or SO_PASSCRED).
 *
 * SCM_RIGHTS passes open files (the receiver gets new descriptors of the
 * same open file descriptions), SCM_CREDENTIALS goes to receivers with
 * SO_PASSCRED (pid 1, uid 0, gid 0). A socket passed inside its own queue
 * is never freed (Linux has a garbage collector for those cycles). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/un.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <uk/init.h>
#include <uk/socket.h>
#include <uk/uaccess.h>

mode_t uk_vfs_umask(void);

#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3
#define SCM_MAX_FD 253
#define MAX_DGRAM_QLEN 10		/* net.unix.max_dgram_qlen */
#define SUN_PATH_OFF 2			/* offsetof(struct sockaddr_un, sun_path) */

enum { U_UNCONNECTED, U_LISTEN, U_CONNECTED };

struct unix_sock;

struct unix_skb {
	struct unix_skb *next;
	struct unix_sock *from;		/* referenced; charged len bytes */
	size_t len, off;		/* off: consumed (streams) */
	int addrlen;			/* the sender's name, 0: none */
	struct uk_sockaddr_storage addr;
	int nfds;
	struct uk_file **fds;		/* SCM_RIGHTS: referenced files */
	char data[];
};

struct unix_sock {
	struct uk_socket *s;
	int state;
	int dead;			/* closed */
	int shutdown;
	int peercred;			/* connected or paired: SO_PEERCRED */
	struct unix_sock *peer;		/* referenced */
	/* The name: a path one is stored with its NUL, which may make it
	 * one byte longer than a struct sockaddr_un (as on Linux). */
	int addrlen;			/* 0: no name */
	struct uk_sockaddr_storage addr;
	int bound;			/* on the bound list (the name is ours) */
	struct uk_vnode *path;		/* the inode of a path name, referenced */
	struct unix_sock *bnext;
	struct unix_skb *rq_head, *rq_tail;
	size_t rq_bytes;
	int rq_len;
	size_t wbytes;			/* ours in other queues */
	int backlog;
	struct unix_sock *acc_head, *acc_tail, *anext;	/* embryos */
	int acc_len;
};

static struct unix_sock *bound_list;
static const struct uk_socket_ops unix_ops;

static struct unix_sock *U(struct uk_socket *s)
{
	return s->priv;
}

static int conn_type(struct unix_sock *u)
{
	return u->s->type != SOCK_DGRAM;
}

static void wake(struct unix_sock *u)
{
	if (u)
		uk_socket_wake(u->s);
}

static void wake_events(struct unix_sock *u, unsigned int events)
{
	if (u)
		uk_socket_wake_events(u->s, events);
}

static void hold(struct unix_sock *u)
{
	uk_socket_get(u->s);
}

static void drop(struct unix_sock *u)
{
	uk_socket_put(u->s);
}

/* --- buffers ---------------------------------------------------------------- */

struct scm {
	int nfds;
	struct uk_file **fds;
	int creds;
};

static void put_files(struct uk_file **fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i])
			uk_file_put(fds[i]);
}

static void scm_destroy(struct scm *scm)
{
	if (scm->fds) {
		put_files(scm->fds, scm->nfds);
		free(scm->fds);
	}
	scm->fds = NULL;
	scm->nfds = 0;
}

static struct unix_skb *skb_new(struct unix_sock *from, size_t len)
{
	struct unix_skb *skb = malloc(sizeof(*skb) + (len ? len : 1));
	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->len = len;
	skb->from = from;
	hold(from);
	skb->addrlen = from->addrlen;
	if (from->addrlen)
		memcpy(&skb->addr, &from->addr, from->addrlen);
	from->wbytes += len;
	return skb;
}

static void skb_free(struct unix_skb *skb)
{
	struct unix_sock *from = skb->from;
	from->wbytes -= skb->len;
	wake_events(from, UK_WAKE_OUT);	/* the sender has room again */
	drop(from);
	if (skb->fds) {
		put_files(skb->fds, skb->nfds);
		free(skb->fds);
	}
	free(skb);
}

static void skb_queue(struct unix_sock *u, struct unix_skb *skb)
{
	skb->next = NULL;
	if (u->rq_tail)
		u->rq_tail->next = skb;
	else
		u->rq_head = skb;
	u->rq_tail = skb;
	u->rq_bytes += skb->len;
	u->rq_len++;
	wake_events(u, UK_WAKE_IN);
}

static void skb_unlink_head(struct unix_sock *u)
{
	struct unix_skb *skb = u->rq_head;
	u->rq_head = skb->next;
	if (!u->rq_head)
		u->rq_tail = NULL;
	u->rq_bytes -= skb->len - skb->off;
	u->rq_len--;
	skb_free(skb);
	wake_events(u, UK_WAKE_OUT);	/* senders waiting for room in u's queue */
}

static void purge(struct unix_sock *u)
{
	while (u->rq_head)
		skb_unlink_head(u);
}

/* --- names ------------------------------------------------------------------ */

static int validate_addr(const void *addr, int len)
{
	const struct sockaddr_un *a = addr;
	if (len <= SUN_PATH_OFF || len > (int)sizeof(struct sockaddr_un))
		return -EINVAL;
	if (a->sun_family != AF_UNIX)
		return -EINVAL;
	return 0;
}

/* The path of a path name: the generic layer's copy is zeroed past len
 * (and larger than a sockaddr_un), so the name ends at len at the latest. */
static const char *addr_path(const void *addr)
{
	return ((const struct sockaddr_un *)addr)->sun_path;
}

static int is_abstract(const void *addr)
{
	return addr_path(addr)[0] == 0;
}

/* Abstract names are per socket type, as on Linux. */
static struct unix_sock *find_abstract(const void *addr, int len, int type)
{
	for (struct unix_sock *b = bound_list; b; b = b->bnext)
		if (!b->path && b->s->type == type && b->addrlen == len &&
		    !memcmp(&b->addr, addr, len))
			return b;
	return NULL;
}

static struct unix_sock *find_inode(struct uk_vnode *vn)
{
	for (struct unix_sock *b = bound_list; b; b = b->bnext)
		if (b->path && b->path->mount == vn->mount && b->path->ino == vn->ino)
			return b;
	return NULL;
}

static void bind_list_add(struct unix_sock *u)
{
	u->bound = 1;
	u->bnext = bound_list;
	bound_list = u;
}

static void unbind(struct unix_sock *u)
{
	if (!u->bound)
		return;
	for (struct unix_sock **pp = &bound_list; *pp; pp = &(*pp)->bnext) {
		if (*pp == u) {
			*pp = u->bnext;
			break;
		}
	}
	u->bound = 0;
	if (u->path) {
		uk_vnode_put(u->path);
		u->path = NULL;
	}
}

static int autobind(struct unix_sock *u)
{
	static unsigned int next;
	struct sockaddr_un a;
	if (u->addrlen)
		return 0;
	for (int tries = 0; tries <= 0xfffff; tries++) {
		memset(&a, 0, sizeof(a));
		a.sun_family = AF_UNIX;
		snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "%05x", next);
		next = (next + 1) & 0xfffff;
		int len = SUN_PATH_OFF + 6;
		if (find_abstract(&a, len, u->s->type))
			continue;
		memcpy(&u->addr, &a, len);
		u->addrlen = len;
		bind_list_add(u);
		return 0;
	}
	return -ENOSPC;
}

/* Makes the inode (EADDRINUSE when the name exists) and only then finds
 * the socket already named (EINVAL, and the inode goes again), as Linux. */
static int bind_path(struct unix_sock *u, const char *path)
{
	struct uk_vnode *dir, *vn;
	const char *name;
	size_t nlen;
	int rc = uk_vfs_lookup_parent(AT_FDCWD, path, &dir, &name, &nlen);
	if (rc < 0)
		return rc;
	if (!nlen) {
		rc = -EADDRINUSE;
	} else if (dir->ops->lookup && dir->ops->lookup(dir, name, nlen, &vn) == 0) {
		uk_vnode_put(vn);
		rc = -EADDRINUSE;
	} else if (rc > 0) {
		rc = -ENOENT;		/* "name/" that does not exist */
	} else if (!dir->nlink) {
		rc = -ENOENT;
	} else if (!dir->ops->mknod || !dir->ops->lookup) {
		rc = dir->mount && dir->mount->readonly ? -EROFS : -EPERM;
	} else if ((rc = uk_vfs_may_create(dir))) {
		/* EACCES */
	} else {
		rc = dir->ops->mknod(dir, name, nlen,
				     S_IFSOCK | (0777 & ~uk_vfs_umask()), 0);
		if (rc == -EEXIST)
			rc = -EADDRINUSE;
		if (!rc && u->addrlen) {
			if (dir->ops->unlink)
				dir->ops->unlink(dir, name, nlen);
			rc = -EINVAL;
		} else if (!rc) {
			rc = dir->ops->lookup(dir, name, nlen, &vn);
		}
		if (!rc) {
			uk_vnode_touch(dir, 0, 1, 1);
			uk_vfs_new_owner(dir, vn);
			u->path = vn;
		}
	}
	uk_vnode_put(dir);
	return rc;
}

static int unix_bind(struct uk_socket *s, const void *addr, int len)
{
	struct unix_sock *u = U(s);
	const struct sockaddr_un *a = addr;
	if (len == SUN_PATH_OFF && a->sun_family == AF_UNIX)
		return autobind(u);	/* a named socket: 0, as Linux */
	int rc = validate_addr(addr, len);
	if (rc)
		return rc;
	if (is_abstract(addr)) {
		if (u->addrlen)
			return -EINVAL;
		if (find_abstract(addr, len, u->s->type))
			return -EADDRINUSE;
		memcpy(&u->addr, addr, len);
		u->addrlen = len;
		bind_list_add(u);
		return 0;
	}
	const char *path = addr_path(addr);
	rc = bind_path(u, path);
	if (rc)
		return rc;
	struct sockaddr_un *ua = (struct sockaddr_un *)&u->addr;
	memset(&u->addr, 0, sizeof(u->addr));
	ua->sun_family = AF_UNIX;
	u->addrlen = SUN_PATH_OFF + strlen(path) + 1;
	memcpy(ua->sun_path, path, u->addrlen - SUN_PATH_OFF);
	bind_list_add(u);
	return 0;
}

/* The bound socket an address names, of type `type`. */
static int find_peer(const void *addr, int len, int type, struct unix_sock **out)
{
	struct unix_sock *o;
	int rc = validate_addr(addr, len);
	if (rc)
		return rc;
	if (is_abstract(addr)) {
		o = find_abstract(addr, len, type);
	} else {
		struct uk_vnode *vn;
		rc = uk_vfs_lookup(AT_FDCWD, addr_path(addr), UK_LOOKUP_FOLLOW, &vn);
		if (rc)
			return rc;
		/* Connecting is writing to the socket's inode (Linux). */
		rc = uk_vfs_permission(vn, UK_MAY_WRITE);
		o = S_ISSOCK(vn->mode) ? find_inode(vn) : NULL;
		uk_vnode_put(vn);
		if (rc)
			return rc;
	}
	if (!o || o->dead)
		return -ECONNREFUSED;
	if (o->s->type != type)
		return -EPROTOTYPE;
	*out = o;
	return 0;
}

static int unix_getname(struct uk_socket *s, void *addr, int *len, int peer)
{
	struct unix_sock *u = U(s);
	if (peer) {
		if (!u->peer || (conn_type(u) && u->state != U_CONNECTED))
			return -ENOTCONN;
		u = u->peer;
	}
	if (!u->addrlen) {
		struct sockaddr_un *a = addr;
		a->sun_family = AF_UNIX;
		*len = SUN_PATH_OFF;
		return 0;
	}
	memcpy(addr, &u->addr, u->addrlen);
	*len = u->addrlen;
	return 0;
}

/* --- life ------------------------------------------------------------------- */

static struct unix_sock *unix_attach(struct uk_socket *s)
{
	struct unix_sock *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->s = s;
	s->priv = u;
	s->ops = &unix_ops;
	return u;
}

static int unix_create(struct uk_socket *s, int type, int protocol)
{
	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_RAW:
		s->type = SOCK_DGRAM;
		break;
	case SOCK_STREAM:
	case SOCK_DGRAM:
	case SOCK_SEQPACKET:
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	return unix_attach(s) ? 0 : -ENOMEM;
}

/* The end of a socket: its last descriptor closed, or an embryo ended
 * with its listener. */
static void unix_end(struct unix_sock *u, int embryo)
{
	if (u->dead)
		return;
	u->dead = 1;
	u->shutdown = SHUTDOWN_MASK;
	unbind(u);
	struct unix_sock *p = u->peer;
	if (p) {
		u->peer = NULL;
		if (conn_type(u)) {
			p->shutdown = SHUTDOWN_MASK;
			if (u->rq_head || embryo)
				p->s->err = ECONNRESET;
		}
		wake(p);
		drop(p);
	}
	purge(u);
	while (u->acc_head) {
		struct unix_sock *n = u->acc_head;
		u->acc_head = n->anext;
		u->acc_len--;
		unix_end(n, 1);
		drop(n);
	}
	u->acc_tail = NULL;
	u->state = U_UNCONNECTED;
	wake(u);
}

static void unix_close(struct uk_socket *s)
{
	if (U(s))
		unix_end(U(s), 0);
}

static void unix_release(struct uk_socket *s)
{
	struct unix_sock *u = U(s);
	if (!u)
		return;
	unix_end(u, 0);
	free(u);
	s->priv = NULL;
}

static void set_peer(struct unix_sock *u, struct unix_sock *p)
{
	struct unix_sock *old = u->peer;
	if (p)
		hold(p);
	u->peer = p;
	if (old)
		drop(old);
}

static int unix_socketpair(struct uk_socket *a, struct uk_socket *b)
{
	struct unix_sock *ua = U(a), *ub = U(b);
	set_peer(ua, ub);
	set_peer(ub, ua);
	ua->peercred = ub->peercred = 1;
	if (conn_type(ua))
		ua->state = ub->state = U_CONNECTED;
	return 0;
}

static int unix_listen(struct uk_socket *s, int backlog)
{
	struct unix_sock *u = U(s);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (!u->addrlen || (u->state != U_UNCONNECTED && u->state != U_LISTEN))
		return -EINVAL;
	u->backlog = backlog;
	u->state = U_LISTEN;
	wake(u);
	return 0;
}

static int stream_connect(struct unix_sock *u, const void *addr, int len, int nonblock)
{
	struct unix_sock *o;
	uint64_t deadline = uk_socket_deadline(u->s, 1);
	int rc = validate_addr(addr, len);
	if (rc)
		return rc;
	if (uk_socket_opt(u->s, SO_PASSCRED) && (rc = autobind(u)))
		return rc;
	for (;;) {
		if (u->state == U_CONNECTED)
			return -EISCONN;
		if (u->state != U_UNCONNECTED)
			return -EINVAL;
		if ((rc = find_peer(addr, len, u->s->type, &o)))
			return rc;
		if (o->state != U_LISTEN || (o->shutdown & RCV_SHUTDOWN))
			return -ECONNREFUSED;
		if (o->acc_len <= o->backlog)
			break;
		if (nonblock)
			return -EAGAIN;
		hold(o);
		rc = uk_socket_wait(o->s, deadline);
		drop(o);
		if (rc)
			return rc;
	}
	struct uk_socket *ns = uk_socket_alloc(AF_UNIX, u->s->type, u->s->protocol);
	struct unix_sock *n = ns ? unix_attach(ns) : NULL;
	if (!n) {
		if (ns)
			uk_socket_put(ns);
		return -ENOMEM;
	}
	n->state = U_CONNECTED;
	n->peercred = 1;
	if (o->addrlen)
		memcpy(&n->addr, &o->addr, o->addrlen);
	n->addrlen = o->addrlen;
	ns->bool_opts |= o->s->bool_opts & (1ULL << SO_PASSCRED);
	set_peer(n, u);
	set_peer(u, n);
	u->state = U_CONNECTED;
	u->peercred = 1;
	n->anext = NULL;
	if (o->acc_tail)
		o->acc_tail->anext = n;
	else
		o->acc_head = n;
	o->acc_tail = n;
	o->acc_len++;
	wake(o);
	wake(u);
	return 0;
}

static int dgram_connect(struct unix_sock *u, const void *addr, int len)
{
	const struct sockaddr_un *a = addr;
	struct unix_sock *o;
	if (len < SUN_PATH_OFF)
		return -EINVAL;
	if (a->sun_family == AF_UNSPEC) {
		set_peer(u, NULL);
		wake(u);
		return 0;
	}
	int rc = validate_addr(addr, len);
	if (!rc && uk_socket_opt(u->s, SO_PASSCRED))
		rc = autobind(u);
	if (!rc)
		rc = find_peer(addr, len, SOCK_DGRAM, &o);
	if (rc)
		return rc;
	if (o->peer && o->peer != u && o != u)
		return -EPERM;
	set_peer(u, o);
	wake(u);
	return 0;
}

static int unix_connect(struct uk_socket *s, const void *addr, int len, int nonblock)
{
	if (s->type == SOCK_DGRAM)
		return dgram_connect(U(s), addr, len);
	return stream_connect(U(s), addr, len, nonblock);
}

static int unix_accept(struct uk_socket *s, struct uk_socket **out, int nonblock)
{
	struct unix_sock *u = U(s);
	uint64_t deadline = uk_socket_deadline(s, 0);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	for (;;) {
		if (u->state != U_LISTEN)
			return -EINVAL;
		if (u->acc_head)
			break;
		if (u->shutdown & RCV_SHUTDOWN)
			return -EINVAL;
		if (nonblock)
			return -EAGAIN;
		int rc = uk_socket_wait(s, deadline);
		if (rc)
			return rc;
	}
	struct unix_sock *n = u->acc_head;
	u->acc_head = n->anext;
	if (!u->acc_head)
		u->acc_tail = NULL;
	u->acc_len--;
	n->anext = NULL;
	wake(u);	/* connectors waiting for room */
	*out = n->s;	/* the queue's reference */
	return 0;
}

static int unix_shutdown(struct uk_socket *s, int how)
{
	struct unix_sock *u = U(s);
	int mode = how + 1;	/* SHUT_RD..SHUT_RDWR -> RCV, SEND, both */
	u->shutdown |= mode;
	struct unix_sock *p = u->peer;
	if (p && conn_type(u)) {
		int pm = 0;
		if (mode & RCV_SHUTDOWN)
			pm |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			pm |= RCV_SHUTDOWN;
		p->shutdown |= pm;
		wake(p);
	}
	wake(u);
	return 0;
}

/* --- control messages ------------------------------------------------------- */

static int scm_parse(const struct uk_msghdr *m, struct scm *scm)
{
	const char *p = m->msg_control;
	size_t left = m->msg_controllen;
	while (left >= sizeof(struct uk_cmsghdr)) {
		const struct uk_cmsghdr *c = (const void *)p;
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > left)
			return -EINVAL;
		if (c->cmsg_level == SOL_SOCKET) {
			size_t dlen = c->cmsg_len - UK_CMSG_LEN(0);
			if (c->cmsg_type == SCM_RIGHTS) {
				int n = dlen / sizeof(int);
				const int *fd = (const int *)UK_CMSG_DATA(c);
				if (scm->nfds + n > SCM_MAX_FD)
					return -EINVAL;
				if (n && !scm->fds &&
				    !(scm->fds = calloc(SCM_MAX_FD, sizeof(*scm->fds))))
					return -ENOMEM;
				for (int i = 0; i < n; i++) {
					struct uk_file *f = uk_fd_get(fd[i]);
					if (!f || (f->flags & O_PATH))
						return -EBADF;
					uk_file_get(f);
					scm->fds[scm->nfds++] = f;
				}
			} else if (c->cmsg_type == SCM_CREDENTIALS) {
				if (c->cmsg_len != UK_CMSG_LEN(sizeof(struct uk_ucred)))
					return -EINVAL;
				scm->creds = 1;
			} else {
				return -EINVAL;
			}
		}
		size_t adv = UK_CMSG_ALIGN(c->cmsg_len);
		if (adv >= left)
			break;
		p += adv;
		left -= adv;
	}
	return 0;
}

/* Writes one control message if it fits; returns the bytes used. */
static size_t put_cmsg(struct uk_msghdr *m, size_t used, int type,
		       const void *data, size_t len)
{
	size_t room = m->msg_controllen - used;
	if (room < UK_CMSG_LEN(len)) {
		m->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	struct uk_cmsghdr *c = (void *)((char *)m->msg_control + used);
	c->cmsg_len = UK_CMSG_LEN(len);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = type;
	memcpy(UK_CMSG_DATA(c), data, len);
	size_t sp = UK_CMSG_SPACE(len);
	return sp < room ? sp : room;
}

/* Hands received files and credentials to the program (takes the file
 * references). */
static void deliver_control(struct unix_sock *u, struct uk_msghdr *m, int flags,
			    struct uk_file **fds, int nfds)
{
	size_t used = 0;
	if (!m->msg_control)
		m->msg_controllen = 0;
	if (uk_socket_opt(u->s, SO_PASSCRED)) {
		struct uk_ucred c = { .pid = 1, .uid = 0, .gid = 0 };
		used += put_cmsg(m, used, SCM_CREDENTIALS, &c, sizeof(c));
	}
	if (nfds) {
		size_t room = m->msg_controllen - used;
		int fit = room < UK_CMSG_LEN(sizeof(int)) ? 0 :
			  (int)((room - UK_CMSG_LEN(0)) / sizeof(int));
		if (fit > nfds)
			fit = nfds;
		int fdv[SCM_MAX_FD], got = 0;
		for (int i = 0; i < fit; i++) {
			int fd = uk_fd_install(fds[i], 0, !!(flags & MSG_CMSG_CLOEXEC));
			if (fd < 0)
				break;
			fds[i] = NULL;
			fdv[got++] = fd;
		}
		if (got < nfds)
			m->msg_flags |= MSG_CTRUNC;
		put_files(fds, nfds);
		if (got)
			used += put_cmsg(m, used, SCM_RIGHTS, fdv, got * sizeof(int));
	}
	m->msg_controllen = used;
}

/* The files of a buffer for a receiver: moved out, or new references
 * for a peek. */
static struct uk_file **take_fds(struct unix_skb *skb, int peek, int *n)
{
	*n = 0;
	if (!skb->nfds)
		return NULL;
	struct uk_file **fds = skb->fds;
	if (peek) {
		fds = malloc(skb->nfds * sizeof(*fds));
		if (!fds)
			return NULL;
		for (int i = 0; i < skb->nfds; i++) {
			fds[i] = skb->fds[i];
			uk_file_get(fds[i]);
		}
	} else {
		skb->fds = NULL;
	}
	*n = skb->nfds;
	if (!peek)
		skb->nfds = 0;
	return fds;
}

static void put_name(struct uk_msghdr *m, struct unix_skb *skb)
{
	if (skb->addrlen && m->msg_name) {
		memcpy(m->msg_name, &skb->addr, skb->addrlen);
		m->msg_namelen = skb->addrlen;
	}
}

/* --- streams ---------------------------------------------------------------- */

static ssize_t stream_send(struct unix_sock *u, const struct uk_msghdr *m,
			   int flags, struct scm *scm)
{
	size_t len = uk_iov_total(m->msg_iov, m->msg_iovlen), sent = 0;
	uint64_t deadline = 0;
	int have_deadline = 0;
	ssize_t err = 0;
	struct uk_iov_iter it;
	if (m->msg_namelen)
		return u->state == U_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->state != U_CONNECTED || !u->peer)
		return -ENOTCONN;
	uk_iov_iter_init(&it, m->msg_iov, m->msg_iovlen);
	while (sent < len || (scm->nfds && !sent)) {
		struct unix_sock *p = u->peer;
		if ((u->shutdown & SEND_SHUTDOWN) || !p || p->dead ||
		    (p->shutdown & RCV_SHUTDOWN)) {
			err = -EPIPE;
			break;
		}
		if (u->wbytes >= (size_t)u->s->sndbuf) {
			if (flags & MSG_DONTWAIT) {
				err = -EAGAIN;
				break;
			}
			if (!have_deadline) {
				deadline = uk_socket_deadline(u->s, 1);
				have_deadline = 1;
			}
			if ((err = uk_socket_wait(u->s, deadline)))
				break;
			continue;
		}
		size_t chunk = len - sent, max = u->s->sndbuf / 2;
		if (chunk > max)
			chunk = max;
		struct unix_skb *skb = skb_new(u, chunk);
		if (!skb) {
			err = -ENOMEM;
			break;
		}
		/* A chunk that cannot all come in is dropped (Linux's). */
		if (uk_iov_iter_copy_from(&it, skb->data, chunk) < chunk) {
			skb_free(skb);
			err = -EFAULT;
			break;
		}
		if (scm->nfds) {
			skb->fds = scm->fds;
			skb->nfds = scm->nfds;
			scm->fds = NULL;
			scm->nfds = 0;
		}
		skb_queue(p, skb);
		sent += chunk;
		if (!len)
			break;
	}
	if (err == -EPIPE && !sent)
		uk_socket_sigpipe(flags);
	return sent ? (ssize_t)sent : err;
}

static ssize_t stream_recv(struct unix_sock *u, struct uk_msghdr *m, int flags)
{
	size_t len = uk_iov_total(m->msg_iov, m->msg_iovlen), copied = 0;
	size_t target = (flags & MSG_WAITALL) ? len :
			((size_t)u->s->rcvlowat < len ? (size_t)u->s->rcvlowat : len);
	int peek = flags & MSG_PEEK, named = 0, nfds = 0;
	struct uk_file **fds = NULL;
	uint64_t deadline = 0;
	int have_deadline = 0;
	ssize_t err = 0;
	struct uk_iov_iter it;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->state != U_CONNECTED)
		return -EINVAL;
	if (!target)
		target = 1;
	uk_iov_iter_init(&it, m->msg_iov, m->msg_iovlen);
	for (;;) {
		/* A peek walks past what it has already copied. */
		struct unix_skb *skb = u->rq_head;
		size_t skip = peek ? copied : 0;
		while (skb && skip >= skb->len - skb->off) {
			skip -= skb->len - skb->off;
			skb = skb->next;
		}
		if (!skb) {
			if (copied >= target)
				break;
			if ((err = uk_socket_take_error(u->s)))
				break;
			if (u->shutdown & RCV_SHUTDOWN)
				break;
			if (flags & MSG_DONTWAIT) {
				err = -EAGAIN;
				break;
			}
			if (!have_deadline) {
				deadline = uk_socket_deadline(u->s, 0);
				have_deadline = 1;
			}
			if ((err = uk_socket_wait(u->s, deadline)))
				break;
			continue;
		}
		if (!named) {
			put_name(m, skb);
			named = 1;
		}
		size_t avail = skb->len - skb->off - skip, n = len - copied;
		if (n > avail)
			n = avail;
		/* What could not all go out stays queued (Linux's). */
		if (uk_iov_iter_copy_to(&it, skb->data + skb->off + skip, n) < n) {
			err = -EFAULT;
			break;
		}
		copied += n;
		fds = take_fds(skb, peek, &nfds);
		if (!peek) {
			skb->off += n;
			u->rq_bytes -= n;
			if (skb->off == skb->len)
				skb_unlink_head(u);
		}
		if (nfds || copied == len)
			break;
	}
	if (copied || !err)
		deliver_control(u, m, flags, fds, nfds);
	else if (fds) {
		put_files(fds, nfds);
	}
	free(fds);
	return copied ? (ssize_t)copied : err;
}

/* --- datagrams and seqpackets ------------------------------------------------- */

static ssize_t dgram_send(struct unix_sock *u, const struct uk_msghdr *m,
			  int flags, struct scm *scm)
{
	size_t len = uk_iov_total(m->msg_iov, m->msg_iovlen);
	int seq = u->s->type == SOCK_SEQPACKET;
	uint64_t deadline = 0;
	int have_deadline = 0, rc;
	if (seq) {
		if ((rc = uk_socket_take_error(u->s)))
			return rc;
		if (u->state != U_CONNECTED)
			return -ENOTCONN;
	}
	if (len > (size_t)u->s->sndbuf - 32)
		return -EMSGSIZE;
	if (!seq && uk_socket_opt(u->s, SO_PASSCRED) && (rc = autobind(u)))
		return rc;
	for (;;) {
		struct unix_sock *o;
		if (u->shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (m->msg_namelen && !seq) {
			if ((rc = find_peer(m->msg_name, m->msg_namelen, SOCK_DGRAM, &o)))
				return rc;
		} else {
			o = u->peer;
			if (!o)
				return -ENOTCONN;
		}
		if (o->dead) {
			if (seq)
				return -EPIPE;
			if (u->peer == o) {
				set_peer(u, NULL);
				wake(u);
			}
			return -ECONNREFUSED;
		}
		if (o != u && o->peer && o->peer != u)
			return -EPERM;
		if (o->shutdown & RCV_SHUTDOWN)
			return -EPIPE;
		int full = o != u && o->peer != u && o->rq_len > MAX_DGRAM_QLEN;
		if (full || u->wbytes >= (size_t)u->s->sndbuf) {
			if (flags & MSG_DONTWAIT)
				return -EAGAIN;
			if (!have_deadline) {
				deadline = uk_socket_deadline(u->s, 1);
				have_deadline = 1;
			}
			hold(o);
			rc = uk_socket_wait2(u->s, full ? o->s : NULL, deadline);
			drop(o);
			if (rc)
				return rc;
			continue;
		}
		struct unix_skb *skb = skb_new(u, len);
		if (!skb)
			return -ENOMEM;
		struct uk_iov_iter it;
		uk_iov_iter_init(&it, m->msg_iov, m->msg_iovlen);
		if (uk_iov_iter_copy_from(&it, skb->data, len) < len) {
			skb_free(skb);
			return -EFAULT;
		}
		skb->fds = scm->fds;
		skb->nfds = scm->nfds;
		scm->fds = NULL;
		scm->nfds = 0;
		skb_queue(o, skb);
		return len;
	}
}

static ssize_t dgram_recv(struct unix_sock *u, struct uk_msghdr *m, int flags)
{
	size_t len = uk_iov_total(m->msg_iov, m->msg_iovlen);
	uint64_t deadline = uk_socket_deadline(u->s, 0);
	int rc;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->s->type == SOCK_SEQPACKET && u->state != U_CONNECTED)
		return -ENOTCONN;
	while (!u->rq_head) {
		if ((rc = uk_socket_take_error(u->s)))
			return rc;
		if (u->shutdown & RCV_SHUTDOWN)
			return 0;
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		if ((rc = uk_socket_wait(u->s, deadline)))
			return rc;
	}
	struct unix_skb *skb = u->rq_head;
	size_t n = skb->len < len ? skb->len : len, full = skb->len;
	struct uk_iov_iter it;
	uk_iov_iter_init(&it, m->msg_iov, m->msg_iovlen);
	if (uk_iov_iter_copy_to(&it, skb->data, n) < n) {
		/* The datagram is gone, its files with it (Linux's). */
		if (!(flags & MSG_PEEK))
			skb_unlink_head(u);
		return -EFAULT;
	}
	if (skb->len > len)
		m->msg_flags |= MSG_TRUNC;
	put_name(m, skb);
	int nfds;
	struct uk_file **fds = take_fds(skb, flags & MSG_PEEK, &nfds);
	if (!(flags & MSG_PEEK))
		skb_unlink_head(u);
	deliver_control(u, m, flags, fds, nfds);
	free(fds);
	return (flags & MSG_TRUNC) ? (ssize_t)full : (ssize_t)n;
}

static ssize_t unix_sendmsg(struct uk_socket *s, const struct uk_msghdr *m, int flags)
{
	struct unix_sock *u = U(s);
	struct scm scm = { 0 };
	ssize_t rc;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if ((rc = scm_parse(m, &scm)) == 0)
		rc = s->type == SOCK_STREAM ? stream_send(u, m, flags, &scm) :
					      dgram_send(u, m, flags, &scm);
	scm_destroy(&scm);
	return rc;
}

static ssize_t unix_recvmsg(struct uk_socket *s, struct uk_msghdr *m, int flags)
{
	struct unix_sock *u = U(s);
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;		/* nothing ever goes to an error queue */
	if (s->type == SOCK_STREAM)
		return stream_recv(u, m, flags);
	return dgram_recv(u, m, flags);
}

/* --- readiness, ioctl, options -------------------------------------------------- */

static unsigned int unix_poll(struct uk_socket *s)
{
	struct unix_sock *u = U(s);
	unsigned int mask = 0;
	int writable;
	if (s->err)
		mask |= POLLERR;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->rq_head || u->acc_head)
		mask |= POLLIN | POLLRDNORM;
	if (conn_type(u) && u->state == U_UNCONNECTED)
		mask |= POLLHUP;
	writable = u->state != U_LISTEN && u->wbytes * 4 <= (size_t)s->sndbuf;
	if (writable && s->type != SOCK_STREAM) {
		struct unix_sock *o = u->peer;
		if (o && o != u && o->peer != u && o->rq_len > MAX_DGRAM_QLEN)
			writable = 0;
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

/* SIOCINQ (FIONREAD). */
static long unix_nread(struct uk_socket *s)
{
	struct unix_sock *u = U(s);
	if (u->state == U_LISTEN)
		return -EINVAL;
	if (s->type == SOCK_STREAM)
		return u->rq_bytes;
	return u->rq_head ? (int)u->rq_head->len : 0;
}

static int unix_ioctl(struct uk_socket *s, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = U(s);
	if (cmd == SIOCOUTQ)
		return uk_put_user((int)u->wbytes, (int *)arg);
	return -UK_ENOIOCTLCMD;
}

static int unix_getsockopt(struct uk_socket *s, int level, int name, void *val, int *len)
{
	struct unix_sock *u = U(s);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == SO_ACCEPTCONN) {
		int v = u->state == U_LISTEN;
		uk_sockopt_put(val, len, &v, sizeof(v));
		return 0;
	}
	if (name == SO_PEERCRED) {
		struct uk_ucred c = { .pid = 0, .uid = -1, .gid = -1 };
		if (u->peercred)
			c = (struct uk_ucred){ .pid = 1, .uid = 0, .gid = 0 };
		uk_sockopt_put(val, len, &c, sizeof(c));
		return 0;
	}
	return -ENOPROTOOPT;
}

static int unix_setsockopt(struct uk_socket *s, int level, int name,
			   const void *val, int len)
{
	(void)s, (void)name, (void)val, (void)len;
	return level == SOL_SOCKET ? -ENOPROTOOPT : -EOPNOTSUPP;
}

static const struct uk_socket_ops unix_ops = {
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.socketpair = unix_socketpair,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.sendmsg = unix_sendmsg,
	.recvmsg = unix_recvmsg,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.poll = unix_poll,
	.nread = unix_nread,
	.ioctl = unix_ioctl,
	.close = unix_close,
	.release = unix_release,
};

static const struct uk_socket_family unix_family = {
	.family = AF_UNIX,
	.create = unix_create,
};

static int unix_init(void)
{
	return uk_socket_register_family(&unix_family);
}
UK_INIT_AT(unix_init, UK_INIT_LEVEL_LIB);
