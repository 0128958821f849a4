/* A small HTTP/1.0 client for the network apps:
 *   usage: client HOST PORT [PATH]     (HOST a dotted IPv4 address)
 * Connects to HOST:PORT (from the guest, the host is 10.0.2.2), sends
 * "GET PATH" (default /), writes the response body to stdout (bytes as
 * received) and the status line and byte counts to stderr. Exits 0 on a 200
 * answer, 1 on any other answer or error. Gives up after 60 s (alarm). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: client HOST PORT [PATH]\n");
		return 2;
	}
	const char *path = argc > 3 ? argv[3] : "/";
	alarm(60);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
	if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		fprintf(stderr, "client: %s: not an IPv4 address\n", argv[1]);
		return 2;
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("client: connect");
		return 1;
	}
	char req[1024];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s:%s\r\n"
		 "User-Agent: unikernel-client\r\nConnection: close\r\n\r\n",
		 path, argv[1], argv[2]);
	if (write_all(s, req, (size_t)n)) {
		perror("client: write");
		return 1;
	}
	/* The head, then the body streamed to stdout. */
	static char buf[65536];
	size_t have = 0;
	char *body = NULL;
	while (!body && have < sizeof(buf) - 1) {
		ssize_t r = read(s, buf + have, sizeof(buf) - 1 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = 0;
		body = strstr(buf, "\r\n\r\n");
	}
	if (!body) {
		fprintf(stderr, "client: no complete response head (%zu bytes)\n", have);
		return 1;
	}
	body += 4;
	char *eol = strstr(buf, "\r\n");
	*eol = 0;
	fprintf(stderr, "client: %s\n", buf);
	int ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
	long total = (long)(have - (size_t)(body - buf));
	if (write_all(1, body, (size_t)total))
		return 1;
	for (;;) {
		ssize_t r = read(s, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror("client: read");
			return 1;
		}
		if (r == 0)
			break;
		if (write_all(1, buf, (size_t)r))
			return 1;
		total += r;
	}
	close(s);
	fprintf(stderr, "client: %ld body bytes\n", total);
	return ok ? 0 : 1;
}
