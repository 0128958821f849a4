/* Calls added for compatibility (issue 15), each with Linux's results and
 * errors: run natively, then in the guest, output compared. Sections:
 *   sync      sync, syncfs, readahead
 *   dirs      the old getdents, utime, futimesat
 *   rw2       preadv2 and pwritev2 (offset -1, flags, RWF_NOWAIT)
 *   mlock     mlock, mlock2, munlock, mlockall, munlockall, mincore
 *   membar    membarrier
 *   prio      getpriority, setpriority, the sched_* calls, ioprio
 *   uts       sethostname, setdomainname, personality
 * usage: compat DIR [SECTION...]   (DIR: a scratch directory) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "sections.h"

static const char *dir;

static char path_buf[4096];
static const char *at(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, name);
	return path_buf;
}

static void t_sync(void)
{
	int fd = open(at("sync.f"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[8192];
	memset(buf, 'x', sizeof(buf));
	R("write", write(fd, buf, sizeof(buf)));
	sync();
	printf("sync: done\n");
	R("syncfs", syncfs(fd));
	R("syncfs(bad fd)", syncfs(999));
	R("readahead", readahead(fd, 0, 8192));
	R("readahead(past end)", readahead(fd, 1 << 20, 4096));
	R("readahead(negative)", readahead(fd, -1, 4096));
	R("readahead(bad fd)", readahead(999, 0, 4096));
	int wo = open(at("sync.f"), O_WRONLY);
	R("readahead(write-only)", readahead(wo, 0, 4096));
	close(wo);
	int p[2];
	pipe(p);
	R("readahead(pipe)", readahead(p[0], 0, 4096));
	close(p[0]);
	close(p[1]);
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	R("readahead(dir)", readahead(d, 0, 4096));
	R("syncfs(dir)", syncfs(d));
	close(d);
	close(fd);
	unlink(at("sync.f"));
}

struct old_dirent {
	unsigned long d_ino, d_off;
	unsigned short d_reclen;
	char d_name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void t_dirs(void)
{
	mkdir(at("gd"), 0755);
	char name[64];
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "gd/file%d", i);
		close(open(at(name), O_CREAT | O_WRONLY, 0644));
	}
	mkdir(at("gd/sub"), 0755);
	symlink("file0", at("gd/link"));
	int fd = open(at("gd"), O_RDONLY | O_DIRECTORY);
	char buf[4096], *names[32];
	int n = 0, ok = 1;
	long got;
	/* A buffer of 40 bytes: one entry at a time. */
	while ((got = syscall(SYS_getdents, fd, buf, 40)) > 0) {
		for (long off = 0; off < got;) {
			struct old_dirent *d = (struct old_dirent *)(buf + off);
			unsigned char type = buf[off + d->d_reclen - 1];
			if (d->d_reclen % 8 || !d->d_ino)
				ok = 0;
			if (n < 32) {
				char *s = malloc(300);
				snprintf(s, 300, "%s type %d", d->d_name, type);
				names[n++] = s;
			}
			off += d->d_reclen;
		}
	}
	printf("getdents end: %ld, records aligned and numbered: %d\n", got, ok);
	qsort(names, n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++)
		printf("  %s\n", names[i]);
	lseek(fd, 0, SEEK_SET);
	R("getdents(buffer of 10)", syscall(SYS_getdents, fd, buf, 10));
	R("getdents(bad fd)", syscall(SYS_getdents, 999, buf, sizeof(buf)));
	int f = open(at("gd/file0"), O_RDONLY);
	R("getdents(file)", syscall(SYS_getdents, f, buf, sizeof(buf)));
	R("getdents(bad buffer)", syscall(SYS_getdents, fd, (void *)16, sizeof(buf)));
	close(f);

	struct utimbuf ub = { .actime = 1000000000, .modtime = 1200000000 };
	struct stat st;
	R("utime", utime(at("gd/file1"), &ub));
	stat(at("gd/file1"), &st);
	printf("  atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
	R("utime(NULL)", utime(at("gd/file1"), NULL));
	stat(at("gd/file1"), &st);
	printf("  mtime now: %d\n", labs(st.st_mtime - time(NULL)) < 5);
	R("utime(missing)", utime(at("gd/nope"), &ub));
	R("utime(bad times)", syscall(SYS_utime, at("gd/file1"), (void *)16));

	struct timeval tv[2] = { { 1100000000, 5 }, { 1300000000, 700000 } };
	R("futimesat(dirfd, name)", syscall(SYS_futimesat, fd, "file2", tv));
	stat(at("gd/file2"), &st);
	printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atime, st.st_atim.tv_nsec,
	       (long)st.st_mtime, st.st_mtim.tv_nsec);
	R("futimesat(AT_FDCWD, path)", syscall(SYS_futimesat, AT_FDCWD, at("gd/file3"), tv));
	tv[1].tv_usec = 1000000;
	R("futimesat(usec 1000000)", syscall(SYS_futimesat, fd, "file2", tv));
	R("futimesat(bad fd)", syscall(SYS_futimesat, 999, "file2", NULL));
	R("futimesat(missing)", syscall(SYS_futimesat, fd, "nope", NULL));
	close(fd);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "gd/file%d", i);
		unlink(at(name));
	}
	unlink(at("gd/link"));
	rmdir(at("gd/sub"));
	rmdir(at("gd"));
	for (int i = 0; i < n; i++)
		free(names[i]);
}

static void t_rw2(void)
{
	int fd = open(at("rw2.f"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char a[8] = "abcdefgh", b[8] = "ABCDEFGH", r1[6] = { 0 }, r2[6] = { 0 };
	struct iovec w[2] = { { a, 8 }, { b, 8 } };
	R("pwritev2(off 0)", pwritev2(fd, w, 2, 0, 0));
	R("lseek after", lseek(fd, 0, SEEK_CUR));
	R("pwritev2(off -1)", pwritev2(fd, w, 1, -1, 0));
	R("lseek after", lseek(fd, 0, SEEK_CUR));
	struct iovec r[2] = { { r1, 5 }, { r2, 5 } };
	R("preadv2(off 4)", preadv2(fd, r, 2, 4, 0));
	printf("  %s|%s\n", r1, r2);
	lseek(fd, 10, SEEK_SET);
	R("preadv2(off -1)", preadv2(fd, r, 2, -1, 0));
	printf("  %s|%s\n", r1, r2);
	R("lseek after", lseek(fd, 0, SEEK_CUR));
	R("preadv2(RWF_HIPRI)", preadv2(fd, r, 1, 0, RWF_HIPRI));
	R("preadv2(RWF_NOWAIT)", preadv2(fd, r, 1, 0, RWF_NOWAIT));
	R("preadv2(bad flag)", preadv2(fd, r, 1, 0, 0x1000));
	R("preadv2(off -2)", preadv2(fd, r, 1, -2, 0));
	R("pwritev2(RWF_DSYNC)", pwritev2(fd, w, 1, 0, RWF_DSYNC));
	R("pwritev2(RWF_SYNC)", pwritev2(fd, w, 1, 0, RWF_SYNC));
	R("pwritev2(RWF_APPEND)", pwritev2(fd, w, 1, 0, RWF_APPEND));
	R("size after", lseek(fd, 0, SEEK_END));
	R("pwritev2(bad flag)", pwritev2(fd, w, 1, 0, 0x1000));
	R("pwritev2(RWF_NOWAIT)", pwritev2(fd, w, 1, 0, RWF_NOWAIT));
	R("pwritev2(off -1, RWF_APPEND)", pwritev2(fd, w, 1, -1, RWF_APPEND));
	R("lseek after", lseek(fd, 0, SEEK_CUR));
	struct iovec z = { NULL, 0 };
	R("preadv2(nothing, bad flag)", preadv2(fd, &z, 1, 0, 0x1000));
	R("preadv2(nothing)", preadv2(fd, &z, 1, 0, 0));
	R("preadv2(bad iovec, bad flag)", syscall(SYS_preadv2, fd, (void *)16, 1, 0, 0, 0x1000));
	int p[2];
	pipe(p);
	R("pwritev2(pipe, off -1)", pwritev2(p[1], w, 1, -1, 0));
	R("preadv2(pipe, off -1)", preadv2(p[0], r, 1, -1, 0));
	R("preadv2(pipe, off 0)", preadv2(p[0], r, 1, 0, 0));
	R("preadv2(pipe, rest)", preadv2(p[0], r, 1, -1, 0));
	R("preadv2(pipe, RWF_NOWAIT, empty)", preadv2(p[0], r, 1, -1, RWF_NOWAIT));
	close(p[0]);
	close(p[1]);
	R("preadv2(bad fd)", preadv2(999, r, 1, 0, 0));
	close(fd);
	unlink(at("rw2.f"));
}

static void resident(const char *label, void *p, size_t pages)
{
	unsigned char vec[16];
	errno = 0;
	int rc = mincore(p, pages * 4096, vec);
	printf("%s: %d", label, rc == -1 ? -1 : rc);
	if (rc)
		printf(" %s", ename(errno));
	else
		for (size_t i = 0; i < pages; i++)
			printf(" %d", vec[i] & 1);
	printf("\n");
}

static void t_mlock(void)
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	resident("mincore(untouched)", p, 8);
	p[0] = 1;
	p[3 * 4096] = 1;
	resident("mincore(two touched)", p, 8);
	R("mincore(unaligned)", mincore(p + 1, 4096, (unsigned char *)path_buf));
	R("mincore(bad vector)", mincore(p, 4096, (unsigned char *)16));
	munmap(p + 6 * 4096, 4096);
	R("mincore(hole)", mincore(p, 8 * 4096, (unsigned char *)path_buf));
	R("mlock(2 pages, unaligned)", mlock(p + 4096 + 100, 4096));
	resident("mincore(after mlock)", p, 6);
	R("munlock", munlock(p + 4096, 2 * 4096));
	R("mlock(hole)", mlock(p + 5 * 4096, 2 * 4096));
	R("mlock(len 0)", mlock(p, 0));
	R("mlock2(MLOCK_ONFAULT)", mlock2(p + 4 * 4096, 4096, MLOCK_ONFAULT));
	R("mlock2(bad flag)", mlock2(p, 4096, 2));
	R("munlock(hole)", munlock(p + 5 * 4096, 2 * 4096));
	R("mlockall(0)", mlockall(0));
	R("mlockall(MCL_ONFAULT alone)", mlockall(MCL_ONFAULT));
	R("mlockall(bad flag)", mlockall(8));
	R("mlockall(MCL_CURRENT|MCL_FUTURE)", mlockall(MCL_CURRENT | MCL_FUTURE));
	R("munlockall", munlockall());
	munmap(p, 8 * 4096);
	/* A user without RLIMIT_MEMLOCK room (and without CAP_IPC_LOCK). */
	pid_t c = fork();
	if (c == 0) {
		struct rlimit rl = { 4096, 4096 };
		setrlimit(RLIMIT_MEMLOCK, &rl);
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		char *q = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		R("user: mlock(1 page)", mlock(q, 4096));
		R("user: mlock(2 more pages)", mlock(q + 4096, 2 * 4096));
		R("user: mlockall(MCL_CURRENT)", mlockall(MCL_CURRENT));
		R("user: munlockall", munlockall());
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_MEMLOCK, &rl);
		R("user: mlock(limit 0)", mlock(q, 4096));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void t_membar(void)
{
	long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	/* The commands every x86-64 kernel has (the rseq ones need CONFIG_RSEQ). */
	long basic = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
		     MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |
		     MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
		     MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
	printf("membarrier(QUERY) has the basic commands: %d\n", q >= 0 && (q & basic) == basic);
	R("membarrier(QUERY, flags 1)", syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 1, 0));
	R("membarrier(GLOBAL)", syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0));
	R("membarrier(PRIVATE_EXPEDITED) unregistered",
	  syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
	R("membarrier(GLOBAL_EXPEDITED)", syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0));
	R("membarrier(REGISTER_PRIVATE_EXPEDITED)",
	  syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
	R("membarrier(PRIVATE_EXPEDITED)", syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
	R("membarrier(PRIVATE_EXPEDITED_SYNC_CORE) unregistered",
	  syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
	R("membarrier(REGISTER_GLOBAL_EXPEDITED)",
	  syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0));
	R("membarrier(3)", syscall(SYS_membarrier, 3, 0, 0));
	R("membarrier(1 << 20)", syscall(SYS_membarrier, 1 << 20, 0, 0));
	pid_t c = fork();
	if (c == 0) {
		/* Registration is the address space's: a fork child has none. */
		R("child: membarrier(PRIVATE_EXPEDITED)",
		  syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void t_prio(void)
{
	R("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	R("setpriority(5)", setpriority(PRIO_PROCESS, 0, 5));
	R("getpriority", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	R("setpriority(100): clamped", setpriority(PRIO_PROCESS, 0, 100));
	R("getpriority", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	R("setpriority(-3) as root", setpriority(PRIO_PROCESS, 0, -3));
	R("getpriority(PRIO_PGRP, 0)", syscall(SYS_getpriority, PRIO_PGRP, 0));
	R("getpriority(bad which)", syscall(SYS_getpriority, 7, 0));
	R("getpriority(no such pid)", syscall(SYS_getpriority, PRIO_PROCESS, 999999));
	R("setpriority(no such pid)", setpriority(PRIO_PROCESS, 999999, 0));
	R("getpriority(no such user)", syscall(SYS_getpriority, PRIO_USER, 4242));
	pid_t c = fork();
	if (c == 0) {
		R("child: inherited", syscall(SYS_getpriority, PRIO_PROCESS, 0));
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		R("user: getpriority(PRIO_USER, 1000)", syscall(SYS_getpriority, PRIO_USER, 1000));
		R("user: setpriority(PRIO_USER, 1000, 12)", setpriority(PRIO_USER, 1000, 12));
		R("user: getpriority(PRIO_USER, 0)", syscall(SYS_getpriority, PRIO_USER, 0));
		R("user: setpriority(-5)", setpriority(PRIO_PROCESS, 0, -5));
		R("user: setpriority(10)", setpriority(PRIO_PROCESS, 0, 10));
		R("user: setpriority(5) back", setpriority(PRIO_PROCESS, 0, 5));
		R("user: setpriority(parent)", setpriority(PRIO_PROCESS, getppid(), 10));
		struct sched_param sp = { 10 };
		R("user: sched_setscheduler(FIFO)", sched_setscheduler(0, SCHED_FIFO, &sp));
		sp.sched_priority = 0;
		R("user: sched_setscheduler(BATCH)", sched_setscheduler(0, SCHED_BATCH, &sp));
		R("user: sched_getscheduler", sched_getscheduler(0));
		R("user: sched_setscheduler(parent)", sched_setscheduler(getppid(), SCHED_OTHER, &sp));
		R("user: ioprio_set(RT)", syscall(SYS_ioprio_set, 1, 0, (1 << 13) | 4));
		R("user: ioprio_set(BE 7)", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 7));
		R("user: ioprio_set(parent)", syscall(SYS_ioprio_set, 1, getppid(), (2 << 13) | 7));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	setpriority(PRIO_PROCESS, 0, 0);

	struct sched_param sp = { 0 };
	R("sched_getscheduler", sched_getscheduler(0));
	sp.sched_priority = 30;
	R("sched_setscheduler(FIFO 30)", sched_setscheduler(0, SCHED_FIFO, &sp));
	R("sched_getscheduler", sched_getscheduler(0));
	sp.sched_priority = -1;
	R("sched_getparam", sched_getparam(0, &sp));
	printf("  priority %d\n", sp.sched_priority);
	struct timespec ts;
	sp.sched_priority = 40;
	R("sched_setparam(40)", sched_setparam(0, &sp));
	sched_getparam(0, &sp);
	printf("  priority %d\n", sp.sched_priority);
	R("sched_rr_get_interval(FIFO)", sched_rr_get_interval(0, &ts));
	printf("  %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	sp.sched_priority = 5;
	R("sched_setscheduler(RR 5)", sched_setscheduler(0, SCHED_RR, &sp));
	R("sched_rr_get_interval(RR)", sched_rr_get_interval(0, &ts));
	printf("  %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	sp.sched_priority = 100;
	R("sched_setscheduler(RR 100)", sched_setscheduler(0, SCHED_RR, &sp));
	sp.sched_priority = 1;
	R("sched_setscheduler(OTHER 1)", sched_setscheduler(0, SCHED_OTHER, &sp));
	R("sched_setscheduler(policy 42)", sched_setscheduler(0, 42, &sp));
	R("sched_setscheduler(DEADLINE)", sched_setscheduler(0, 6, &sp));
	R("sched_setscheduler(NULL param)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
	R("sched_setscheduler(pid -1)", sched_setscheduler(-1, SCHED_OTHER, &sp));
	R("sched_setscheduler(no such pid)", sched_setscheduler(999999, SCHED_OTHER, &sp));
	R("sched_getscheduler(no such pid)", sched_getscheduler(999999));
	R("sched_rr_get_interval(no such pid)", sched_rr_get_interval(999999, &ts));
	R("sched_rr_get_interval(bad pointer)", syscall(SYS_sched_rr_get_interval, 0, (void *)16));
	R("sched_rr_get_interval(pid -1)", sched_rr_get_interval(-1, &ts));
	sp.sched_priority = 0;
	R("sched_setscheduler(BATCH|RESET_ON_FORK)",
	  sched_setscheduler(0, SCHED_BATCH | SCHED_RESET_ON_FORK, &sp));
	R("sched_getscheduler", sched_getscheduler(0));
	R("sched_setparam(1) under BATCH", sched_setparam(0, &(struct sched_param){ 1 }));
	R("sched_setscheduler(IDLE)", sched_setscheduler(0, SCHED_IDLE, &sp));
	R("sched_getscheduler", sched_getscheduler(0));
	sp.sched_priority = 7;
	R("sched_setscheduler(FIFO|RESET_ON_FORK)",
	  sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp));
	setpriority(PRIO_PROCESS, 0, -4);
	c = fork();
	if (c == 0) {
		R("child after RESET_ON_FORK: sched_getscheduler", sched_getscheduler(0));
		R("child: getpriority", syscall(SYS_getpriority, PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	setpriority(PRIO_PROCESS, 0, 0);
	R("sched_getscheduler", sched_getscheduler(0));

	long dflt = syscall(SYS_ioprio_get, 1, 0);
	printf("ioprio_get(default): class %ld data %ld\n", dflt >> 13, dflt & 0x1fff);
	R("ioprio_set(BE 3)", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 3));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_set(IDLE)", syscall(SYS_ioprio_set, 1, 0, 3 << 13));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_set(RT 0) as root", syscall(SYS_ioprio_set, 1, 0, 1 << 13));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_set(BE 8)", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 8));
	R("ioprio_set(class 5)", syscall(SYS_ioprio_set, 1, 0, 5 << 13));
	R("ioprio_set(bad which)", syscall(SYS_ioprio_set, 9, 0, 2 << 13));
	R("ioprio_get(bad which)", syscall(SYS_ioprio_get, 9, 0));
	R("ioprio_set(no such pid)", syscall(SYS_ioprio_set, 1, 999999, 2 << 13));
	R("ioprio_get(no such pid)", syscall(SYS_ioprio_get, 1, 999999));
	syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 6);
	c = fork();
	if (c == 0) {
		R("child: ioprio_get", syscall(SYS_ioprio_get, 1, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		/* A group of its own, and a user of its own: no other process
		 * (natively: the harness's) in the answer. */
		setpgid(0, 0);
		R("group: ioprio_get(PGRP 0)", syscall(SYS_ioprio_get, 2, 0));
		R("group: ioprio_set(PGRP 0, BE 2)", syscall(SYS_ioprio_set, 2, 0, (2 << 13) | 2));
		R("group: ioprio_get", syscall(SYS_ioprio_get, 1, 0));
		R("group: setpriority(PGRP 0, 7)", setpriority(PRIO_PGRP, 0, 7));
		R("group: getpriority(PGRP 0)", syscall(SYS_getpriority, PRIO_PGRP, 0));
		if (setresuid(1001, 1001, 1001))
			_exit(1);
		R("user: ioprio_get(USER 1001)", syscall(SYS_ioprio_get, 3, 1001));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void t_uts(void)
{
	struct utsname u;
	/* Natively, the host's names are not the test's to change. (The
	 * guest has no namespaces: its unshare fails, and the guest is ours.) */
	unshare(CLONE_NEWUTS);
	R("sethostname", sethostname("compat-host", 11));
	uname(&u);
	printf("  nodename %s\n", u.nodename);
	int fd = open("/proc/sys/kernel/hostname", O_RDONLY);
	char buf[128] = { 0 };
	if (fd >= 0) {
		read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	printf("  /proc/sys/kernel/hostname %s", buf);
	R("sethostname(65 bytes)", sethostname(path_buf, 65));
	R("sethostname(-1)", syscall(SYS_sethostname, "x", -1));
	R("sethostname(bad pointer)", syscall(SYS_sethostname, (char *)16, 4));
	R("sethostname(64 bytes)", sethostname("0123456789012345678901234567890123456789012345678901234567890123", 64));
	uname(&u);
	printf("  nodename %s\n", u.nodename);
	R("setdomainname", setdomainname("example.org", 11));
	uname(&u);
	printf("  domainname %s\n", u.domainname);
	R("setdomainname(65 bytes)", setdomainname(path_buf, 65));
	pid_t c = fork();
	if (c == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		R("user: sethostname", sethostname("nope", 4));
		R("user: setdomainname", setdomainname("nope", 4));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);

	R("personality(query)", personality(0xffffffff));
	R("personality(ADDR_NO_RANDOMIZE)", personality(ADDR_NO_RANDOMIZE));
	R("personality(query)", personality(0xffffffff));
	c = fork();
	if (c == 0) {
		R("child: personality(query)", personality(0xffffffff));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	R("personality(PER_LINUX)", personality(PER_LINUX));
	R("personality(query)", personality(0xffffffff));
}

static const struct section sections[] = {
	{ "sync", t_sync }, { "dirs", t_dirs }, { "rw2", t_rw2 }, { "mlock", t_mlock },
	{ "membar", t_membar }, { "prio", t_prio }, { "uts", t_uts },
};

int main(int argc, char **argv)
{
	return run_sections(argc, argv, sections, sizeof(sections) / sizeof(sections[0]), &dir);
}
