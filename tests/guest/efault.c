/* Bad pointers at the system-call boundary. Each call is handed NULL,
 * (void *)-1, a kernel address, an unmapped page, a read-only page (where
 * the kernel writes) or a buffer whose last 4 bytes run into an unmapped
 * page, one at a time, and one line per case prints the call, the kind of
 * pointer and what came back: EFAULT, a short count, or the call's usual
 * answer where Linux does not look at the pointer. Raw syscall() so that
 * the C library checks nothing. Run natively and in the guest, the output
 * must be the same.
 *
 * usage: efault DIR     (a writable directory: DIR/efault.d is made and
 *                        removed again)
 *        efault sigframe | sigreturn   (the program dies of SIGSEGV) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/prctl.h>

#define PAGE 4096
#define KERNEL_ADDR ((void *)0xffffffff80000000UL)

enum { NUL, M1, KERN, HOLE, RO, CROSS, EMPTY, LONG, NKINDS };
static const char *const kind_name[NKINDS] = {
	"null", "-1", "kernel", "unmapped", "readonly", "crossing", "empty",
	"toolong",
};
#define K(k) (1u << (k))
/* What the kernel reads (RO pages are readable), what it writes, and
 * what it reads as a path (getname's empty and too-long paths too). */
#define IN (K(NUL) | K(M1) | K(KERN) | K(HOLE) | K(CROSS))
#define OUT (IN | K(RO))
#define PATH (IN | K(EMPTY) | K(LONG))

static char *edge;	/* 4 bytes 'a' before an unmapped page */
static char *hole;	/* an unmapped page */
static char *rdonly;	/* a read-only page of zeros */
static char *toolong;	/* a path of PATH_MAX bytes without a NUL in them */

static void *ptr(int kind)
{
	switch (kind) {
	case NUL: return NULL;
	case M1: return (void *)-1L;
	case KERN: return KERNEL_ADDR;
	case HOLE: return hole;
	case RO: return rdonly;
	case CROSS: return edge;
	case EMPTY: return "";
	default: return toolong;
	}
}

static void report(const char *call, int kind, long rc, int err)
{
	if (rc < 0)
		printf("%s %s = -1 %s\n", call, kind_name[kind], strerrorname_np(err));
	else
		printf("%s %s = %ld\n", call, kind_name[kind], rc);
	fflush(stdout);
}

/* Runs expr once per pointer kind in mask, with P that pointer; the
 * crossing buffer gets its bytes back first (a call may have written
 * them). */
#define EACH(mask, call, expr)						\
	do {								\
		for (int k_ = 0; k_ < NKINDS; k_++) {			\
			if (!((mask) & K(k_)))				\
				continue;				\
			void *P = ptr(k_);				\
			memset(edge, 'a', 4);				\
			errno = 0;					\
			long rc_ = (expr);				\
			report(call, k_, rc_, errno);			\
		}							\
	} while (0)

/* One line for a call outside the kinds (a follow-up that shows the
 * state a failed call left). */
static void after(const char *call, long rc)
{
	int err = errno;
	printf("  then %s = ", call);
	if (rc < 0)
		printf("-1 %s\n", strerrorname_np(err));
	else
		printf("%ld\n", rc);
	fflush(stdout);
}

static void setup_pages(void)
{
	char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* [scratch][.... edge][hole][read-only] */
	hole = m + 2 * PAGE;
	rdonly = m + 3 * PAGE;
	edge = hole - 4;
	munmap(hole, PAGE);
	mprotect(rdonly, PAGE, PROT_READ);
	toolong = malloc(PAGE + 1);
	memset(toolong, 'a', PAGE);
	toolong[PAGE] = 0;
}

static void paths(void)
{
	struct stat st;
	struct statx stx;
	struct statfs sfs;
	char buf[128];

	EACH(PATH, "open", syscall(SYS_open, P, O_RDONLY));
	EACH(IN, "openat", syscall(SYS_openat, AT_FDCWD, P, O_RDONLY));
	EACH(IN, "creat", syscall(SYS_creat, P, 0600));
	EACH(PATH, "stat", syscall(SYS_stat, P, &st));
	EACH(IN, "lstat", syscall(SYS_lstat, P, &st));
	EACH(IN, "newfstatat", syscall(SYS_newfstatat, AT_FDCWD, P, &st, 0));
	EACH(IN, "statx", syscall(SYS_statx, AT_FDCWD, P, 0, STATX_BASIC_STATS, &stx));
	EACH(IN, "access", syscall(SYS_access, P, F_OK));
	EACH(IN, "faccessat", syscall(SYS_faccessat, AT_FDCWD, P, F_OK));
	EACH(IN, "faccessat2", syscall(SYS_faccessat2, AT_FDCWD, P, F_OK, 0));
	EACH(PATH, "mkdir", syscall(SYS_mkdir, P, 0700));
	EACH(IN, "mkdirat", syscall(SYS_mkdirat, AT_FDCWD, P, 0700));
	EACH(PATH, "rmdir", syscall(SYS_rmdir, P));
	EACH(PATH, "unlink", syscall(SYS_unlink, P));
	EACH(IN, "unlinkat", syscall(SYS_unlinkat, AT_FDCWD, P, 0));
	EACH(PATH, "rename.old", syscall(SYS_rename, P, "x"));
	EACH(PATH, "rename.new", syscall(SYS_rename, "f", P));
	EACH(IN, "renameat2", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, P, 0));
	EACH(PATH, "link.old", syscall(SYS_link, P, "x"));
	EACH(PATH, "link.new", syscall(SYS_link, "f", P));
	EACH(IN, "linkat", syscall(SYS_linkat, AT_FDCWD, P, AT_FDCWD, "x", 0));
	EACH(PATH, "symlink.target", syscall(SYS_symlink, P, "x"));
	EACH(PATH, "symlink.path", syscall(SYS_symlink, "f", P));
	EACH(IN, "symlinkat", syscall(SYS_symlinkat, "f", AT_FDCWD, P));
	EACH(IN, "readlink.path", syscall(SYS_readlink, P, buf, sizeof(buf)));
	EACH(IN, "readlinkat.path", syscall(SYS_readlinkat, AT_FDCWD, P, buf, sizeof(buf)));
	EACH(PATH, "chdir", syscall(SYS_chdir, P));
	EACH(IN, "chmod", syscall(SYS_chmod, P, 0600));
	EACH(IN, "fchmodat", syscall(SYS_fchmodat, AT_FDCWD, P, 0600));
	EACH(IN, "chown", syscall(SYS_chown, P, -1, -1));
	EACH(IN, "lchown", syscall(SYS_lchown, P, -1, -1));
	EACH(IN, "fchownat", syscall(SYS_fchownat, AT_FDCWD, P, -1, -1, 0));
	EACH(PATH, "truncate", syscall(SYS_truncate, P, 0));
	EACH(IN, "utimes.path", syscall(SYS_utimes, P, NULL));
	EACH(IN, "utimensat.path", syscall(SYS_utimensat, AT_FDCWD, P, NULL, 0));
	EACH(IN, "mknod", syscall(SYS_mknod, P, S_IFIFO | 0600, 0));
	EACH(IN, "mknodat", syscall(SYS_mknodat, AT_FDCWD, P, S_IFIFO | 0600, 0));
	EACH(IN, "statfs.path", syscall(SYS_statfs, P, &sfs));
	EACH(IN, "getxattr.path", syscall(SYS_getxattr, P, "user.x", buf, sizeof(buf)));
	EACH(IN, "getxattr.name", syscall(SYS_getxattr, "f", P, buf, sizeof(buf)));
	EACH(IN, "lgetxattr.path", syscall(SYS_lgetxattr, P, "user.x", buf, sizeof(buf)));
	EACH(IN, "listxattr.path", syscall(SYS_listxattr, P, buf, sizeof(buf)));
	EACH(IN, "llistxattr.path", syscall(SYS_llistxattr, P, buf, sizeof(buf)));
	EACH(IN, "setxattr.path", syscall(SYS_setxattr, P, "user.x", "v", 1, 0));
	EACH(IN, "setxattr.name", syscall(SYS_setxattr, "f", P, "v", 1, 0));
	EACH(IN & ~K(NUL), "setxattr.value", syscall(SYS_setxattr, "f", "user.x", P, 8, 0));
	EACH(IN, "lsetxattr.path", syscall(SYS_lsetxattr, P, "user.x", "v", 1, 0));
}

/* Structures the kernel fills in. */
static void outputs(int fd, int sock, int tfd, timer_t tid)
{
	int a, b;
	socklen_t len;

	EACH(OUT, "stat.buf", syscall(SYS_stat, "/", P));
	EACH(OUT, "lstat.buf", syscall(SYS_lstat, "/", P));
	EACH(OUT, "fstat", syscall(SYS_fstat, fd, P));
	EACH(OUT, "newfstatat.buf", syscall(SYS_newfstatat, AT_FDCWD, "/", P, 0));
	EACH(OUT, "statx.buf", syscall(SYS_statx, AT_FDCWD, "/", 0, STATX_BASIC_STATS, P));
	EACH(OUT, "statfs.buf", syscall(SYS_statfs, "/", P));
	EACH(OUT, "fstatfs", syscall(SYS_fstatfs, fd, P));
	EACH(OUT, "uname", syscall(SYS_uname, P));
	EACH(OUT, "sysinfo", syscall(SYS_sysinfo, P));
	EACH(OUT, "getrusage", syscall(SYS_getrusage, RUSAGE_SELF, P));
	EACH(OUT & ~K(NUL), "times", syscall(SYS_times, P));
	EACH(OUT, "clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, P));
	EACH(OUT, "clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, P));
	EACH(OUT, "gettimeofday", syscall(SYS_gettimeofday, P, NULL));
	EACH(OUT & ~K(NUL), "time", syscall(SYS_time, P));
	EACH(OUT, "getrlimit", syscall(SYS_getrlimit, RLIMIT_NOFILE, P));
	EACH(OUT, "prlimit64.old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, P));
	EACH(OUT, "getresuid", syscall(SYS_getresuid, P, &a, &b));
	EACH(OUT, "getresgid", syscall(SYS_getresgid, &a, &b, P));
	EACH(OUT, "pipe", syscall(SYS_pipe, P));
	EACH(OUT, "pipe2", syscall(SYS_pipe2, P, O_CLOEXEC));
	EACH(OUT, "socketpair", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, P));
	EACH(OUT, "getcwd", syscall(SYS_getcwd, P, PAGE));
	EACH(OUT, "sched_getaffinity", syscall(SYS_sched_getaffinity, 0, 128, P));
	EACH(OUT, "getcpu", syscall(SYS_getcpu, P, NULL, NULL));
	EACH(OUT, "sched_getparam", syscall(SYS_sched_getparam, 0, P));
	EACH(OUT, "get_robust_list", syscall(SYS_get_robust_list, 0, P, &len));
	EACH(OUT, "arch_prctl", syscall(SYS_arch_prctl, ARCH_GET_FS, P));
	EACH(OUT, "prctl.get_name", syscall(SYS_prctl, PR_GET_NAME, P, 0, 0, 0));
	EACH(OUT, "getitimer", syscall(SYS_getitimer, ITIMER_REAL, P));
	EACH(OUT, "timer_gettime", syscall(SYS_timer_gettime, tid, P));
	EACH(OUT, "timerfd_gettime", syscall(SYS_timerfd_gettime, tfd, P));
	EACH(OUT, "rt_sigaction.old", syscall(SYS_rt_sigaction, SIGUSR1, NULL, P, 8));
	EACH(OUT, "rt_sigprocmask.old", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, P, 8));
	EACH(OUT, "sigaltstack.old", syscall(SYS_sigaltstack, NULL, P));
	EACH(OUT, "rt_sigpending", syscall(SYS_rt_sigpending, P, 8));
	EACH(OUT, "timer_create.id",
	     syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, P));
	EACH(OUT, "getsockname.addr", (len = sizeof(struct sockaddr_un),
				       syscall(SYS_getsockname, sock, P, &len)));
	EACH(OUT, "getpeername.addr", (len = sizeof(struct sockaddr_un),
				       syscall(SYS_getpeername, sock, P, &len)));
	EACH(OUT & ~K(CROSS), "getsockname.len",
	     syscall(SYS_getsockname, sock, &a, P));
	EACH(OUT & ~K(CROSS), "getsockopt.val",
	     (len = sizeof(int), syscall(SYS_getsockopt, sock, SOL_SOCKET, SO_TYPE, P, &len)));
	EACH(OUT & ~K(CROSS), "getsockopt.len",
	     syscall(SYS_getsockopt, sock, SOL_SOCKET, SO_TYPE, &a, P));
}

/* Structures the kernel reads. */
static void inputs(int fd, int sock, int tfd, timer_t tid, int ep, int rfd)
{
	uint64_t set = 0;
	struct timespec ts0 = { 0, 0 };
	struct timeval tv0 = { 0, 0 };
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	struct epoll_event ev;
	fd_set rs;
	timer_t t2;

	EACH(IN, "nanosleep", syscall(SYS_nanosleep, P, NULL));
	EACH(IN, "clock_nanosleep", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, P, NULL));
	EACH(IN & ~K(NUL), "setitimer", syscall(SYS_setitimer, ITIMER_REAL, P, NULL));
	EACH(IN, "timer_settime", syscall(SYS_timer_settime, tid, 0, P, NULL));
	EACH(IN, "timerfd_settime", syscall(SYS_timerfd_settime, tfd, 0, P, NULL));
	EACH(IN, "timer_create.sevp",
	     ({ long r = syscall(SYS_timer_create, CLOCK_MONOTONIC, P, &t2);
		if (!r)
			syscall(SYS_timer_delete, t2);
		r; }));
	EACH(IN, "rt_sigaction.act", syscall(SYS_rt_sigaction, SIGUSR1, P, NULL, 8));
	EACH(IN, "rt_sigprocmask.set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, P, NULL, 8));
	EACH(IN, "sigaltstack.ss", syscall(SYS_sigaltstack, P, NULL));
	EACH(IN, "rt_sigsuspend", syscall(SYS_rt_sigsuspend, P, 8));
	EACH(IN, "rt_sigtimedwait.set", syscall(SYS_rt_sigtimedwait, P, NULL, &ts0, 8));
	EACH(IN & ~K(NUL), "rt_sigtimedwait.timeout",
	     syscall(SYS_rt_sigtimedwait, &set, NULL, P, 8));
	EACH(IN, "setrlimit", syscall(SYS_setrlimit, RLIMIT_NOFILE, P));
	EACH(IN, "prlimit64.new", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, P, NULL));
	EACH(IN, "sched_setaffinity", syscall(SYS_sched_setaffinity, 0, 8, P));
	EACH(IN, "prctl.set_name", syscall(SYS_prctl, PR_SET_NAME, P, 0, 0, 0));
	EACH(IN, "epoll_ctl", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, rfd, P));
	EACH(IN | K(RO), "poll", syscall(SYS_poll, P, 1, 0));
	EACH(IN, "ppoll.timeout", syscall(SYS_ppoll, &pfd, 1, P, NULL, 8));
	EACH(IN, "ppoll.sigmask", syscall(SYS_ppoll, &pfd, 1, &ts0, P, 8));
	EACH(IN | K(RO), "select.readfds", syscall(SYS_select, rfd + 1, P, NULL, NULL, &tv0));
	EACH(IN, "select.timeout",
	     ({ FD_ZERO(&rs); FD_SET(rfd, &rs);
		syscall(SYS_select, rfd + 1, &rs, NULL, NULL, P); }));
	EACH(IN, "pselect6.sig",
	     ({ FD_ZERO(&rs); FD_SET(rfd, &rs);
		syscall(SYS_pselect6, rfd + 1, &rs, NULL, NULL, &ts0, P); }));
	EACH(IN, "epoll_pwait.sigmask", syscall(SYS_epoll_pwait, ep, &ev, 1, 0, P, 8));
	EACH(IN, "bind", syscall(SYS_bind, sock, P, sizeof(struct sockaddr_un)));
	EACH(IN, "connect", syscall(SYS_connect, sock, P, sizeof(struct sockaddr_un)));
	EACH(IN, "sendto.addr", syscall(SYS_sendto, sock, "x", 1, MSG_DONTWAIT, P,
					sizeof(struct sockaddr_un)));
	EACH(IN & ~K(CROSS), "setsockopt",
	     syscall(SYS_setsockopt, sock, SOL_SOCKET, SO_RCVBUF, P, sizeof(int)));
	EACH(IN, "utimensat.times", syscall(SYS_utimensat, AT_FDCWD, "f", P, 0));
	EACH(IN, "utimes.times", syscall(SYS_utimes, "f", P));
	EACH(IN, "futex.wait", syscall(SYS_futex, P, FUTEX_WAIT_PRIVATE, 0, &ts0, NULL, 0));
	EACH(IN, "futex.wake", syscall(SYS_futex, P, FUTEX_WAKE, 1, NULL, NULL, 0));
	EACH(IN, "futex.wake_private", syscall(SYS_futex, P, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	EACH(IN & ~K(CROSS), "ioctl.fionbio", syscall(SYS_ioctl, fd, FIONBIO, P));
	EACH(IN, "fcntl.setlk", syscall(SYS_fcntl, fd, F_SETLK, P));
	EACH(IN | K(RO), "fcntl.getlk", syscall(SYS_fcntl, fd, F_GETLK, P));
}

static long fsize(const char *name)
{
	struct stat st;
	return stat(name, &st) ? -1 : st.st_size;
}

/* The data paths: EFAULT, or the bytes done before the fault. */
static void data(int fd, int dirfd)
{
	char buf[256];
	struct iovec iov;
	int zero = open("/dev/zero", O_RDONLY), urnd = open("/dev/urandom", O_RDONLY);
	int null = open("/dev/null", O_WRONLY);

	EACH(OUT, "read.file", (lseek(fd, 0, SEEK_SET), syscall(SYS_read, fd, P, 100)));
	EACH(OUT, "pread64", syscall(SYS_pread64, fd, P, 100, 0));
	EACH(OUT, "readv.base",
	     (iov = (struct iovec){ P, 100 }, syscall(SYS_preadv, fd, &iov, 1, 0, 0)));
	EACH(OUT, "readv.second",
	     ({ struct iovec v[2] = { { buf, 10 }, { P, 100 } };
		lseek(fd, 0, SEEK_SET);
		syscall(SYS_readv, fd, v, 2); }));
	EACH(IN, "readv.iov", syscall(SYS_readv, fd, P, 1));
	EACH(OUT, "read.zero", syscall(SYS_read, zero, P, 100));
	EACH(OUT, "read.urandom", syscall(SYS_read, urnd, P, 100));
	EACH(OUT, "getrandom", syscall(SYS_getrandom, P, 100, 0));
	EACH(IN, "write.null", syscall(SYS_write, null, P, 100));
	EACH(OUT, "getdents64",
	     (lseek(dirfd, 0, SEEK_SET), syscall(SYS_getdents64, dirfd, P, PAGE)));

	int w = open("w", O_RDWR | O_CREAT | O_TRUNC, 0600);
	EACH(IN, "write.file", (ftruncate(w, 0), lseek(w, 0, SEEK_SET),
				syscall(SYS_write, w, P, 100)));
	after("size", fsize("w"));
	EACH(IN, "pwrite64", (ftruncate(w, 0), syscall(SYS_pwrite64, w, P, 100, 0)));
	after("size", fsize("w"));
	EACH(IN, "writev.base", (iov = (struct iovec){ P, 100 }, ftruncate(w, 0),
				 syscall(SYS_pwritev, w, &iov, 1, 0, 0)));
	EACH(IN, "writev.iov", syscall(SYS_writev, w, P, 1));
	EACH(IN, "sendfile.offset", (lseek(fd, 0, SEEK_SET),
				     syscall(SYS_sendfile, null, fd, P, 10)));
	EACH(IN, "copy_file_range.off_in", (lseek(fd, 0, SEEK_SET),
					    syscall(SYS_copy_file_range, fd, P, w, NULL, 10, 0)));
	close(w);
	close(zero), close(urnd), close(null);
}

/* Pipes, sockets and eventfd: what a failed copy leaves behind. */
static void streams(void)
{
	int p[2], sv[2], dg[2];
	char buf[64];
	pipe2(p, O_NONBLOCK);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, dg);
	int efd = eventfd(0, EFD_NONBLOCK);

	EACH(OUT, "read.pipe", (write(p[1], "0123456789", 10), syscall(SYS_read, p[0], P, 10)));
	after("read", read(p[0], buf, sizeof(buf)));
	EACH(OUT, "ioctl.fionread", syscall(SYS_ioctl, p[0], FIONREAD, P));
	EACH(IN, "write.pipe", syscall(SYS_write, p[1], P, 10));
	after("read", read(p[0], buf, sizeof(buf)));

	EACH(OUT, "recvfrom.stream",
	     (send(sv[0], "0123456789", 10, 0), syscall(SYS_recvfrom, sv[1], P, 10, 0, NULL, NULL)));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));
	EACH(IN, "sendto.stream", syscall(SYS_sendto, sv[0], P, 10, 0, NULL, 0));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));
	EACH(OUT, "recvfrom.dgram",
	     (send(dg[0], "0123456789", 10, 0), syscall(SYS_recvfrom, dg[1], P, 10, 0, NULL, NULL)));
	after("recv", recv(dg[1], buf, sizeof(buf), 0));
	EACH(IN, "sendto.dgram", syscall(SYS_sendto, dg[0], P, 10, 0, NULL, 0));
	after("recv", recv(dg[1], buf, sizeof(buf), 0));

	struct msghdr m;
	struct iovec iov;
	EACH(IN, "sendmsg.msg", syscall(SYS_sendmsg, sv[0], P, 0));
	EACH(IN, "sendmsg.iov", (m = (struct msghdr){ .msg_iov = P, .msg_iovlen = 1 },
				 syscall(SYS_sendmsg, sv[0], &m, 0)));
	EACH(IN, "sendmsg.base", (iov = (struct iovec){ P, 10 },
				  m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 },
				  syscall(SYS_sendmsg, sv[0], &m, 0)));
	EACH(IN, "sendmsg.control",
	     (iov = (struct iovec){ "x", 1 },
	      m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = P,
				   .msg_controllen = 24 },
	      syscall(SYS_sendmsg, sv[0], &m, 0)));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));
	EACH(IN | K(RO), "recvmsg.msg", (send(sv[0], "abc", 3, 0), syscall(SYS_recvmsg, sv[1], P, 0)));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));
	EACH(IN, "recvmsg.iov", (send(sv[0], "abc", 3, 0),
				 m = (struct msghdr){ .msg_iov = P, .msg_iovlen = 1 },
				 syscall(SYS_recvmsg, sv[1], &m, 0)));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));
	EACH(OUT, "recvmsg.base", (send(sv[0], "abc", 3, 0),
				   iov = (struct iovec){ P, 10 },
				   m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 },
				   syscall(SYS_recvmsg, sv[1], &m, 0)));
	after("recv", recv(sv[1], buf, sizeof(buf), 0));

	/* A read takes the count before it copies it out (as Linux's). */
	uint64_t one = 1, v = 0;
	EACH(OUT, "read.eventfd", (write(efd, &one, 8), syscall(SYS_read, efd, P, 8)));
	after("read.value", read(efd, &v, 8) == 8 ? (long)v : -1);
	EACH(IN, "write.eventfd", syscall(SYS_write, efd, P, 8));
	after("read", read(efd, &v, 8));

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	write(p[1], "x", 1);
	EACH(OUT, "epoll_wait", syscall(SYS_epoll_wait, ep, P, 1, 0));
	after("epoll_wait", epoll_wait(ep, &ev, 1, 0));
	close(ep);
	close(p[0]), close(p[1]), close(sv[0]), close(sv[1]), close(dg[0]), close(dg[1]);
	close(efd);
}

/* A handler whose frame would go to an unmapped alternate stack: Linux
 * kills the program with SIGSEGV (force_sigsegv). */
static void handler(int sig)
{
	(void)sig;
	puts("handler ran");
}

static int sigframe(void)
{
	char *m = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m, 16 * PAGE);
	stack_t ss = { .ss_sp = m, .ss_size = 16 * PAGE };
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_ONSTACK };
	sigaltstack(&ss, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	puts("before");
	fflush(stdout);
	raise(SIGUSR1);
	puts("after");
	return 0;
}

/* rt_sigreturn with the stack pointer on an unmapped page: SIGSEGV. */
static int bad_sigreturn(void)
{
	char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	munmap(m, PAGE);
	puts("before");
	fflush(stdout);
	__asm__ volatile("mov %0, %%rsp\n\tmov %1, %%eax\n\tsyscall"
			 : : "r"(m + PAGE / 2), "i"(SYS_rt_sigreturn) : "memory");
	puts("after");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sigframe"))
		return sigframe();
	if (argc > 1 && !strcmp(argv[1], "sigreturn"))
		return bad_sigreturn();
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/efault.d", argc > 1 ? argv[1] : "/tmp");
	mkdir(dir, 0700);
	if (chdir(dir)) {
		perror(dir);
		return 2;
	}
	setup_pages();
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char content[200];
	memset(content, 'c', sizeof(content));
	write(fd, content, sizeof(content));
	symlink("f", "l");
	int dirfd = open(".", O_RDONLY | O_DIRECTORY);

	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	timer_t tid;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	timer_create(CLOCK_MONOTONIC, &sev, &tid);
	int p[2];
	pipe(p);
	write(p[1], "x", 1);	/* a ready descriptor for poll and select */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);

	paths();
	outputs(fd, sv[0], tfd, tid);
	inputs(fd, sv[0], tfd, tid, ep, p[0]);
	data(fd, dirfd);
	streams();

	char rl[128];
	EACH(OUT, "readlink.buf", syscall(SYS_readlink, "l", P, sizeof(rl)));
	EACH(OUT, "readlinkat.buf", syscall(SYS_readlinkat, dirfd, "l", P, sizeof(rl)));

	/* Whatever the failed calls left in the directory. */
	unlink("f"), unlink("l"), unlink("w"), unlink("x");
	chdir("/");
	if (rmdir(dir))
		perror("rmdir");
	puts("done");
	return 0;
}
