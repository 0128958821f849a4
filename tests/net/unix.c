/* AF_UNIX sockets: a plain Linux program whose stdout must be the same
 * natively and in the guest; exits 0 when every check held.
 * usage: unix [SECTION...]   (default: all sections) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>

static int failures;

static const char *ename(int e)
{
	static char buf[32];
	switch (e) {
#define E(x) case x: return #x
	E(EAGAIN); E(EPIPE); E(EINVAL); E(ENOTCONN); E(EISCONN); E(ECONNREFUSED);
	E(ECONNRESET); E(EADDRINUSE); E(ENOENT); E(EOPNOTSUPP); E(EPROTOTYPE);
	E(ENOTSOCK); E(EBADF); E(EINTR); E(EMSGSIZE); E(ESOCKTNOSUPPORT);
	E(EPROTONOSUPPORT); E(EAFNOSUPPORT); E(EPERM); E(ENOPROTOOPT); E(EFAULT);
	E(EDESTADDRREQ); E(EDOM);
#undef E
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* Prints "what: value" or "what: -1 ENAME". */
static long show(const char *what, long rc)
{
	if (rc < 0)
		printf("%s: -1 %s\n", what, ename(errno));
	else
		printf("%s: %ld\n", what, rc);
	return rc;
}

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                        \
		}                                                          \
	} while (0)

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FATAL %s: %s\n", what, ename(errno));
		exit(2);
	}
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* An abstract name: "\0" + name, no terminator counted. */
static socklen_t mkabstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path + 1, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void print_addr(const char *what, const struct sockaddr_un *a, socklen_t len)
{
	printf("%s: len %d family %d", what, (int)len, a->sun_family);
	if (len > offsetof(struct sockaddr_un, sun_path)) {
		if (a->sun_path[0])
			printf(" path \"%s\"", a->sun_path);
		else
			printf(" abstract \"%.*s\"",
			       (int)(len - offsetof(struct sockaddr_un, sun_path) - 1),
			       a->sun_path + 1);
	}
	printf("\n");
}

#define DIR_ "/tmp/uknet-test"

/* --- socketpair ------------------------------------------------------------ */

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void t_pair_stream(void)
{
	int sv[2];
	char buf[64];
	printf("== socketpair stream\n");
	must(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	show("write 0->1", write(sv[0], "hello", 5));
	show("write 1->0", write(sv[1], "world!", 6));
	int n = -1;
	show("FIONREAD 1", ioctl(sv[1], FIONREAD, &n));
	printf("  bytes waiting: %d\n", n);
	show("recv peek", recv(sv[1], buf, 3, MSG_PEEK));
	printf("  peeked: %.3s\n", buf);
	memset(buf, 0, sizeof(buf));
	show("read 1", read(sv[1], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	show("read 0", read(sv[0], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	show("recv dontwait (empty)", recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));

	/* several writes, one read gets them all */
	write(sv[0], "ab", 2);
	write(sv[0], "cd", 2);
	write(sv[0], "ef", 2);
	memset(buf, 0, sizeof(buf));
	show("read 3 writes", read(sv[1], buf, sizeof(buf)));
	printf("  got: %s\n", buf);

	/* readv / writev */
	struct iovec iov[3] = { { "one ", 4 }, { "two ", 4 }, { "three", 5 } };
	show("writev", writev(sv[0], iov, 3));
	char a[6] = { 0 }, b[20] = { 0 };
	struct iovec riov[2] = { { a, 5 }, { b, sizeof(b) - 1 } };
	show("readv", readv(sv[1], riov, 2));
	printf("  got: [%s][%s]\n", a, b);

	/* sendmsg / recvmsg with iovecs */
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	show("sendmsg", sendmsg(sv[1], &mh, 0));
	memset(buf, 0, sizeof(buf));
	struct iovec one = { buf, sizeof(buf) };
	struct msghdr rh = { .msg_iov = &one, .msg_iovlen = 1 };
	show("recvmsg", recvmsg(sv[0], &rh, 0));
	printf("  got: %s flags %#x\n", buf, rh.msg_flags);

	/* EOF after close, EPIPE after the peer went */
	write(sv[0], "last", 4);
	close(sv[0]);
	memset(buf, 0, sizeof(buf));
	show("read before EOF", read(sv[1], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	show("read at EOF", read(sv[1], buf, sizeof(buf)));
	show("recv at EOF", recv(sv[1], buf, sizeof(buf), 0));

	signal(SIGPIPE, SIG_IGN);
	show("write to closed peer (SIGPIPE ignored)", write(sv[1], "x", 1));
	struct sigaction sa = { .sa_handler = on_sigpipe };
	sigaction(SIGPIPE, &sa, NULL);
	sigpipes = 0;
	show("send to closed peer", send(sv[1], "x", 1, 0));
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	show("send MSG_NOSIGNAL", send(sv[1], "x", 1, MSG_NOSIGNAL));
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	show("write to closed peer", write(sv[1], "x", 1));
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	signal(SIGPIPE, SIG_IGN);
	close(sv[1]);

	/* the peer closed with our data unread: ECONNRESET once, then EOF */
	must(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	write(sv[0], "unread", 6);
	close(sv[1]);
	show("recv after peer closed unread", recv(sv[0], buf, sizeof(buf), 0));
	show("recv again", recv(sv[0], buf, sizeof(buf), 0));
	close(sv[0]);
}

static void t_pair_dgram(void)
{
	int sv[2];
	char buf[64];
	printf("== socketpair dgram\n");
	must(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	show("send 0->1 a", send(sv[0], "first", 5, 0));
	show("send 0->1 b", send(sv[0], "second", 6, 0));
	show("send 1->0", send(sv[1], "back", 4, 0));
	show("send empty", send(sv[0], "", 0, 0));
	int n = -1;
	ioctl(sv[1], FIONREAD, &n);
	printf("FIONREAD (first datagram): %d\n", n);
	memset(buf, 0, sizeof(buf));
	show("recv 1", recv(sv[1], buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	show("recv 1 truncated", recv(sv[1], buf, 3, 0));
	printf("  got: %s\n", buf);
	show("recv empty datagram", recv(sv[1], buf, sizeof(buf), 0));
	memset(buf, 0, sizeof(buf));
	show("recv 0", recv(sv[0], buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);

	send(sv[0], "truncate-me", 11, 0);
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	show("recvmsg MSG_TRUNC", recvmsg(sv[1], &mh, MSG_TRUNC));
	printf("  msg_flags has MSG_TRUNC: %d\n", !!(mh.msg_flags & MSG_TRUNC));

	/* sendmmsg / recvmmsg */
	struct iovec siov[3] = { { "m1", 2 }, { "mm2", 3 }, { "mmm3", 4 } };
	struct mmsghdr sm[3];
	memset(sm, 0, sizeof(sm));
	for (int i = 0; i < 3; i++) {
		sm[i].msg_hdr.msg_iov = &siov[i];
		sm[i].msg_hdr.msg_iovlen = 1;
	}
	show("sendmmsg", sendmmsg(sv[0], sm, 3, 0));
	char rb[3][8];
	struct iovec riov[3];
	struct mmsghdr rm[3];
	memset(rm, 0, sizeof(rm));
	memset(rb, 0, sizeof(rb));
	for (int i = 0; i < 3; i++) {
		riov[i].iov_base = rb[i];
		riov[i].iov_len = sizeof(rb[i]) - 1;
		rm[i].msg_hdr.msg_iov = &riov[i];
		rm[i].msg_hdr.msg_iovlen = 1;
	}
	show("recvmmsg", recvmmsg(sv[1], rm, 3, 0, NULL));
	for (int i = 0; i < 3; i++)
		printf("  [%d] len %u: %s\n", i, rm[i].msg_len, rb[i]);
	show("sendmmsg 2", sendmmsg(sv[0], sm, 2, 0));
	show("recvmmsg MSG_WAITFORONE", recvmmsg(sv[1], rm, 3, MSG_WAITFORONE, NULL));
	show("recvmmsg nothing (nonblocking)", recvmmsg(sv[1], rm, 3, MSG_DONTWAIT, NULL));
	struct sockaddr_un from;
	socklen_t fl = sizeof(from);
	send(sv[0], "peeked", 6, 0);
	show("recvfrom MSG_PEEK", recvfrom(sv[1], buf, sizeof(buf), MSG_PEEK,
					   (struct sockaddr *)&from, &fl));
	printf("  from len %d\n", (int)fl);
	memset(buf, 0, sizeof(buf));
	show("recv after peek", recv(sv[1], buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);

	close(sv[0]);
	show("recv after peer closed (dontwait)", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	show("send after peer closed", send(sv[1], "x", 1, 0));
	show("send again", send(sv[1], "x", 1, 0));
	close(sv[1]);
}

static void t_pair_seqpacket(void)
{
	int sv[2];
	char buf[64];
	printf("== socketpair seqpacket\n");
	must(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
	show("send a", send(sv[0], "packet-one", 10, 0));
	show("send b", send(sv[0], "two", 3, 0));
	memset(buf, 0, sizeof(buf));
	show("recv short", recv(sv[1], buf, 6, 0));
	printf("  got: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	show("recv", recv(sv[1], buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	close(sv[0]);
	show("recv at EOF", recv(sv[1], buf, sizeof(buf), 0));
	show("send to a closed peer", send(sv[1], "x", 1, MSG_NOSIGNAL));
	close(sv[1]);

	/* a seqpacket listener */
	struct sockaddr_un a;
	socklen_t len = mkabstract(&a, "uknet-test-seqpacket");
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	show("bind", bind(l, (struct sockaddr *)&a, len));
	show("listen", listen(l, 2));
	int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	show("recv before connect", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	show("send before connect", send(c, "x", 1, MSG_NOSIGNAL));
	show("connect", connect(c, (struct sockaddr *)&a, len));
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	show("stream connect to the seqpacket name", connect(st, (struct sockaddr *)&a, len));
	close(st);
	int s = accept(l, NULL, NULL);
	show("accept", s >= 0 ? 0 : -1);
	send(c, "rec1", 4, 0);
	send(c, "record2", 7, 0);
	memset(buf, 0, sizeof(buf));
	show("recv", recv(s, buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	show("recv", recv(s, buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	close(c);
	show("recv at EOF", recv(s, buf, sizeof(buf), 0));
	close(s);
	close(l);
}

/* --- a path-named server and a client in threads ---------------------------------- */

#define SRV_PATH DIR_ "/server.sock"

struct srv_result {
	int rc;
	char log[1024];
};

static void logf_(struct srv_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void logf_(struct srv_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t l = strlen(r->log);
	vsnprintf(r->log + l, sizeof(r->log) - l, fmt, ap);
	va_end(ap);
}

static int listen_fd;

static void *server_thread(void *arg)
{
	struct srv_result *r = arg;
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer);
	int c = accept(listen_fd, (struct sockaddr *)&peer, &plen);
	if (c < 0) {
		logf_(r, "accept: %s\n", ename(errno));
		r->rc = 1;
		return NULL;
	}
	logf_(r, "accept: peer len %d family %d\n", (int)plen, peer.sun_family);
	struct sockaddr_un me;
	socklen_t mlen = sizeof(me);
	getsockname(c, (struct sockaddr *)&me, &mlen);
	logf_(r, "accepted getsockname: len %d path \"%s\"\n", (int)mlen, me.sun_path);
	plen = sizeof(peer);
	getpeername(c, (struct sockaddr *)&peer, &plen);
	logf_(r, "accepted getpeername: len %d\n", (int)plen);
	char buf[64] = { 0 };
	ssize_t n = read(c, buf, sizeof(buf) - 1);
	logf_(r, "server read %zd: %s\n", n, buf);
	char reply[80];
	snprintf(reply, sizeof(reply), "echo:%s", buf);
	n = write(c, reply, strlen(reply));
	logf_(r, "server wrote %zd\n", n);
	n = read(c, buf, sizeof(buf));
	logf_(r, "server read at EOF: %zd\n", n);
	close(c);
	return NULL;
}

struct cli_result {
	char log[1024];
};

static void *client_thread(void *arg)
{
	struct cli_result *r = arg;
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, SRV_PATH);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	size_t l;
	if (connect(s, (struct sockaddr *)&a, len) < 0) {
		snprintf(r->log, sizeof(r->log), "connect: %s\n", ename(errno));
		return NULL;
	}
	struct sockaddr_un me, peer;
	socklen_t mlen = sizeof(me), plen = sizeof(peer);
	getsockname(s, (struct sockaddr *)&me, &mlen);
	getpeername(s, (struct sockaddr *)&peer, &plen);
	snprintf(r->log, sizeof(r->log),
		 "client getsockname: len %d\nclient getpeername: len %d path \"%s\"\n",
		 (int)mlen, (int)plen, peer.sun_path);
	write(s, "ping", 4);
	char buf[64] = { 0 };
	ssize_t n = read(s, buf, sizeof(buf) - 1);
	l = strlen(r->log);
	snprintf(r->log + l, sizeof(r->log) - l, "client read %zd: %s\n", n, buf);
	close(s);
	return NULL;
}

static void t_path_server(void)
{
	struct sockaddr_un a;
	struct stat st;
	printf("== path-named stream server\n");
	unlink(SRV_PATH);
	socklen_t len = mkaddr(&a, SRV_PATH);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	must(listen_fd >= 0, "socket");
	show("FD_CLOEXEC", fcntl(listen_fd, F_GETFD) & FD_CLOEXEC);
	show("connect before bind", connect(listen_fd, (struct sockaddr *)&a, len));
	show("bind", bind(listen_fd, (struct sockaddr *)&a, len));
	show("bind again", bind(listen_fd, (struct sockaddr *)&a, len));
	struct sockaddr_un a2;
	socklen_t len2 = mkaddr(&a2, DIR_ "/second.sock");
	show("bind a bound socket to a new path", bind(listen_fd, (struct sockaddr *)&a2, len2));
	show("  the new path was not left behind", access(a2.sun_path, F_OK));
	if (stat(SRV_PATH, &st) == 0)
		printf("stat: socket %d mode %o size %ld\n", S_ISSOCK(st.st_mode),
		       st.st_mode & 07777, (long)st.st_size);
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	show("second bind to the path", bind(other, (struct sockaddr *)&a, len));
	show("connect to a bound non-listener", connect(other, (struct sockaddr *)&a, len));
	close(other);
	int v = -1;
	socklen_t vl = sizeof(v);
	getsockopt(listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("SO_ACCEPTCONN before listen: %d\n", v);
	show("listen", listen(listen_fd, 5));
	vl = sizeof(v);
	getsockopt(listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("SO_ACCEPTCONN: %d\n", v);
	struct sockaddr_un me;
	socklen_t mlen = sizeof(me);
	getsockname(listen_fd, (struct sockaddr *)&me, &mlen);
	print_addr("listener getsockname", &me, mlen);
	mlen = sizeof(me);
	show("listener getpeername", getpeername(listen_fd, (struct sockaddr *)&me, &mlen));
	char c;
	show("recv on listener", recv(listen_fd, &c, 1, MSG_DONTWAIT));
	show("send on listener", send(listen_fd, &c, 1, MSG_DONTWAIT));

	struct srv_result sr = { 0 };
	struct cli_result cr = { { 0 } };
	pthread_t ts, tc;
	pthread_create(&ts, NULL, server_thread, &sr);
	msleep(20);	/* the server blocks in accept first */
	pthread_create(&tc, NULL, client_thread, &cr);
	pthread_join(tc, NULL);
	pthread_join(ts, NULL);
	fputs(sr.log, stdout);
	fputs(cr.log, stdout);
	CHECK(sr.rc == 0);
	close(listen_fd);

	/* the inode outlives the socket */
	show("stat after close", stat(SRV_PATH, &st));
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect to a stale path", connect(s, (struct sockaddr *)&a, len));
	close(s);
	show("unlink", unlink(SRV_PATH));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect to a missing path", connect(s, (struct sockaddr *)&a, len));
	int fd = open(DIR_ "/regular", O_CREAT | O_WRONLY, 0644);
	close(fd);
	len = mkaddr(&a, DIR_ "/regular");
	show("connect to a regular file", connect(s, (struct sockaddr *)&a, len));
	show("bind onto a regular file", bind(s, (struct sockaddr *)&a, len));
	unlink(DIR_ "/regular");
	close(s);

	/* a relative path */
	must(chdir(DIR_) == 0, "chdir");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	len = mkaddr(&a, "rel.sock");
	show("bind relative", bind(s, (struct sockaddr *)&a, len));
	listen(s, 1);
	int cl = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect relative", connect(cl, (struct sockaddr *)&a, len));
	must(chdir("/") == 0, "chdir");
	len = mkaddr(&a, DIR_ "/rel.sock");
	int cl2 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect absolute", connect(cl2, (struct sockaddr *)&a, len));
	mlen = sizeof(me);
	getsockname(s, (struct sockaddr *)&me, &mlen);
	print_addr("relative getsockname", &me, mlen);
	close(cl);
	close(cl2);
	close(s);
	unlink(DIR_ "/rel.sock");
}

/* --- connection details: backlog, accept4 flags, client writes before accept --- */

struct acceptor {
	int l, ms, fd;
};

static void *delayed_accept(void *arg)
{
	struct acceptor *a = arg;
	msleep(a->ms);
	a->fd = accept(a->l, NULL, NULL);
	return NULL;
}

static void t_connect_details(void)
{
	struct sockaddr_un a;
	char buf[32];
	printf("== connect and accept details\n");
	socklen_t len = mkabstract(&a, "uknet-test-backlog");
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	must(l >= 0, "socket");
	show("listen unbound", listen(l, 0));
	show("bind abstract", bind(l, (struct sockaddr *)&a, len));
	show("listen backlog 0", listen(l, 0));
	show("accept nonblocking (none)", accept(l, NULL, NULL));
	struct pollfd p = { l, POLLIN | POLLOUT, 0 };
	show("poll listener (none)", poll(&p, 1, 0));
	printf("  revents %#x\n", p.revents);

	int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect 1", connect(c1, (struct sockaddr *)&a, len));
	show("write before accept", write(c1, "early", 5));
	int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show("connect 2 (backlog full, nonblocking)", connect(c2, (struct sockaddr *)&a, len));
	p.revents = 0;
	show("poll listener (one waiting)", poll(&p, 1, 0));
	printf("  revents %#x\n", p.revents);

	struct sockaddr_un pa;
	socklen_t plen = sizeof(pa);
	int s1 = accept4(l, (struct sockaddr *)&pa, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
	show("accept4", s1 >= 0 ? 0 : -1);
	printf("  peer addrlen %d, O_NONBLOCK %d, FD_CLOEXEC %d\n", (int)plen,
	       !!(fcntl(s1, F_GETFL) & O_NONBLOCK), !!(fcntl(s1, F_GETFD) & FD_CLOEXEC));
	memset(buf, 0, sizeof(buf));
	show("read early data", read(s1, buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	show("read again (nonblocking)", read(s1, buf, sizeof(buf)));
	show("connect 1 again", connect(c1, (struct sockaddr *)&a, len));
	show("connect 2 after accept", connect(c2, (struct sockaddr *)&a, len));
	show("accept4 bad flags", accept4(l, NULL, NULL, 0x1));
	int s2 = accept(l, NULL, NULL);
	show("accept 2", s2 >= 0 ? 0 : -1);
	show("accept 2 O_NONBLOCK", !!(fcntl(s2, F_GETFL) & O_NONBLOCK));

	/* a blocking connect waits for room in the backlog */
	int c7 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect fills the backlog", connect(c7, (struct sockaddr *)&a, len));
	int c6 = socket(AF_UNIX, SOCK_STREAM, 0);
	pthread_t t;
	struct acceptor ac = { l, 100, -1 };
	pthread_create(&t, NULL, delayed_accept, &ac);
	show("blocking connect (backlog full)", connect(c6, (struct sockaddr *)&a, len));
	pthread_join(t, NULL);
	show("  the acceptor got a connection first", ac.fd >= 0);
	int s6 = accept(l, NULL, NULL);
	write(c6, "c6", 2);
	memset(buf, 0, sizeof(buf));
	fcntl(s6, F_SETFL, 0);
	show("  read", read(s6, buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	close(c6);
	close(c7);
	close(s6);
	close(ac.fd);

	/* a connection the client closed before it was accepted */
	int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect 3", connect(c3, (struct sockaddr *)&a, len));
	write(c3, "bye", 3);
	close(c3);
	int s3 = accept(l, NULL, NULL);
	memset(buf, 0, sizeof(buf));
	show("read from closed-before-accept", read(s3, buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	show("read EOF", read(s3, buf, sizeof(buf)));

	/* the listener goes away with a connection queued */
	int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect 4", connect(c4, (struct sockaddr *)&a, len));
	close(l);
	show("read after the listener closed", read(c4, buf, sizeof(buf)));
	show("read again", read(c4, buf, sizeof(buf)));
	int c5 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect to a closed abstract name", connect(c5, (struct sockaddr *)&a, len));
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, len);
	listen(l, 1);
	show("dgram connect to a stream listener", connect(d, (struct sockaddr *)&a, len));
	show("listen on dgram", listen(d, 1));
	show("accept on dgram", accept(d, NULL, NULL));
	close(d);
	close(l);
	close(c1), close(c2), close(c4), close(c5), close(s1), close(s2), close(s3);
}

/* --- names ------------------------------------------------------------------------ */

static void t_names(void)
{
	struct sockaddr_un a, g;
	socklen_t gl;
	printf("== abstract names and autobind\n");
	socklen_t len = mkabstract(&a, "uknet-test-abstract");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	gl = sizeof(g);
	getsockname(s, (struct sockaddr *)&g, &gl);
	print_addr("unbound getsockname", &g, gl);
	show("bind abstract", bind(s, (struct sockaddr *)&a, len));
	gl = sizeof(g);
	getsockname(s, (struct sockaddr *)&g, &gl);
	print_addr("abstract getsockname", &g, gl);
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("bind the same abstract name", bind(s2, (struct sockaddr *)&a, len));
	/* a longer name that starts the same is another name */
	struct sockaddr_un b;
	socklen_t blen = mkabstract(&b, "uknet-test-abstract2");
	show("bind a longer abstract name", bind(s2, (struct sockaddr *)&b, blen));
	listen(s, 1);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect abstract", connect(c, (struct sockaddr *)&a, len));
	gl = sizeof(g);
	getpeername(c, (struct sockaddr *)&g, &gl);
	print_addr("client getpeername", &g, gl);
	/* a small buffer gets a truncated name and the full length */
	gl = 4;
	memset(&g, 0, sizeof(g));
	getpeername(c, (struct sockaddr *)&g, &gl);
	printf("truncated getpeername: len %d\n", (int)gl);
	close(c);
	close(s);
	close(s2);

	int u = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un fam = { .sun_family = AF_UNIX };
	show("autobind", bind(u, (struct sockaddr *)&fam, sizeof(sa_family_t)));
	gl = sizeof(g);
	getsockname(u, (struct sockaddr *)&g, &gl);
	printf("autobind name: len %d abstract %d\n", (int)gl, g.sun_path[0] == 0);
	show("autobind again", bind(u, (struct sockaddr *)&fam, sizeof(sa_family_t)));
	close(u);

	u = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("bind short address", bind(u, (struct sockaddr *)&fam, 1));
	struct sockaddr_un bad = { .sun_family = AF_INET };
	strcpy(bad.sun_path, "x");
	show("bind wrong family", bind(u, (struct sockaddr *)&bad, sizeof(bad)));
	show("bind too long", bind(u, (struct sockaddr *)&a, sizeof(a) + 1));
	close(u);
}

/* --- datagrams with addresses ------------------------------------------------------ */

struct dgram_reader {
	int fd, ms, n;
};

static void *delayed_dgram_read(void *arg)
{
	struct dgram_reader *r = arg;
	char c;
	msleep(r->ms);
	r->n = recv(r->fd, &c, 1, 0);
	return NULL;
}

static void t_dgram_addr(void)
{
	struct sockaddr_un a1, a2, from;
	socklen_t l1 = mkaddr(&a1, DIR_ "/d1.sock"), l2 = mkaddr(&a2, DIR_ "/d2.sock");
	socklen_t fl;
	char buf[64];
	printf("== datagrams with addresses\n");
	unlink(a1.sun_path);
	unlink(a2.sun_path);
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("bind d1", bind(d1, (struct sockaddr *)&a1, l1));
	show("bind d2", bind(d2, (struct sockaddr *)&a2, l2));
	show("send unconnected", send(d1, "x", 1, 0));
	show("sendto d2", sendto(d1, "to-d2", 5, 0, (struct sockaddr *)&a2, l2));
	memset(buf, 0, sizeof(buf));
	fl = sizeof(from);
	show("recvfrom d2", recvfrom(d2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	printf("  got: %s\n", buf);
	print_addr("  from", &from, fl);
	show("sendto d1", sendto(d2, "to-d1", 5, 0, (struct sockaddr *)&a1, l1));
	memset(buf, 0, sizeof(buf));
	fl = sizeof(from);
	show("recvfrom d1", recvfrom(d1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	print_addr("  from", &from, fl);

	/* an unnamed sender has no address */
	int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("sendto from unnamed", sendto(anon, "anon", 4, 0, (struct sockaddr *)&a2, l2));
	fl = sizeof(from);
	show("recvfrom", recvfrom(d2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	printf("  from len %d\n", (int)fl);

	/* connect: a default destination, and only the peer may send to us */
	show("connect d1 to d2", connect(d1, (struct sockaddr *)&a2, l2));
	show("send connected", send(d1, "conn", 4, 0));
	show("connect d2 to d1", connect(d2, (struct sockaddr *)&a1, l1));
	show("sendto d2 from a stranger", sendto(anon, "no", 2, 0, (struct sockaddr *)&a2, l2));
	memset(buf, 0, sizeof(buf));
	show("recv d2", recv(d2, buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	fl = sizeof(from);
	getpeername(d1, (struct sockaddr *)&from, &fl);
	print_addr("d1 getpeername", &from, fl);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	show("disconnect d1", connect(d1, &unspec, sizeof(unspec)));
	fl = sizeof(from);
	show("getpeername after disconnect", getpeername(d1, (struct sockaddr *)&from, &fl));

	struct sockaddr_un none;
	socklen_t nl = mkaddr(&none, DIR_ "/nobody.sock");
	show("sendto a missing path", sendto(anon, "x", 1, 0, (struct sockaddr *)&none, nl));
	struct sockaddr_un ab;
	socklen_t abl = mkabstract(&ab, "uknet-test-nobody");
	show("sendto a missing abstract name", sendto(anon, "x", 1, 0, (struct sockaddr *)&ab, abl));
	/* a path name bound by a socket of another type */
	struct sockaddr_un sa_;
	socklen_t sal = mkaddr(&sa_, DIR_ "/stream.sock");
	unlink(sa_.sun_path);
	int sl = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(sl, (struct sockaddr *)&sa_, sal);
	listen(sl, 1);
	show("sendto a stream socket's path", sendto(anon, "x", 1, 0, (struct sockaddr *)&sa_, sal));
	show("dgram connect to a stream socket's path", connect(anon, (struct sockaddr *)&sa_, sal));
	close(sl);
	unlink(sa_.sun_path);
	/* abstract names are per type */
	struct sockaddr_un an;
	socklen_t anl = mkabstract(&an, "uknet-test-pertype");
	int as = socket(AF_UNIX, SOCK_STREAM, 0), ad = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("bind abstract stream", bind(as, (struct sockaddr *)&an, anl));
	show("bind same abstract dgram", bind(ad, (struct sockaddr *)&an, anl));
	close(as);
	close(ad);
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	show("sendto a dgram from a stream socket", sendto(st, "x", 1, 0, (struct sockaddr *)&a2, l2));
	show("send on an unconnected stream socket", send(st, "x", 1, 0));
	show("recv on an unconnected stream socket", recv(st, buf, 1, MSG_DONTWAIT));
	close(st);

	/* a full queue of a datagram socket that is not connected back */
	int q = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un qa;
	socklen_t qal = mkabstract(&qa, "uknet-test-queue");
	bind(q, (struct sockaddr *)&qa, qal);
	int sent = 0;
	while (sent < 100 && sendto(anon, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&qa, qal) == 1)
		sent++;
	printf("datagrams queued before EAGAIN: %s (%s)\n", sent >= 10 && sent < 100 ? "some" : "?",
	       ename(errno));
	struct pollfd pq = { anon, POLLOUT, 0 };
	show("poll an unconnected sender", poll(&pq, 1, 0));
	/* a blocking send waits for the receiver to take one */
	struct dgram_reader dr = { q, 100, 0 };
	pthread_t t;
	pthread_create(&t, NULL, delayed_dgram_read, &dr);
	show("blocking sendto a full queue", sendto(anon, "w", 1, 0, (struct sockaddr *)&qa, qal));
	pthread_join(t, NULL);
	show("  the reader took one first", dr.n);
	close(q);
	close(anon);
	close(d1);
	close(d2);
	unlink(a1.sun_path);
	unlink(a2.sun_path);
}


struct delayed {
	int fd;
	int ms;
	const char *data;
	int close_after;
};
static void *delayed_writer(void *arg);

static void on_alarm(int sig)
{
	(void)sig;
}

/* --- nonblocking mode, timeouts, EINTR ---------------------------------------------- */

static void t_nonblock(void)
{
	int sv[2];
	char buf[16];
	printf("== nonblocking, timeouts, signals\n");
	must(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0, "socketpair");
	show("O_NONBLOCK from SOCK_NONBLOCK", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));
	show("read nonblocking", read(sv[0], buf, sizeof(buf)));
	int off = 0;
	show("FIONBIO off", ioctl(sv[0], FIONBIO, &off));
	show("O_NONBLOCK", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));
	show("recv MSG_DONTWAIT", recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	show("recv after F_SETFL O_NONBLOCK", recv(sv[0], buf, sizeof(buf), 0));
	fcntl(sv[0], F_SETFL, 0);

	/* filling the send buffer */
	char *big = calloc(1, 65536);
	long total = 0;
	ssize_t n;
	while ((n = send(sv[1], big, 65536, MSG_DONTWAIT)) > 0)
		total += n;
	printf("send until full: %s, %s\n", total > 0 ? "some sent" : "none", ename(errno));
	struct pollfd p = { sv[1], POLLOUT, 0 };
	show("poll POLLOUT when full", poll(&p, 1, 0));
	while (recv(sv[0], big, 65536, MSG_DONTWAIT) > 0)
		;
	show("poll POLLOUT after draining", poll(&p, 1, 0));
	free(big);

	/* SO_RCVTIMEO */
	struct timeval tv = { 0, 100000 };
	show("SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	struct timeval got = { 9, 9 };
	socklen_t gl = sizeof(got);
	getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &gl);
	printf("  SO_RCVTIMEO reads back %ld.%01ld s, len %d\n", (long)got.tv_sec,
	       (long)got.tv_usec / 100000, (int)gl);
	double t0 = now_ms();
	show("recv with a timeout", recv(sv[0], buf, sizeof(buf), 0));
	double dt = now_ms() - t0;
	printf("  waited about the timeout: %d\n", dt >= 80 && dt < 5000);
	tv.tv_usec = 2000000;
	show("SO_SNDTIMEO bad usec", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* a signal interrupts a blocking recv: EINTR without SA_RESTART */
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	show("recv interrupted", recv(sv[0], buf, sizeof(buf), 0));
	/* with SA_RESTART it goes on and gets the data that comes later */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct delayed d = { sv[1], 200, "late", 0 };
	pthread_t t;
	pthread_create(&t, NULL, delayed_writer, &d);
	setitimer(ITIMER_REAL, &it, NULL);
	memset(buf, 0, sizeof(buf));
	show("recv restarted", recv(sv[0], buf, sizeof(buf), 0));
	printf("  got: %s\n", buf);
	pthread_join(t, NULL);
	/* an accept too */
	struct sockaddr_un la;
	socklen_t lal = mkabstract(&la, "uknet-test-restart");
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&la, lal);
	listen(l, 1);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	show("accept interrupted", accept(l, NULL, NULL));
	close(l);
	close(sv[0]);
	close(sv[1]);
	signal(SIGALRM, SIG_DFL);
}

/* --- poll and epoll ----------------------------------------------------------------- */

static void *delayed_writer(void *arg)
{
	struct delayed *d = arg;
	msleep(d->ms);
	if (d->data)
		write(d->fd, d->data, strlen(d->data));
	if (d->close_after)
		close(d->fd);
	return NULL;
}

static void t_poll(void)
{
	int sv[2];
	char buf[16];
	printf("== poll and epoll\n");
	must(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	struct pollfd p = { sv[0], POLLIN | POLLOUT | POLLRDHUP, 0 };
	show("poll fresh", poll(&p, 1, 0));
	printf("  revents %#x\n", p.revents);
	write(sv[1], "x", 1);
	show("poll with data", poll(&p, 1, 0));
	printf("  revents %#x\n", p.revents);
	read(sv[0], buf, 1);
	shutdown(sv[1], SHUT_WR);
	show("poll after peer SHUT_WR", poll(&p, 1, 0));
	printf("  revents %#x\n", p.revents);

	int fresh = socket(AF_UNIX, SOCK_STREAM, 0);
	struct pollfd pf = { fresh, POLLIN | POLLOUT, 0 };
	show("poll unconnected stream", poll(&pf, 1, 0));
	printf("  revents %#x\n", pf.revents);
	close(fresh);
	int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
	pf.fd = dg;
	show("poll unconnected dgram", poll(&pf, 1, 0));
	printf("  revents %#x\n", pf.revents);
	close(dg);
	close(sv[0]);
	close(sv[1]);

	/* blocking poll woken by another thread's write, then its close */
	must(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	struct delayed d = { sv[1], 30, "wake", 0 };
	pthread_t t;
	pthread_create(&t, NULL, delayed_writer, &d);
	p.fd = sv[0];
	p.events = POLLIN;
	show("poll woken by a write", poll(&p, 1, 5000));
	printf("  revents %#x\n", p.revents);
	pthread_join(t, NULL);
	read(sv[0], buf, sizeof(buf));

	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(sv[0], &rs);
	d.data = NULL;
	d.close_after = 1;
	pthread_create(&t, NULL, delayed_writer, &d);
	struct timeval tv = { 5, 0 };
	show("select woken by the peer's close", select(sv[0] + 1, &rs, NULL, NULL, &tv));
	printf("  readable %d\n", FD_ISSET(sv[0], &rs));
	pthread_join(t, NULL);
	show("read EOF", read(sv[0], buf, sizeof(buf)));
	close(sv[0]);

	/* epoll: a listener and a connection */
	struct sockaddr_un a;
	socklen_t len = mkabstract(&a, "uknet-test-epoll");
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	bind(l, (struct sockaddr *)&a, len);
	listen(l, 4);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 100 };
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	struct epoll_event out[4];
	show("epoll_wait idle", epoll_wait(ep, out, 4, 0));
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, len);
	int n = epoll_wait(ep, out, 4, 1000);
	show("epoll_wait after connect", n);
	if (n > 0)
		printf("  data %u events %#x\n", out[0].data.u32, out[0].events);
	int s = accept(l, NULL, NULL);
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u32 = 200;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	show("epoll_wait after accept", epoll_wait(ep, out, 4, 0));
	d.fd = c;
	d.ms = 30;
	d.data = "epoll";
	d.close_after = 0;
	pthread_create(&t, NULL, delayed_writer, &d);
	n = epoll_wait(ep, out, 4, 5000);
	show("epoll_wait woken by data", n);
	if (n > 0)
		printf("  data %u events %#x\n", out[0].data.u32, out[0].events);
	pthread_join(t, NULL);
	read(s, buf, sizeof(buf));
	d.data = NULL;
	d.close_after = 1;
	pthread_create(&t, NULL, delayed_writer, &d);
	n = epoll_wait(ep, out, 4, 5000);
	show("epoll_wait woken by close", n);
	if (n > 0)
		printf("  data %u events %#x\n", out[0].data.u32, out[0].events);
	pthread_join(t, NULL);

	/* edge-triggered: a second write fires again */
	epoll_ctl(ep, EPOLL_CTL_DEL, s, NULL);
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u32 = 300;
	epoll_ctl(ep, EPOLL_CTL_ADD, sp[0], &ev);
	write(sp[1], "a", 1);
	n = epoll_wait(ep, out, 4, 0);
	show("ET first", n);
	if (n > 0)
		printf("  data %u\n", out[0].data.u32);
	show("ET nothing new", epoll_wait(ep, out, 4, 0));
	write(sp[1], "b", 1);
	n = epoll_wait(ep, out, 4, 0);
	show("ET second write", n);
	show("ET then nothing", epoll_wait(ep, out, 4, 0));
	close(sp[0]);
	close(sp[1]);
	close(ep);
	close(s);
	close(l);
}

/* --- options ------------------------------------------------------------------------- */

static int getint(int fd, int level, int name)
{
	int v = -12345;
	socklen_t l = sizeof(v);
	if (getsockopt(fd, level, name, &v, &l) < 0)
		return -1000 - errno;
	return v;
}

static void t_options(void)
{
	int sv[2];
	printf("== socket options\n");
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0), q = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	printf("SO_TYPE stream %d dgram %d seqpacket %d\n", getint(sv[0], SOL_SOCKET, SO_TYPE),
	       getint(d, SOL_SOCKET, SO_TYPE), getint(q, SOL_SOCKET, SO_TYPE));
	printf("SO_DOMAIN %d SO_PROTOCOL %d\n", getint(d, SOL_SOCKET, SO_DOMAIN),
	       getint(d, SOL_SOCKET, SO_PROTOCOL));
	printf("SO_ERROR %d\n", getint(sv[0], SOL_SOCKET, SO_ERROR));
	printf("SO_ACCEPTCONN %d\n", getint(sv[0], SOL_SOCKET, SO_ACCEPTCONN));
	int one = 1, zero = 0;
	show("SO_REUSEADDR", setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	printf("  reads back %d\n", getint(d, SOL_SOCKET, SO_REUSEADDR));
	show("SO_REUSEPORT", setsockopt(d, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	int seven = 7;
	show("SO_KEEPALIVE=7", setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &seven, sizeof(seven)));
	printf("  reads back %d\n", getint(sv[0], SOL_SOCKET, SO_KEEPALIVE));
	setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &zero, sizeof(zero));
	printf("  cleared: %d\n", getint(sv[0], SOL_SOCKET, SO_KEEPALIVE));
	show("short optlen", setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &one, 2));
	int big = 100000;
	show("SO_SNDBUF", setsockopt(d, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)));
	printf("  reads back doubled: %d\n", getint(d, SOL_SOCKET, SO_SNDBUF) == 2 * big);
	show("SO_RCVBUF", setsockopt(d, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)));
	printf("  reads back doubled: %d\n", getint(d, SOL_SOCKET, SO_RCVBUF) == 2 * big);
	struct linger lg = { 1, 5 }, lg2 = { 0, 0 };
	show("SO_LINGER", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	socklen_t ll = sizeof(lg2);
	getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg2, &ll);
	printf("  reads back %d %d len %d\n", lg2.l_onoff, lg2.l_linger, (int)ll);
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	show("SO_PEERCRED pair", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &cl));
	printf("  pid is ours %d uid %u gid %u len %d\n", cr.pid == getpid(), cr.uid, cr.gid, (int)cl);
	cl = sizeof(cr);
	getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
	printf("SO_PEERCRED unconnected: pid %d uid %d gid %d\n", cr.pid, (int)cr.uid, (int)cr.gid);
	show("unknown SOL_SOCKET option", setsockopt(d, SOL_SOCKET, 9999, &one, sizeof(one)));
	printf("unknown get: %d\n", getint(d, SOL_SOCKET, 9999));
	show("SOL_TCP level on unix", setsockopt(d, 6, 1, &one, sizeof(one)));
	int small = 0;
	socklen_t sl = 1;
	show("getsockopt short buffer", getsockopt(d, SOL_SOCKET, SO_TYPE, &small, &sl));
	printf("  len %d value %d\n", (int)sl, small);

	/* ENOTSOCK and EBADF */
	int pp[2];
	pipe(pp);
	show("send on a pipe", send(pp[1], "x", 1, 0));
	show("getsockopt on a pipe", getint(pp[0], SOL_SOCKET, SO_TYPE) == -1000 - ENOTSOCK);
	show("shutdown bad fd", shutdown(999, SHUT_RD));
	show("shutdown bad how", shutdown(sv[0], 7));
	close(pp[0]);
	close(pp[1]);

	/* socket() argument checks */
	show("socket SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0));
	show("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 5));
	show("socket bad type", socket(AF_UNIX, 99, 0));
	show("socket bad family", socket(1000, SOCK_STREAM, 0));
	show("socketpair bad flags", socketpair(AF_UNIX, SOCK_STREAM | 0x100000, 0, sv));

	/* what a socket descriptor looks like */
	struct stat st;
	fstat(sv[0], &st);
	printf("fstat: socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
	char link[64], want[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", sv[0]);
	ssize_t n = readlink(link, want, sizeof(want) - 1);
	if (n > 0) {
		want[n] = 0;
		char expect[64];
		snprintf(expect, sizeof(expect), "socket:[%lu]", (unsigned long)st.st_ino);
		printf("fd link is socket:[ino]: %d\n", !strcmp(want, expect));
	} else {
		printf("fd link is socket:[ino]: readlink failed\n");
	}
	show("lseek", lseek(sv[0], 0, SEEK_SET));
	show("pread", pread(sv[0], link, 1, 0));
	close(d);
	close(q);
	close(sv[0]);
	close(sv[1]);
}

/* --- half-close, MSG_WAITALL, big transfers ------------------------------------------ */

struct bulk {
	int fd;
	size_t len;
	unsigned long sum;
	int chunks;
};

static void *bulk_writer(void *arg)
{
	struct bulk *b = arg;
	char *buf = malloc(b->len);
	for (size_t i = 0; i < b->len; i++)
		buf[i] = (char)(i * 7 + i / 251);
	size_t done = 0;
	size_t step = b->len / (b->chunks ? b->chunks : 1);
	while (done < b->len) {
		size_t n = b->len - done < step ? b->len - done : step;
		ssize_t w = write(b->fd, buf + done, n);
		if (w <= 0)
			break;
		done += w;
		if (b->chunks > 1)
			msleep(5);
	}
	for (size_t i = 0; i < done; i++)
		b->sum = b->sum * 31 + (unsigned char)buf[i];
	free(buf);
	shutdown(b->fd, SHUT_WR);
	return NULL;
}

static void t_stream_more(void)
{
	int sv[2];
	char buf[64];
	printf("== half-close, MSG_WAITALL, bulk\n");
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	show("peer reads EOF", read(sv[1], buf, sizeof(buf)));
	show("peer can still write", write(sv[1], "reply", 5));
	memset(buf, 0, sizeof(buf));
	show("we can still read", read(sv[0], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	show("our write fails", send(sv[0], "x", 1, MSG_NOSIGNAL));
	show("shutdown SHUT_RD", shutdown(sv[0], SHUT_RD));
	show("read after SHUT_RD", read(sv[0], buf, sizeof(buf)));
	show("peer write after our SHUT_RD", send(sv[1], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	close(sv[1]);

	/* MSG_WAITALL waits for all of it over several writes */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct bulk b = { sv[1], 30, 0, 3 };
	pthread_t t;
	pthread_create(&t, NULL, bulk_writer, &b);
	show("recv MSG_WAITALL 30", recv(sv[0], buf, 30, MSG_WAITALL));
	pthread_join(t, NULL);
	show("recv MSG_WAITALL at EOF", recv(sv[0], buf, 30, MSG_WAITALL));
	close(sv[0]);
	close(sv[1]);

	/* 3 MiB through a socket pair, checked */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct bulk bb = { sv[1], 3 << 20, 0, 1 };
	pthread_create(&t, NULL, bulk_writer, &bb);
	char *rb = malloc(100000);
	size_t got = 0;
	unsigned long sum = 0;
	ssize_t n;
	while ((n = read(sv[0], rb, 100000)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)rb[i];
		got += n;
	}
	pthread_join(t, NULL);
	printf("bulk: %zu bytes, checksum matches %d\n", got, sum == bb.sum);
	free(rb);
	close(sv[0]);
	close(sv[1]);
}

/* --- SCM_RIGHTS and sendfile --------------------------------------------------------- */

static void t_scm_sendfile(void)
{
	int sv[2], pp[2];
	char buf[64];
	printf("== SCM_RIGHTS and sendfile\n");
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	pipe(pp);
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct iovec iov = { "fds", 3 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.b, .msg_controllen = CMSG_SPACE(2 * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), pp, 2 * sizeof(int));
	show("sendmsg SCM_RIGHTS", sendmsg(sv[0], &mh, 0));
	close(pp[0]);
	close(pp[1]);

	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(4 * sizeof(int))];
	} rctl;
	memset(&rctl, 0, sizeof(rctl));
	struct iovec riov = { buf, sizeof(buf) };
	struct msghdr rh = { .msg_iov = &riov, .msg_iovlen = 1,
			     .msg_control = rctl.b, .msg_controllen = sizeof(rctl.b) };
	show("recvmsg", recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC));
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rh);
	printf("  controllen %d flags %#x\n", (int)rh.msg_controllen, rh.msg_flags);
	if (rc && rc->cmsg_level == SOL_SOCKET && rc->cmsg_type == SCM_RIGHTS) {
		int nf = (rc->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int fds[2];
		memcpy(fds, CMSG_DATA(rc), sizeof(fds));
		printf("  %d descriptors, cloexec %d\n", nf, !!(fcntl(fds[0], F_GETFD) & FD_CLOEXEC));
		show("  write through the passed pipe", write(fds[1], "through", 7));
		memset(buf, 0, sizeof(buf));
		show("  read it back", read(fds[0], buf, sizeof(buf)));
		printf("  got: %s\n", buf);
		close(fds[0]);
		close(fds[1]);
	} else {
		printf("  no SCM_RIGHTS\n");
		failures++;
	}

	/* too little control room: MSG_CTRUNC, the descriptors are dropped */
	pipe(pp);
	memcpy(CMSG_DATA(c), pp, 2 * sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(pp[0]);
	close(pp[1]);
	rh.msg_controllen = CMSG_LEN(0);
	show("recvmsg short control", recvmsg(sv[1], &rh, 0));
	printf("  MSG_CTRUNC %d controllen %d\n", !!(rh.msg_flags & MSG_CTRUNC),
	       (int)rh.msg_controllen);
	show("send a bad descriptor", ({
		int bad[2] = { 999, 998 };
		memcpy(CMSG_DATA(c), bad, sizeof(bad));
		sendmsg(sv[0], &mh, 0);
	}));
	close(sv[0]);
	close(sv[1]);

	/* SCM_RIGHTS over a stream: data stops at the message with files */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int nul = open("/dev/null", O_RDONLY);
	write(sv[0], "plain-", 6);
	c->cmsg_len = CMSG_LEN(sizeof(int));
	mh.msg_controllen = CMSG_SPACE(sizeof(int));
	memcpy(CMSG_DATA(c), &nul, sizeof(int));
	iov.iov_base = "withfd";
	iov.iov_len = 6;
	sendmsg(sv[0], &mh, 0);
	write(sv[0], "-after", 6);
	close(nul);
	memset(buf, 0, sizeof(buf));
	rh.msg_controllen = sizeof(rctl.b);
	show("stream recvmsg", recvmsg(sv[1], &rh, 0));
	printf("  got: %s, controllen %d\n", buf, (int)rh.msg_controllen);
	if (rh.msg_controllen) {
		int fd;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&rh)), sizeof(fd));
		struct stat st;
		fstat(fd, &st);
		printf("  passed file is a char device %d\n", S_ISCHR(st.st_mode));
		close(fd);
	}
	memset(buf, 0, sizeof(buf));
	show("stream read rest", read(sv[1], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	close(sv[0]);
	close(sv[1]);

	/* a socket passed over a socket */
	int inner[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	socketpair(AF_UNIX, SOCK_STREAM, 0, inner);
	c->cmsg_len = CMSG_LEN(sizeof(int));
	mh.msg_controllen = CMSG_SPACE(sizeof(int));
	memcpy(CMSG_DATA(c), &inner[1], sizeof(int));
	iov.iov_base = "sock";
	iov.iov_len = 4;
	show("pass a socket", sendmsg(sv[0], &mh, 0));
	close(inner[1]);
	rh.msg_controllen = sizeof(rctl.b);
	show("receive it", recvmsg(sv[1], &rh, 0));
	if (rh.msg_controllen) {
		int fd;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&rh)), sizeof(fd));
		show("  write through it", write(fd, "inner", 5));
		memset(buf, 0, sizeof(buf));
		show("  read at the other end", read(inner[0], buf, sizeof(buf)));
		printf("  got: %s\n", buf);
		close(fd);
		show("  EOF once the passed one is closed", read(inner[0], buf, sizeof(buf)));
	}
	close(inner[0]);
	/* files still in flight when the receiver closes are dropped */
	int pp2[2];
	pipe(pp2);
	memcpy(CMSG_DATA(c), &pp2[1], sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(pp2[1]);
	close(sv[1]);
	show("the pipe's writer went with it", read(pp2[0], buf, sizeof(buf)));
	close(pp2[0]);
	close(sv[0]);

	/* sendfile from a file to a socket */
	int f = open(DIR_ "/sendfile.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	const char *text = "sendfile-to-a-socket";
	write(f, text, strlen(text));
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	off_t off = 9;
	show("sendfile", sendfile(sv[0], f, &off, 100));
	printf("  offset now %ld\n", (long)off);
	memset(buf, 0, sizeof(buf));
	show("read", read(sv[1], buf, sizeof(buf)));
	printf("  got: %s\n", buf);
	lseek(f, 0, SEEK_SET);
	show("sendfile from the file position", sendfile(sv[0], f, NULL, 8));
	memset(buf, 0, sizeof(buf));
	read(sv[1], buf, sizeof(buf));
	printf("  got: %s\n", buf);
	close(f);
	unlink(DIR_ "/sendfile.txt");
	close(sv[0]);
	close(sv[1]);
}

/* --- SO_PASSCRED / SCM_CREDENTIALS ----------------------------------------------------- */

static void t_creds(void)
{
	int sv[2];
	char buf[16];
	printf("== SO_PASSCRED\n");
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	int one = 1;
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	send(sv[0], "cred", 4, 0);
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	show("recvmsg", recvmsg(sv[1], &mh, 0));
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_type == SCM_CREDENTIALS) {
		struct ucred cr;
		memcpy(&cr, CMSG_DATA(c), sizeof(cr));
		printf("  SCM_CREDENTIALS: pid is ours %d uid %u gid %u\n", cr.pid == getpid(),
		       cr.uid, cr.gid);
	} else {
		printf("  no credentials\n");
	}
	close(sv[0]);
	close(sv[1]);
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
	{ "pair_stream", t_pair_stream },
	{ "pair_dgram", t_pair_dgram },
	{ "pair_seqpacket", t_pair_seqpacket },
	{ "path_server", t_path_server },
	{ "connect", t_connect_details },
	{ "names", t_names },
	{ "dgram_addr", t_dgram_addr },
	{ "nonblock", t_nonblock },
	{ "poll", t_poll },
	{ "options", t_options },
	{ "stream_more", t_stream_more },
	{ "scm_sendfile", t_scm_sendfile },
	{ "creds", t_creds },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	mkdir("/tmp", 01777);
	mkdir(DIR_, 0755);
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		int run = argc < 2;
		for (int a = 1; a < argc; a++)
			if (!strcmp(argv[a], sections[i].name))
				run = 1;
		if (run)
			sections[i].fn();
	}
	rmdir(DIR_);
	printf("%s (%d failed checks)\n", failures ? "FAILED" : "done", failures);
	return failures ? 1 : 0;
}
