/* For the terminal tests: job control on the controlling terminal, as a
 * shell uses it. Run on a pseudo-terminal as its session leader (natively
 * as pty.fork makes it, in the guest as PID 1 on the console):
 *   - the caller's group is the foreground one; TIOCGSID is its session
 *   - a background group that reads is stopped by SIGTTIN (EIO when it
 *     ignores SIGTTIN); it may write, unless TOSTOP is set (SIGTTOU,
 *     unless it ignores SIGTTOU); tcsetattr and tcsetpgrp from the
 *     background are stopped by SIGTTOU
 *   - tcsetpgrp hands the terminal to a group and back (the errors: a
 *     group that is gone, a negative one); TIOCSCTTY's and a new
 *     session's errors; /dev/tty without a controlling terminal
 *   - ^Z (typed after "sleeping") stops the foreground child, which the
 *     parent continues; ^C (after "sleeping again") ends it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "../proc/proctest.h"


/* What a background child does; its exit status is 0 or the errno. */
enum job { READ, READ_IGN, WRITE, WRITE_IGN, SETATTR, SETPGRP, TAKE_TTY, NOT_LEADER };

static int run_job(enum job j)
{
	char c;
	struct termios t;
	switch (j) {
	case READ:
		return read(0, &c, 1) < 0 ? errno : 0;
	case READ_IGN:
		signal(SIGTTIN, SIG_IGN);
		return read(0, &c, 1) < 0 ? errno : 0;
	case WRITE_IGN:
		signal(SIGTTOU, SIG_IGN);
		/* fall through */
	case WRITE:
		return write(1, "background write\n", 17) < 0 ? errno : 0;
	case SETATTR:
		tcgetattr(0, &t);
		return tcsetattr(0, TCSANOW, &t) ? errno : 0;
	case SETPGRP:
		return tcsetpgrp(0, getpgrp()) ? errno : 0;
	case TAKE_TTY:
		signal(SIGTTOU, SIG_IGN);
		return tcsetpgrp(0, getpgrp()) ? errno : 0;
	case NOT_LEADER:
		return ioctl(0, TIOCSCTTY, 0) ? errno : 0;
	}
	return 99;
}

/* Runs job j in a new background group: how it ended (or stopped; a
 * stopped job is then killed). */
static const char *background(enum job j)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		setpgid(0, 0);
		_exit(run_job(j));
	}
	setpgid(p, p);
	int st;
	waitpid(p, &st, WUNTRACED);
	const char *s = status_text(st);
	if (WIFSTOPPED(st)) {
		kill(p, SIGKILL);
		waitpid(p, &st, 0);
	}
	return s;
}

static void set_tostop(int on)
{
	struct termios t;
	tcgetattr(0, &t);
	if (on)
		t.c_lflag |= TOSTOP;
	else
		t.c_lflag &= ~TOSTOP;
	tcsetattr(0, TCSANOW, &t);
}

/* In a new session: no controlling terminal. */
static int new_session(void)
{
	setsid();
	errno = 0;
	int r = tcgetpgrp(0);
	say("new session: tcgetpgrp: %d %s", r, strerror(errno));
	errno = 0;
	r = open("/dev/tty", O_RDWR);
	say("new session: open /dev/tty: %d %s", r, strerror(errno));
	result("new session: TIOCSCTTY of another session's terminal", ioctl(0, TIOCSCTTY, 0));
	return 0;
}

static volatile sig_atomic_t continued;

static void on_cont(int sig)
{
	(void)sig;
	continued = 1;
}

/* The foreground job that ^Z stops and ^C ends. Continued, it waits for
 * a byte on go before it says so: the parent's line about the SIGCONT
 * comes first, as with one CPU (with two, both run at once). */
static int foreground_job(int go)
{
	char c;
	signal(SIGCONT, on_cont);
	say("sleeping");
	while (!continued)
		usleep(10000);
	if (read(go, &c, 1) != 1)
		return 1;
	say("sleeping again");
	for (int i = 0; i < 3000; i++)
		usleep(10000);
	return 0;
}

int main(void)
{
	say("foreground: %d", tcgetpgrp(0) == getpgrp());
	pid_t sid = -1;
	ioctl(0, TIOCGSID, &sid);
	say("TIOCGSID is the session: %d", sid == getsid(0));
	say("background read: %s", background(READ));
	say("background read, SIGTTIN ignored: %s", background(READ_IGN));
	say("background write: %s", background(WRITE));
	set_tostop(1);
	say("background write under TOSTOP: %s", background(WRITE));
	say("background write under TOSTOP, SIGTTOU ignored: %s", background(WRITE_IGN));
	set_tostop(0);
	say("background tcsetattr: %s", background(SETATTR));
	say("background tcsetpgrp: %s", background(SETPGRP));
	say("background tcsetpgrp, SIGTTOU ignored: %s", background(TAKE_TTY));
	say("the terminal went with it: %d", tcgetpgrp(0) != getpgrp());
	signal(SIGTTOU, SIG_IGN);	/* as a shell, to take it back */
	result("tcsetpgrp back from the background", tcsetpgrp(0, getpgrp()));
	say("foreground again: %d", tcgetpgrp(0) == getpgrp());
	fflush(stdout);
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	result("tcsetpgrp to a group that is gone", tcsetpgrp(0, gone));
	result("tcsetpgrp to -1", tcsetpgrp(0, -1));
	result("TIOCSCTTY of its own terminal", ioctl(0, TIOCSCTTY, 0));
	say("TIOCSCTTY from a child: %s", background(NOT_LEADER));
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(new_session());
	waitpid(p, NULL, 0);

	int go[2];
	if (pipe(go))
		return 1;
	fflush(stdout);
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		_exit(foreground_job(go[0]));
	}
	setpgid(p, p);
	tcsetpgrp(0, p);
	int st;
	waitpid(p, &st, WUNTRACED);
	say("after ^Z: %s", status_text(st));
	tcsetpgrp(0, getpgrp());
	tcsetpgrp(0, p);
	kill(-p, SIGCONT);
	waitpid(p, &st, WCONTINUED);
	say("after SIGCONT: %s", status_text(st));
	if (write(go[1], "", 1) != 1)
		return 1;
	waitpid(p, &st, 0);
	say("after ^C: %s", status_text(st));
	tcsetpgrp(0, getpgrp());
	say("done");
	return 0;
}
