/* More calls and features added for compatibility (issue 15), each with
 * Linux's results and errors: run natively, then in the guest, output
 * compared. Sections:
 *   pty       /dev/ptmx and /dev/pts/N: openpt, grantpt, unlockpt,
 *             TIOCGPTPEER, both directions through the line discipline
 *             (echo, erase, ^D, ONLCR, raw mode), termios, window size,
 *             poll, ^C to the slave's foreground group, TIOCSCTTY and
 *             /dev/tty, EIO and hang-up when one side closes
 * usage: compat4 DIR [SECTION...]   (DIR: a scratch directory) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
	R("write slave", write(s, "hello\nworld", 11));
	printf("poll: master %x\n", revents(m));
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

static const struct section sections[] = {
	{ "pty", pty_basics },
	{ "ptysess", pty_session },
};

int main(int argc, char **argv)
{
	return run_sections(argc, argv, sections, sizeof(sections) / sizeof(sections[0]), &dir);
}
