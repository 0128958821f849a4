/* Guest: a TCP client of a host echo server. usage: client ADDR PORT SIZE
 * Connects without blocking (EINPROGRESS, poll, SO_ERROR), sends SIZE
 * bytes while reading the echo with poll, checks it byte for byte and
 * that EOF follows. Exit 0 when all is well. Stops itself after 60 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	alarm(60);
	size_t size = strtoul(argv[3], NULL, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
	inet_pton(AF_INET, argv[1], &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != EINPROGRESS) {
		printf("client: connect: expected EINPROGRESS (%s)\n", strerror(errno));
		return 1;
	}
	struct pollfd p = { .fd = s, .events = POLLOUT };
	if (poll(&p, 1, 20000) != 1) {
		printf("client: connect timed out\n");
		return 1;
	}
	int err = -1;
	socklen_t el = sizeof(err);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err) {
		printf("client: connect: %s\n", strerror(err));
		return 1;
	}
	struct sockaddr_in me, peer;
	socklen_t ml = sizeof(me), pl = sizeof(peer);
	getsockname(s, (struct sockaddr *)&me, &ml);
	getpeername(s, (struct sockaddr *)&peer, &pl);
	char mb[32], pb[32];
	printf("client: %s:%d -> %s:%d\n", inet_ntop(AF_INET, &me.sin_addr, mb, sizeof(mb)),
	       ntohs(me.sin_port), inet_ntop(AF_INET, &peer.sin_addr, pb, sizeof(pb)),
	       ntohs(peer.sin_port));
	unsigned char *out = malloc(size), *in = malloc(size);
	for (size_t i = 0; i < size; i++)
		out[i] = (unsigned char)(i * 11 + (i >> 9));
	size_t sent = 0, got = 0;
	while (got < size) {
		p.events = POLLIN | (sent < size ? POLLOUT : 0);
		if (poll(&p, 1, 20000) != 1) {
			printf("client: stalled (sent %zu, got %zu)\n", sent, got);
			return 1;
		}
		if ((p.revents & POLLOUT) && sent < size) {
			ssize_t n = write(s, out + sent, size - sent);
			if (n > 0)
				sent += n;
			else if (errno != EAGAIN) {
				perror("client: write");
				return 1;
			}
			if (sent == size)
				shutdown(s, SHUT_WR);
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(s, in + got, size - got);
			if (n == 0) {
				printf("client: early EOF at %zu\n", got);
				return 1;
			}
			if (n < 0 && errno != EAGAIN) {
				perror("client: read");
				return 1;
			}
			if (n > 0)
				got += n;
		}
	}
	p.events = POLLIN;
	poll(&p, 1, 20000);
	char c;
	if (read(s, &c, 1) != 0) {
		printf("client: no EOF after the echo\n");
		return 1;
	}
	if (memcmp(in, out, size)) {
		printf("client: echo differs\n");
		return 1;
	}
	printf("client: %zu bytes echoed identically\n", size);
	close(s);
	return 0;
}
