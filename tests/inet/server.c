/* Guest: a TCP echo server. usage: server PORT [CONNECTIONS]
 * Serves CONNECTIONS clients one after another (default 2), echoing
 * everything until the client shuts its side, then exits 0. Stops by
 * itself after 120 s (alarm). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 8080;
	int conns = argc > 2 ? atoi(argv[2]) : 2;
	alarm(120);
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		perror("socket");
		return 1;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 8)) {
		perror("bind/listen");
		return 1;
	}
	printf("listening on %d\n", port);
	fflush(stdout);
	static char buf[65536];
	for (int c = 0; c < conns; c++) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		int s = accept(ls, (struct sockaddr *)&peer, &pl);
		if (s < 0) {
			perror("accept");
			return 1;
		}
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		long total = 0;
		for (;;) {
			ssize_t n = read(s, buf, sizeof(buf));
			if (n < 0) {
				perror("read");
				return 1;
			}
			if (n == 0)
				break;
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(s, buf + off, n - off);
				if (w <= 0) {
					perror("write");
					return 1;
				}
				off += w;
			}
			total += n;
		}
		printf("connection %d from %s: echoed %ld bytes\n", c,
		       inet_ntoa(peer.sin_addr), total);
		fflush(stdout);
		close(s);
	}
	close(ls);
	return 0;
}
