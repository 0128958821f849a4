/* tcprelay: a host-side TCP relay in front of QEMU's user-mode port
 * forwards, for load tests and benchmarks.
 *
 * Why: QEMU's user networking (libslirp) listens on a forwarded port
 * with a backlog of 1. A client that opens many connections at once
 * (redis-benchmark -c 50, wrk -c 100) overflows the host kernel's accept
 * queue; the SYNs beyond it are dropped and those clients back off 1, 3,
 * 7, 15 ... seconds, so a run stalls for minutes whatever the guest
 * (a Linux guest behind the same QEMU stalls the same way). The relay
 * accepts with a large backlog and opens the connections to the forward
 * one at a time, retrying a connect that QEMU has not accepted within a
 * few milliseconds instead of waiting for the kernel's SYN backoff. Bytes
 * pass unchanged; a half-close is passed on; a reset or error closes
 * both sides.
 *
 * usage: tcprelay LISTEN_PORT TARGET_PORT   (both on 127.0.0.1)
 * Prints "tcprelay: ready" on stdout once it listens; runs until killed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536
#define CONNECT_RETRY_MS 25
#define CONNECT_GIVE_UP_MS 60000

/* One direction: bytes read from `from`, not yet written to `to`. */
struct pipe_dir {
	char buf[BUF];
	size_t start, end;
	int eof;		/* read side saw EOF */
	int shut;		/* write side shut down after the EOF */
};

struct conn {
	int client, server;	/* server: -1 until connected */
	int connecting;		/* server fd has a connect in progress */
	long long connect_since, connect_first;
	struct pipe_dir up, down;	/* client->server, server->client */
	struct conn *next_wait;	/* queue of connections waiting to connect */
	unsigned watched[2];	/* the epoll events set now, client and server */
	int dead;		/* closed; freed after the current batch */
	struct conn *next_dead;
};

static int ep;
static unsigned short target_port;
static struct conn *wait_head, *wait_tail, *connecting_now, *graveyard;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void die(const char *what)
{
	fprintf(stderr, "tcprelay: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* epoll data: the connection pointer with the low bit saying which side. */
static void watch(struct conn *c, int side_server, int op)
{
	int fd = side_server ? c->server : c->client;
	struct pipe_dir *in = side_server ? &c->down : &c->up;	/* we read into */
	struct pipe_dir *out = side_server ? &c->up : &c->down;	/* we write from */
	struct epoll_event ev = { 0 };
	if (side_server && c->connecting)
		ev.events = EPOLLOUT;
	else {
		if (!in->eof && in->end < BUF)
			ev.events |= EPOLLIN;
		if (out->end > out->start)
			ev.events |= EPOLLOUT;
	}
	/* Only a change costs a system call (the relay's own CPU time is
	 * taken from the guest's on a small host). */
	if (op == EPOLL_CTL_MOD && c->watched[side_server] == ev.events)
		return;
	c->watched[side_server] = ev.events;
	ev.data.u64 = (unsigned long long)(unsigned long)c | (unsigned)side_server;
	if (epoll_ctl(ep, op, fd, &ev) && op == EPOLL_CTL_MOD)
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void close_conn(struct conn *c)
{
	close(c->client);	/* closing removes the fds from epoll */
	if (c->server >= 0)
		close(c->server);
	if (connecting_now == c)
		connecting_now = NULL;
	/* Events for it may still sit in the batch being handled. */
	c->dead = 1;
	c->next_dead = graveyard;
	graveyard = c;
}

static void start_connect(struct conn *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(target_port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->server = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->server < 0)
		die("socket");
	c->connecting = 1;
	c->connect_since = now_ms();
	connecting_now = c;
	if (connect(c->server, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS) {
		close(c->server);
		c->server = -1;
		return;	/* retried on the next tick */
	}
	watch(c, 1, EPOLL_CTL_ADD);
}

/* Starts the next waiting connection when none is in progress. */
static void pump_connects(void)
{
	long long t = now_ms();
	struct conn *c = connecting_now;
	if (c) {
		if (c->server >= 0 && t - c->connect_since < CONNECT_RETRY_MS)
			return;
		/* Not accepted in time (or the connect failed): try again. */
		if (c->server >= 0)
			close(c->server);
		c->server = -1;
		if (t - c->connect_first > CONNECT_GIVE_UP_MS) {
			fprintf(stderr, "tcprelay: cannot reach port %u\n", target_port);
			close_conn(c);
		} else {
			start_connect(c);
			return;
		}
	}
	if (!wait_head)
		return;
	c = wait_head;
	wait_head = c->next_wait;
	if (!wait_head)
		wait_tail = NULL;
	c->connect_first = now_ms();
	start_connect(c);
}

/* Moves bytes of one direction; returns -1 when the connection must go. */
static int flow(int from, int to, struct pipe_dir *d)
{
	if (!d->eof && d->end < BUF) {
		ssize_t n = read(from, d->buf + d->end, BUF - d->end);
		if (n > 0)
			d->end += (size_t)n;
		else if (n == 0)
			d->eof = 1;
		else if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
	while (d->end > d->start) {
		ssize_t n = send(to, d->buf + d->start, d->end - d->start, MSG_NOSIGNAL);
		if (n > 0) {
			d->start += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		return -1;
	}
	if (d->start == d->end)
		d->start = d->end = 0;
	if (d->eof && d->start == d->end && !d->shut) {
		shutdown(to, SHUT_WR);
		d->shut = 1;
	}
	return 0;
}

static void service(struct conn *c, int side_server, unsigned events)
{
	if (c->dead)
		return;
	if (side_server && c->connecting) {
		int err = 0;
		socklen_t len = sizeof(err);
		getsockopt(c->server, SOL_SOCKET, SO_ERROR, &err, &len);
		if (!(events & EPOLLOUT) || err)
			return;	/* pump_connects retries it */
		c->connecting = 0;
		connecting_now = NULL;
		nonblock(c->server);
		watch(c, 0, EPOLL_CTL_ADD);
		watch(c, 1, EPOLL_CTL_MOD);
		pump_connects();
		return;
	}
	if (c->server < 0 || c->connecting)
		return;	/* the client waits until the server side exists */
	if (flow(c->client, c->server, &c->up) || flow(c->server, c->client, &c->down)) {
		close_conn(c);
		return;
	}
	if (c->up.shut && c->down.shut) {
		close_conn(c);
		return;
	}
	watch(c, 0, EPOLL_CTL_MOD);
	watch(c, 1, EPOLL_CTL_MOD);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tcprelay LISTEN_PORT TARGET_PORT\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	target_port = (unsigned short)atoi(argv[2]);
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	if (listen(ls, 4096))
		die("listen");
	ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("tcprelay: ready\n");
	fflush(stdout);
	struct epoll_event evs[256];
	for (;;) {
		int timeout = connecting_now || wait_head ? CONNECT_RETRY_MS / 5 : -1;
		int n = epoll_wait(ep, evs, 256, timeout);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int i = 0; i < n; i++) {
			if (!evs[i].data.u64) {
				int fd;
				while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					struct conn *c = calloc(1, sizeof(*c));
					if (!c)
						die("calloc");
					nonblock(fd);
					c->client = fd;
					c->server = -1;
					if (wait_tail)
						wait_tail->next_wait = c;
					else
						wait_head = c;
					wait_tail = c;
				}
				continue;
			}
			struct conn *c = (struct conn *)(unsigned long)(evs[i].data.u64 & ~1ULL);
			service(c, (int)(evs[i].data.u64 & 1), evs[i].events);
		}
		pump_connects();
		while (graveyard) {
			struct conn *c = graveyard;
			graveyard = c->next_dead;
			free(c);
		}
	}
}
