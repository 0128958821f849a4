/* Calls and files CPython's and Go's own tests found missing (issue 15),
 * each with Linux's results and errors: run natively, then in the guest,
 * output compared. Sections:
 *   nofile    descriptors above 1024 once RLIMIT_NOFILE allows them; the
 *             limit's errors (dup2 EBADF, F_DUPFD EINVAL, open EMFILE)
 *   prio      sched_get_priority_min/max of every policy
 *   clocks    thread and process CPU-time clocks by id; clock_settime's
 *             and settimeofday's errors (the host's clock is never set)
 *   status    /proc/self/status's signal sets, /proc/self/task,
 *             /proc/thread-self
 *   pidfd     pidfd_send_signal through a /proc/PID descriptor
 *   mmaperr   mmap's errors for lengths, offsets and types
 *   dnotify   F_NOTIFY without events (CPython's test_fcntl_64_bit); the
 *             guest refuses asking for events, which is not shown here
 * usage: compat3 DIR [SECTION...]   (DIR: a scratch directory) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sections.h"

static const char *dir;

static void t_nofile(void)
{
	struct rlimit old, rl;
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = old.rlim_max < 4096 ? old.rlim_max : 4096;
	R("raise the soft limit to 4096", setrlimit(RLIMIT_NOFILE, &rl));
	int pp[2];
	pipe(pp);
	write(pp[1], "x", 1);
	R("dup2 to 3000", dup2(pp[0], 3000));
	R("F_DUPFD from 2000", fcntl(pp[0], F_DUPFD, 2000));
	int opened = 0, last = -1;
	for (int i = 0; i < 1200; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		opened++;
		last = fd;
	}
	printf("opened %d, the last above 1024: %s\n", opened, last > 1024 ? "yes" : "no");
	struct pollfd p = { .fd = 3000, .events = POLLIN };
	R("poll of fd 3000", poll(&p, 1, 0));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	R("epoll_ctl ADD fd 3000", epoll_ctl(ep, EPOLL_CTL_ADD, 3000, &ev));
	close(ep);
	FILE *st = fopen("/proc/self/status", "r");
	char line[256];
	int fdsize = 0;
	while (st && fgets(line, sizeof(line), st))
		sscanf(line, "FDSize: %d", &fdsize);
	if (st)
		fclose(st);
	printf("FDSize above 3000: %s\n", fdsize > 3000 ? "yes" : "no");
	R("close 3000", close(3000));
	for (int fd = 3; fd <= last; fd++)
		if (fd != 3000 && fd != pp[0] && fd != pp[1])
			close(fd);
	rl.rlim_cur = 1024;
	R("lower the soft limit to 1024", setrlimit(RLIMIT_NOFILE, &rl));
	R("dup2 to 1500", dup2(pp[0], 1500));
	R("F_DUPFD from 1500", fcntl(pp[0], F_DUPFD, 1500));
	R("F_DUPFD from 1023", fcntl(pp[0], F_DUPFD, 1023));
	close(1023);
	R("poll of 1025 entries", syscall(SYS_poll, NULL, 1025, 0));
	rl.rlim_cur = 10;
	R("a soft limit of 10", setrlimit(RLIMIT_NOFILE, &rl));
	int n = 0, e = 0;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			e = errno;
			break;
		}
		n++;
	}
	printf("then %d more opened, then %s\n", n, ename(e));
	for (int fd = 3; fd < 10; fd++)
		if (fd != pp[0] && fd != pp[1])
			close(fd);
	close(pp[0]);
	close(pp[1]);
	rl.rlim_cur = rl.rlim_max + 1;
	R("a soft limit above the hard one", setrlimit(RLIMIT_NOFILE, &rl));
	R("back to the old limits", setrlimit(RLIMIT_NOFILE, &old));
}

static void t_prio(void)
{
	char label[64];
	/* Not 7: newer kernels than 6.1 know a policy 7 (SCHED_EXT). */
	for (int policy = -1; policy <= 6; policy++) {
		snprintf(label, sizeof(label), "min of policy %d", policy);
		R(label, sched_get_priority_min(policy));
		snprintf(label, sizeof(label), "max of policy %d", policy);
		R(label, sched_get_priority_max(policy));
	}
}

static volatile int spin_stop;
static volatile int spin_tid;

static void *spinner(void *arg)
{
	(void)arg;
	spin_tid = gettid();
	while (!spin_stop)
		;
	return NULL;
}

/* A clock's reading as "positive" or the error. */
static void clock_pos(const char *label, clockid_t c)
{
	struct timespec ts;
	if (clock_gettime(c, &ts))
		printf("%s: -1 %s\n", label, ename(errno));
	else
		printf("%s: %s\n", label, ts.tv_sec > 0 || ts.tv_nsec > 0 ? "positive" : "zero");
}

static uint64_t ns_of(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void t_clocks(void)
{
	clockid_t self, proc;
	R("pthread_getcpuclockid of self", pthread_getcpuclockid(pthread_self(), &self));
	clock_pos("the thread's clock", self);
	uint64_t a = ns_of(self);
	for (volatile int i = 0; i < 20000000; i++)
		;
	printf("the thread's clock advances with work: %s\n", ns_of(self) > a ? "yes" : "no");
	struct timespec res;
	R("clock_getres of it", clock_getres(self, &res));
	pthread_t t;
	pthread_create(&t, NULL, spinner, NULL);
	while (!spin_tid)
		;
	clockid_t other;
	R("pthread_getcpuclockid of another thread", pthread_getcpuclockid(t, &other));
	struct timespec ts;
	R("its clock reads", clock_gettime(other, &ts));
	spin_stop = 1;
	pthread_join(t, NULL);
	R("clock_getcpuclockid of self", clock_getcpuclockid(0, &proc));
	clock_pos("the process's clock", proc);
	R("clock_getcpuclockid of getpid()", clock_getcpuclockid(getpid(), &proc));
	clock_pos("that clock", proc);
	/* A PID nobody has: the clock id is made, reading it fails. */
	clockid_t none = (clockid_t)((~4194000u << 3) | 2);
	R("a clock of no process", clock_gettime(none, &ts));
	R("a thread clock of no thread", clock_gettime(none | 4, &ts));
	R("a descriptor's clock (which 3)", clock_gettime((clockid_t)((~0u << 3) | 3), &ts));
	R("clock 100", clock_gettime(100, &ts));

	clock_gettime(CLOCK_MONOTONIC, &ts);
	R("clock_settime MONOTONIC", clock_settime(CLOCK_MONOTONIC, &ts));
	R("clock_settime of the thread's clock", clock_settime(self, &ts));
	R("clock_settime clock 100", clock_settime(100, &ts));
	struct timespec bad = { .tv_sec = 1, .tv_nsec = 1000000000 };
	R("clock_settime REALTIME, 1e9 ns", clock_settime(CLOCK_REALTIME, &bad));
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	R("clock_settime REALTIME, -1 s", clock_settime(CLOCK_REALTIME, &bad));
	R("clock_settime REALTIME, NULL", syscall(SYS_clock_settime, CLOCK_REALTIME, NULL));
	struct timeval tv = { .tv_sec = 1, .tv_usec = 1000000 };
	R("settimeofday, 1e6 us", settimeofday(&tv, NULL));
	struct timezone tz = { .tz_minuteswest = 24 * 60 };
	R("settimeofday, a zone 24 h west", settimeofday(NULL, &tz));
	/* Without CAP_SYS_TIME (a child that gives up its capabilities) a
	 * good time is refused before anything is set. */
	pid_t pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2] = { 0 };
		syscall(SYS_capset, &h, d);
		clock_gettime(CLOCK_REALTIME, &ts);
		R("without CAP_SYS_TIME: clock_settime REALTIME", clock_settime(CLOCK_REALTIME, &ts));
		gettimeofday(&tv, NULL);
		R("without CAP_SYS_TIME: settimeofday", settimeofday(&tv, NULL));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

#define BIT(s) (1ULL << ((s) - 1))
/* The signals t_status changes: the sets are shown for them only (the
 * rest is what the parent left, which differs between harnesses). */
#define TOUCHED (BIT(SIGPIPE) | BIT(SIGXFSZ) | BIT(SIGUSR1) | BIT(SIGUSR2) | \
		 BIT(SIGHUP) | BIT(SIGTERM))

/* A signal set of /proc/self/status (key: "SigIgn:"...), of TOUCHED. */
static void status_line(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && sscanf(line + strlen(key), "%llx", &v) == 1)
			printf("%s %016llx\n", key, v & TOUCHED);
	if (f)
		fclose(f);
}

static void on_usr(int sig)
{
	(void)sig;
}

static void *idle(void *arg)
{
	pause();
	return arg;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void t_status(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGUSR1, on_usr);
	signal(SIGUSR2, on_usr);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	status_line("SigIgn:");
	status_line("SigCgt:");
	status_line("SigBlk:");
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	status_line("SigIgn:");

	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, idle, NULL);
	usleep(10000);
	int tids[8], n = 0, self_seen = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && n < 8) {
			tids[n] = atoi(e->d_name);
			self_seen |= tids[n] == getpid();
			n++;
		}
	if (d)
		closedir(d);
	qsort(tids, n, sizeof(int), cmp_int);
	printf("/proc/self/task: %d entries, the main thread's among them: %s, ascending: %s\n",
	       n, self_seen ? "yes" : "no", n == 3 && tids[0] < tids[1] && tids[1] < tids[2] ? "yes" : "no");
	char path[64], buf[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", n ? tids[n - 1] : 0);
	R("open a thread's status", close(open(path, O_RDONLY)));
	R("open the task of no thread", open("/proc/self/task/999999/status", O_RDONLY));
	ssize_t l = readlink("/proc/thread-self", buf, sizeof(buf) - 1);
	buf[l > 0 ? l : 0] = 0;
	snprintf(path, sizeof(path), "%d/task/%d", getpid(), gettid());
	printf("/proc/thread-self names this thread: %s\n", !strcmp(buf, path) ? "yes" : "no");
	for (int i = 0; i < 2; i++)
		pthread_cancel(t[i]), pthread_join(t[i], NULL);
}

static volatile sig_atomic_t got;

static void on_int(int sig)
{
	got = sig;
}

static void t_pidfd(void)
{
	signal(SIGINT, on_int);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", getpid());
	int pfd = open(path, O_DIRECTORY | O_RDONLY);
	R("pidfd_send_signal(/proc/PID, SIGINT)", syscall(SYS_pidfd_send_signal, pfd, SIGINT, NULL, 0));
	printf("SIGINT came: %s\n", got == SIGINT ? "yes" : "no");
	R("pidfd_send_signal(/proc/PID, 0)", syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
	close(pfd);
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), gettid());
	int tfd = open(path, O_DIRECTORY | O_RDONLY);
	R("pidfd_send_signal(/proc/PID/task/TID, 0)", syscall(SYS_pidfd_send_signal, tfd, 0, NULL, 0));
	close(tfd);
	int rfd = open("/proc", O_DIRECTORY | O_RDONLY);
	R("pidfd_send_signal(/proc, 0)", syscall(SYS_pidfd_send_signal, rfd, 0, NULL, 0));
	close(rfd);
	int dfd = open(dir, O_DIRECTORY | O_RDONLY);
	R("pidfd_send_signal(DIR, 0)", syscall(SYS_pidfd_send_signal, dfd, 0, NULL, 0));
	close(dfd);
	R("pidfd_send_signal(-1, 0)", syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0));
	signal(SIGINT, SIG_DFL);
}

/* mmap's result as 0 (mapped, then unmapped) or the error. */
#define M(label, len, flags, fd, off) do {					\
		void *m_ = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off); \
		if (m_ == MAP_FAILED)						\
			printf("%s: -1 %s\n", label, ename(errno));		\
		else {								\
			printf("%s: 0\n", label);				\
			munmap(m_, len);					\
		}								\
	} while (0)

static void t_mmaperr(void)
{
	int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	M("length 0", 0, anon, -1, 0);
	M("length ~0 & ~4095", ~(size_t)4095, anon, -1, 0);
	M("length ~0", ~(size_t)0, anon, -1, 0);
	M("length 1 << 48", (size_t)1 << 48, anon, -1, 0);
	M("offset 100", 4096, anon, -1, 100);
	M("type 0", 4096, MAP_ANONYMOUS, -1, 0);
	M("type 0xf", 4096, 0xf | MAP_ANONYMOUS, -1, 0);
	M("a file mapping of fd -1", 4096, MAP_PRIVATE, -1, 0);
	M("length 4096", 4096, anon, -1, 0);
}

static void t_dnotify(void)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	R("F_NOTIFY DN_MULTISHOT on a directory", fcntl(d, F_NOTIFY, DN_MULTISHOT));
	R("F_NOTIFY 0 on a directory", fcntl(d, F_NOTIFY, 0));
	close(d);
	char path[256];
	snprintf(path, sizeof(path), "%s/compat3-dnotify", dir);
	int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	R("F_NOTIFY on a file", fcntl(f, F_NOTIFY, DN_MULTISHOT));
	close(f);
	unlink(path);
}

static const struct section sections[] = {
	{ "nofile", t_nofile },
	{ "prio", t_prio },
	{ "clocks", t_clocks },
	{ "status", t_status },
	{ "pidfd", t_pidfd },
	{ "mmaperr", t_mmaperr },
	{ "dnotify", t_dnotify },
};

int main(int argc, char **argv)
{
	return run_sections(argc, argv, sections, sizeof(sections) / sizeof(sections[0]), &dir);
}
