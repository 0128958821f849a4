/* fileio_bench.c: time to write a 50 MiB file in 1 MiB chunks (with fsync) and to read it back, via CLOCK_MONOTONIC. */
/*
 * Usage: fileio_bench PATH [MIB]   (default 50 MiB)
 *
 * (1) Write: open(PATH, O_WRONLY|O_CREAT|O_TRUNC), MIB write()s of 1 MiB
 *     each, fsync(), close(). Timed from before open() to after close().
 * (2) Read: open(PATH, O_RDONLY), read() in 1 MiB requests until end of
 *     file, close(). Timed the same way. Each chunk carries its index in
 *     its first and last 8 bytes; those and the total are checked (two
 *     compares per MiB, inside the timed read).
 * The buffer is filled before the clock starts, so first-touch page faults
 * are not timed. The file is unlinked at the end. Prints one line:
 *   fileio: mib=N chunk_kib=1024 write_ms=W read_ms=R write_mibs=X read_mibs=Y
 * or "fileio: error ..." and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(const char *what, const char *path)
{
	printf("fileio: error %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const char *path;
	long mib = 50, i;
	unsigned char *buf;
	double t0, t_write, t_read;
	uint64_t tag, got = 0;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: fileio_bench PATH [MIB]\n");
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		mib = atol(argv[2]);
	if (mib <= 0)
		mib = 50;
	buf = malloc(CHUNK);
	if (!buf)
		return fail("malloc", "");
	for (i = 0; i < CHUNK; i++)
		buf[i] = (unsigned char)(i * 31 + 7);

	t0 = now_ms();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open", path);
	for (i = 0; i < mib; i++) {
		size_t off = 0;

		tag = (uint64_t)i;
		memcpy(buf, &tag, sizeof tag);
		memcpy(buf + CHUNK - sizeof tag, &tag, sizeof tag);
		while (off < CHUNK) {
			ssize_t n = write(fd, buf + off, CHUNK - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return fail("write", path);
			off += (size_t)n;
		}
	}
	if (fsync(fd) < 0)
		return fail("fsync", path);
	if (close(fd) < 0)
		return fail("close", path);
	t_write = now_ms() - t0;

	memset(buf, 0, CHUNK);
	t0 = now_ms();
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail("open", path);
	for (;;) {
		size_t off = 0;

		/* Fill a whole chunk (a read may return less than asked). */
		while (off < CHUNK) {
			ssize_t n = read(fd, buf + off, CHUNK - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return fail("read", path);
			if (n == 0)
				break;
			off += (size_t)n;
		}
		if (off == 0)
			break;
		if (off == CHUNK) {
			uint64_t a, b;

			memcpy(&a, buf, sizeof a);
			memcpy(&b, buf + CHUNK - sizeof b, sizeof b);
			if (a != got / CHUNK || b != a) {
				errno = EIO;
				return fail("content", path);
			}
		}
		got += off;
		if (off < CHUNK)
			break;
	}
	if (close(fd) < 0)
		return fail("close", path);
	t_read = now_ms() - t0;
	unlink(path);

	if (got != (uint64_t)mib * CHUNK) {
		printf("fileio: error size %s: read %llu bytes, wrote %llu\n", path,
		       (unsigned long long)got, (unsigned long long)mib * CHUNK);
		return 1;
	}
	printf("fileio: mib=%ld chunk_kib=%d write_ms=%.1f read_ms=%.1f write_mibs=%.1f read_mibs=%.1f\n",
	       mib, CHUNK / 1024, t_write, t_read, mib / (t_write / 1e3), mib / (t_read / 1e3));
	return 0;
}
