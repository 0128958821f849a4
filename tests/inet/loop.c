/* Guest: TCP and UDP over loopback in one program (threads), plus the
 * socket calls around them. Prints one line per check; the exit status
 * is the number of failures. Runs natively too (the checks are Linux's
 * behaviour). Stops by itself after 60 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, name) do { \
	if (cond) printf("ok %s\n", name); \
	else { printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno)); failures++; } \
	fflush(stdout); } while (0)

#define BIG (1 << 20)
static unsigned char *big_out, *big_in;

static int listener(int family, int *port)
{
	int ls = socket(family, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	if (bind(ls, (void *)&ss, len) || listen(ls, 4))
		return -1;
	if (getsockname(ls, (void *)&ss, &len))
		return -1;
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
				  ((struct sockaddr_in6 *)&ss)->sin6_port);
	return ls;
}

static int connect_to(int family, int port)
{
	int s = socket(family, SOCK_STREAM, 0);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	if (connect(s, (void *)&ss, len)) {
		close(s);
		return -1;
	}
	return s;
}

/* Echo thread: accepts one connection, echoes until EOF. */
static void *echo_thread(void *arg)
{
	int ls = (int)(long)arg;
	int s = accept(ls, NULL, NULL);
	if (s < 0)
		return (void *)1L;
	static char buf[32768];
	ssize_t n;
	while ((n = read(s, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(s, buf + off, n - off);
			if (w <= 0)
				return (void *)2L;
			off += w;
		}
	close(s);
	return n == 0 ? NULL : (void *)3L;
}

/* One blocking write of the whole 1 MiB: it returns only when all of it
 * is queued (Linux's blocking send is never short without a signal). */
static ssize_t big_sent;
static void *big_writer(void *arg)
{
	int s = (int)(long)arg;
	big_sent = write(s, big_out, BIG);
	if (big_sent <= 0)
		return (void *)1L;
	shutdown(s, SHUT_WR);
	return NULL;
}

static void test_echo(int family, const char *name)
{
	int port, ls = listener(family, &port);
	char label[64];
	snprintf(label, sizeof(label), "%s listen", name);
	CHECK(ls >= 0, label);
	if (ls < 0)
		return;
	pthread_t t, w;
	pthread_create(&t, NULL, echo_thread, (void *)(long)ls);
	int s = connect_to(family, port);
	snprintf(label, sizeof(label), "%s connect", name);
	CHECK(s >= 0, label);
	if (s < 0)
		return;
	big_sent = 0;
	pthread_create(&w, NULL, big_writer, (void *)(long)s);
	size_t got = 0;
	ssize_t n;
	while (got < BIG && (n = read(s, big_in + got, BIG - got)) > 0)
		got += n;
	char c;
	n = read(s, &c, 1);
	void *r1, *r2;
	pthread_join(w, &r1);
	pthread_join(t, &r2);
	snprintf(label, sizeof(label), "%s 1 MiB echo", name);
	CHECK(got == BIG && n == 0 && !memcmp(big_in, big_out, BIG) && !r1 && !r2, label);
	snprintf(label, sizeof(label), "%s one blocking write of 1 MiB is whole", name);
	CHECK(big_sent == BIG, label);
	close(s);
	close(ls);
}

/* Both ends write until their peer's window is closed and neither reads:
 * the persist timer's probes must not set off ACKs that answer ACKs (over
 * loopback such a loop never lets the program run again). Then each side
 * reads all the other wrote. */
static void test_closed_windows(void)
{
	int port, ls = listener(AF_INET, &port);
	int a = connect_to(AF_INET, port), b = accept(ls, NULL, NULL);
	CHECK(ls >= 0 && a >= 0 && b >= 0, "closed windows connect");
	if (ls < 0 || a < 0 || b < 0)
		return;
	int ends[2] = { a, b };
	size_t sent[2] = { 0, 0 }, got[2] = { 0, 0 };
	static char chunk[4096];
	for (int i = 0; i < 2; i++) {
		fcntl(ends[i], F_SETFL, O_NONBLOCK);
		ssize_t n;
		while ((n = write(ends[i], chunk, sizeof(chunk))) > 0)
			sent[i] += n;
	}
	sleep(3);	/* the persist timer probes a closed window */
	for (int round = 0; round < 2000 && (got[0] < sent[1] || got[1] < sent[0]); round++) {
		for (int i = 0; i < 2; i++) {
			ssize_t n;
			while ((n = read(ends[i], chunk, sizeof(chunk))) > 0)
				got[i] += n;
			/* What was left to write goes out as the windows open. */
		}
		usleep(1000);
	}
	CHECK(sent[0] > 0 && sent[1] > 0 && got[1] == sent[0] && got[0] == sent[1],
	      "closed windows both ways, then drained");
	close(a);
	close(b);
	close(ls);
}

/* sendfile from a file to a non-blocking socket whose peer reads late:
 * when the socket is full the call says EAGAIN, and what it read from
 * the file then must be sent by a later call (the position goes back). */
#define SF_LEN 567198
static int sf_reader_fd;
static void *sf_reader(void *arg)
{
	size_t *got = arg;
	static unsigned char buf[SF_LEN + 16];
	ssize_t n;
	usleep(100000);
	while ((n = read(sf_reader_fd, buf + *got, sizeof(buf) - *got)) > 0)
		*got += n;
	for (size_t i = 0; i < *got && i < SF_LEN; i++)
		if (buf[i] != (unsigned char)(i * 7 + i / 1000))
			*got = 0;
	return NULL;
}

static void test_sendfile(void)
{
	char path[] = "/tmp/loop-sendfile-XXXXXX";
	int f = mkstemp(path);
	unlink(path);
	for (size_t i = 0; i < SF_LEN; i++)
		big_in[i] = (unsigned char)(i * 7 + i / 1000);
	CHECK(f >= 0 && write(f, big_in, SF_LEN) == SF_LEN && lseek(f, 0, SEEK_SET) == 0,
	      "sendfile's file");
	int port, ls = listener(AF_INET, &port);
	sf_reader_fd = connect_to(AF_INET, port);
	int s = accept(ls, NULL, NULL);
	fcntl(s, F_SETFL, O_NONBLOCK);
	size_t got = 0, sent = 0;
	pthread_t t;
	pthread_create(&t, NULL, sf_reader, &got);
	while (sent < SF_LEN) {
		ssize_t n = sendfile(s, f, NULL, SF_LEN - sent);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = s, .events = POLLOUT };
			poll(&p, 1, -1);
			continue;
		}
		if (n <= 0)
			break;
		sent += n;
	}
	close(s);
	pthread_join(t, NULL);
	CHECK(sent == SF_LEN && got == SF_LEN, "sendfile to a full non-blocking socket loses nothing");
	close(sf_reader_fd);
	close(ls);
	close(f);
}

/* Listeners watched by epoll while another thread waits in epoll_wait,
 * closed (once with EPOLL_CTL_DEL first, the others without, which
 * leaves a dead item whose descriptor number comes back): each time the
 * port can be listened on again at once, as Go's TestClosingListener
 * does. */
static int cl_ep;
static void *cl_waiter(void *arg)
{
	struct epoll_event ev;
	(void)arg;
	epoll_wait(cl_ep, &ev, 1, 300);
	return NULL;
}

static int cl_listen(struct sockaddr_in *a)
{
	int one = 1, s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (void *)a, sizeof(*a)) || listen(s, 8)) {
		close(s);
		return -1;
	}
	return s;
}

static void test_close_watched_listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int ok = 1;
	cl_ep = epoll_create1(0);
	for (int round = 0; round < 3; round++) {
		int ls = cl_listen(&a);
		if (ls < 0 || getsockname(ls, (void *)&a, &len)) {
			ok = 0;
			break;
		}
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
		epoll_ctl(cl_ep, EPOLL_CTL_ADD, ls, &ev);
		pthread_t t;
		pthread_create(&t, NULL, cl_waiter, NULL);
		usleep(1000);
		accept(ls, NULL, NULL);	/* EAGAIN, as Go's accept loop sees */
		if (round == 1)
			epoll_ctl(cl_ep, EPOLL_CTL_DEL, ls, &ev);
		close(ls);
		int again = cl_listen(&a);
		if (again < 0)
			ok = 0;
		close(again);
		pthread_join(t, NULL);
	}
	close(cl_ep);
	CHECK(ok, "listeners closed while epoll_wait watches them free their port");
}

int main(void)
{
	alarm(60);
	big_out = malloc(BIG);
	big_in = malloc(BIG);
	for (int i = 0; i < BIG; i++)
		big_out[i] = (unsigned char)(i * 31 + (i >> 12));

	test_echo(AF_INET, "tcp4");

	/* Names, FIONREAD, TCP_NODELAY, poll, epoll, select, shutdown. */
	int port, ls = listener(AF_INET, &port);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int rc = connect(c, (void *)&a, sizeof(a));
	CHECK(rc == -1 && errno == EINPROGRESS, "nonblocking connect EINPROGRESS");
	struct pollfd pf = { .fd = c, .events = POLLOUT };
	rc = poll(&pf, 1, 5000);
	CHECK(rc == 1 && (pf.revents & POLLOUT), "poll POLLOUT after connect");
	int err = -1;
	socklen_t el = sizeof(err);
	getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
	CHECK(err == 0, "SO_ERROR 0");
	pf.fd = ls;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 5000) == 1, "poll POLLIN on listener");
	struct sockaddr_in peer;
	socklen_t pl = sizeof(peer);
	int s = accept(ls, (void *)&peer, &pl);
	CHECK(s >= 0 && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "accept peer address");
	struct sockaddr_in cl, sp;
	socklen_t cll = sizeof(cl), spl = sizeof(sp);
	getsockname(c, (void *)&cl, &cll);
	getpeername(s, (void *)&sp, &spl);
	CHECK(cl.sin_port == sp.sin_port && cl.sin_port == peer.sin_port, "getsockname/getpeername");
	int one = 1, v = 0;
	socklen_t vl = sizeof(v);
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
	CHECK(v == 1, "TCP_NODELAY");
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	CHECK(epoll_wait(ep, &out, 1, 0) == 0, "epoll: nothing yet");
	CHECK(write(c, "0123456789", 10) == 10, "write 10");
	CHECK(epoll_wait(ep, &out, 1, 5000) == 1 && out.data.fd == s, "epoll: readable");
	int avail = 0;
	ioctl(s, FIONREAD, &avail);
	CHECK(avail == 10, "FIONREAD");
	char buf[64];
	CHECK(recv(s, buf, sizeof(buf), MSG_PEEK) == 10, "MSG_PEEK");
	fd_set rfds;
	FD_ZERO(&rfds);
	FD_SET(s, &rfds);
	struct timeval tv = { 5, 0 };
	CHECK(select(s + 1, &rfds, NULL, NULL, &tv) == 1, "select readable");
	CHECK(read(s, buf, sizeof(buf)) == 10 && !memcmp(buf, "0123456789", 10), "read 10");
	CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT) == -1 && errno == EAGAIN, "EAGAIN when empty");
	shutdown(c, SHUT_WR);
	CHECK(read(s, buf, sizeof(buf)) == 0, "EOF after shutdown(SHUT_WR)");
	CHECK(write(s, "back", 4) == 4 && read(c, buf, sizeof(buf)) == 4, "half-closed still writable");
	close(s);
	CHECK(read(c, buf, sizeof(buf)) == 0, "EOF after peer close");
	close(c);
	close(ep);
	close(ls);

	/* A closed port refuses. */
	int port2, ls2 = listener(AF_INET, &port2);
	close(ls2);
	c = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = htons(port2);
	rc = connect(c, (void *)&a, sizeof(a));
	CHECK(rc == -1 && errno == ECONNREFUSED, "ECONNREFUSED");
	close(c);

	/* UDP. */
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in ua = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t ual = sizeof(ua);
	bind(u1, (void *)&ua, sizeof(ua));
	getsockname(u1, (void *)&ua, &ual);
	CHECK(ntohs(ua.sin_port) != 0, "udp bind port");
	CHECK(sendto(u2, "hello", 5, 0, (void *)&ua, sizeof(ua)) == 5, "udp sendto");
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	pf.fd = u1;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 5000) == 1, "udp poll");
	ioctl(u1, FIONREAD, &avail);
	CHECK(avail == 5, "udp FIONREAD");
	rc = recvfrom(u1, buf, sizeof(buf), 0, (void *)&from, &fl);
	struct sockaddr_in u2a;
	socklen_t u2l = sizeof(u2a);
	getsockname(u2, (void *)&u2a, &u2l);
	CHECK(rc == 5 && !memcmp(buf, "hello", 5) && from.sin_port == u2a.sin_port, "udp recvfrom");
	connect(u2, (void *)&ua, sizeof(ua));
	CHECK(send(u2, "0123456789", 10, 0) == 10, "udp send connected");
	rc = recv(u1, buf, 4, MSG_TRUNC);
	CHECK(rc == 10, "udp MSG_TRUNC");
	close(u1);
	close(u2);

	/* Many short connections: accept, echo a line, close (the pcbs in
	 * TIME_WAIT and the sockets must not pile up into failures). */
	int ls3 = listener(AF_INET, &port);
	int okc = 0;
	for (int i = 0; i < 100; i++) {
		int cc = connect_to(AF_INET, port);
		int ss = accept(ls3, NULL, NULL);
		if (cc < 0 || ss < 0)
			break;
		char m[16];
		int ml = snprintf(m, sizeof(m), "msg %d", i);
		if (write(cc, m, ml) == ml && read(ss, buf, sizeof(buf)) == ml &&
		    write(ss, buf, ml) == ml && read(cc, buf, sizeof(buf)) == ml &&
		    !memcmp(buf, m, ml)) {
			close(ss);
			if (read(cc, buf, sizeof(buf)) == 0)
				okc++;
		} else {
			close(ss);
		}
		close(cc);
	}
	close(ls3);
	CHECK(okc == 100, "100 short connections");

	/* IPv6 loopback. */
	test_echo(AF_INET6, "tcp6");

	test_closed_windows();
	test_sendfile();
	test_close_watched_listener();

	printf("%d failures\n", failures);
	return failures;
}
