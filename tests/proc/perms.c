/* The "perms" case: Linux's rules for who may signal whom, and for
 * set-user-ID programs.
 *   - a process of uid 1000 may not signal root's (EPERM, kill 0 too),
 *     nor uid 1001's; it may signal its own uid's, and send SIGCONT to
 *     anyone in its session; a group with no member it may signal is
 *     EPERM, one with one is 0
 *   - a set-user-ID root copy of this program, run by uid 1000, runs with
 *     euid 0 and saved uid 0; AT_UID, AT_EUID and AT_SECURE say so; the
 *     same file without the bit runs as 1000 with AT_SECURE 0
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proctest.h"

int t_ids(void)
{
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	say("uid %u/%u/%u; AT_UID %lu AT_EUID %lu AT_SECURE %lu", r, e, s, getauxval(AT_UID),
	    getauxval(AT_EUID), getauxval(AT_SECURE));
	return 0;
}

static int pause_as(void *arg)
{
	uid_t u = (uid_t)(long)arg;
	if (setresuid(u, u, u))
		return 1;
	for (int i = 0; i < 300; i++)
		usleep(10000);
	return 0;
}

/* As uid 1000: signals root's process (the parent), the uid 1001 and uid
 * 1000 children named in arg. */
struct targets {
	pid_t other, same;
};

static int signaller(void *arg)
{
	const struct targets *t = arg;
	if (setresuid(1000, 1000, 1000))
		return 1;
	result("kill(root's process, 0)", kill(getppid(), 0));
	result("kill(root's process, SIGTERM)", kill(getppid(), SIGTERM));
	result("kill(root's process, SIGCONT) in the session", kill(getppid(), SIGCONT));
	result("kill(uid 1001's, SIGTERM)", kill(t->other, SIGTERM));
	result("kill(-group of uid 1001's, SIGTERM)", kill(-t->other, SIGTERM));
	result("kill(-group of uid 1000's, 0)", kill(-t->same, 0));
	result("kill(uid 1000's, SIGKILL)", kill(t->same, SIGKILL));
	return 0;
}

static int run_ids(void *arg)
{
	const char *prog = arg;
	if (setresuid(1000, 1000, 1000))
		return 1;
	fflush(stdout);
	execl(prog, prog, "ids", (char *)NULL);
	return 127;
}

/* A copy of this program at path with mode. */
static int copy_self(const char *path, mode_t mode)
{
	int in = open(self, O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	if (in < 0 || out < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	return chmod(path, mode);
}

int t_perms(void)
{
	struct targets t;
	t.other = child(pause_as, (void *)1001L);
	t.same = child(pause_as, (void *)1000L);
	setpgid(t.other, t.other);
	setpgid(t.same, t.same);
	usleep(100000);	/* their setresuid */
	say("the signaller: %s", status_text(reap(child(signaller, &t))));
	say("uid 1000's child: %s", status_text(reap(t.same)));
	kill(t.other, SIGKILL);
	say("uid 1001's child (killed by root afterwards): %s", status_text(reap(t.other)));

	const char *suid = "/tmp/proctest-suid";
	if (copy_self(suid, 04755)) {
		say("cannot copy the program to %s", suid);
		return 1;
	}
	struct stat st;
	stat(suid, &st);
	say("the copy is set-user-ID root: %d", (st.st_mode & S_ISUID) && st.st_uid == 0);
	say("run by uid 1000: %s", status_text(reap(child(run_ids, (void *)suid))));
	chmod(suid, 0755);
	say("without the bit: %s", status_text(reap(child(run_ids, (void *)suid))));
	unlink(suid);
	return 0;
}
