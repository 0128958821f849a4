/* More calls and features added for compatibility (issue 15), each with
 * Linux's results and errors: run natively, then in the guest, output
 * compared. Sections:
 *   pty       /dev/ptmx and /dev/pts/N: openpt, grantpt, unlockpt,
 *             TIOCGPTPEER, both directions through the line discipline
 *             (echo, erase, ^D, ONLCR, raw mode), termios, window size,
 *             poll and epoll, ^C to the slave's foreground group, TIOCSCTTY and
 *             /dev/tty, EIO and hang-up when one side closes
 *   ptybulk   40000 bytes each way in raw mode (writers wait for room)
 *   memfd     memfd_create's flags and names, /proc/self/fd's link,
 *             F_ADD_SEALS and F_GET_SEALS with their errors, each seal's
 *             effect on write, ftruncate and mmap
 *   splice    splice between files, pipes and a socket, with offsets
 *             and their errors; tee; vmsplice both ways; SPLICE_F_NONBLOCK
 *   pipesz    F_GETPIPE_SZ, F_SETPIPE_SZ's rounding and errors, a resized
 *             pipe's capacity, /proc/sys/fs/pipe-max-size
 *   mem       mincore's answers and errors, mmap's ENOMEM for a length
 *             beyond the address space
 * usage: compat4 DIR [SECTION...]   (DIR: a scratch directory) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "sections.h"

static const char *dir;

/* Bytes as C escapes, one line: "LABEL: n=N "..."". */
static void show(const char *label, const char *buf, long n)
{
	printf("%s: ", label);
	if (n < 0) {
		printf("-1 %s\n", ename(errno));
		return;
	}
	printf("n=%ld \"", n);
	for (long i = 0; i < n; i++) {
		unsigned char c = buf[i];
		if (c == '\n')
			printf("\\n");
		else if (c == '\r')
			printf("\\r");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

/* Reads what the other side has now (after a short wait for it). */
static void drain(const char *label, int fd)
{
	char buf[256];
	struct pollfd p = { fd, POLLIN, 0 };
	poll(&p, 1, 2000);
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	long n = read(fd, buf, sizeof(buf));
	fcntl(fd, F_SETFL, fl);
	show(label, buf, n);
}

static int open_pair(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		printf("openpt: %s\n", ename(errno));
		exit(1);
	}
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY);
	return m;
}

static int revents(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static volatile sig_atomic_t got_sig;
static void on_sig(int sig)
{
	got_sig = sig;
}

static void pty_basics(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	R("posix_openpt", m >= 0);
	const char *name = ptsname(m);
	printf("ptsname: %s\n", name && !strncmp(name, "/dev/pts/", 9) ? "/dev/pts/N" : "?");
	char path[64];
	snprintf(path, sizeof(path), "%s", name);
	R("open locked slave", open(path, O_RDWR | O_NOCTTY));
	int lck = -1;
	R("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &lck));
	printf("locked: %d\n", lck);
	R("grantpt", grantpt(m));
	R("unlockpt", unlockpt(m));
	struct stat st;
	R("stat slave", stat(path, &st));
	printf("slave: chr %d major %d\n", S_ISCHR(st.st_mode), major(st.st_rdev));
	R("fstat master", fstat(m, &st));
	printf("master: chr %d rdev %d:%d\n", S_ISCHR(st.st_mode), major(st.st_rdev),
	       minor(st.st_rdev));
	int s = open(path, O_RDWR | O_NOCTTY);
	R("open slave", s >= 0);
	R("isatty slave", isatty(s));
	R("isatty master", isatty(m));
	int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	R("TIOCGPTPEER", peer >= 0);
	R("isatty peer", isatty(peer));
	close(peer);
	unsigned int n;
	R("TIOCGPTN slave", ioctl(s, TIOCGPTN, &n));

	struct termios t;
	R("tcgetattr slave", tcgetattr(s, &t));
	printf("slave termios: i %o o %o c %o l %o intr %d eof %d min %d\n",
	       t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag, t.c_cc[VINTR],
	       t.c_cc[VEOF], t.c_cc[VMIN]);
	R("tcgetattr master", tcgetattr(m, &t));
	printf("master termios: i %o o %o c %o l %o\n", t.c_iflag, t.c_oflag,
	       t.c_cflag, t.c_lflag);

	struct winsize ws = { 24, 80, 0, 0 }, ws2;
	R("TIOCGWINSZ fresh", ioctl(s, TIOCGWINSZ, &ws2));
	printf("fresh size: %dx%d\n", ws2.ws_row, ws2.ws_col);
	R("TIOCSWINSZ master", ioctl(m, TIOCSWINSZ, &ws));
	R("TIOCGWINSZ slave", ioctl(s, TIOCGWINSZ, &ws2));
	printf("size: %dx%d\n", ws2.ws_row, ws2.ws_col);

	char buf[64];
	fcntl(m, F_SETFL, O_NONBLOCK);
	show("master read empty", buf, read(m, buf, sizeof(buf)));
	fcntl(m, F_SETFL, 0);
	printf("poll empty: master %x slave %x\n", revents(m), revents(s));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, got;
	R("epoll_ctl master", epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev));
	R("epoll_wait empty", epoll_wait(ep, &got, 1, 0));
	R("write slave", write(s, "hello\nworld", 11));
	printf("poll: master %x\n", revents(m));
	R("epoll_wait", epoll_wait(ep, &got, 1, 1000));
	printf("epoll events %x\n", got.events);
	close(ep);
	int q = 0;
	R("FIONREAD master", ioctl(m, FIONREAD, &q));
	printf("queued: %d\n", q);
	drain("master got", m);

	/* Canonical input: a line is read whole, echoed with \r\n. */
	R("write master", write(m, "ab\177c\nnext", 10));
	printf("poll: slave %x\n", revents(s));
	show("slave read", buf, read(s, buf, sizeof(buf)));
	drain("echo", m);
	R("write master eof", write(m, "\n\004", 2));
	show("slave read", buf, read(s, buf, sizeof(buf)));
	show("slave read eof", buf, read(s, buf, sizeof(buf)));
	drain("echo", m);

	/* Raw mode: bytes as they come, no echo. */
	R("tcgetattr", tcgetattr(s, &t));
	struct termios raw = t;
	cfmakeraw(&raw);
	R("tcsetattr raw", tcsetattr(s, TCSANOW, &raw));
	R("write master", write(m, "x\ry", 3));
	usleep(10000);
	show("slave read raw", buf, read(s, buf, sizeof(buf)));
	R("write slave", write(s, "a\nb", 3));
	drain("master got raw", m);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	R("tcsetattr vmin 0", tcsetattr(s, TCSANOW, &raw));
	show("slave read vmin 0", buf, read(s, buf, sizeof(buf)));
	raw.c_cc[VTIME] = 1;
	R("tcsetattr vtime 1", tcsetattr(s, TCSANOW, &raw));
	show("slave read vtime 1", buf, read(s, buf, sizeof(buf)));
	R("tcsetattr back", tcsetattr(s, TCSAFLUSH, &t));

	/* The slave's last close: the master reads what is left, then EIO. */
	R("write slave", write(s, "bye\n", 4));
	close(s);
	printf("poll closed slave: master %x\n", revents(m));
	show("master read", buf, read(m, buf, sizeof(buf)));
	show("master read closed", buf, read(m, buf, sizeof(buf)));
	R("write master closed", write(m, "z", 1));

	/* The master's close: the slave hangs up. */
	int m2 = open_pair(&s);
	R("pair", s >= 0);
	snprintf(path, sizeof(path), "%s", ptsname(m2));
	close(m2);
	printf("poll hung up: slave %x\n", revents(s));
	show("slave read hung up", buf, read(s, buf, sizeof(buf)));
	R("write slave hung up", write(s, "z", 1));
	R("tcgetattr hung up", tcgetattr(s, &t));
	R("stat gone", stat(path, &st));
	close(s);
	close(m);
}

/* A child in its own session takes the slave as its terminal; ^C from
 * the master reaches it, /dev/tty is the slave, and the master's close
 * sends it SIGHUP. */
static void pty_session(void)
{
	int s, m = open_pair(&s);
	int sync[2];
	if (pipe(sync))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(m);
		char buf[64];
		setsid();
		printf("child: tcgetpgrp before: %s\n",
		       tcgetpgrp(s) < 0 ? ename(errno) : "ok");
		int r = ioctl(s, TIOCSCTTY, 0);
		printf("child: TIOCSCTTY %d, again %d\n", r, ioctl(s, TIOCSCTTY, 0));
		printf("child: fg is self %d, sid is self %d\n",
		       tcgetpgrp(s) == getpid(), tcgetsid(s) == getpid());
		int tty = open("/dev/tty", O_RDWR);
		printf("child: /dev/tty %s\n", tty < 0 ? ename(errno) : "opened");
		if (write(tty, "via tty\n", 8) != 8)
			printf("child: write /dev/tty failed\n");
		close(tty);
		struct sigaction sa = { .sa_handler = on_sig };
		sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: read ends */
		sigaction(SIGHUP, &sa, NULL);
		fflush(stdout);
		if (write(sync[1], "r", 1) != 1)
			_exit(1);
		long n = read(s, buf, sizeof(buf));
		printf("child: read %ld %s, signal %d\n", n, n < 0 ? ename(errno) : "",
		       got_sig);
		got_sig = 0;
		fflush(stdout);
		if (write(sync[1], "h", 1) != 1)
			_exit(1);
		while (!got_sig)
			pause();
		printf("child: signal %d\n", got_sig);
		fflush(stdout);
		_exit(0);
	}
	close(s);
	char c;
	if (read(sync[0], &c, 1) != 1)
		return;
	drain("parent: from /dev/tty", m);
	usleep(100000);		/* the child sleeps in its read */
	R("parent: write ^C", write(m, "\003", 1));
	if (read(sync[0], &c, 1) != 1)
		return;
	drain("parent: echo", m);
	close(m);
	int st;
	waitpid(pid, &st, 0);
	printf("parent: child status %x\n", st);
}

#ifndef MFD_EXEC
#define MFD_EXEC 0x10
#define MFD_NOEXEC_SEAL 0x8
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x20
#endif

static void show_memfd(const char *label, int fd)
{
	struct stat st;
	char link[64], path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	long n = readlink(path, link, sizeof(link) - 1);
	link[n < 0 ? 0 : n] = 0;
	fstat(fd, &st);
	printf("%s: link %s mode %o nlink %ld size %ld seals %d cloexec %d\n", label, link,
	       st.st_mode, (long)st.st_nlink, (long)st.st_size, fcntl(fd, F_GET_SEALS),
	       fcntl(fd, F_GETFD));
}

static void memfd(void)
{
	char name[300];
	R("bad flags", syscall(SYS_memfd_create, "x", 0x100));
	R("exec and noexec", syscall(SYS_memfd_create, "x", MFD_EXEC | MFD_NOEXEC_SEAL));
	R("bad name", syscall(SYS_memfd_create, (char *)1, 0));
	memset(name, 'n', 249);
	name[249] = 0;
	int fd = memfd_create(name, 0);
	R("name of 249", fd >= 0);
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	R("name of 250", memfd_create(name, 0));
	R("name with /", memfd_create("a/b", 0) >= 0);

	fd = memfd_create("plain", MFD_CLOEXEC);
	show_memfd("plain", fd);
	R("add seals plain", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("write", write(fd, "hello", 5));
	R("lseek", lseek(fd, 0, SEEK_SET));
	char buf[16] = "";
	R("read", read(fd, buf, sizeof(buf)));
	printf("read: %s\n", buf);
	show_memfd("written", fd);
	close(fd);
	R("F_GET_SEALS pipe", ({ int p[2]; pipe(p); int r = fcntl(p[0], F_GET_SEALS);
				 close(p[0]); close(p[1]); r; }));

	fd = memfd_create("sealed", MFD_ALLOW_SEALING);
	show_memfd("sealable", fd);
	R("ftruncate", ftruncate(fd, 8192));
	R("bad seal", fcntl(fd, F_ADD_SEALS, 0x100));
	R("seal shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("shrink", ftruncate(fd, 4096));
	R("grow", ftruncate(fd, 16384));
	R("seal grow", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("grow", ftruncate(fd, 32768));
	R("same size", ftruncate(fd, 16384));
	R("write inside", pwrite(fd, "abc", 3, 100));
	R("write across end", pwrite(fd, "abc", 3, 16383));
	R("write past end", pwrite(fd, "abc", 3, 20000));
	R("write across pages", pwrite(fd, buf, 8, 4092));
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("mmap shared", p != MAP_FAILED);
	R("seal write mapped", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(p, 4096);
	R("seal write", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("write sealed", pwrite(fd, "abc", 3, 0));
	R("mmap shared write sealed",
	  mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	R("mmap shared read sealed", p != MAP_FAILED);
	printf("mapped: %.3s\n", (char *)p + 100);
	munmap(p, 4096);
	R("mmap private write sealed",
	  mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) != MAP_FAILED);
	R("seal seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	R("seal after seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	show_memfd("sealed", fd);
	int ro;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY);
	R("reopen read-only", ro >= 0);
	R("F_GET_SEALS read-only", fcntl(ro, F_GET_SEALS));
	close(ro);
	close(fd);

	fd = memfd_create("future", MFD_ALLOW_SEALING);
	R("ftruncate", ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("seal future write", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	memcpy(p, "old", 3);	/* a mapping made before still writes */
	R("write future sealed", pwrite(fd, "abc", 3, 0));
	R("mmap write future sealed",
	  mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED);
	R("read", pread(fd, buf, 3, 0));
	printf("read: %.3s\n", buf);
	munmap(p, 4096);
	close(fd);

	fd = memfd_create("noexec", MFD_NOEXEC_SEAL);
	show_memfd("noexec", fd);
	R("chmod +x", fchmod(fd, 0755));
	close(fd);
	fd = memfd_create("exec", MFD_EXEC | MFD_ALLOW_SEALING);
	R("seal exec", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
	show_memfd("exec sealed", fd);
	close(fd);
}

static void splice_sec(void)
{
	char path[256], buf[128];
	snprintf(path, sizeof(path), "%s/compat4.splice", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	R("write", write(fd, "0123456789abcdef", 16));
	int p[2], q[2];
	R("pipe", pipe(p));
	R("pipe", pipe(q));
	loff_t off = 4;
	R("len 0, bad fds", splice(-1, NULL, -1, NULL, 0, 0));
	R("bad flags", splice(fd, NULL, p[1], NULL, 1, 0x10));
	R("bad fd", splice(-1, NULL, p[1], NULL, 1, 0));
	R("no pipe", splice(fd, NULL, fd, NULL, 1, 0));
	R("offset on pipe", splice(p[0], &off, fd, NULL, 1, 0));
	R("same pipe", splice(p[0], NULL, p[1], NULL, 1, 0));
	R("wrong ends", splice(p[1], NULL, fd, NULL, 1, 0));
	R("bad offset pointer", splice(fd, (loff_t *)1, p[1], NULL, 1, 0));
	off = -1;
	R("negative offset", splice(fd, &off, p[1], NULL, 1, 0));
	off = 4;
	R("file to pipe at 4", splice(fd, &off, p[1], NULL, 6, 0));
	printf("offset %lld pos %ld\n", (long long)off, (long)lseek(fd, 0, SEEK_CUR));
	R("lseek 2", lseek(fd, 2, SEEK_SET));
	R("file to pipe at pos", splice(fd, NULL, p[1], NULL, 3, SPLICE_F_MORE));
	printf("pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	R("lseek end", lseek(fd, 0, SEEK_END));
	R("file to pipe at end", splice(fd, NULL, p[1], NULL, 3, 0));
	R("tee", tee(p[0], q[1], 100, 0));
	R("tee same", tee(p[0], p[1], 100, 0));
	R("tee file", tee(fd, q[1], 100, 0));
	R("pipe to pipe", splice(q[0], NULL, p[1], NULL, 2, 0));
	off = 20;
	R("pipe to file at 20", splice(p[0], NULL, fd, &off, 4, 0));
	printf("offset %lld\n", (long long)off);
	R("read pipe", read(p[0], buf, sizeof(buf)));
	int n = read(q[0], buf, sizeof(buf));
	show("q holds", buf, n);
	R("pread", pread(fd, buf, sizeof(buf), 0));
	show("file", buf, 24);
	R("nonblock empty", splice(p[0], NULL, fd, NULL, 4, SPLICE_F_NONBLOCK));
	int fl = open(path, O_WRONLY | O_APPEND);
	R("write", write(p[1], "xy", 2));
	R("to O_APPEND", splice(p[0], NULL, fl, NULL, 2, 0));
	close(fl);
	fl = open(path, O_RDONLY);
	R("to read-only", splice(p[0], NULL, fl, NULL, 2, 0));
	close(fl);
	close(p[1]);
	R("pipe to file", splice(p[0], NULL, fd, NULL, 10, 0));
	R("no writer", splice(p[0], NULL, fd, NULL, 10, 0));
	close(p[0]);

	/* A big file: one splice fills an empty pipe. */
	R("pipe", pipe(p));
	char *big = calloc(1, 200000);
	R("ftruncate", ftruncate(fd, 200000));
	off = 0;
	R("big file to pipe", splice(fd, &off, p[1], NULL, 200000, 0));
	R("full pipe nonblock", splice(fd, &off, p[1], NULL, 10, SPLICE_F_NONBLOCK));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	R("no reader", splice(fd, NULL, p[1], NULL, 10, 0));
	R("write no reader", write(p[1], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	pid_t pid = fork();
	if (pid == 0) {
		if (splice(fd, NULL, p[1], NULL, 10, 0) < 0)
			_exit(1);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("splice without reader: signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	pid = fork();
	if (pid == 0) {
		if (write(p[1], "x", 1) < 0)
			_exit(1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("write without reader: signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	close(p[1]);
	free(big);

	/* A socket through a pipe to another socket. */
	int sv[2], sw[2];
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sw));
	R("pipe", pipe(p));
	R("send", write(sv[0], "over the wire", 13));
	R("socket to pipe", splice(sv[1], NULL, p[1], NULL, 100, 0));
	R("pipe to socket", splice(p[0], NULL, sw[0], NULL, 100, 0));
	n = read(sw[1], buf, sizeof(buf));
	show("received", buf, n);
	R("socket offset", splice(sv[1], &off, p[1], NULL, 100, 0));

	/* vmsplice both ways. */
	struct iovec iov[2] = { { "vm", 2 }, { "splice", 6 } };
	R("vmsplice to pipe", vmsplice(p[1], iov, 2, 0));
	char a[3] = "", b[8] = "";
	struct iovec rv[2] = { { a, 3 }, { b, 8 } };
	R("vmsplice from pipe", vmsplice(p[0], rv, 2, 0));
	printf("got %.3s %.5s\n", a, b);
	R("vmsplice empty nonblock", vmsplice(p[0], rv, 2, SPLICE_F_NONBLOCK));
	R("vmsplice file", vmsplice(fd, iov, 2, 0));
	R("vmsplice nothing", vmsplice(fd, iov, 0, 0));
	R("vmsplice bad flags", vmsplice(p[1], iov, 2, 0x40));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(sv[0]);
	close(sv[1]);
	close(sw[0]);
	close(sw[1]);
	close(fd);
	unlink(path);
}

static void pipesz(void)
{
	int p[2], fd;
	char buf[64] = "";
	R("pipe", pipe(p));
	R("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	R("set 32768", fcntl(p[1], F_SETPIPE_SZ, 32768));
	R("get other end", fcntl(p[0], F_GETPIPE_SZ));
	R("set 1", fcntl(p[1], F_SETPIPE_SZ, 1));
	R("set 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
	R("set 0", fcntl(p[1], F_SETPIPE_SZ, 0));
	R("set 2^31 + 1", fcntl(p[1], F_SETPIPE_SZ, (1U << 31) + 1));
	R("set 1 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	R("set 8192", fcntl(p[1], F_SETPIPE_SZ, 8192));
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	char *big = calloc(1, 20000);
	R("fill", write(p[1], big, 20000));
	R("write more", write(p[1], "x", 1));
	R("shrink below contents", fcntl(p[1], F_SETPIPE_SZ, 4096));
	R("grow with contents", fcntl(p[1], F_SETPIPE_SZ, 16384));
	R("write more", write(p[1], big, 20000));
	R("read", read(p[0], big, 20000));
	free(big);
	fd = open("/proc/self/exe", O_RDONLY);
	R("F_GETPIPE_SZ file", fcntl(fd, F_GETPIPE_SZ));
	R("F_SETPIPE_SZ file", fcntl(fd, F_SETPIPE_SZ, 4096));
	close(fd);
	close(p[0]);
	close(p[1]);
	fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	show("pipe-max-size", buf, n);
	close(fd);
}

static void mem(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char vec[4] = { 0xee, 0xee, 0xee, 0xee };
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m[0] = 1;
	m[2 * pg] = 1;
	R("mincore", mincore(m, 4 * pg, vec));
	printf("vec: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	R("mincore unaligned", mincore(m + 1, pg, vec));
	R("mincore bad vec", mincore(m, pg, (unsigned char *)8));
	munmap(m + pg, pg);
	R("mincore across a hole", mincore(m, 4 * pg, vec));
	R("mincore length 0", mincore(m, 0, vec));
	munmap(m, 4 * pg);
	R("mmap length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	  MAP_FAILED ? -1 : 0);
	R("mmap huge", mmap(NULL, ~(size_t)0 & ~(size_t)(pg - 1), PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	R("mmap 2^47", mmap(NULL, (size_t)1 << 47, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0) == MAP_FAILED ? -1 : 0);
}

/* More than the buffers hold, both ways, in raw mode: the writer waits
 * for the reader (a child writes, the parent reads). */
static void pty_bulk(void)
{
	int s, m = open_pair(&s);
	struct termios t;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	enum { N = 40000 };
	static char big[N], got[N];
	for (int i = 0; i < N; i++)
		big[i] = 'a' + i % 26;
	for (int dirn = 0; dirn < 2; dirn++) {
		int from = dirn ? s : m, to = dirn ? m : s;
		pid_t pid = fork();
		if (pid == 0) {
			long w = 0;
			while (w < N) {
				long n = write(from, big + w, N - w);
				if (n <= 0)
					_exit(1);
				w += n;
			}
			_exit(0);
		}
		long r = 0;
		while (r < N) {
			long n = read(to, got + r, N - r);
			if (n <= 0)
				break;
			r += n;
		}
		int st;
		waitpid(pid, &st, 0);
		printf("%s: read %ld, same %d, writer status %d\n",
		       dirn ? "slave to master" : "master to slave", r,
		       !memcmp(big, got, N), st);
	}
	close(s);
	close(m);
}

static const struct section sections[] = {
	{ "pty", pty_basics },
	{ "ptysess", pty_session },
	{ "ptybulk", pty_bulk },
	{ "memfd", memfd },
	{ "splice", splice_sec },
	{ "pipesz", pipesz },
	{ "mem", mem },
};

int main(int argc, char **argv)
{
	return run_sections(argc, argv, sections, sizeof(sections) / sizeof(sections[0]), &dir);
}
