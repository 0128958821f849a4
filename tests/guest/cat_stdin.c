/* Copies stdin to stdout byte for byte until EOF; prints the byte count to stderr. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[1000];	/* odd size: reads straddle the writer's chunks */
	unsigned long total = 0;

	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return 1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				perror("write");
				return 1;
			}
			off += w;
		}
		total += n;
	}
	fprintf(stderr, "%lu bytes\n", total);
	return 0;
}
