/* Miscellaneous process/time/info syscalls a libc program commonly makes. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void check(const char *name, int ok)
{
	printf("%s %s\n", name, ok ? "ok" : "bad");
	bad |= !ok;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static volatile int got;
static void handler(int sig) { got = sig; }

int main(void)
{
	struct utsname u;
	check("uname", uname(&u) == 0 && !strcmp(u.sysname, "Linux") &&
	      !strcmp(u.machine, "x86_64"));

	pid_t pid = getpid();
	check("getpid", pid > 0);
	check("gettid", syscall(SYS_gettid) == pid);
	check("getppid", getppid() >= 0);
	errno = 0;
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid(), egid = getegid();
	check("getuid/geteuid/getgid/getegid", errno == 0 && uid == euid && gid == egid);

	struct timespec a, b, res;
	int r1 = clock_gettime(CLOCK_MONOTONIC, &a);
	for (volatile int i = 0; i < 1000000; i++)
		;
	int r2 = clock_gettime(CLOCK_MONOTONIC, &b);
	check("clock_gettime MONOTONIC increasing", r1 == 0 && r2 == 0 && ns(&b) > ns(&a));
	check("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &a) == 0 &&
	      a.tv_sec > 1600000000);
	check("clock_getres", clock_getres(CLOCK_MONOTONIC, &res) == 0 &&
	      res.tv_sec == 0 && res.tv_nsec > 0);

	struct timeval tv;
	int r = gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	check("gettimeofday near time()", r == 0 && tv.tv_usec >= 0 &&
	      tv.tv_usec < 1000000 && t - tv.tv_sec >= 0 && t - tv.tv_sec <= 1);

	struct timespec d = { 0, 50 * 1000000 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	check("nanosleep 50ms", r == 0 && ns(&b) - ns(&a) >= 50 * 1000000LL);

	unsigned char rnd[32] = { 0 }, acc = 0;
	ssize_t n = getrandom(rnd, sizeof(rnd), 0);
	for (int i = 0; i < 32; i++)
		acc |= rnd[i];
	check("getrandom", n == 32 && acc != 0);

	/* the test runner pipes stdout */
	check("isatty(1) false", !isatty(1));
	struct winsize ws;
	errno = 0;
	check("ioctl TIOCGWINSZ ENOTTY", ioctl(1, TIOCGWINSZ, &ws) == -1 && errno == ENOTTY);
	struct stat st;
	check("fstat(1)", fstat(1, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)));

	struct sysinfo si;
	check("sysinfo", sysinfo(&si) == 0 && si.totalram > 0 && si.mem_unit > 0 &&
	      si.freeram <= si.totalram);

	char cwd[256];
	check("getcwd", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"));

	struct rlimit rl, rl2;
	check("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > 0 &&
	      rl.rlim_cur <= rl.rlim_max);
	check("prlimit64 STACK", syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &rl2) == 0 &&
	      rl2.rlim_cur == rl.rlim_cur);

	check("sched_yield", sched_yield() == 0);

	struct sigaction sa = { 0 }, old;
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	r1 = sigaction(SIGUSR1, &sa, NULL);
	r2 = sigaction(SIGUSR1, NULL, &old);
	check("rt_sigaction", r1 == 0 && r2 == 0 && old.sa_handler == handler);

	sigset_t set, cur;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	r1 = sigprocmask(SIG_BLOCK, &set, NULL);
	r2 = sigprocmask(SIG_SETMASK, NULL, &cur);
	check("rt_sigprocmask", r1 == 0 && r2 == 0 && sigismember(&cur, SIGUSR2) == 1);

	return bad;
}
