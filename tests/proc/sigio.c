/* The "sigio" case: signal-driven I/O. An O_ASYNC pipe or socket signals
 * its owner when data comes: SIGIO (as the kernel's), or the F_SETSIG
 * signal with POLL_IN, the band and the descriptor; the owner may be the
 * caller, its process group or another process (nginx's master sets
 * FIOASYNC and F_SETOWN on its workers' channels); F_SETOWN, F_GETOWN,
 * F_SETOWN_EX, F_GETOWN_EX, F_SETSIG and F_GETSIG with Linux's errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proctest.h"

static volatile sig_atomic_t got_sig, got_code, got_fd, got_band;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_fd = si->si_fd;
	got_band = si->si_band;
}

static void catch(int sig)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Waits up to 2 s for a signal to have been caught. */
static int caught(void)
{
	for (int i = 0; i < 200 && !got_sig; i++)
		usleep(10000);
	return got_sig;
}

static const char *code_name(int code)
{
	return code == SI_KERNEL ? "SI_KERNEL" : code == POLL_IN ? "POLL_IN" :
	       code == POLL_OUT ? "POLL_OUT" : "other";
}

/* Owned by this child: says by its exit status whether SIGIO came. */
static int owned_child(void *arg)
{
	int fd = (int)(long)arg;
	catch(SIGIO);
	if (write(fd, "r", 1) != 1)
		return 2;
	return caught() == SIGIO ? 0 : 1;
}

/* In a group of its own (SIGIO to the caller's would reach whoever
 * started the test): exit status 0 when the group's signal came. */
static int group_owner(void *arg)
{
	(void)arg;
	int p[2];
	setpgid(0, 0);
	catch(SIGIO);
	if (pipe(p) || fcntl(p[0], F_SETOWN, -getpgrp()))
		return 1;
	if (fcntl(p[0], F_GETOWN) != -getpgrp())
		return 2;
	fcntl(p[0], F_SETFL, O_ASYNC);
	got_sig = 0;
	if (write(p[1], "z", 1) != 1)
		return 3;
	return caught() == SIGIO ? 0 : 4;
}

int t_sigio(void)
{
	int p[2];
	if (pipe(p))
		return 1;
	catch(SIGIO);
	catch(SIGRTMIN);
	result("F_GETOWN at first", fcntl(p[0], F_GETOWN));
	result("F_SETOWN to the caller", fcntl(p[0], F_SETOWN, getpid()));
	say("F_GETOWN is the caller: %d", fcntl(p[0], F_GETOWN) == getpid());
	fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK);
	say("F_GETFL has O_ASYNC: %d", !!(fcntl(p[0], F_GETFL) & O_ASYNC));
	got_sig = 0;
	write(p[1], "x", 1);
	int s = caught();
	say("a write to the O_ASYNC pipe: %s, %s", strsignal(s), code_name(got_code));
	char buf[8];
	read(p[0], buf, sizeof(buf));

	result("F_SETSIG SIGRTMIN", fcntl(p[0], F_SETSIG, SIGRTMIN));
	say("F_GETSIG: SIGRTMIN %d", fcntl(p[0], F_GETSIG) == SIGRTMIN);
	got_sig = 0;
	write(p[1], "y", 1);
	s = caught();
	say("with F_SETSIG: SIGRTMIN %d, %s, si_fd is the pipe %d, band has POLLIN %d",
	    s == SIGRTMIN, code_name(got_code), got_fd == p[0], !!(got_band & POLLIN));
	read(p[0], buf, sizeof(buf));
	result("F_SETSIG 65", fcntl(p[0], F_SETSIG, 65));
	fcntl(p[0], F_SETSIG, 0);

	say("owned by a group: %s", status_text(reap(child(group_owner, NULL))));

	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	result("F_SETOWN to nobody", fcntl(p[0], F_SETOWN, gone));
	struct f_owner_ex ex = { 7, getpid() };
	result("F_SETOWN_EX of type 7", fcntl(p[0], F_SETOWN_EX, &ex));
	ex.type = F_OWNER_TID;
	ex.pid = gettid();
	result("F_SETOWN_EX to this thread", fcntl(p[0], F_SETOWN_EX, &ex));
	ex.type = ex.pid = -1;
	fcntl(p[0], F_GETOWN_EX, &ex);
	say("F_GETOWN_EX: F_OWNER_TID %d, this thread %d", ex.type == F_OWNER_TID, ex.pid == gettid());
	result("F_SETOWN 0 (nobody)", fcntl(p[0], F_SETOWN, 0));
	got_sig = 0;
	write(p[1], "w", 1);
	usleep(200000);
	say("without an owner, nothing is signalled: %d", got_sig == 0);
	read(p[0], buf, sizeof(buf));

	/* As nginx: a socketpair, FIOASYNC and FIOSETOWN naming a child. */
	int sv[2], on = 1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	int rp[2];
	if (pipe(rp))
		return 1;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		close(rp[0]);
		_exit(owned_child((void *)(long)rp[1]));
	}
	close(rp[1]);
	read(rp[0], buf, 1);	/* its handler is set */
	result("FIOASYNC", ioctl(sv[0], FIOASYNC, &on));
	result("FIOSETOWN to the child", ioctl(sv[0], FIOSETOWN, &c));
	int who = 0;
	ioctl(sv[0], FIOGETOWN, &who);
	say("FIOGETOWN is the child: %d", who == c);
	got_sig = 0;
	write(sv[1], "s", 1);
	say("the child, owner of the socket: %s", status_text(reap(c)));
	say("and the parent got nothing: %d", got_sig == 0);
	signal(SIGIO, SIG_DFL);
	signal(SIGRTMIN, SIG_DFL);
	return 0;
}
