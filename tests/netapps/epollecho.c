/* A guest program for the many-connections test: an epoll server (edge-
 * triggered, non-blocking) that answers every line "TEXT" with
 * "TEXT open=N", N the connections it holds at that moment; "QUIT" makes
 * it print "peak P, lines L" and exit 0. Runs natively too, so the
 * test's expectation is Linux's.
 * usage: epollecho PORT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXCONN 4096
#define LINE 256

struct conn {
	int fd;
	size_t len;
	char buf[LINE];
};

static int open_conns, peak;
static long lines;

static void die(const char *what)
{
	fprintf(stderr, "epollecho: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void drop(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
	open_conns--;
}

/* Reads all there is (edge-triggered); 1 when the connection is gone,
 * 2 on QUIT. */
static int serve(int ep, struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			drop(ep, c);
			return 1;
		}
		c->len += (size_t)n;
		char *nl;
		while ((nl = memchr(c->buf, '\n', c->len))) {
			*nl = 0;
			if (!strcmp(c->buf, "QUIT"))
				return 2;
			char out[LINE + 32];
			int m = snprintf(out, sizeof(out), "%s open=%d\n", c->buf, open_conns);
			lines++;
			/* Short answers to a client that reads them: a full send
			 * buffer would be a test failure, reported as such. */
			if (write(c->fd, out, (size_t)m) != m) {
				fprintf(stderr, "epollecho: short write\n");
				drop(ep, c);
				return 1;
			}
			size_t used = (size_t)(nl - c->buf) + 1;
			memmove(c->buf, nl + 1, c->len - used);
			c->len -= used;
		}
		if (c->len == sizeof(c->buf)) {
			fprintf(stderr, "epollecho: line too long\n");
			drop(ep, c);
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: epollecho PORT\n");
		return 2;
	}
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	if (listen(ls, 512))
		die("listen");
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev))
		die("epoll_ctl");
	printf("epollecho: listening on %s\n", argv[1]);
	fflush(stdout);
	struct epoll_event evs[64];
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait");
		for (int i = 0; i < n; i++) {
			if (!evs[i].data.ptr) {
				int fd;
				while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct conn *c = calloc(1, sizeof(*c));
					if (!c)
						die("calloc");
					c->fd = fd;
					struct epoll_event cev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET,
								   .data.ptr = c };
					if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev))
						die("epoll_ctl add");
					if (++open_conns > peak)
						peak = open_conns;
				}
				if (errno != EAGAIN)
					die("accept4");
				continue;
			}
			if (serve(ep, evs[i].data.ptr) == 2) {
				printf("epollecho: peak %d, lines %ld\n", peak, lines);
				return 0;
			}
		}
	}
}
