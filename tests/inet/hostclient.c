/* Host: sends SIZE bytes to 127.0.0.1:PORT and reads the echo at the same
 * time, then checks it byte for byte. usage: hostclient PORT SIZE
 * Retries connecting for up to 60 s (the guest boots meanwhile). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned char pat(size_t i)
{
	return (unsigned char)((i * 7 + (i >> 10) * 13) & 0xff);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int port = atoi(argv[1]);
	size_t size = strtoul(argv[2], NULL, 0);
	alarm(90);
	int s = -1;
	for (int tries = 0; tries < 600; tries++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0) {
			/* QEMU accepts before the guest does: a probe byte
			 * would be echoed, so just go on; a reset shows up as
			 * a read error below and we retry the whole thing. */
			break;
		}
		close(s);
		s = -1;
		usleep(100000);
	}
	if (s < 0) {
		fprintf(stderr, "hostclient: cannot connect\n");
		return 1;
	}
	unsigned char *out = malloc(size + 1), *in = malloc(size + 1);
	for (size_t i = 0; i < size; i++)
		out[i] = pat(i);
	size_t sent = 0, got = 0;
	while (got < size) {
		struct pollfd p = { .fd = s, .events = POLLIN | (sent < size ? POLLOUT : 0) };
		if (poll(&p, 1, 30000) <= 0) {
			fprintf(stderr, "hostclient: timeout (sent %zu, got %zu)\n", sent, got);
			return 1;
		}
		if ((p.revents & POLLOUT) && sent < size) {
			ssize_t n = send(s, out + sent, size - sent > 65536 ? 65536 : size - sent,
					 MSG_DONTWAIT);
			if (n > 0)
				sent += n;
			if (sent == size)
				shutdown(s, SHUT_WR);
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(s, in + got, size - got, MSG_DONTWAIT);
			if (n == 0) {
				fprintf(stderr, "hostclient: early EOF at %zu of %zu\n", got, size);
				return 1;
			}
			if (n < 0 && errno != EAGAIN) {
				perror("hostclient: recv");
				return 1;
			}
			if (n > 0)
				got += n;
		}
	}
	char c;
	ssize_t n = recv(s, &c, 1, 0);
	if (n != 0) {
		fprintf(stderr, "hostclient: no EOF after the echo (%zd)\n", n);
		return 1;
	}
	if (memcmp(in, out, size)) {
		fprintf(stderr, "hostclient: echo differs\n");
		return 1;
	}
	printf("hostclient: %zu bytes echoed identically\n", size);
	return 0;
}
