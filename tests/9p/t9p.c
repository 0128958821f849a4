/* The guest half of tests/9p/test-9p.sh (also run natively, to make the
 * reference tree). Modes:
 *   t9p tree DIR          makes a tree of files, directories, links,
 *                         renames, removals, modes, times, sparse and
 *                         appended files in DIR (which must not exist)
 *   t9p big FILE MIB      writes MIB MiB of a pseudo-random pattern to
 *                         FILE, reads it back and checks it; prints the
 *                         times
 *   t9p check FILE MIB    checks FILE holds what "big" writes
 *   t9p sum FILE          prints the size and FNV-1a hash of FILE
 *   t9p ls DIR            lists DIR sorted: name, type, size (lstat only)
 *   t9p attrs FILE        with FILE open, changes its mode, times, size
 *                         and owner one call at a time (path and fd
 *                         forms), printing "step NAME" after each and
 *                         waiting for a line on stdin: the host checks
 *                         that the change is there before the file is
 *                         stat'ed, synced or closed
 *   t9p statfs PATH       prints statfs(PATH) and fstatfs of it
 * Prints "FAIL ..." and exits 1 on the first thing that is wrong. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);       \
			printf(__VA_ARGS__);                              \
			printf(" (errno %d %s)\n", errno, strerror(errno)); \
			exit(1);                                          \
		}                                                         \
	} while (0)

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0, "open %s", path);
	CHECK(write(fd, data, len) == (ssize_t)len, "write %s", path);
	CHECK(close(fd) == 0, "close %s", path);
}

static void put_text(const char *path, const char *s)
{
	put_file(path, s, strlen(s), 0644);
}

static char *get_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	struct stat st;
	CHECK(fstat(fd, &st) == 0, "fstat %s", path);
	char *b = malloc(st.st_size + 1);
	CHECK(b, "malloc");
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, st.st_size - got);
		CHECK(n > 0, "read %s", path);
		got += n;
	}
	b[got] = 0;
	close(fd);
	*len = got;
	return b;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir (without . and ..); returns the count. */
static int list(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	CHECK(d, "opendir %s", dir);
	char **v = NULL;
	int n = 0, dots = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			dots++;
			continue;
		}
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	CHECK(dots == 2, "%s: %d dot entries", dir, dots);
	qsort(v, n, sizeof(*v), cmp_names);
	*out = v;
	return n;
}

static void tree(const char *top)
{
	char p[4096], q[4096];
	struct stat st;
	CHECK(mkdir(top, 0755) == 0, "mkdir %s", top);
	CHECK(chdir(top) == 0, "chdir %s", top);
	char cwd[4096];
	CHECK(getcwd(cwd, sizeof(cwd)), "getcwd");

	/* Directories, nested; one removed again, one renamed. */
	CHECK(mkdir("d1", 0755) == 0, "mkdir d1");
	CHECK(mkdir("d1/d2", 0750) == 0, "mkdir d1/d2");
	CHECK(mkdir("d1/d2/d3", 0700) == 0, "mkdir d1/d2/d3");
	CHECK(mkdir("d1", 0755) == -1 && errno == EEXIST, "mkdir d1 again");
	CHECK(mkdir("gone", 0755) == 0, "mkdir gone");
	CHECK(rmdir("gone") == 0, "rmdir gone");
	CHECK(stat("gone", &st) == -1 && errno == ENOENT, "gone still there");
	CHECK(mkdir("olddir", 0755) == 0, "mkdir olddir");
	put_text("olddir/inside", "moved with its directory\n");
	CHECK(rename("olddir", "d1/newdir") == 0, "rename olddir");
	CHECK(stat("d1/newdir/inside", &st) == 0 && st.st_size == 25, "inside after rename");
	CHECK(chdir("d1/newdir") == 0, "chdir newdir");
	CHECK(getcwd(p, sizeof(p)), "getcwd newdir");
	snprintf(q, sizeof(q), "%.4000s/d1/newdir", strcmp(cwd, "/") ? cwd : "");
	CHECK(!strcmp(p, q), "getcwd gave %s, not %s", p, q);
	CHECK(chdir("../..") == 0, "chdir ../..");
	CHECK(mkdir("d1/d2/notempty", 0755) == 0, "mkdir notempty");
	put_text("d1/d2/notempty/f", "x");
	CHECK(rmdir("d1/d2/notempty") == -1 && errno == ENOTEMPTY, "rmdir notempty");

	/* Files: text, every byte value, empty, exact modes. */
	put_text("d1/hello.txt", "hello, 9p\n");
	char bin[256 * 1024 + 7];
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 131 + (i >> 8));
	put_file("d1/d2/bytes.bin", bin, sizeof(bin), 0644);
	size_t len;
	char *back = get_file("d1/d2/bytes.bin", &len);
	CHECK(len == sizeof(bin) && !memcmp(back, bin, len), "bytes.bin read back");
	free(back);
	/* A write from, and a read into, untouched pages of a private
	 * mapping of a file here: the copy faults them in from the same
	 * file system in the middle of a request. */
	int mfd = open("d1/d2/bytes.bin", O_RDONLY);
	CHECK(mfd >= 0, "open bytes.bin");
	char *map = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd, 0);
	CHECK(map != MAP_FAILED, "mmap bytes.bin");
	put_file("d1/mapcopy", map, 200 * 1024, 0644);
	back = get_file("d1/mapcopy", &len);
	CHECK(len == 200 * 1024 && !memcmp(back, bin, len), "mapcopy read back");
	free(back);
	int hfd = open("d1/hello.txt", O_RDONLY);
	CHECK(hfd >= 0 && read(hfd, map + 220 * 1024 + 5, 10) == 10, "read into the mapping");
	close(hfd);
	CHECK(!memcmp(map + 220 * 1024 + 5, "hello, 9p\n", 10) &&
	      !memcmp(map + 220 * 1024, bin + 220 * 1024, 5) &&
	      !memcmp(map + 220 * 1024 + 15, bin + 220 * 1024 + 15, 4096), "mapping after read");
	munmap(map, 256 * 1024);
	close(mfd);
	put_file("empty", "", 0, 0644);
	put_text("secret", "mode 600\n");
	CHECK(chmod("secret", 0600) == 0, "chmod secret");
	CHECK(stat("secret", &st) == 0 && (st.st_mode & 07777) == 0600, "secret mode");
	put_text("runme", "#!/bin/sh\n");
	CHECK(chmod("runme", 0755) == 0, "chmod runme");

	/* Symlinks: relative, dangling, to a directory; readlink. */
	CHECK(symlink("d1/hello.txt", "link") == 0, "symlink link");
	CHECK(symlink("nowhere/at/all", "dangling") == 0, "symlink dangling");
	CHECK(symlink("d1/d2", "dirlink") == 0, "symlink dirlink");
	ssize_t n = readlink("link", p, sizeof(p));
	CHECK(n == 12 && !memcmp(p, "d1/hello.txt", 12), "readlink link");
	back = get_file("link", &len);
	CHECK(len == 10 && !memcmp(back, "hello, 9p\n", 10), "read through link");
	free(back);
	CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 12, "lstat link");
	CHECK(stat("dirlink/bytes.bin", &st) == 0 && st.st_size == (off_t)sizeof(bin),
	      "stat through dirlink");
	CHECK(symlink("x", "link") == -1 && errno == EEXIST, "symlink over a name");

	/* Hard links. */
	put_text("original", "two names\n");
	CHECK(link("original", "d1/hardlink") == 0, "link");
	CHECK(stat("original", &st) == 0 && st.st_nlink == 2, "nlink 2 (%lu)",
	      (unsigned long)st.st_nlink);
	struct stat st2;
	CHECK(stat("d1/hardlink", &st2) == 0 && st2.st_ino == st.st_ino, "same inode");

	/* Renames: over an existing file, across directories; unlink. */
	put_text("a", "file a\n");
	put_text("b", "file b\n");
	CHECK(rename("a", "b") == 0, "rename a b");
	back = get_file("b", &len);
	CHECK(len == 7 && !memcmp(back, "file a\n", 7), "b has a's bytes");
	free(back);
	CHECK(stat("a", &st) == -1 && errno == ENOENT, "a gone");
	CHECK(rename("b", "d1/d2/d3/moved") == 0, "rename across dirs");
	put_text("victim", "unlink me\n");
	CHECK(unlink("victim") == 0, "unlink");
	CHECK(unlink("victim") == -1 && errno == ENOENT, "unlink again");

	/* Unlinked while open: still readable and writable. */
	int fd = open("tmpfile", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0, "open tmpfile");
	CHECK(unlink("tmpfile") == 0, "unlink open tmpfile");
	CHECK(write(fd, "still here", 10) == 10, "write unlinked");
	CHECK(pread(fd, p, 10, 0) == 10 && !memcmp(p, "still here", 10), "read unlinked");
	close(fd);

	/* Appends, pwrite past the end (a hole), truncation both ways. */
	fd = open("log", O_WRONLY | O_CREAT | O_APPEND, 0644);
	CHECK(fd >= 0, "open log");
	for (int i = 0; i < 100; i++) {
		int l = snprintf(p, sizeof(p), "line %d\n", i);
		CHECK(write(fd, p, l) == l, "append");
	}
	CHECK(fsync(fd) == 0, "fsync log");
	close(fd);
	fd = open("sparse", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0, "open sparse");
	CHECK(pwrite(fd, "end", 3, 3 << 20) == 3, "pwrite at 3 MiB");
	CHECK(pwrite(fd, "start", 5, 0) == 5, "pwrite at 0");
	CHECK(fstat(fd, &st) == 0 && st.st_size == (3 << 20) + 3, "sparse size");
	CHECK(pread(fd, p, 8, (1 << 20)) == 8 && !memcmp(p, "\0\0\0\0\0\0\0\0", 8), "hole is 0");
	CHECK(lseek(fd, 0, SEEK_END) == (3 << 20) + 3, "SEEK_END");
	close(fd);
	put_text("shrink", "0123456789abcdef");
	CHECK(truncate("shrink", 10) == 0, "truncate down");
	put_text("grow", "abc");
	fd = open("grow", O_RDWR);
	CHECK(fd >= 0 && ftruncate(fd, 1000) == 0, "ftruncate up");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 1000, "grow size");
	close(fd);
	put_text("overwrite", "a long first version of this file\n");
	put_text("overwrite", "short\n");	/* O_TRUNC */

	/* Times set explicitly reach the host. */
	put_text("dated", "from 2001\n");
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 500000000 } };
	CHECK(utimensat(AT_FDCWD, "dated", times, 0) == 0, "utimensat");
	CHECK(stat("dated", &st) == 0 && st.st_mtim.tv_sec == 1000000000, "mtime set");

	/* Many entries: readdir over several requests. */
	CHECK(mkdir("many", 0755) == 0, "mkdir many");
	for (int i = 0; i < 1500; i++) {
		snprintf(p, sizeof(p), "many/entry-with-a-longish-name-%04d", i);
		int f = open(p, O_WRONLY | O_CREAT, 0644);
		CHECK(f >= 0, "create %s", p);
		close(f);
	}
	char **names;
	int cnt = list("many", &names);
	CHECK(cnt == 1500, "many: %d entries", cnt);
	for (int i = 0; i < cnt; i++) {
		snprintf(p, sizeof(p), "entry-with-a-longish-name-%04d", i);
		CHECK(!strcmp(names[i], p), "many[%d] = %s", i, names[i]);
		free(names[i]);
	}
	free(names);
	CHECK(rename("many/entry-with-a-longish-name-0000", "many/first") == 0, "rename in many");

	/* The tree seen through readdir and stat. */
	cnt = list(".", &names);
	const char *want[] = { "d1", "dangling", "dated", "dirlink", "empty", "grow", "link",
			       "log", "many", "original", "overwrite", "runme", "secret",
			       "shrink", "sparse" };
	CHECK(cnt == (int)(sizeof(want) / sizeof(*want)), "%d entries at the top", cnt);
	for (int i = 0; i < cnt; i++)
		CHECK(!strcmp(names[i], want[i]), "entry %d: %s, not %s", i, names[i], want[i]);
	struct statfs sf;
	CHECK(statfs(".", &sf) == 0, "statfs");
	CHECK(chdir("/") == 0, "chdir /");
	printf("tree ok\n");
}

/* xorshift64*: the pattern of "big". */
static void fill_pattern(uint64_t *w, size_t nwords, uint64_t *state)
{
	uint64_t x = *state;
	for (size_t i = 0; i < nwords; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		w[i] = x * 0x2545f4914f6cdd1dULL;
	}
	*state = x;
}

#define CHUNK (1 << 20)

static void check_big(const char *path, long mib, double *ms)
{
	uint64_t *want = malloc(CHUNK), *got = malloc(CHUNK), state = 88172645463325252ULL;
	CHECK(want && got, "malloc");
	double t0 = now_ms();
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	for (long i = 0; i < mib; i++) {
		size_t have = 0;
		while (have < CHUNK) {
			ssize_t n = read(fd, (char *)got + have, CHUNK - have);
			CHECK(n > 0, "read %s at %ld MiB", path, i);
			have += n;
		}
		fill_pattern(want, CHUNK / 8, &state);
		CHECK(!memcmp(want, got, CHUNK), "%s: MiB %ld differs", path, i);
	}
	char c;
	CHECK(read(fd, &c, 1) == 0, "%s longer than %ld MiB", path, mib);
	close(fd);
	if (ms)
		*ms = now_ms() - t0;
	free(want);
	free(got);
}

static void big(const char *path, long mib)
{
	uint64_t *buf = malloc(CHUNK), state = 88172645463325252ULL;
	CHECK(buf, "malloc");
	double t0 = now_ms();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open %s", path);
	for (long i = 0; i < mib; i++) {
		fill_pattern(buf, CHUNK / 8, &state);
		CHECK(write(fd, buf, CHUNK) == CHUNK, "write %s", path);
	}
	CHECK(fsync(fd) == 0, "fsync %s", path);
	CHECK(close(fd) == 0, "close %s", path);
	double wms = now_ms() - t0, rms;
	check_big(path, mib, &rms);
	printf("big %s: %ld MiB written in %.0f ms (%.1f MiB/s), read in %.0f ms (%.1f MiB/s)\n",
	       path, mib, wms, mib * 1000.0 / wms, rms, mib * 1000.0 / rms);
	free(buf);
}

static void sum(const char *path)
{
	size_t len;
	char *b = get_file(path, &len);
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)b[i]) * 0x100000001b3ULL;
	printf("%zu %016llx\n", len, (unsigned long long)h);
	free(b);
}

static void ls(const char *dir)
{
	char **names;
	int n = list(dir, &names);
	for (int i = 0; i < n; i++) {
		char p[4096];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		CHECK(lstat(p, &st) == 0, "lstat %s", p);
		printf("%s %c %lld\n", names[i],
		       S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' :
		       S_ISREG(st.st_mode) ? 'f' : S_ISFIFO(st.st_mode) ? 'p' : '?',
		       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
	}
}

/* Waits for the host's go-ahead: a line on stdin. */
static void step(const char *name)
{
	char c;
	printf("step %s\n", name);
	do
		CHECK(read(0, &c, 1) == 1, "stdin ended before the host checked %s", name);
	while (c != '\n');
}

static void attrs(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open %s", path);
	CHECK(write(fd, "0123456789", 10) == 10, "write %s", path);
	step("created");
	CHECK(chmod(path, 0640) == 0, "chmod %s", path);
	step("chmod");
	CHECK(fchmod(fd, 0604) == 0, "fchmod");
	step("fchmod");
	struct timespec t[2] = { { 1000000000, 250000000 }, { 1100000000, 500000000 } };
	CHECK(utimensat(AT_FDCWD, path, t, 0) == 0, "utimensat %s", path);
	step("utimensat");
	struct timespec u[2] = { { 0, UTIME_OMIT }, { 1200000000, 0 } };
	CHECK(futimens(fd, u) == 0, "futimens");
	step("futimens");
	CHECK(truncate(path, 4) == 0, "truncate %s", path);
	step("truncate");
	CHECK(ftruncate(fd, 1234) == 0, "ftruncate");
	step("ftruncate");
	CHECK(chown(path, 1234, 5678) == 0, "chown %s", path);
	step("chown");
	CHECK(utimensat(AT_FDCWD, path, NULL, 0) == 0, "utimensat now %s", path);
	step("touch");
	/* What the guest sees agrees. */
	struct stat st;
	CHECK(fstat(fd, &st) == 0, "fstat");
	CHECK((st.st_mode & 07777) == 0604 && st.st_size == 1234 && st.st_uid == 1234 &&
	      st.st_gid == 5678, "fstat: mode %o size %lld owner %u:%u", st.st_mode & 07777,
	      (long long)st.st_size, st.st_uid, st.st_gid);
	CHECK(close(fd) == 0, "close");
	printf("attrs ok\n");
}

static void print_statfs(const char *what, const struct statfs *s)
{
	printf("%s type=%lx bsize=%ld frsize=%ld blocks=%llu bfree=%llu bavail=%llu "
	       "files=%llu ffree=%llu namelen=%ld\n", what, (unsigned long)s->f_type,
	       (long)s->f_bsize, (long)s->f_frsize, (unsigned long long)s->f_blocks,
	       (unsigned long long)s->f_bfree, (unsigned long long)s->f_bavail,
	       (unsigned long long)s->f_files, (unsigned long long)s->f_ffree,
	       (long)s->f_namelen);
}

static void do_statfs(const char *path)
{
	struct statfs a, b;
	CHECK(statfs(path, &a) == 0, "statfs %s", path);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	CHECK(fstatfs(fd, &b) == 0, "fstatfs %s", path);
	close(fd);
	print_statfs("statfs", &a);
	print_statfs("fstatfs", &b);
}

/* Time per stat of a missing name (one walk request on 9p), and per
 * stat of an existing file. */
static void lat(const char *dir, long n)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof(p), "%s/no-such-file", dir);
	double t0 = now_ms();
	for (long i = 0; i < n; i++)
		CHECK(stat(p, &st) == -1 && errno == ENOENT, "stat %s", p);
	double t1 = now_ms();
	snprintf(p, sizeof(p), "%s/lat-file", dir);
	put_text(p, "x");
	double t2 = now_ms();
	for (long i = 0; i < n; i++)
		CHECK(stat(p, &st) == 0, "stat %s", p);
	double t3 = now_ms();
	for (long i = 0; i < n; i++) {
		int fd = open(p, O_RDONLY);
		CHECK(fd >= 0, "open %s", p);
		close(fd);
	}
	double t4 = now_ms();
	unlink(p);
	printf("lat %s: stat missing %.1f us, stat existing %.1f us, open+close %.1f us\n",
	       dir, (t1 - t0) * 1e3 / n, (t3 - t2) * 1e3 / n, (t4 - t3) * 1e3 / n);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "tree"))
		tree(argv[2]);
	else if (argc == 4 && !strcmp(argv[1], "big"))
		big(argv[2], atol(argv[3]));
	else if (argc == 4 && !strcmp(argv[1], "check")) {
		check_big(argv[2], atol(argv[3]), NULL);
		printf("check ok\n");
	} else if (argc == 3 && !strcmp(argv[1], "sum"))
		sum(argv[2]);
	else if (argc == 4 && !strcmp(argv[1], "lat"))
		lat(argv[2], atol(argv[3]));
	else if (argc == 3 && !strcmp(argv[1], "ls"))
		ls(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "attrs"))
		attrs(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "statfs"))
		do_statfs(argv[2]);
	else {
		fprintf(stderr, "usage: t9p tree DIR | big FILE MIB | check FILE MIB | sum FILE | ls DIR |\n"
			"       attrs FILE | statfs PATH\n");
		return 2;
	}
	return 0;
}
