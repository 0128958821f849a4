/* Writable MAP_SHARED mappings of files, for tests/9p/test-9p.sh: the
 * bytes written through a mapping must reach the file (the script looks
 * at it from the host at each "step NAME" line, while this program waits
 * for a line on stdin) after munmap, msync (MS_SYNC and MS_ASYNC) and an
 * exit without munmap; read() and write() of the same file and a forked
 * child see the mapping's pages; a truncated file's pages past the end
 * are gone (SIGBUS). Run natively too: the files and the output must be
 * the same.
 *
 * usage: tmmap DIR   (DIR is made) */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096
#define FILE_LEN (3 * PG + 100)	/* the last page part of the file */

static char dir[4096];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The host looks at the files now; goes on at the next line of stdin. */
static void step(const char *name)
{
	char line[64];
	printf("step %s\n", name);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		die("stdin");
}

/* A file of FILE_LEN bytes of fill, opened for reading and writing. */
static int make_file(const char *name, char fill)
{
	char path[4200], buf[FILE_LEN];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	memset(buf, fill, sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		die("write");
	return fd;
}

static char *map(int fd, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/* Text at three places: the first page, the middle, the last byte. */
static void scribble(char *p, const char *tag)
{
	size_t n = strlen(tag);
	memcpy(p + 10, tag, n);
	memcpy(p + PG + PG / 2, tag, n);
	p[FILE_LEN - 1] = tag[0];
}

static void after_munmap(void)
{
	int fd = make_file("m-munmap", '.');
	char *p = map(fd, FILE_LEN);
	scribble(p, "written, then unmapped");
	if (munmap(p, FILE_LEN))
		die("munmap");
	close(fd);
	step("munmap");
}

static void after_msync(const char *name, int flags)
{
	int fd = make_file(name, '-');
	char *p = map(fd, FILE_LEN);
	scribble(p, flags == MS_SYNC ? "msync MS_SYNC" : "msync MS_ASYNC");
	if (msync(p, FILE_LEN, flags))
		die("msync");
	step(name);	/* still mapped */
	munmap(p, FILE_LEN);
	close(fd);
}

static void show(const char *what, const char *p, size_t n)
{
	printf("%s: \"%.*s\"\n", what, (int)n, p);
}

static sigjmp_buf jb;

static void on_sigbus(int sig)
{
	siglongjmp(jb, sig);
}

/* read(), write(), a second mapping and a child against one mapping. */
static void coherence(void)
{
	int fd = make_file("m-share", '_');
	char *p = map(fd, FILE_LEN), *q = map(fd, FILE_LEN), buf[32];

	memcpy(p + 100, "through the mapping", 19);
	if (pread(fd, buf, 19, 100) != 19)
		die("pread");
	show("read() sees", buf, 19);
	show("another mapping sees", q + 100, 19);

	if (pwrite(fd, "through write()", 15, PG + 7) != 15)
		die("pwrite");
	show("the mapping sees", p + PG + 7, 15);

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		memcpy(p + 2 * PG, "the child wrote this", 20);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	show("after the child, the parent's mapping has", p + 2 * PG, 20);
	if (pread(fd, buf, 20, 2 * PG) != 20)
		die("pread");
	show("and read() has", buf, 20);
	if (munmap(q, FILE_LEN) || munmap(p, FILE_LEN))
		die("munmap");

	/* Pages past a new end: a fault there is SIGBUS, on a page mapped
	 * before too. */
	p = map(fd, FILE_LEN);
	p[0] = 'T';
	p[2 * PG] = 'W';
	if (ftruncate(fd, PG + 10))
		die("ftruncate");
	signal(SIGBUS, on_sigbus);
	volatile char *far = p + 2 * PG + 5;
	if (sigsetjmp(jb, 1) == 0) {
		char c = *far;
		printf("past the end after ftruncate: read %d\n", c);
	} else {
		printf("past the end after ftruncate: SIGBUS\n");
	}
	signal(SIGBUS, SIG_DFL);
	show("the kept page's tail", p + PG + 5, 5);
	printf("past the end in the last page: %d\n", p[PG + 20]);
	/* Grown again: what lay past the end reads as zeroes. */
	if (ftruncate(fd, 2 * PG))
		die("ftruncate");
	printf("grown again: %d %d\n", p[PG + 20], p[PG + 100]);
	p[PG + 30] = 'G';
	munmap(p, FILE_LEN);
	struct stat sb;
	fstat(fd, &sb);
	printf("m-share: %lld bytes\n", (long long)sb.st_size);
	close(fd);
	step("share");
}

/* A child still mapping the file when the parent unmaps and exits. */
static void child_last(void)
{
	int fd = make_file("m-child", 'c');
	char *p = map(fd, FILE_LEN);
	int go[2];
	if (pipe(go))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		char b;
		close(go[1]);
		if (read(go[0], &b, 1) != 0)
			_exit(2);
		scribble(p, "the child, after its parent unmapped");
		_exit(0);	/* without munmap */
	}
	munmap(p, FILE_LEN);
	close(go[1]);
	int st;
	waitpid(pid, &st, 0);
	printf("child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(fd);
	step("child");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tmmap DIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	mkdir(dir, 0755);
	setvbuf(stdout, NULL, _IOLBF, 0);
	after_munmap();
	after_msync("m-msync", MS_SYNC);
	after_msync("m-async", MS_ASYNC);
	coherence();
	child_last();
	/* The last: written through a mapping, never unmapped; exit. */
	int fd = make_file("m-exit", 'x');
	scribble(map(fd, FILE_LEN), "left mapped at exit");
	printf("tmmap ok\n");
	return 0;
}
