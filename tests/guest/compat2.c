/* More calls added for compatibility (issue 15), each with Linux's
 * results and errors: run natively, then in the guest, output compared.
 * Sections:
 *   sattr     sched_setattr, sched_getattr
 *   kcmp      kcmp of files, address spaces, descriptor tables, epoll items
 *   msg       System V message queues: msgget, msgsnd, msgrcv, msgctl
 *   rtsig     rt_sigqueueinfo, rt_tgsigqueueinfo, queued real-time signals
 * usage: compat2 DIR [SECTION...]   (DIR: a scratch directory) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sections.h"

static const char *dir;

/* Linux's struct sched_attr and its flags (glibc 2.36 has neither). */
struct sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};
#define SCHED_DEADLINE 6
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40

/* kcmp's answer as "same" or "different" (the order is the kernel's). */
#define K(label, call) do {						\
		errno = 0;						\
		long r_ = (long)(call);					\
		printf("%s: %s\n", label, r_ == -1 ? ename(errno) :	\
		       r_ == 0 ? "same" : r_ <= 2 ? "different" : "?");	\
	} while (0)

static void show_attr(const char *label, int pid)
{
	struct sched_attr a;
	memset(&a, 0xee, sizeof(a));
	errno = 0;
	long r = syscall(SYS_sched_getattr, pid, &a, sizeof(a), 0);
	if (r)
		printf("%s: -1 %s\n", label, ename(errno));
	else
		/* (Linux 6.6+ gives a fair thread's slice as its runtime.) */
		printf("%s: size %u policy %u flags %#llx nice %d prio %u dl %llu/%llu/%llu\n",
		       label, a.size, a.sched_policy, (unsigned long long)a.sched_flags,
		       a.sched_nice, a.sched_priority,
		       a.sched_policy == SCHED_DEADLINE ? (unsigned long long)a.sched_runtime : 0ULL,
		       (unsigned long long)a.sched_deadline, (unsigned long long)a.sched_period);
}

static long setattr(int pid, int policy, int nice, int prio, uint64_t flags)
{
	struct sched_attr a = { .size = sizeof(a), .sched_policy = policy, .sched_flags = flags,
				.sched_nice = nice, .sched_priority = prio };
	return syscall(SYS_sched_setattr, pid, &a, 0);
}

/* Everything in a child, so that the test's own process keeps its
 * scheduling (natively: the host's). */
static void t_sattr(void)
{
	pid_t c = fork();
	if (c) {
		waitpid(c, NULL, 0);
		return;
	}
	show_attr("sched_getattr", 0);
	R("sched_setattr(NORMAL nice 5)", setattr(0, SCHED_OTHER, 5, 0, 0));
	show_attr("sched_getattr", 0);
	R("getpriority", getpriority(PRIO_PROCESS, 0));
	R("sched_setattr(nice 40): clamped", setattr(0, SCHED_OTHER, 40, 0, 0));
	R("getpriority", getpriority(PRIO_PROCESS, 0));
	R("sched_setattr(BATCH nice -2)", setattr(0, SCHED_BATCH, -2, 0, 0));
	show_attr("sched_getattr", 0);
	R("sched_setattr(FIFO 12)", setattr(0, SCHED_FIFO, 0, 12, 0));
	show_attr("sched_getattr", 0);
	struct sched_param sp;
	sched_getparam(0, &sp);
	printf("  sched_getparam: %d\n", sp.sched_priority);
	R("sched_setattr(KEEP_POLICY prio 20)", setattr(0, 0, 0, 20, SCHED_FLAG_KEEP_POLICY));
	show_attr("sched_getattr", 0);
	R("sched_setattr(FIFO, KEEP_PARAMS)", setattr(0, SCHED_FIFO, 0, 0, SCHED_FLAG_KEEP_PARAMS));
	show_attr("sched_getattr", 0);
	R("sched_setattr(OTHER prio 3)", setattr(0, SCHED_OTHER, 0, 3, 0));
	R("sched_setattr(FIFO prio 0)", setattr(0, SCHED_FIFO, 0, 0, 0));
	R("sched_setattr(FIFO prio 100)", setattr(0, SCHED_FIFO, 0, 100, 0));
	R("sched_setattr(policy 42)", setattr(0, 42, 0, 0, 0));
	R("sched_setattr(policy -1)", setattr(0, -1, 0, 0, 0));
	R("sched_setattr(flag 0x80)", setattr(0, SCHED_OTHER, 0, 0, 0x80));
	R("sched_setattr(UTIL_CLAMP_MIN)", setattr(0, SCHED_OTHER, 0, 0, SCHED_FLAG_UTIL_CLAMP_MIN));
	struct sched_attr a = { .size = sizeof(a), .sched_policy = SCHED_DEADLINE,
				.sched_runtime = 10000000, .sched_deadline = 5000000,
				.sched_period = 20000000 };
	R("sched_setattr(DEADLINE runtime > deadline)", syscall(SYS_sched_setattr, 0, &a, 0));
	a.sched_runtime = 100;
	R("sched_setattr(DEADLINE runtime 100)", syscall(SYS_sched_setattr, 0, &a, 0));
	a.sched_runtime = 1000000;
	a.sched_period = 1000000;
	R("sched_setattr(DEADLINE period < deadline)", syscall(SYS_sched_setattr, 0, &a, 0));
	a.sched_deadline = 0;
	R("sched_setattr(DEADLINE deadline 0)", syscall(SYS_sched_setattr, 0, &a, 0));
	R("sched_setattr(flags 1)", syscall(SYS_sched_setattr, 0, &a, 1));
	R("sched_setattr(NULL)", syscall(SYS_sched_setattr, 0, NULL, 0));
	R("sched_setattr(pid -1)", syscall(SYS_sched_setattr, -1, &a, 0));
	R("sched_setattr(no such pid)", setattr(999999, SCHED_OTHER, 0, 0, 0));
	R("sched_setattr(bad pointer)", syscall(SYS_sched_setattr, 0, (void *)16, 0));
	/* Sizes: 0 is the first version's; too small or too big is E2BIG
	 * with the kernel's size written back; unknown bytes must be 0. */
	struct {
		struct sched_attr a;
		char more[8];
	} big = { .a = { .size = 0, .sched_policy = SCHED_OTHER } };
	R("sched_setattr(size 0)", syscall(SYS_sched_setattr, 0, &big, 0));
	big.a.size = 20;
	R("sched_setattr(size 20)", syscall(SYS_sched_setattr, 0, &big, 0));
	printf("  size written back: %u\n", big.a.size);
	big.a.size = sizeof(big);
	R("sched_setattr(size 64, zero tail)", syscall(SYS_sched_setattr, 0, &big, 0));
	big.more[3] = 1;
	R("sched_setattr(size 64, non-zero tail)", syscall(SYS_sched_setattr, 0, &big, 0));
	printf("  size written back: %u\n", big.a.size);
	big.a.size = 48;
	big.a.sched_flags = SCHED_FLAG_UTIL_CLAMP_MAX;
	R("sched_setattr(size 48, UTIL_CLAMP)", syscall(SYS_sched_setattr, 0, &big, 0));
	R("sched_getattr(size 48)", syscall(SYS_sched_getattr, 0, &a, 48, 0));
	printf("  size %u\n", a.size);
	R("sched_getattr(size 47)", syscall(SYS_sched_getattr, 0, &a, 47, 0));
	R("sched_getattr(size 8192)", syscall(SYS_sched_getattr, 0, &a, 8192, 0));
	R("sched_getattr(flags 1)", syscall(SYS_sched_getattr, 0, &a, sizeof(a), 1));
	R("sched_getattr(no such pid)", syscall(SYS_sched_getattr, 999999, &a, sizeof(a), 0));
	R("sched_getattr(bad pointer)", syscall(SYS_sched_getattr, 0, (void *)16, sizeof(a), 0));
	R("sched_setattr(BATCH|RESET_ON_FORK)",
	  setattr(0, SCHED_BATCH, 3, 0, SCHED_FLAG_RESET_ON_FORK));
	show_attr("sched_getattr", 0);
	R("sched_getscheduler", sched_getscheduler(0));
	if (setresuid(1000, 1000, 1000))
		_exit(1);
	R("user: sched_setattr(nice 1)", setattr(0, SCHED_OTHER, 1, 0, 0));
	R("user: sched_setattr(nice 10, RESET_ON_FORK)",
	  setattr(0, SCHED_OTHER, 10, 0, SCHED_FLAG_RESET_ON_FORK));
	R("user: sched_setattr(nice 12)", setattr(0, SCHED_OTHER, 12, 0, 0));
	R("user: sched_setattr(FIFO 1)", setattr(0, SCHED_FIFO, 0, 1, SCHED_FLAG_RESET_ON_FORK));
	a = (struct sched_attr){ .size = sizeof(a), .sched_policy = SCHED_DEADLINE,
				 .sched_runtime = 1000000, .sched_deadline = 5000000,
				 .sched_period = 10000000 };
	R("user: sched_setattr(DEADLINE)", syscall(SYS_sched_setattr, 0, &a, 0));
	R("user: sched_setattr(parent)", setattr(getppid(), SCHED_OTHER, 0, 0, 0));
	show_attr("user: sched_getattr", 0);
	fflush(stdout);
	_exit(0);
}

static volatile pid_t thread_tid;

static void *idle_thread(void *arg)
{
	int *p = arg;
	char c;
	thread_tid = syscall(SYS_gettid);
	read(p[0], &c, 1);
	return NULL;
}

static void t_kcmp(void)
{
	pid_t me = getpid();
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int dupped = dup(fd);
	int other = open(dir, O_RDONLY | O_DIRECTORY);
	K("kcmp(FILE, fd, its dup)", syscall(SYS_kcmp, me, me, KCMP_FILE, fd, dupped));
	K("kcmp(FILE, fd, another open)", syscall(SYS_kcmp, me, me, KCMP_FILE, fd, other));
	K("kcmp(FILE, bad fd)", syscall(SYS_kcmp, me, me, KCMP_FILE, fd, 999));
	K("kcmp(VM, self)", syscall(SYS_kcmp, me, me, KCMP_VM, 0, 0));
	K("kcmp(bad type)", syscall(SYS_kcmp, me, me, 42, 0, 0));
	K("kcmp(no such pid)", syscall(SYS_kcmp, me, 999999, KCMP_VM, 0, 0));
	int p[2];
	pipe(p);
	pthread_t th;
	pthread_create(&th, NULL, idle_thread, p);
	while (!thread_tid)
		sched_yield();
	pid_t tid = thread_tid;
	K("kcmp(FILES, self, thread)", syscall(SYS_kcmp, me, tid, KCMP_FILES, 0, 0));
	K("kcmp(VM, thread, self)", syscall(SYS_kcmp, tid, me, KCMP_VM, 0, 0));
	write(p[1], "x", 1);
	pthread_join(th, NULL);
	int hold[2];
	pipe(hold);
	pid_t c = fork();
	if (c == 0) {
		char ch;
		close(hold[1]);
		read(hold[0], &ch, 1);
		_exit(0);
	}
	K("kcmp(VM, forked child)", syscall(SYS_kcmp, me, c, KCMP_VM, 0, 0));
	K("kcmp(FILES, forked child)", syscall(SYS_kcmp, me, c, KCMP_FILES, 0, 0));
	K("kcmp(FS, forked child)", syscall(SYS_kcmp, me, c, KCMP_FS, 0, 0));
	K("kcmp(SIGHAND, forked child)", syscall(SYS_kcmp, me, c, KCMP_SIGHAND, 0, 0));
	K("kcmp(FILE, fd, child's same fd)", syscall(SYS_kcmp, me, c, KCMP_FILE, fd, fd));
	close(hold[1]);
	waitpid(c, NULL, 0);
	c = vfork();
	if (c == 0) {
		/* vfork: the parent's memory, but a copy of its descriptors. */
		K("vfork child: kcmp(VM, parent)", syscall(SYS_kcmp, getpid(), getppid(), KCMP_VM, 0, 0));
		K("vfork child: kcmp(FILES, parent)",
		  syscall(SYS_kcmp, getpid(), getppid(), KCMP_FILES, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	struct kcmp_epoll_slot slot = { .efd = ep, .tfd = p[0], .toff = 0 };
	K("kcmp(EPOLL_TFD, the item's file)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], &slot));
	K("kcmp(EPOLL_TFD, another file)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[1], &slot));
	slot.toff = 1;
	K("kcmp(EPOLL_TFD, toff 1)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], &slot));
	slot.toff = 0;
	slot.tfd = p[1];
	K("kcmp(EPOLL_TFD, not registered)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], &slot));
	slot.efd = fd;
	K("kcmp(EPOLL_TFD, not an epoll)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], &slot));
	slot.efd = 999;
	K("kcmp(EPOLL_TFD, bad epoll fd)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], &slot));
	K("kcmp(EPOLL_TFD, bad slot)", syscall(SYS_kcmp, me, me, KCMP_EPOLL_TFD, p[0], (void *)16));
	c = fork();
	if (c == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		K("user: kcmp(VM, root's process)", syscall(SYS_kcmp, getpid(), getppid(), KCMP_VM, 0, 0));
		K("user: kcmp(VM, self)", syscall(SYS_kcmp, getpid(), getpid(), KCMP_VM, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	close(ep);
	close(p[0]);
	close(p[1]);
	close(hold[0]);
	close(fd);
	close(dupped);
	close(other);
}

struct mbuf {
	long type;
	char text[64];
};

static long snd(int q, long type, const char *text, int flags)
{
	struct mbuf m = { .type = type };
	strncpy(m.text, text, sizeof(m.text) - 1);
	return msgsnd(q, &m, strlen(text), flags);
}

static void rcv(const char *label, int q, size_t size, long type, int flags)
{
	struct mbuf m = { 0 };
	errno = 0;
	long n = msgrcv(q, &m, size, type, flags);
	if (n < 0)
		printf("%s: -1 %s\n", label, ename(errno));
	else
		printf("%s: %ld type %ld \"%.*s\"\n", label, n, m.type, (int)n, m.text);
}

static void stat_q(const char *label, int q)
{
	struct msqid_ds ds;
	if (msgctl(q, IPC_STAT, &ds))
		printf("%s: -1 %s\n", label, ename(errno));
	else
		printf("%s: qnum %lu cbytes %lu qbytes %lu mode %o uid %u lspid ok %d lrpid ok %d\n",
		       label, (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes,
		       (unsigned long)ds.msg_qbytes, ds.msg_perm.mode, ds.msg_perm.uid,
		       ds.msg_lspid == 0 || ds.msg_lspid == getpid(),
		       ds.msg_lrpid == 0 || ds.msg_lrpid == getpid());
}

static void t_msg(void)
{
	int q = msgget(IPC_PRIVATE, 0640);
	printf("msgget(IPC_PRIVATE): %s\n", q >= 0 ? "an id" : ename(errno));
	stat_q("IPC_STAT", q);
	R("msgsnd(type 3)", snd(q, 3, "three", 0));
	R("msgsnd(type 1)", snd(q, 1, "one", 0));
	R("msgsnd(type 2)", snd(q, 2, "two", 0));
	R("msgsnd(type 1 again)", snd(q, 1, "uno", 0));
	R("msgsnd(type 0)", snd(q, 0, "zero", 0));
	R("msgsnd(type -1)", snd(q, -1, "neg", 0));
	R("msgsnd(size 8193)", msgsnd(q, &(struct mbuf){ .type = 1 }, 8193, 0));
	R("msgsnd(bad buffer)", msgsnd(q, (void *)16, 4, 0));
	R("msgsnd(bad id)", snd(q + 1, 1, "x", 0));
	R("msgsnd(id -1)", snd(-1, 1, "x", 0));
	stat_q("IPC_STAT", q);
	rcv("msgrcv(MSG_COPY 2)", q, 64, 2, MSG_COPY | IPC_NOWAIT);
	rcv("msgrcv(MSG_COPY 9)", q, 64, 9, MSG_COPY | IPC_NOWAIT);
	rcv("msgrcv(MSG_COPY without IPC_NOWAIT)", q, 64, 0, MSG_COPY);
	rcv("msgrcv(type 2)", q, 64, 2, 0);
	rcv("msgrcv(type -5: lowest)", q, 64, -5, 0);
	rcv("msgrcv(MSG_EXCEPT 3)", q, 64, 3, MSG_EXCEPT);
	rcv("msgrcv(size 2)", q, 2, 0, 0);
	rcv("msgrcv(size 2, MSG_NOERROR)", q, 2, 0, MSG_NOERROR);
	rcv("msgrcv(empty, IPC_NOWAIT)", q, 64, 0, IPC_NOWAIT);
	rcv("msgrcv(type 7, IPC_NOWAIT)", q, 64, 7, IPC_NOWAIT);
	rcv("msgrcv(bad id)", q + 1, 64, 0, IPC_NOWAIT);
	rcv("msgrcv(size -1)", q, (size_t)-1, 0, IPC_NOWAIT);
	R("msgsnd", snd(q, 5, "lost", 0));
	R("msgrcv(bad buffer)", msgrcv(q, (void *)16, 64, 0, IPC_NOWAIT));
	stat_q("IPC_STAT after", q);

	/* A full queue: the sender waits for room, or EAGAIN. */
	struct msqid_ds ds;
	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 10;
	ds.msg_perm.mode = 0600;
	R("IPC_SET(qbytes 10, mode 0600)", msgctl(q, IPC_SET, &ds));
	stat_q("IPC_STAT", q);
	R("msgsnd(8 bytes)", snd(q, 1, "12345678", 0));
	R("msgsnd(4 more, IPC_NOWAIT)", snd(q, 1, "abcd", IPC_NOWAIT));
	pid_t c = fork();
	if (c == 0) {
		usleep(100000);
		rcv("child: msgrcv", q, 64, 0, 0);
		fflush(stdout);
		_exit(0);
	}
	/* (Each result is shown once the child has shown its own.) */
	long sent = snd(q, 1, "abcd", 0);
	waitpid(c, NULL, 0);
	R("msgsnd(4 more, waits)", sent);
	rcv("msgrcv", q, 64, 0, 0);
	/* A receiver waits for its type. */
	c = fork();
	if (c == 0) {
		rcv("child: msgrcv(type 9, waits)", q, 64, 9, 0);
		fflush(stdout);
		_exit(0);
	}
	usleep(100000);
	sent = snd(q, 9, "nine", 0);
	waitpid(c, NULL, 0);
	R("msgsnd(type 9)", sent);
	/* (Raising it past msgmnb takes CAP_SYS_RESOURCE, which this
	 * host's root may lack: only a user's try is shown.) */
	c = fork();
	if (c == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		ds.msg_qbytes = 1 << 21;
		R("user: IPC_SET(qbytes 2 MiB)", msgctl(q, IPC_SET, &ds));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* Removal wakes a waiting receiver with EIDRM. */
	c = fork();
	if (c == 0) {
		rcv("child: msgrcv(removed while waiting)", q, 64, 0, 0);
		fflush(stdout);
		_exit(0);
	}
	usleep(100000);
	long removed = msgctl(q, IPC_RMID, NULL);
	waitpid(c, NULL, 0);
	R("IPC_RMID", removed);
	R("IPC_STAT(removed)", msgctl(q, IPC_STAT, &ds));
	R("IPC_RMID again", msgctl(q, IPC_RMID, NULL));
	R("IPC_STAT|IPC_64", msgctl(q, IPC_STAT | 0x100, &ds));
	R("msgctl(bad cmd)", msgctl(q, 99, &ds));

	key_t key = 0x4b5a0000 + (getpid() & 0xffff);
	int k = msgget(key, IPC_CREAT | 0600);
	printf("msgget(key, IPC_CREAT): %s\n", k >= 0 ? "an id" : ename(errno));
	printf("msgget(key) again: %s\n", msgget(key, 0) == k ? "the same id" : ename(errno));
	R("msgget(key, IPC_CREAT|IPC_EXCL)", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	R("msgget(missing key)", msgget(key + 1, 0600));
	struct msginfo info;
	errno = 0;
	int max = msgctl(0, IPC_INFO, (struct msqid_ds *)&info);
	printf("IPC_INFO: %s msgmax %d msgmnb %d msgmni %d msgssz %d msgseg %d msgpool %d\n",
	       max >= 0 ? "ok" : ename(errno), info.msgmax, info.msgmnb, info.msgmni,
	       info.msgssz, info.msgseg, info.msgpool);
	snd(k, 1, "hello", 0);
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&info);
	printf("MSG_INFO: %s, queues and messages counted: %d\n", max >= 0 ? "ok" : ename(errno),
	       info.msgpool >= 1 && info.msgmap >= 1 && info.msgtql >= 5);
	int found = 0;
	for (int i = 0; i <= max; i++)
		if (msgctl(i, MSG_STAT, &ds) == k)
			found = 1;
	printf("MSG_STAT finds it by index: %d\n", found);
	R("MSG_STAT(bad index)", msgctl(1 << 20, MSG_STAT, &ds));
	R("IPC_RMID", msgctl(k, IPC_RMID, NULL));
}

static volatile int got_n;
static volatile int got_vals[16];

static void rt_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (got_n < 16)
		got_vals[got_n++] = sig * 1000 + si->si_value.sival_int;
}

/* Takes every pending signal of set, without waiting: "sig code value". */
static void drain(const char *label, const sigset_t *set)
{
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	printf("%s:", label);
	while (sigtimedwait(set, &si, &zero) > 0)
		printf(" %d/%d/%d", si.si_signo - SIGRTMIN, si.si_code,
		       si.si_code == SI_QUEUE ? si.si_value.sival_int : si.si_pid != 0);
	printf("\n");
}

static long queue(int pid, int sig, int code, int value)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void t_rtsig(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigaddset(&set, SIGRTMIN + 2);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("(signals shown as number - SIGRTMIN / si_code / value)\n");
	R("sigqueue(RTMIN, 1)", sigqueue(getpid(), SIGRTMIN, (union sigval){ 1 }));
	R("sigqueue(RTMIN, 2)", sigqueue(getpid(), SIGRTMIN, (union sigval){ 2 }));
	R("kill(RTMIN+1)", kill(getpid(), SIGRTMIN + 1));
	R("sigqueue(RTMIN, 3)", sigqueue(getpid(), SIGRTMIN, (union sigval){ 3 }));
	R("sigqueue(USR1, 4)", sigqueue(getpid(), SIGUSR1, (union sigval){ 4 }));
	R("sigqueue(USR1, 5)", sigqueue(getpid(), SIGUSR1, (union sigval){ 5 }));
	drain("taken (USR1 once, RTMIN thrice in order)", &set);
	R("rt_sigqueueinfo(self, SI_USER code)", queue(getpid(), SIGRTMIN, SI_USER, 6));
	R("rt_tgsigqueueinfo(self)",
	  syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), SIGRTMIN + 1, &(siginfo_t){
		  .si_code = SI_QUEUE, .si_value = { 8 } }));
	drain("taken", &set);
	siginfo_t si = { .si_code = SI_QUEUE };
	R("rt_sigqueueinfo(bad pointer)", syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN, (void *)16));
	R("rt_sigqueueinfo(sig 65)", syscall(SYS_rt_sigqueueinfo, getpid(), 65, &si));
	R("rt_sigqueueinfo(no such pid)", syscall(SYS_rt_sigqueueinfo, 999999, SIGRTMIN, &si));
	R("rt_sigqueueinfo(pid 0)", syscall(SYS_rt_sigqueueinfo, 0, SIGRTMIN, &si));
	R("rt_sigqueueinfo(sig 0)", syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si));
	R("rt_tgsigqueueinfo(tgid 0)", syscall(SYS_rt_tgsigqueueinfo, 0, getpid(), SIGRTMIN, &si));
	R("rt_tgsigqueueinfo(wrong tgid)",
	  syscall(SYS_rt_tgsigqueueinfo, 999999, getpid(), SIGRTMIN, &si));
	R("rt_tgsigqueueinfo(bad pointer)",
	  syscall(SYS_rt_tgsigqueueinfo, 0, getpid(), SIGRTMIN, (void *)16));

	/* Another process: SI_QUEUE goes, a kernel code does not. */
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		R("child: rt_sigqueueinfo(parent, SI_QUEUE)", queue(parent, SIGRTMIN, SI_QUEUE, 9));
		R("child: rt_sigqueueinfo(parent, SI_USER code)", queue(parent, SIGRTMIN, SI_USER, 10));
		R("child: rt_sigqueueinfo(parent, SI_KERNEL code)", queue(parent, SIGRTMIN, SI_KERNEL, 11));
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		R("user: rt_sigqueueinfo(root's process)", queue(parent, SIGRTMIN, SI_QUEUE, 12));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	drain("taken", &set);

	/* A handler runs once per queued signal, in order. */
	struct sigaction sa = { .sa_sigaction = rt_handler, .sa_flags = SA_SIGINFO };
	sigaction(SIGRTMIN, &sa, NULL);
	for (int i = 1; i <= 4; i++)
		sigqueue(getpid(), SIGRTMIN, (union sigval){ 20 + i });
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	sigprocmask(SIG_BLOCK, &one, NULL);
	printf("handler ran %d times:", got_n);
	for (int i = 0; i < got_n; i++)
		printf(" %d", got_vals[i] % 1000);
	printf("\n");
	signal(SIGRTMIN, SIG_DFL);

	/* RLIMIT_SIGPENDING: sigqueue past it is EAGAIN; kill still
	 * marks the signal, without its siginfo. Linux counts the user's
	 * queued signals (natively, other processes' too: SigQ). */
	unsigned long used = 0;
	FILE *st = fopen("/proc/self/status", "r");
	char line[256];
	while (st && fgets(line, sizeof(line), st))
		sscanf(line, "SigQ: %lu", &used);
	if (st)
		fclose(st);
	struct rlimit old, rl = { used + 2, used + 2 };
	getrlimit(RLIMIT_SIGPENDING, &old);
	setrlimit(RLIMIT_SIGPENDING, &rl);
	R("sigqueue 1 of limit 2", sigqueue(getpid(), SIGRTMIN, (union sigval){ 31 }));
	R("sigqueue 2 of limit 2", sigqueue(getpid(), SIGRTMIN, (union sigval){ 32 }));
	R("sigqueue 3 of limit 2", sigqueue(getpid(), SIGRTMIN, (union sigval){ 33 }));
	R("kill(RTMIN+2) past the limit", kill(getpid(), SIGRTMIN + 2));
	drain("taken", &set);
	setrlimit(RLIMIT_SIGPENDING, &old);

	/* Ignoring a signal drops what is queued of it. */
	sigqueue(getpid(), SIGRTMIN, (union sigval){ 41 });
	sigqueue(getpid(), SIGRTMIN, (union sigval){ 42 });
	signal(SIGRTMIN, SIG_IGN);
	signal(SIGRTMIN, SIG_DFL);
	drain("taken after SIG_IGN", &set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static const struct section sections[] = {
	{ "sattr", t_sattr }, { "kcmp", t_kcmp }, { "msg", t_msg }, { "rtsig", t_rtsig },
};

int main(int argc, char **argv)
{
	return run_sections(argc, argv, sections, sizeof(sections) / sizeof(sections[0]), &dir);
}
