/* The host side of the many-connections test: opens N connections to
 * 127.0.0.1:PORT and keeps them all open, then sends "conn-I" on each and
 * reads each answer ("conn-I open=K" from tests/netapps/epollecho.c),
 * then sends QUIT. Passes (exit 0) when every connection got its own
 * line back and the server once held all N at the same time.
 * usage: manyconn PORT N */
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

#define DEADLINE_S 60

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: manyconn PORT N\n");
		return 2;
	}
	int port = atoi(argv[1]), n = atoi(argv[2]);
	int *fd = calloc((size_t)n, sizeof(int));
	char (*got)[128] = calloc((size_t)n, 128);
	size_t *len = calloc((size_t)n, sizeof(size_t));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int connected = 0;
	for (int i = 0; i < n; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd[i], (struct sockaddr *)&sa, sizeof(sa))) {
			printf("connection %d: connect: %s\n", i, strerror(errno));
			return 1;
		}
		connected++;
	}
	for (int i = 0; i < n; i++) {
		char line[64];
		int m = snprintf(line, sizeof(line), "conn-%d\n", i);
		if (write(fd[i], line, (size_t)m) != m) {
			printf("connection %d: write: %s\n", i, strerror(errno));
			return 1;
		}
	}
	/* Collect one line from each, in whatever order they come. */
	struct pollfd *pf = calloc((size_t)n, sizeof(*pf));
	int done = 0, peak = 0, bad = 0;
	time_t end = time(NULL) + DEADLINE_S;
	while (done < n && time(NULL) < end) {
		for (int i = 0; i < n; i++) {
			pf[i].fd = fd[i];
			pf[i].events = POLLIN;
		}
		if (poll(pf, (nfds_t)n, 1000) < 0)
			break;
		for (int i = 0; i < n; i++) {
			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)) || fd[i] < 0)
				continue;
			ssize_t r = read(fd[i], got[i] + len[i], sizeof(got[i]) - 1 - len[i]);
			if (r <= 0) {
				printf("connection %d: closed before its answer\n", i);
				bad++;
				done++;
				fd[i] = -1;
				continue;
			}
			len[i] += (size_t)r;
			got[i][len[i]] = 0;
			if (!strchr(got[i], '\n'))
				continue;
			int k = -1, open = 0;
			if (sscanf(got[i], "conn-%d open=%d", &k, &open) != 2 || k != i) {
				printf("connection %d: answered \"%.40s\"\n", i, got[i]);
				bad++;
			} else if (open > peak) {
				peak = open;
			}
			done++;
			pf[i].fd = -1;
			/* Answered: kept open, no longer polled (poll skips
			 * negative descriptors). */
			fd[i] = -fd[i] - 1;
		}
	}
	printf("%d connected, %d answered, %d wrong, peak %d open at once\n", connected,
	       done - bad, bad, peak);
	int first = fd[0] < -1 ? -fd[0] - 1 : fd[0];
	if (first >= 0 && write(first, "QUIT\n", 5) != 5)
		printf("QUIT: %s\n", strerror(errno));
	return done == n && !bad && peak == n ? 0 : 1;
}
