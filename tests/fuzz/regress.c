/* Regression cases for the bugs the system-call fuzzer (sysfuzz.c) found:
 * each is the smallest sequence of calls that showed one, safe to make
 * natively. One line per case; run natively and in the guest, the two
 * outputs must be the same (tests/fuzz/run-fuzz-tests.sh).
 *
 * usage: regress [CASE...]   (default: all) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "spawn.h"

static long sys(long n, long a, long b, long c, long d, long e)
{
	long r = syscall(n, a, b, c, d, e);
	return r < 0 ? -errno : r;
}

/* A pidfd closed, then a process ends: the end woke the closed pidfd's
 * wait queue (a NULL in the kernel's table). */
static void pidfd_closed_then_exit(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		usleep(20000);
		_exit(7);
	}
	long fd = sys(SYS_pidfd_open, pid, 0, 0, 0, 0);
	if (fd >= 0)
		close((int)fd);
	int st;
	waitpid(pid, &st, 0);
	printf("pidfd-closed-then-exit: pidfd %s, child status %d\n",
	       fd >= 0 ? "made" : "failed", WEXITSTATUS(st));
}

/* brk(-1): rounded up to a page it wrapped to 0, and the kernel shrank
 * the heap from there, unmapping the program. Linux leaves brk alone. */
static void brk_minus_one(void)
{
	long cur = sys(SYS_brk, 0, 0, 0, 0, 0);
	long r = sys(SYS_brk, -1, 0, 0, 0, 0);
	long r2 = sys(SYS_brk, (long)0xfffffffffffff000UL, 0, 0, 0, 0);
	printf("brk-minus-one: %s, %s\n", r == cur ? "unchanged" : "moved",
	       r2 == cur ? "unchanged" : "moved");
}

/* rmdir of a mountpoint: the lookup crosses into the mounted file
 * system's root, which is covered by nothing, so the check for a covered
 * directory let the underlying directory go (rmdir("/dev") = 0), and
 * its mount with it: later lookups freed vnodes twice. /proc is a mount
 * wherever /proc/self exists, natively too. */
static void rmdir_mountpoint(void)
{
	if (access("/proc/self/status", R_OK) != 0) {
		printf("rmdir-mountpoint: no /proc\n");
		return;
	}
	long r = sys(SYS_rmdir, (long)"/proc", 0, 0, 0, 0);
	long r2 = sys(SYS_unlinkat, AT_FDCWD, (long)"/proc/", AT_REMOVEDIR, 0, 0);
	printf("rmdir-mountpoint: %s, %s, /proc/self %s\n", strerror((int)-r),
	       strerror((int)-r2), access("/proc/self/status", R_OK) ? "gone" : "there");
}

/* ".." from a /proc directory whose parent vnode had been freed: procfs
 * vnodes, made per lookup, did not hold their parent. */
static void proc_dotdot(void)
{
	long r1 = sys(SYS_chdir, (long)"/proc/self/fd", 0, 0, 0, 0);
	long r2 = sys(SYS_chdir, (long)"/", 0, 0, 0, 0);
	long r3 = sys(SYS_chdir, (long)"/proc/self/fd", 0, 0, 0, 0);
	long r4 = sys(SYS_chdir, (long)"..", 0, 0, 0, 0);
	long r5 = sys(SYS_chdir, (long)"..", 0, 0, 0, 0);
	long r6 = access("self/status", R_OK) ? -errno : 0;
	chdir("/");
	printf("proc-dotdot: %ld %ld %ld %ld %ld, then self/status %ld\n", r1, r2, r3, r4, r5, r6);
}

/* sendfile from /dev/zero with a count of 1 << 40: the kernel copied it
 * all, holding the CPU for hours (a hang); Linux stops at MAX_RW_COUNT. */
static void sendfile_huge(void)
{
	int z = open("/dev/zero", O_RDONLY), n = open("/dev/null", O_WRONLY);
	long r = sys(SYS_sendfile, n, z, 0, 1L << 40, 0);
	close(z);
	close(n);
	printf("sendfile-huge: %ld\n", r);
}

/* bind of a UDP socket to an address that is not local, in a guest with
 * no network: the broadcast check took netif_default, NULL there (a
 * kernel fault). 192.0.2.1 (TEST-NET-1) is nobody's; 255.255.255.255 is
 * allowed. */
static void bind_no_network(void)
{
	static const char *const addrs[] = { "192.0.2.1", "255.255.255.255" };
	printf("bind-no-network:");
	for (int i = 0; i < 2; i++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in in = { .sin_family = AF_INET };
		inet_pton(AF_INET, addrs[i], &in.sin_addr);
		long r = bind(s, (struct sockaddr *)&in, sizeof(in)) ? -errno : 0;
		printf(" %s %s", addrs[i], r ? strerror((int)-r) : "bound");
		close(s);
	}
	printf("\n");
}

/* A process-directed signal (an itimer's SIGALRM) that fires while the
 * CPU idles after a thread's exit: the kernel gave it to the running
 * thread, the dead one, and it was lost, leaving the main thread blocked
 * in read for good. Linux interrupts the read (EINTR: no SA_RESTART). */
static void on_alarm(int sig)
{
	(void)sig;
}

/* clone whose child (a thread here) calls exit at once, touching no
 * memory: it needs no stack of its own. */
static long clone_exit_at_once(unsigned long flags)
{
	return raw_spawn(SYS_clone, (long)flags, 0, 0, 0, 0, 0);
}

static void alarm_after_thread_exit(void)
{
	int p[2];
	char c;
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(p))
		return;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	/* The thread runs (and ends) once the main thread blocks in read. */
	clone_exit_at_once(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			   CLONE_THREAD | CLONE_SYSVSEM);
	long r = read(p[0], &c, 1) < 0 ? -errno : 0;
	close(p[0]);
	close(p[1]);
	signal(SIGALRM, SIG_DFL);
	printf("alarm-after-thread-exit: read %s\n", r ? strerror((int)-r) : "returned");
}

/* clone with CLONE_VFORK and CLONE_THREAD: the parent waits until the
 * thread ends, but the kernel released a vfork only when a process ended,
 * so the parent waited for good. */
static void vfork_thread(void)
{
	long r = clone_exit_at_once(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				    CLONE_THREAD | CLONE_SYSVSEM | CLONE_VFORK);
	printf("vfork-thread: %s\n", r > 0 ? "the thread ended" : strerror((int)-r));
}

/* SIGCHLD sent while the parent blocked it waits in the process's set;
 * sigsuspend unblocking it looked only at the thread's own set and slept
 * for good (proc.signals hung now and then under load). */
static volatile sig_atomic_t got_chld;

static void on_chld(int sig)
{
	(void)sig;
	got_chld = 1;
}

static void sigsuspend_pending(void)
{
	struct sigaction sa = { .sa_handler = on_chld };
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);	/* it has ended */
	long r = sigsuspend(&old) ? -errno : 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	waitpid(pid, NULL, 0);
	signal(SIGCHLD, SIG_DFL);
	printf("sigsuspend-pending: %s, handler %s\n", strerror((int)-r),
	       got_chld ? "ran" : "did not run");
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "pidfd-closed-then-exit", pidfd_closed_then_exit },
	{ "brk-minus-one", brk_minus_one },
	{ "rmdir-mountpoint", rmdir_mountpoint },
	{ "proc-dotdot", proc_dotdot },
	{ "sendfile-huge", sendfile_huge },
	{ "bind-no-network", bind_no_network },
	{ "alarm-after-thread-exit", alarm_after_thread_exit },
	{ "vfork-thread", vfork_thread },
	{ "sigsuspend-pending", sigsuspend_pending },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int run = argc < 2;
		for (int j = 1; j < argc; j++)
			run |= !strcmp(argv[j], cases[i].name);
		if (run)
			cases[i].fn();
	}
	return 0;
}
