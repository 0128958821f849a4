/*
 * Processes, one case per argument; each prints what Linux does, with no
 * PIDs in the output (only how they relate), and exits 0:
 *   fork_cow      fork: the child's writes to globals, heap, stack and a
 *                 private mapping stay its own; a MAP_SHARED|MAP_ANONYMOUS
 *                 page and a shared file offset are shared
 *   forkmem       8 MiB private mappings across fork (tests/proc/forkmem.c)
 *   wait          wait4/waitpid/waitid: a given PID, any, WNOHANG while the
 *                 child runs, WNOWAIT then the real wait, ECHILD, EINVAL,
 *                 exit statuses 0/1/255, rusage
 *   signals       kill and crashes seen by wait: SIGKILL, SIGTERM to a
 *                 handler, SIGSEGV, abort; SIGCHLD's siginfo; SIGCHLD
 *                 ignored reaps at once (wait gets ECHILD)
 *   vfork         the parent waits until the child _exits; the child's
 *                 writes are the parent's memory; vfork + execve
 *   exec          execve of a #! script with an argument, of a missing file
 *                 (ENOENT), of a file without an execute bit and of a
 *                 directory (EACCES), of text without #! (ENOEXEC);
 *                 close-on-exec descriptors gone in the new program
 *   spawn         posix_spawn and posix_spawnp with file actions; a
 *                 missing program
 *   groups        setpgid, getpgid, setsid, getsid with Linux's errors; kill
 *                 of a process group
 *   orphans       PR_SET_CHILD_SUBREAPER: a grandchild whose parent ended
 *                 goes to the subreaper; its getppid says so
 *   locks         fcntl record locks between processes (conflicts,
 *                 F_GETLK's owner, F_SETLKW waiting, release on any close
 *                 and at exit), OFD locks, flock
 *   sysv          System V shared memory shared across fork (nattch,
 *                 IPC_RMID with attaches left) and semaphores (a waiter
 *                 woken by SETVAL, IPC_NOWAIT, a timeout, SEM_UNDO at
 *                 exit, EIDRM for a sleeper of a removed set); errors
 *   creds         the setuid family and groups with Linux's rules, in
 *                 children that drop root in different ways
 *   pidfd         pidfd_open, poll on it until the process ends, waitid
 *                 P_PIDFD, pidfd_send_signal, pidfd_getfd, clone3's
 *                 CLONE_PIDFD
 *   threads       exit_group from a thread of a child ends every thread;
 *                 execve from a second thread replaces the whole process
 *   jobs          job control between processes (tests/proc/jobs.c)
 *   futex         futexes and process-shared pthread objects between
 *                 processes (tests/proc/futex.c)
 *   sigio         signal-driven I/O: O_ASYNC, F_SETOWN and the like
 *                 (tests/proc/sigio.c)
 *   perms         who may signal whom; set-user-ID programs
 *                 (tests/proc/perms.c)
 *   ids           (helper) prints its ids and the auxiliary vector's
 *   fdcheck N...  (helper) prints, per descriptor, whether it is open
 *   exepath       /proc/self/exe after exec of a relative path through a
 *                 symlink (guest only)
 *   exe           (helper) prints /proc/self/exe
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <poll.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proctest.h"

extern char **environ;
const char *self;	/* this program's path */


pid_t child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(fn(arg));
	return p;
}

int reap(pid_t p)
{
	int st = 0;
	if (waitpid(p, &st, 0) != p)
		say("waitpid failed: %s", strerror(errno));
	return st;
}

/* --- fork_cow ------------------------------------------------------------ */
static int global = 1;

static int t_fork_cow(void)
{
	int local = 10;
	char *heap = strdup("parent heap");
	char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	strcpy(priv, "parent private");
	/* The second page of each is left untouched before fork. */
	int fd = open("/tmp/proc-offset", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "0123456789", 10) != 10 || lseek(fd, 0, SEEK_SET))
		return say("setup failed"), 1;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		global = 2;
		local = 20;
		strcpy(heap, "child heap!");
		strcpy(priv, "child private");
		strcpy(priv + 4096, "child page 2");
		strcpy(shared, "written by the child");
		strcpy(shared + 4096, "second page, child");
		lseek(fd, 7, SEEK_SET);
		_exit(0);
	}
	reap(p);
	say("global %d, local %d, heap '%s', private '%s' / '%s'", global, local, heap,
	    priv, priv + 4096);
	say("shared '%s' / '%s'", shared, shared + 4096);
	say("offset after the child's lseek: %ld", (long)lseek(fd, 0, SEEK_CUR));
	/* A page read-only at fork that the child makes writable is still
	 * copied before the child's write lands. */
	char *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(ro, "parent's read-only page");
	mprotect(ro, 4096, PROT_READ);
	fflush(stdout);
	if ((p = fork()) == 0) {
		mprotect(ro, 4096, PROT_READ | PROT_WRITE);
		strcpy(ro, "child's write");
		_exit(0);
	}
	reap(p);
	say("read-only at fork, written by the child after mprotect: '%s'", ro);
	/* Both sides write after fork: each keeps its own. */
	int pfd[2];
	pipe(pfd);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		global = 3;
		char c = global == 3 ? 'y' : 'n';
		write(pfd[1], &c, 1);
		_exit(0);
	}
	global = 4;
	char c;
	read(pfd[0], &c, 1);
	reap(p);
	say("after both wrote: parent sees %d, child saw its own: %c", global, c);
	close(fd);
	unlink("/tmp/proc-offset");
	return 0;
}

/* --- wait ---------------------------------------------------------------- */
static int exit_with(void *arg)
{
	return (int)(long)arg;
}

static int sleep_then_exit(void *arg)
{
	usleep(200000);
	return (int)(long)arg;
}

static int t_wait(void)
{
	int st;
	pid_t a = child(exit_with, (void *)0), b = child(exit_with, (void *)1),
	      c = child(exit_with, (void *)255);
	say("waitpid(b): %s", waitpid(b, &st, 0) == b ? status_text(st) : "wrong pid");
	say("waitpid(a): %s", waitpid(a, &st, 0) == a ? status_text(st) : "wrong pid");
	say("wait(): %s", wait(&st) == c ? status_text(st) : "wrong pid");
	result("wait() with no children", wait(&st));
	pid_t s = child(sleep_then_exit, (void *)7);
	say("WNOHANG while it runs: %d", waitpid(s, &st, WNOHANG));
	siginfo_t si;
	memset(&si, 0xff, sizeof(si));
	int rc = waitid(P_PID, s, &si, WEXITED | WNOWAIT);
	say("waitid WNOWAIT: %d, signo %d, code %d, status %d, pid matches %d", rc,
	    si.si_signo, si.si_code, si.si_status, si.si_pid == s);
	struct rusage ru;
	say("wait4 after WNOWAIT: %s, rusage %s", wait4(s, &st, 0, &ru) == s ? status_text(st) : "wrong pid",
	    ru.ru_utime.tv_sec >= 0 ? "filled" : "bad");
	result("waitpid of a reaped child", waitpid(s, &st, 0));
	result("waitid without WEXITED|WSTOPPED|WCONTINUED", waitid(P_ALL, 0, &si, WNOHANG));
	result("waitpid with bad options", waitpid(-1, &st, 0x100));
	s = child(sleep_then_exit, (void *)3);
	memset(&si, 0xff, sizeof(si));
	rc = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
	say("waitid WNOHANG before the end: %d, pid %d, signo %d", rc, si.si_pid, si.si_signo);
	rc = waitid(P_ALL, 0, &si, WEXITED);
	say("waitid P_ALL: %d, code %d, status %d, pid matches %d", rc, si.si_code,
	    si.si_status, si.si_pid == s);
	/* Every child of the process counts, whichever thread forked it. */
	int *nul = NULL;
	say("wait4 with NULL status: %d", (int)(wait4(child(exit_with, (void *)9), nul, 0, NULL) > 0));
	return 0;
}

/* --- signals ------------------------------------------------------------- */
static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

static volatile sig_atomic_t got_term;
static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static int term_handler_child(void *arg)
{
	int fd = (int)(long)arg;
	signal(SIGTERM, on_term);
	write(fd, "r", 1);
	while (!got_term)
		pause();
	return 42;
}

static int crash(void *arg)
{
	(void)arg;
	*(volatile int *)8 = 1;
	return 0;
}

static int aborter(void *arg)
{
	(void)arg;
	abort();
}

static volatile int depth_sink;
static int recurse_forever(void *arg)
{
	char big[4096];
	big[0] = (char)(long)arg;
	depth_sink += big[0];
	return recurse_forever((void *)(long)(depth_sink & 1)) + big[depth_sink & 7];
}

static volatile sig_atomic_t chld_code, chld_status, chld_pid_ok;
static pid_t expect_pid;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_pid_ok = si->si_pid == expect_pid;
}

static int t_signals(void)
{
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	pid_t p = child(sleeper, NULL);
	kill(p, SIGKILL);
	say("SIGKILL: %s", status_text(reap(p)));
	int pfd[2];
	pipe(pfd);
	p = child(term_handler_child, (void *)(long)pfd[1]);
	char c;
	read(pfd[0], &c, 1);
	kill(p, SIGTERM);
	say("SIGTERM to a handler: %s", status_text(reap(p)));
	say("NULL dereference: %s", status_text(reap(child(crash, NULL))));
	say("abort: %s", status_text(reap(child(aborter, NULL))));
	say("stack overflow: %s", status_text(reap(child(recurse_forever, NULL))));
	result("kill of a reaped child", kill(p, 0));

	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(stdout);
	p = fork();
	if (p == 0)
		_exit(5);
	expect_pid = p;
	sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	say("SIGCHLD: code %s, status %d, pid matches %d",
	    chld_code == CLD_EXITED ? "CLD_EXITED" : "other", chld_status, chld_pid_ok);
	reap(p);
	p = child(sleeper, NULL);
	expect_pid = p;
	sigprocmask(SIG_BLOCK, &block, &old);
	kill(p, SIGUSR1);
	sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	say("SIGCHLD for a killed child: code %s, status %s",
	    chld_code == CLD_KILLED ? "CLD_KILLED" : "other", strsignal(chld_status));
	reap(p);

	signal(SIGCHLD, SIG_IGN);
	p = child(exit_with, (void *)1);
	usleep(100000);
	int st;
	result("SIGCHLD ignored: waitpid", waitpid(p, &st, 0));
	signal(SIGCHLD, SIG_DFL);
	return 0;
}

/* --- vfork --------------------------------------------------------------- */
static int t_vfork(void)
{
	volatile int shared = 1;
	fflush(stdout);
	pid_t p = vfork();
	if (p == 0) {
		shared = 2;
		usleep(100000);	/* the parent must still be waiting */
		shared = 3;
		_exit(4);
	}
	say("after vfork: the parent saw %d", shared);
	say("the child: %s", status_text(reap(p)));
	fflush(stdout);
	p = vfork();
	if (p == 0) {
		char *argv[] = { "sh", "-c", "echo from the exec after vfork; exit 6", NULL };
		execve("/bin/sh", argv, environ);
		_exit(127);
	}
	say("vfork + execve: %s", status_text(reap(p)));
	return 0;
}

/* --- exec ---------------------------------------------------------------- */
static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	write(fd, text, strlen(text));
	close(fd);
	chmod(path, mode);
}

static void try_exec(const char *what, const char *path, char *const argv[])
{
	int pfd[2];
	pipe(pfd);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		close(pfd[0]);
		execv(path, argv);
		int e = errno;
		write(pfd[1], &e, sizeof(e));
		_exit(127);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	int st = reap(p);
	if (n == sizeof(e))
		say("%s: execve failed: %s", what, strerror(e));
	else
		say("%s: ran, %s", what, status_text(st));
}

static int t_exec(void)
{
	mkdir("/tmp/proc-exec", 0755);
	write_file("/tmp/proc-exec/script", "#!/bin/sh -e\necho \"script: $0 $1 $2\"\nexit 3\n", 0755);
	write_file("/tmp/proc-exec/noexec", "#!/bin/sh\necho no\n", 0644);
	write_file("/tmp/proc-exec/text", "just some text\n", 0755);
	write_file("/tmp/proc-exec/badinterp", "#!/nonexistent/interp\n", 0755);
	char *sargv[] = { "script", "one", "two", NULL };
	try_exec("#! script", "/tmp/proc-exec/script", sargv);
	try_exec("missing file", "/tmp/proc-exec/missing", sargv);
	try_exec("no execute bit", "/tmp/proc-exec/noexec", sargv);
	try_exec("a directory", "/tmp/proc-exec", sargv);
	try_exec("text without #!", "/tmp/proc-exec/text", sargv);
	try_exec("missing interpreter", "/tmp/proc-exec/badinterp", sargv);
	/* Descriptors: 5 stays open, 6 closes at exec. */
	int a = open("/proctest", O_RDONLY), b = open("/proctest", O_RDONLY);
	dup2(a, 5);
	dup2(b, 6);
	fcntl(6, F_SETFD, FD_CLOEXEC);
	char *fargv[] = { (char *)self, "fdcheck", "5", "6", NULL };
	try_exec("close-on-exec", self, fargv);
	close(5);
	close(6);
	unlink("/tmp/proc-exec/script");
	unlink("/tmp/proc-exec/noexec");
	unlink("/tmp/proc-exec/text");
	unlink("/tmp/proc-exec/badinterp");
	rmdir("/tmp/proc-exec");
	return 0;
}

/* /proc/self/exe names the file from the root, whatever path (here
 * relative, through a symlink) exec was given (guest only: the native
 * runs' chroot has no /proc). */
static int t_exepath(void)
{
	mkdir("/tmp/proc-exe", 0755);
	symlink(self, "/tmp/proc-exe/link");
	char cwd[256];
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	chdir("/tmp");
	char *argv[] = { (char *)self, "exe", NULL };
	try_exec("relative path through a symlink", "./proc-exe/link", argv);
	chdir(cwd);
	unlink("/tmp/proc-exe/link");
	rmdir("/tmp/proc-exe");
	return 0;
}

static int t_fdcheck(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		say("fd %s: %s", argv[i], fcntl(atoi(argv[i]), F_GETFD) < 0 ? "closed" : "open");
	return 0;
}

/* --- spawn --------------------------------------------------------------- */
static int t_spawn(void)
{
	pid_t p;
	int st;
	char *argv[] = { "sh", "-c", "echo spawned $0; exit 7", NULL };
	int rc = posix_spawn(&p, "/bin/sh", NULL, NULL, argv, environ);
	say("posix_spawn: %d, %s", rc, rc ? "-" : status_text(reap(p)));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/tmp/proc-spawn.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *argv2[] = { "sh", "-c", "echo to a file", NULL };
	rc = posix_spawnp(&p, "sh", &fa, NULL, argv2, environ);
	posix_spawn_file_actions_destroy(&fa);
	st = rc ? 0 : reap(p);
	char buf[64] = { 0 };
	int fd = open("/tmp/proc-spawn.out", O_RDONLY);
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink("/tmp/proc-spawn.out");
	say("posix_spawnp with a redirection: %d, %s, file holds '%.*s'", rc, status_text(st),
	    (int)strcspn(buf, "\n"), buf);
	char *argv3[] = { "missing", NULL };
	rc = posix_spawn(&p, "/no/such/program", NULL, NULL, argv3, environ);
	say("posix_spawn of a missing program: %s", rc ? strerror(rc) : status_text(reap(p)));
	return 0;
}

/* --- groups -------------------------------------------------------------- */
static int own_group_then_wait(void *arg)
{
	int fd = (int)(long)arg;
	setpgid(0, 0);
	char r = getpgrp() == getpid() ? 'y' : 'n';
	write(fd, &r, 1);
	pause();
	return 0;
}

static int new_session(void *arg)
{
	(void)arg;
	pid_t sid = setsid();
	int ok = sid == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
	errno = 0;
	int again = setsid();
	return ok * 10 + (again == -1 && errno == EPERM);
}

static int t_groups(void)
{
	result("setpgid(0, -1)", setpgid(0, -1));
	result("getpgid of no process", getpgid(99999));
	int pfd[2];
	pipe(pfd);
	pid_t a = child(own_group_then_wait, (void *)(long)pfd[1]);
	char r;
	read(pfd[0], &r, 1);
	say("child in its own group: %c; getpgid(child) is the child: %d", r, getpgid(a) == a);
	/* Another child joins that group; a kill of the group reaches both. */
	pid_t b = child(sleeper, NULL);
	say("setpgid(b, a's group): %d", setpgid(b, a));
	say("getpgid(b) is a: %d", getpgid(b) == a);
	result("setpgid to a group that does not exist", setpgid(b, 99999));
	kill(-a, SIGTERM);
	int sa_ = reap(a), sb_ = reap(b);
	say("group kill: a %s,", status_text(sa_));
	say("            b %s", status_text(sb_));
	result("kill of an empty group", kill(-a, SIGTERM));
	say("setsid in a child: %d", WEXITSTATUS(reap(child(new_session, NULL))));
	say("getsid(0) is getsid(getpid()): %d", getsid(0) == getsid(getpid()));
	/* A child that has exec'd cannot be moved by its parent. */
	char *argv[] = { "sh", "-c", "sleep 1", NULL };
	pid_t e;
	posix_spawn(&e, "/bin/sh", NULL, NULL, argv, environ);
	usleep(300000);
	result("setpgid of a child after its execve", setpgid(e, e));
	reap(e);
	return 0;
}

/* --- orphans ------------------------------------------------------------- */
static int orphan_maker(void *arg)
{
	int fd = (int)(long)arg, ready[2];
	pipe(ready);
	fflush(stdout);
	pid_t g = fork();
	if (g == 0) {
		pid_t before = getppid();
		write(ready[1], "r", 1);	/* its parent may go now */
		usleep(300000);
		pid_t after = getppid();
		char r = after != before ? 'y' : 'n';
		write(fd, &r, 1);
		write(fd, &after, sizeof(after));
		_exit(0);
	}
	char c;
	read(ready[0], &c, 1);
	return 0;
}

static int t_orphans(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return say("PR_SET_CHILD_SUBREAPER: %s", strerror(errno)), 1;
	int is = 0;
	prctl(PR_GET_CHILD_SUBREAPER, &is, 0, 0, 0);
	say("subreaper: %d", is);
	int pfd[2];
	pipe(pfd);
	pid_t p = child(orphan_maker, (void *)(long)pfd[1]);
	say("the middle process: %s", status_text(reap(p)));
	char r;
	pid_t newparent;
	read(pfd[0], &r, 1);
	read(pfd[0], &newparent, sizeof(newparent));
	say("the orphan's parent changed: %c, to the subreaper: %d", r, newparent == getpid());
	int st;
	say("the subreaper waits for it: %d", wait(&st) > 0 && WIFEXITED(st));
	return 0;
}

/* --- locks --------------------------------------------------------------- */
static int lock_range(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

static int lock_child(void *arg)
{
	int fd = open("/tmp/proc-locks", O_RDWR), sync = (int)(long)arg;
	result("child: F_SETLK [5,15) over the parent's [0,10)", lock_range(fd, F_SETLK, F_WRLCK, 5, 10));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 10 };
	fcntl(fd, F_GETLK, &fl);
	say("child: F_GETLK: %s from %ld for %ld, owner is the parent %d",
	    fl.l_type == F_WRLCK ? "F_WRLCK" : "other", (long)fl.l_start, (long)fl.l_len,
	    fl.l_pid == getppid());
	result("child: F_SETLK [10,20)", lock_range(fd, F_SETLK, F_WRLCK, 10, 10));
	result("child: F_SETLK read lock [0,5)", lock_range(fd, F_SETLK, F_RDLCK, 0, 5));
	write(sync, "w", 1);	/* the parent lets go after a while */
	result("child: F_SETLKW [0,10) waits, then", lock_range(fd, F_SETLKW, F_WRLCK, 0, 10));
	return 0;
}

static int flock_child(void *arg)
{
	int fd = open("/tmp/proc-locks", O_RDWR), inherited = (int)(long)arg;
	result("child: flock LOCK_EX|LOCK_NB on its own open", flock(fd, LOCK_EX | LOCK_NB));
	result("child: flock on the inherited description", flock(inherited, LOCK_EX | LOCK_NB));
	return 0;
}

static int t_locks(void)
{
	int fd = open("/tmp/proc-locks", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789abcdefghij", 20);
	result("parent: F_SETLK [0,10)", lock_range(fd, F_SETLK, F_WRLCK, 0, 10));
	int pfd[2];
	pipe(pfd);
	pid_t c = child(lock_child, (void *)(long)pfd[1]);
	char w;
	read(pfd[0], &w, 1);
	usleep(200000);
	lock_range(fd, F_SETLK, F_UNLCK, 0, 10);
	say("lock child: %s", status_text(reap(c)));
	/* Closing any descriptor of the file drops the process's locks. */
	lock_range(fd, F_SETLK, F_WRLCK, 0, 0);
	close(open("/tmp/proc-locks", O_RDONLY));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	fcntl(fd, F_GETLK, &fl);
	say("after closing another descriptor: %s", fl.l_type == F_UNLCK ? "unlocked" : "still locked");
	/* OFD locks: owned by the open description, l_pid -1, and they
	 * conflict with a process's record locks. */
	int ofd = open("/tmp/proc-locks", O_RDWR);
	struct flock ol = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 4 };
	result("OFD lock [0,4)", fcntl(ofd, F_OFD_SETLK, &ol));
	int other = open("/tmp/proc-locks", O_RDWR);
	result("another description's OFD lock [2,6)", lock_range(other, F_OFD_SETLK, F_WRLCK, 2, 4));
	struct flock q = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 1 };
	fcntl(other, F_OFD_GETLK, &q);
	say("F_OFD_GETLK: %s, l_pid %d", q.l_type == F_WRLCK ? "F_WRLCK" : "other", q.l_pid);
	result("a record lock over the OFD lock", lock_range(fd, F_SETLK, F_RDLCK, 0, 2));
	close(ofd);
	close(other);
	/* flock: per description; a child's own open conflicts, the
	 * inherited description is the same owner. */
	result("parent: flock LOCK_EX", flock(fd, LOCK_EX));
	say("flock child: %s", status_text(reap(child(flock_child, (void *)(long)fd))));
	result("flock LOCK_UN", flock(fd, LOCK_UN));
	result("record lock with a read-only descriptor: F_WRLCK",
	       lock_range(open("/tmp/proc-locks", O_RDONLY), F_SETLK, F_WRLCK, 0, 1));
	close(fd);
	unlink("/tmp/proc-locks");
	return 0;
}

/* --- sysv ---------------------------------------------------------------- */
#define TEST_KEY 0x7e57ab1e

static int shm_child(void *arg)
{
	char *mem = arg;
	strcpy(mem, "written by the child");
	return 0;
}

static int sem_waiter(void *arg)
{
	int id = (int)(long)arg;
	struct sembuf down = { 0, -1, 0 };
	result("child: semop -1 waits, then", semop(id, &down, 1));
	return 0;
}

static int sem_undoer(void *arg)
{
	int id = (int)(long)arg;
	struct sembuf up = { 1, 5, SEM_UNDO };
	semop(id, &up, 1);
	return semctl(id, 1, GETVAL);
}

static int sem_removed(void *arg)
{
	int id = (int)(long)arg;
	struct sembuf down = { 0, -1, 0 };
	result("child: semop on a set removed while it waits", semop(id, &down, 1));
	return 0;
}

static int t_sysv(void)
{
	int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	char *mem = shmat(id, NULL, 0);
	say("shmat: %s", mem == (void *)-1 ? strerror(errno) : "attached");
	struct shmid_ds ds;
	shmctl(id, IPC_STAT, &ds);
	say("size %zu, nattch %lu, mode %o", ds.shm_segsz, (unsigned long)ds.shm_nattch,
	    ds.shm_perm.mode & 0777);
	int cst = reap(child(shm_child, mem));
	say("child: %s; the parent reads '%s'", status_text(cst), mem);
	int other = shmget(IPC_PRIVATE, 4096, 0600);
	char *two = shmat(other, NULL, SHM_RDONLY);
	shmctl(id, IPC_RMID, NULL);
	shmctl(id, IPC_STAT, &ds);
	say("after IPC_RMID: still attached %lu, marked for removal %d", (unsigned long)ds.shm_nattch,
	    !!(ds.shm_perm.mode & 01000));
	result("shmdt", shmdt(mem));
	result("IPC_STAT after the last shmdt", shmctl(id, IPC_STAT, &ds));
	result("shmdt of an address that is no attach", shmdt(mem + 4096));
	result("shmat of a bad id", (long)shmat(-5, NULL, 0));
	shmdt(two);
	shmctl(other, IPC_RMID, NULL);
	int k = shmget(TEST_KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	result("shmget of the key again with IPC_EXCL", shmget(TEST_KEY, 4096, IPC_CREAT | IPC_EXCL | 0600));
	say("shmget of the key finds it: %d", shmget(TEST_KEY, 100, 0) == k);
	result("shmget bigger than it is", shmget(TEST_KEY, 8192, 0));
	shmctl(k, IPC_RMID, NULL);
	result("shmget of a key nobody made", shmget(TEST_KEY + 1, 4096, 0600));

	int s = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	pid_t w = child(sem_waiter, (void *)(long)s);
	usleep(200000);
	say("waiting for an increase: %d", semctl(s, 0, GETNCNT));
	semctl(s, 0, SETVAL, 1);
	int wst = reap(w);
	say("waiter: %s; value now %d", status_text(wst), semctl(s, 0, GETVAL));
	struct sembuf down = { 0, -1, IPC_NOWAIT };
	result("semop IPC_NOWAIT on 0", semop(s, &down, 1));
	struct timespec ts = { 0, 50000000 };
	down.sem_flg = 0;
	result("semtimedop with 50 ms", semtimedop(s, &down, 1, &ts));
	int st = reap(child(sem_undoer, (void *)(long)s));
	say("the child saw %d; after its end SEM_UNDO leaves %d", WEXITSTATUS(st), semctl(s, 1, GETVAL));
	unsigned short all[2] = { 3, 4 };
	semctl(s, 0, SETALL, all);
	all[0] = all[1] = 0;
	semctl(s, 0, GETALL, all);
	say("SETALL then GETALL: %d %d", all[0], all[1]);
	struct sembuf two_ops[2] = { { 0, -3, 0 }, { 1, -5, IPC_NOWAIT } };
	result("two operations, the second cannot", semop(s, two_ops, 2));
	say("so neither happened: %d %d", semctl(s, 0, GETVAL), semctl(s, 1, GETVAL));
	semctl(s, 0, SETVAL, 0);
	w = child(sem_removed, (void *)(long)s);
	usleep(200000);
	semctl(s, 0, IPC_RMID);
	say("its child: %s", status_text(reap(w)));
	result("semctl of the removed set", semctl(s, 0, GETVAL));
	result("semget with too many semaphores", semget(IPC_PRIVATE, 40000, 0600));
	return 0;
}

/* --- creds --------------------------------------------------------------- */
static void show_ids(const char *when)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	say("%s: uid %u/%u/%u gid %u/%u/%u fsuid %d groups %d", when, r, e, s, gr, ge, gs,
	    setfsuid(-1), getgroups(0, NULL));
}

static int drop_with_setresuid(void *arg)
{
	(void)arg;
	gid_t g[] = { 100, 200 };
	result("setgroups", setgroups(2, g));
	result("setresgid(1000, 1000, 1000)", setresgid(1000, 1000, 1000));
	result("setresuid(1000, 1000, 0)", setresuid(1000, 1000, 0));
	show_ids("after");
	gid_t got[4] = { 0 };
	int n = getgroups(4, got);
	say("getgroups: %d: %u %u", n, got[0], got[1]);
	result("getgroups with too small a list", getgroups(1, got));
	result("setgroups unprivileged", setgroups(0, NULL));
	result("setuid(0) through the saved uid", setuid(0));
	show_ids("back");
	result("setresuid(2000, -1, -1) as root", setresuid(2000, -1, -1));
	result("setuid(3000) as root sets all three", setuid(3000));
	show_ids("all 3000");
	result("setuid(0) now", setuid(0));
	result("seteuid(3000)", seteuid(3000));
	result("setreuid(-1, 1)", setreuid(-1, 1));
	result("setfsuid(5) returns the old one", setfsuid(5));
	show_ids("end");
	return 0;
}

static int drop_with_setreuid(void *arg)
{
	(void)arg;
	result("setreuid(1000, 1001)", setreuid(1000, 1001));
	show_ids("after");
	result("setreuid(1001, -1): real to the effective", setreuid(1001, -1));
	result("setreuid(-1, 1000)", setreuid(-1, 1000));
	show_ids("then");
	result("setreuid(7, -1)", setreuid(7, -1));
	result("setgid(5) unprivileged", setgid(5));
	return 0;
}

static int t_creds(void)
{
	show_ids("root");
	say("setresuid child: %s", status_text(reap(child(drop_with_setresuid, NULL))));
	say("setreuid child: %s", status_text(reap(child(drop_with_setreuid, NULL))));
	show_ids("the parent is still");
	return 0;
}

/* --- pidfd --------------------------------------------------------------- */
static int t_pidfd(void)
{
	int pfd[2];
	pipe(pfd);
	pid_t p = child(sleep_then_exit, (void *)6);
	int fd = syscall(SYS_pidfd_open, p, 0);
	say("pidfd_open: %s", fd >= 0 ? "a descriptor" : strerror(errno));
	struct pollfd pf = { fd, POLLIN, 0 };
	say("poll while it runs: %d", poll(&pf, 1, 0));
	int ready = poll(&pf, 1, 5000);
	say("poll until it ends: %d, revents POLLIN %d", ready, !!(pf.revents & POLLIN));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	result("waitid P_PIDFD", waitid(P_PIDFD, fd, &si, WEXITED));
	say("status %d, pid matches %d", si.si_status, si.si_pid == p);
	result("pidfd_send_signal to the reaped child", syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
	close(fd);
	result("pidfd_open of no process", syscall(SYS_pidfd_open, 99999, 0));
	result("pidfd_open with bad flags", syscall(SYS_pidfd_open, getpid(), 1));
	/* A descriptor of another process, taken with pidfd_getfd. */
	p = child(sleeper, NULL);
	fd = syscall(SYS_pidfd_open, p, 0);
	int dup_of_pipe = syscall(SYS_pidfd_getfd, fd, pfd[1], 0);
	write(dup_of_pipe, "z", 1);
	char c = 0;
	read(pfd[0], &c, 1);
	say("pidfd_getfd: wrote through the copy: %c; close-on-exec %d", c,
	    fcntl(dup_of_pipe, F_GETFD) & FD_CLOEXEC);
	result("pidfd_send_signal SIGKILL", syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0));
	say("it: %s", status_text(reap(p)));
	close(fd);
	/* clone3 with CLONE_PIDFD: the parent's pidfd, not the child's. */
	int cfd = -1;
	struct clone_args args = { .flags = CLONE_PIDFD, .pidfd = (unsigned long)&cfd,
				   .exit_signal = SIGCHLD };
	fflush(stdout);
	long r = syscall(SYS_clone3, &args, sizeof(args));
	if (r == 0)
		_exit(fcntl(cfd, F_GETFD) < 0 ? 3 : 4);
	say("clone3 CLONE_PIDFD: pidfd %s", cfd >= 0 ? "given" : "missing");
	memset(&si, 0, sizeof(si));
	waitid(P_PIDFD, cfd, &si, WEXITED);
	say("the child had no pidfd of its own: %d", si.si_status == 3);
	close(cfd);
	/* A pidfd closed before a process ends leaves nothing to wake. */
	close(syscall(SYS_pidfd_open, getpid(), 0));
	say("a child ends after a pidfd was closed: %s", status_text(reap(child(sleep_then_exit, (void *)1))));
	return 0;
}

/* --- threads ------------------------------------------------------------- */
static void *exit_in_thread(void *arg)
{
	(void)arg;
	usleep(50000);
	exit(5);
}

static void *spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int threads_then_exit(void *arg)
{
	(void)arg;
	pthread_t t;
	pthread_create(&t, NULL, spin_forever, NULL);
	pthread_create(&t, NULL, exit_in_thread, NULL);
	for (;;)
		pause();
	return 0;
}

static void *exec_in_thread(void *arg)
{
	(void)arg;
	char *argv[] = { "sh", "-c", "echo exec from a thread; exit 8", NULL };
	execve("/bin/sh", argv, environ);
	return NULL;
}

static int threads_then_exec(void *arg)
{
	(void)arg;
	pthread_t t;
	pthread_create(&t, NULL, spin_forever, NULL);
	pthread_create(&t, NULL, exec_in_thread, NULL);
	for (;;)
		pause();
	return 0;
}

static int t_threads(void)
{
	say("exit from one thread of three: %s", status_text(reap(child(threads_then_exit, NULL))));
	say("execve from one thread of three: %s", status_text(reap(child(threads_then_exec, NULL))));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "fork_cow", t_fork_cow }, { "wait", t_wait },     { "signals", t_signals },
		{ "vfork", t_vfork },       { "exec", t_exec },     { "spawn", t_spawn },
		{ "groups", t_groups },     { "orphans", t_orphans }, { "threads", t_threads },
		{ "locks", t_locks },       { "sysv", t_sysv },       { "creds", t_creds },
		{ "pidfd", t_pidfd },       { "jobs", t_jobs },       { "futex", t_futex },
		{ "sigio", t_sigio },       { "perms", t_perms },     { "caps", t_caps },
		{ "capshow", t_capshow },
		{ "signalfd", t_signalfd }, { "fsperm", t_fsperm },
		{ "exepath", t_exepath },   { "forkmem", t_forkmem },
	};
	self = argv[0];
	if (argc >= 2 && !strcmp(argv[1], "fdcheck"))
		return t_fdcheck(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "exe")) {
		char buf[256];
		ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		say("/proc/self/exe: %s", buf);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "ids"))
		return t_ids();
	if (argc != 2)
		return fprintf(stderr, "usage: proc CASE\n"), 2;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(argv[1], cases[i].name))
			return cases[i].fn();
	fprintf(stderr, "proc: no case %s\n", argv[1]);
	return 2;
}
