/* A small TCP server for the network apps: usage: server [PORT [CONNECTIONS]]
 * (default port 8080; CONNECTIONS 0, the default, serves forever).
 * Serves one client at a time. A client whose first bytes are "GET " gets a
 * minimal HTTP/1.0 answer: GET / returns a fixed body, GET /echo/TEXT
 * returns TEXT, anything else 404; the connection then closes. Any other
 * client is echoed back everything it sends until it shuts its side. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "hello from the unikernel server\n"

static char buf[65536];

static int write_all(int s, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(s, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void http(int s, size_t have)
{
	/* Read the request head (up to the blank line or a full buffer). */
	while (have < sizeof(buf) - 1) {
		buf[have] = 0;
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
		ssize_t n = read(s, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	buf[have] = 0;
	char *path = buf + 4, *end = strpbrk(path, " \r\n");
	if (end)
		*end = 0;
	const char *status = "200 OK", *body = BODY;
	char echo[1024];
	if (strncmp(path, "/echo/", 6) == 0) {
		snprintf(echo, sizeof(echo), "%s\n", path + 6);
		body = echo;
	} else if (strcmp(path, "/") != 0) {
		status = "404 Not Found";
		body = "not found\n";
	}
	char head[256];
	int hl = snprintf(head, sizeof(head),
			  "HTTP/1.0 %s\r\nContent-Type: text/plain\r\n"
			  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			  status, strlen(body));
	if (write_all(s, head, (size_t)hl) == 0)
		write_all(s, body, strlen(body));
	printf("GET %s: %s\n", path, status);
}

static long echo(int s, size_t have)
{
	long total = (long)have;
	if (write_all(s, buf, have))
		return -1;
	for (;;) {
		ssize_t n = read(s, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write_all(s, buf, (size_t)n))
			return -1;
		total += n;
	}
	return total;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 8080;
	long conns = argc > 2 ? atol(argv[2]) : 0;
	int one = 1;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		perror("socket");
		return 1;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 16)) {
		perror("bind/listen");
		return 1;
	}
	printf("server: listening on port %d\n", port);
	for (long c = 0; conns == 0 || c < conns; c++) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		int s = accept(ls, (struct sockaddr *)&peer, &pl);
		if (s < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		size_t have = 0;
		while (have < 4) {
			ssize_t n = read(s, buf + have, sizeof(buf) - 1 - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			have += (size_t)n;
		}
		if (have >= 4 && memcmp(buf, "GET ", 4) == 0) {
			http(s, have);
		} else {
			long total = echo(s, have);
			printf("echo from %s: %ld bytes\n", inet_ntoa(peer.sin_addr), total);
		}
		close(s);
	}
	close(ls);
	return 0;
}
