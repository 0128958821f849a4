/* Host: a one-connection TCP echo server on 127.0.0.1. usage:
 * hostserver PORTFILE: binds an ephemeral port, writes it to PORTFILE,
 * echoes one connection, exits. Stops by itself after 120 s. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	alarm(120);
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &al)) {
		perror("hostserver");
		return 1;
	}
	FILE *f = fopen(argv[1], "w");
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	int s = accept(ls, NULL, NULL);
	static char buf[65536];
	long total = 0;
	ssize_t n;
	while ((n = read(s, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(s, buf + off, n - off);
			if (w <= 0)
				return 1;
			off += w;
		}
		total += n;
	}
	printf("hostserver: echoed %ld bytes\n", total);
	close(s);
	return 0;
}
