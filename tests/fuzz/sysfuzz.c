/* sysfuzz: a system-call fuzzer for the guest.
 *
 *   GUEST ONLY. Never run this program on the host: it makes tens of
 *   thousands of random system calls (unlink, rename, chmod, mount,
 *   setuid, kill(-1), sethostname, settimeofday...) and as root it would
 *   damage the machine. tests/fuzz/run-fuzz-tests.sh runs it in the guest
 *   only, and so does `make fuzz`; it has never been run natively.
 *
 * usage: sysfuzz SEED [CALLS [-v]]     (CALLS default 20000)
 *   -v prints each call before it is made and its result after it, on
 *   the saved standard output, so the last line before a kernel fault
 *   names the call that caused it.
 *   SYSFUZZ_ONLY=N,N,... in the environment makes only those calls (by
 *   number): for narrowing a failure down to the calls that cause it.
 *
 * From SEED (a splitmix64 stream) it draws each call's number (mostly
 * Linux x86_64's, sometimes one that is not: -1, 1000, x32's bit, high
 * bits set) and its six arguments from interesting values, typed where
 * the table below knows the call: 0, -1, small and large integers, all
 * flag bits, the descriptors it opened first (regular files in /tmp,
 * directories, an O_PATH descriptor, pipes, sockets of each family,
 * eventfd, timerfd, epoll, signalfd, inotify, memfd, /dev/null, /dev/zero,
 * /proc files), pointers to nothing (NULL, -1, an unmapped page), to a
 * kernel address, to non-canonical addresses, to a read-only page, to
 * valid buffers (random words, paths, socket addresses, iovecs) and to
 * buffers that run into an unmapped page, lengths up to huge, valid paths
 * and garbage strings.
 *
 * It skips or tames only what would end it, block it forever or break
 * its own ability to go on: exit, exit_group, execve(at), pause,
 * rt_sigreturn, ptrace, reboot, seccomp, chroot, pivot_root; fork, vfork,
 * clone and clone3 run through an assembly stub whose child calls exit at
 * once without touching memory; memory-management calls (munmap, mprotect,
 * madvise, mremap, MAP_FIXED mmap, shmat...) get addresses in an arena of
 * their own only, and brk never goes below where it started; kill and its
 * kin never send SIGKILL or SIGSTOP; rt_sigaction and rt_sigprocmask are
 * undone after each call; setrlimit only raises; sleeps and waits get
 * short timeouts (a NULL one sometimes); close, dup2, dup3 and close_range
 * spare the descriptor the summary is written to. Standard input, output
 * and error are /dev/null, so nothing random reaches the consoles.
 *
 * Every catchable signal is caught (SA_SIGINFO); one that arrives during
 * a call siglongjmps back to the loop. A 100 ms ITIMER_REAL watchdog is
 * armed around each call, so a call that blocks ends with SIGALRM. Every
 * 1000 calls the descriptors, files, arena, handlers and mask are made
 * anew.
 *
 * The last line on stdout is the summary:
 *   sysfuzz: seed S: N calls, E errors, G signals
 * The calls and their arguments depend on the seed alone; E and G can vary
 * a little where a call races a timer (the watchdog, a timer the program
 * armed, a child's SIGCHLD). Exit status 0 after the summary; 3 when the
 * harness itself faulted outside a call (program memory corrupted, or a
 * signal frame the kernel got wrong). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/ucontext.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>
#include "spawn.h"

#define PG 4096UL
#define OUT_FD 1023		/* the saved stdout: the summary goes there */
#define RESET_EVERY 1000
#define WATCHDOG_US 100000

/* The arena: the only place memory-management calls get to change.
 * Far from everything the program has (its image, heap, stack, libc's
 * mappings and the buffers below), with nothing for 1 TiB after it. */
#define ARENA ((uint64_t)0x300000000000ULL)
#define ARENA_LEN (64UL << 20)

#define KERNEL_ADDR 0xffffffff80000000UL

/* --- random numbers -------------------------------------------------------- */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) { return rnd() % n; }
static int chance(unsigned pct) { return below(100) < pct; }
#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* --- raw system calls ---------------------------------------------------- */
static __attribute__((noinline)) long raw6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret = n;
	__asm__ volatile("syscall"
			 : "+a"(ret)
			 : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define raw(...) raw_n(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define raw_n(n, a, b, c, d, e, f, ...) \
	raw6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* --- output without the C library's buffers -------------------------------- */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	for (int done = 0; n > 0 && done < n;) {
		long w = raw(SYS_write, OUT_FD, line + done, n - done);
		if (w <= 0)
			break;
		done += w;
	}
}

/* --- the harness's state ---------------------------------------------------- */
static sigjmp_buf jump;
static volatile sig_atomic_t in_call;
static volatile unsigned long nsignals;
static long main_tid;
static uint64_t fault_rip;	/* where the last fault outside a call was */
static int fault_again;		/* and how often since the last call */
static uint64_t brk0;		/* brk at the start: the TLS block is below */

/* The buffers: 4 pages of data, an unmapped guard page, a read-only page
 * and an unmapped hole. Page 0: random words; 1: iovecs and msghdrs;
 * 2: socket addresses; 3: paths (slot per argument) and a garbage string
 * that runs into the guard. */
static char *B;
#define BUF_LEN (4 * PG)
#define GUARD (B + 4 * PG)
#define RO (B + 5 * PG)
#define HOLE (B + 6 * PG)
static char *child_stack_top;

static int fds[48];
static int nfds;

static const char *const paths[] = {
	"/tmp/fuzz/f0", "/tmp/fuzz/f1", "/tmp/fuzz/new", "/tmp/fuzz/d",
	"/tmp/fuzz/d/x", "/tmp/fuzz/l", "/tmp/fuzz/fifo", "/tmp/fuzz/sock",
	"/tmp/fuzz/e", "/tmp/fuzz/d/", "/tmp/fuzz/f0/", "/tmp/fuzz/f0/x",
	"/tmp", "/tmp/fuzz", ".", "..", "", "/", "f0", "d", "new", "d/../f1",
	"//tmp///fuzz//f1", "/dev/null", "/dev/zero", "/dev/urandom", "/dev",
	"/proc/self/status", "/proc/self/maps", "/proc/self/fd", "/proc/self",
	"/proc/meminfo", "/proc/self/fd/0", "/proc/1/cmdline", "/etc/passwd",
	"/nonexistent/x", "/tmp/fuzz/\xff\xfe\x01", "l/x", "../fuzz/f0",
};

/* --- arguments ---------------------------------------------------------------- */
static const uint64_t ints[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, 128, 255,
	256, 511, 512, 1000, 1024, 4095, 4096, 4097, 8192, 65535, 65536,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, (uint64_t)-1,
	(uint64_t)-2, (uint64_t)-100, (uint64_t)-4095, (uint64_t)-4096,
	1ULL << 40,
};
static const uint64_t lens[] = {
	0, 1, 2, 3, 4, 8, 16, 28, 64, 110, 128, 512, 4095, 4096, 8192, 16384,
	65536, 1 << 20, 0x7fffffff, 0xffffffff, (uint64_t)-1, 1ULL << 40,
	0x7ffffffff000ULL,
};
/* Memory-management lengths: never so long that arena + length reaches
 * anything of the harness's (those that overflow must fail). */
static const uint64_t mlens[] = {
	0, 1, 4095, 4096, 8192, 3 * 4096, 65536, 1 << 20, 4 << 20, 64 << 20,
	1ULL << 40, (uint64_t)-1, (uint64_t)-4096, 1ULL << 63,
};

static uint64_t rand_int(void)
{
	switch (below(8)) {
	case 0: return below(64);
	case 1: return 1ULL << below(64);
	case 2: return rnd();
	case 3: return rnd() & rnd() & 0xffffff;	/* some flag bits */
	case 4: return (uint32_t)rnd();
	case 5: return PICK(ints) ^ (chance(20) ? 1 : 0);
	default: return PICK(ints);
	}
}

static uint64_t rand_fd(void)
{
	static const int64_t odd[] = { -1, AT_FDCWD, 0, 1, 2, 1022, 1024,
				       65535, 0x7fffffff, -2 };
	if (nfds && chance(80))
		return (uint64_t)(int64_t)fds[below(nfds)];
	if (chance(50))
		return below(40);
	return (uint64_t)PICK(odd);
}

static uint64_t bad_ptr(void)
{
	static const uint64_t bad[] = {
		0, (uint64_t)-1, KERNEL_ADDR, 0xffff800000000000ULL,
		0x0000800000000000ULL, 0x8000000000000000ULL,
		0x00007ffffffff000ULL, 0x1000, 0xfffffffffffff000ULL,
		0x00007fffffffffffULL,
	};
	switch (below(4)) {
	case 0: return (uint64_t)HOLE + below(PG);
	case 1: return (uint64_t)GUARD;
	default: return PICK(bad);
	}
}

/* A pointer fit to be embedded in a structure: into the buffers, or bad. */
static uint64_t embedded_ptr(void)
{
	switch (below(6)) {
	case 0: return bad_ptr();
	case 1: return (uint64_t)GUARD - PICK(((const uint64_t[]){ 1, 4, 8, 16, 100 }));
	case 2: return (uint64_t)RO;
	default: return (uint64_t)B + below(BUF_LEN);
	}
}

static void fill_words(char *at, size_t n)
{
	uint64_t *w = (uint64_t *)at;
	for (size_t i = 0; i < n / 8; i++) {
		switch (below(6)) {
		case 0: w[i] = rnd(); break;
		case 1: w[i] = embedded_ptr(); break;
		case 2: w[i] = below(4) == 0 ? (uint64_t)(int64_t)fds[below(nfds ? nfds : 1)] : below(16); break;
		default: w[i] = rand_int(); break;
		}
	}
}

static uint64_t path_ptr(int slot)
{
	char *p = B + 3 * PG + slot * 320;
	switch (below(12)) {
	case 0: {	/* a long path (ENAMETOOLONG, or too long a name) */
		size_t n = chance(50) ? 300 : 310;
		memset(p, 'a', n);
		p[0] = '/';
		p[n] = 0;
		return (uint64_t)p;
	}
	case 1: {	/* random bytes, NUL-terminated */
		size_t n = below(40);
		for (size_t i = 0; i < n; i++)
			p[i] = (char)(below(255) + 1);
		p[n] = 0;
		return (uint64_t)p;
	}
	case 2:	/* no NUL before the guard page */
		return (uint64_t)GUARD - 1 - below(64);
	case 3:
		return bad_ptr();
	default:
		strcpy(p, PICK(paths));
		return (uint64_t)p;
	}
}

static uint64_t sockaddr_ptr(int slot)
{
	char *p = B + 2 * PG + slot * 512;
	memset(p, 0, 128);
	switch (below(6)) {
	case 0: {
		struct sockaddr_in *in = (void *)p;
		in->sin_family = AF_INET;
		in->sin_port = htons(chance(50) ? 7000 + below(4) : below(65536));
		in->sin_addr.s_addr = chance(50) ? htonl(INADDR_LOOPBACK) : (uint32_t)rnd();
		break;
	}
	case 1: {
		struct sockaddr_in6 *in6 = (void *)p;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(7000 + below(4));
		in6->sin6_addr.s6_addr[15] = chance(70);
		break;
	}
	case 2: {
		struct sockaddr_un *un = (void *)p;
		un->sun_family = AF_UNIX;
		if (chance(30))	/* abstract */
			memcpy(un->sun_path, "\0fuzz", 5 + below(2));
		else
			strcpy(un->sun_path, chance(50) ? "/tmp/fuzz/sock" : "/tmp/fuzz/s2");
		if (chance(10))
			memset(un->sun_path, 'z', sizeof(un->sun_path));
		break;
	}
	case 3:
		*(uint16_t *)p = (uint16_t)below(48);	/* any family */
		fill_words(p + 8, 120);
		break;
	case 4:
		return bad_ptr();
	default:
		fill_words(p, 128);
		*(uint16_t *)p = (uint16_t)PICK(((const uint64_t[]){ AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNSPEC }));
		break;
	}
	return (uint64_t)p;
}

static uint64_t iovec_ptr(int slot)
{
	struct iovec *v = (void *)(B + PG + slot * 512);
	if (chance(10))
		return bad_ptr();
	for (int i = 0; i < 16; i++) {
		v[i].iov_base = (void *)(chance(70) ? (uint64_t)B + below(BUF_LEN) : embedded_ptr());
		v[i].iov_len = chance(70) ? below(4096) : PICK(lens);
	}
	if (chance(20))	/* a msghdr instead: name, iov, control */
		fill_words((char *)v, 64);
	if (chance(10))
		return (uint64_t)GUARD - 8;
	return (uint64_t)v;
}

/* A timeout: short (so calls that wait do not wait long), NULL (forever:
 * the watchdog ends it) now and then, or a bad pointer. */
static uint64_t timeout_ptr(int slot)
{
	struct timespec *ts = (void *)(B + 3 * PG + 3000 + slot * 16);
	switch (below(10)) {
	case 0: return 0;
	case 1: return bad_ptr();
	case 2: ts->tv_sec = -1; ts->tv_nsec = 0; break;
	case 3: ts->tv_sec = 0; ts->tv_nsec = 1000000000; break;
	default: ts->tv_sec = 0; ts->tv_nsec = below(1000); break;
	}
	return (uint64_t)ts;
}

static uint64_t buf_ptr(void)
{
	switch (below(10)) {
	case 0: case 1: return bad_ptr();
	case 2: return (uint64_t)RO + below(64);
	case 3: return (uint64_t)GUARD - PICK(((const uint64_t[]){ 1, 2, 4, 8, 16, 64, 100, 512 }));
	case 4: return (uint64_t)B + below(BUF_LEN);
	case 5: return ARENA + below(16) * PG;
	default: return (uint64_t)B + 8 * below(32);
	}
}

/* An address for memory-management calls: in the arena, or one where
 * nothing of the harness's can be, whatever the length (not NULL nor low
 * addresses: munmap(0, 1 << 40) would take the program's image along). */
static uint64_t arena_addr(void)
{
	static const uint64_t bad[] = {
		KERNEL_ADDR, 0xffff800000000000ULL, 0x0000800000000000ULL,
		0x8000000000000000ULL, (uint64_t)-1, 0xfffffffffffff000ULL,
	};
	switch (below(8)) {
	case 0: return PICK(bad);
	case 1: return ARENA + below(ARENA_LEN);	/* misaligned mostly */
	default: return ARENA + PG * below(ARENA_LEN / PG);
	}
}

static uint64_t any_arg(int slot)
{
	switch (below(10)) {
	case 0: case 1: case 2: return rand_int();
	case 3: case 4: return rand_fd();
	case 5: return path_ptr(slot);
	case 6: return bad_ptr();
	default: return buf_ptr();
	}
}

/* --- the calls' argument kinds ------------------------------------------------ *
 * f fd, p buffer, s path, l length, i integer/flags, a arena address (never
 * replaced), m arena length (never replaced), S socket address, v iovec or
 * msghdr, n small count, g signal, P pid, t timeout pointer, T timeout in
 * ms, o offset, u anything. Calls not here take six 'u'. */
static const char *const sig[512] = {
	[SYS_read] = "fpl", [SYS_write] = "fpl", [SYS_open] = "sii",
	[SYS_close] = "f", [SYS_stat] = "sp", [SYS_fstat] = "fp",
	[SYS_lstat] = "sp", [SYS_poll] = "pnT", [SYS_lseek] = "foi",
	[SYS_mmap] = "amiifo", [SYS_mprotect] = "ami", [SYS_munmap] = "am",
	[SYS_rt_sigaction] = "gppl", [SYS_rt_sigprocmask] = "ippl",
	[SYS_ioctl] = "fiu", [SYS_pread64] = "fplo", [SYS_pwrite64] = "fplo",
	[SYS_readv] = "fvn", [SYS_writev] = "fvn", [SYS_access] = "si",
	[SYS_pipe] = "p", [SYS_select] = "npppt", [SYS_mremap] = "ammia",
	[SYS_msync] = "ami", [SYS_mincore] = "amp", [SYS_madvise] = "ami",
	[SYS_shmget] = "iii", [SYS_shmat] = "iai", [SYS_shmctl] = "iip",
	[SYS_dup] = "f", [SYS_dup2] = "ff", [SYS_nanosleep] = "tp",
	[SYS_getitimer] = "ip", [SYS_alarm] = "i", [SYS_setitimer] = "ipp",
	[SYS_sendfile] = "ffpl", [SYS_socket] = "iii",
	[SYS_connect] = "fSl", [SYS_accept] = "fpp", [SYS_sendto] = "fpliSl",
	[SYS_recvfrom] = "fplipp", [SYS_sendmsg] = "fvi", [SYS_recvmsg] = "fvi",
	[SYS_shutdown] = "fi", [SYS_bind] = "fSl", [SYS_listen] = "fi",
	[SYS_getsockname] = "fpp", [SYS_getpeername] = "fpp",
	[SYS_socketpair] = "iiip", [SYS_setsockopt] = "fiipl",
	[SYS_getsockopt] = "fiipp", [SYS_wait4] = "Ppip", [SYS_kill] = "Pg",
	[SYS_uname] = "p", [SYS_semget] = "iii", [SYS_semop] = "ipn",
	[SYS_semctl] = "iiiu", [SYS_shmdt] = "a", [SYS_msgget] = "ii",
	[SYS_msgsnd] = "ipli", [SYS_msgrcv] = "iplii", [SYS_msgctl] = "iip",
	[SYS_fcntl] = "fiu", [SYS_flock] = "fi", [SYS_fsync] = "f",
	[SYS_fdatasync] = "f", [SYS_truncate] = "so", [SYS_ftruncate] = "fo",
	[SYS_getdents] = "fpl", [SYS_getcwd] = "pl", [SYS_chdir] = "s",
	[SYS_fchdir] = "f", [SYS_rename] = "ss", [SYS_mkdir] = "si",
	[SYS_rmdir] = "s", [SYS_creat] = "si", [SYS_link] = "ss",
	[SYS_unlink] = "s", [SYS_symlink] = "ss", [SYS_readlink] = "spl",
	[SYS_chmod] = "si", [SYS_fchmod] = "fi", [SYS_chown] = "sii",
	[SYS_fchown] = "fii", [SYS_lchown] = "sii", [SYS_umask] = "i",
	[SYS_gettimeofday] = "pp", [SYS_getrlimit] = "ip",
	[SYS_getrusage] = "ip", [SYS_sysinfo] = "p", [SYS_times] = "p",
	[SYS_getgroups] = "np", [SYS_setgroups] = "np",
	[SYS_rt_sigpending] = "pl", [SYS_rt_sigtimedwait] = "pptl",
	[SYS_rt_sigqueueinfo] = "Pgp", [SYS_rt_sigsuspend] = "pl",
	[SYS_sigaltstack] = "pp", [SYS_utime] = "sp", [SYS_mknod] = "sii",
	[SYS_statfs] = "sp", [SYS_fstatfs] = "fp", [SYS_getpriority] = "iP",
	[SYS_setpriority] = "iPi", [SYS_mlock] = "am", [SYS_munlock] = "am",
	[SYS_mlockall] = "i", [SYS_prctl] = "iuuuu", [SYS_arch_prctl] = "iu",
	[SYS_setrlimit] = "ip", [SYS_sync] = "", [SYS_gettid] = "",
	[SYS_readahead] = "fol", [SYS_setxattr] = "sspli",
	[SYS_lsetxattr] = "sspli", [SYS_fsetxattr] = "fspli",
	[SYS_getxattr] = "sspl", [SYS_lgetxattr] = "sspl",
	[SYS_fgetxattr] = "fspl", [SYS_listxattr] = "spl",
	[SYS_flistxattr] = "fpl", [SYS_removexattr] = "ss",
	[SYS_fremovexattr] = "fs", [SYS_tkill] = "Pg", [SYS_time] = "p",
	[SYS_futex] = "piitpi", [SYS_sched_setaffinity] = "Plp",
	[SYS_sched_getaffinity] = "Plp", [SYS_getdents64] = "fpl",
	[SYS_set_tid_address] = "p", [SYS_fadvise64] = "fooi",
	[SYS_timer_create] = "ipp", [SYS_timer_settime] = "iipp",
	[SYS_timer_gettime] = "ip", [SYS_clock_settime] = "ip",
	[SYS_clock_gettime] = "ip", [SYS_clock_getres] = "ip",
	[SYS_clock_nanosleep] = "iitp", [SYS_epoll_wait] = "fpnT",
	[SYS_epoll_ctl] = "fifp", [SYS_tgkill] = "PPg", [SYS_utimes] = "sp",
	[SYS_mbind] = "amipli", [SYS_waitid] = "iPpip", [SYS_inotify_add_watch] = "fsi",
	[SYS_inotify_rm_watch] = "fi", [SYS_openat] = "fsii",
	[SYS_mkdirat] = "fsi", [SYS_mknodat] = "fsii", [SYS_fchownat] = "fsiii",
	[SYS_futimesat] = "fsp", [SYS_newfstatat] = "fspi", [SYS_unlinkat] = "fsi",
	[SYS_renameat] = "fsfs", [SYS_linkat] = "fsfsi", [SYS_symlinkat] = "sfs",
	[SYS_readlinkat] = "fspl", [SYS_fchmodat] = "fsi", [SYS_faccessat] = "fsi",
	[SYS_pselect6] = "nppptu", [SYS_ppoll] = "pntpl", [SYS_splice] = "fpfpli",
	[SYS_tee] = "ffli", [SYS_sync_file_range] = "fooi", [SYS_vmsplice] = "fvni",
	[SYS_utimensat] = "fspi", [SYS_epoll_pwait] = "fpnTpl",
	[SYS_signalfd] = "fpl", [SYS_timerfd_create] = "ii", [SYS_eventfd] = "i",
	[SYS_fallocate] = "fiol", [SYS_timerfd_settime] = "fipp",
	[SYS_timerfd_gettime] = "fp", [SYS_accept4] = "fppi",
	[SYS_signalfd4] = "fpli", [SYS_eventfd2] = "ii", [SYS_epoll_create1] = "i",
	[SYS_dup3] = "ffi", [SYS_pipe2] = "pi", [SYS_inotify_init1] = "i",
	[SYS_preadv] = "fvnoo", [SYS_pwritev] = "fvnoo",
	[SYS_rt_tgsigqueueinfo] = "PPgp", [SYS_recvmmsg] = "fpnit",
	[SYS_prlimit64] = "Pipp", [SYS_name_to_handle_at] = "fsppi",
	[SYS_sendmmsg] = "fpni", [SYS_getcpu] = "ppp", [SYS_renameat2] = "fsfsi",
	[SYS_getrandom] = "pli", [SYS_memfd_create] = "si",
	[SYS_copy_file_range] = "fpfpli", [SYS_preadv2] = "fvnooi",
	[SYS_pwritev2] = "fvnooi", [SYS_pkey_mprotect] = "amii",
	[SYS_statx] = "fsiip", [SYS_rseq] = "plii", [SYS_pidfd_send_signal] = "fgpi",
	[SYS_pidfd_open] = "Pi", [SYS_clone3] = "pl", [SYS_close_range] = "ffi",
	[SYS_openat2] = "fspl", [SYS_faccessat2] = "fsii",
	[SYS_epoll_pwait2] = "fpntpl", [SYS_mlock2] = "ami",
	[SYS_remap_file_pages] = "amiii", [SYS_process_madvise] = "fvnii",
	[SYS_semtimedop] = "ipnt", [SYS_io_setup] = "np", [SYS_io_getevents] = "unnpt",
	[SYS_sched_setscheduler] = "Pip", [SYS_sched_setparam] = "Pp",
	[SYS_sched_getparam] = "Pp", [SYS_sched_rr_get_interval] = "Pp",
	[SYS_getresuid] = "ppp", [SYS_getresgid] = "ppp", [SYS_chroot] = "s",
	[SYS_mount] = "sssip", [SYS_umount2] = "si", [SYS_sethostname] = "pl",
	[SYS_setdomainname] = "pl", [SYS_settimeofday] = "pp", [SYS_syslog] = "ipl",
	[SYS_getpgid] = "P", [SYS_setpgid] = "PP", [SYS_getsid] = "P",
	[SYS_capget] = "pp", [SYS_capset] = "pp", [SYS_personality] = "i",
	[SYS_ustat] = "ip", [SYS_sysfs] = "iup", [SYS_fork] = "", [SYS_vfork] = "",
	[SYS_clone] = "iupppu", [SYS_process_vm_readv] = "Pvnvni",
	[SYS_process_vm_writev] = "Pvnvni", [SYS_kcmp] = "PPiff",
	[SYS_mq_open] = "siip", [SYS_mq_timedsend] = "fplit",
	[SYS_mq_timedreceive] = "fplpt", [SYS_mq_unlink] = "s",
	[SYS_set_robust_list] = "pl", [SYS_get_robust_list] = "Ppp",
	[SYS_adjtimex] = "p", [SYS_clock_adjtime] = "ip", [SYS_syncfs] = "f",
	[SYS_setns] = "fi", [SYS_unshare] = "i", [452 /* fchmodat2 */] = "fsii",
	[462 /* mseal */] = "ami",
};

/* --- signals ------------------------------------------------------------------- */
static void handler(int sig, siginfo_t *si, void *uc)
{
	/* A child of clone that got a signal before its exit: end it here,
	 * whatever stack it is on. */
	if (raw(SYS_gettid) != main_tid)
		raw(SYS_exit, 0);
	nsignals++;
	if (in_call) {
		in_call = 0;
		siglongjmp(jump, 1);
	}
	/* Outside a call: a timer's or a child's signal (whose si_code can
	 * look like a fault's: clone's exit signal may be SIGSEGV) is counted
	 * and left. A fault of the harness's own comes back at once from the
	 * same instruction, with no call made in between: after 100 of
	 * those, it cannot go on. */
	uint64_t rip = (uint64_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
		if (rip != fault_rip)
			fault_again = 0;
		fault_rip = rip;
		if (++fault_again >= 100) {
			out("sysfuzz: fault outside a call: signal %d at %p, rip %#lx\n",
			    sig, si->si_addr, (unsigned long)rip);
			raw(SYS_exit_group, 3);
		}
	}
}

/* The kernel's struct sigaction; raw, because glibc's sigaction refuses
 * the two signals it keeps for itself (32, 33), which the fuzzer may send. */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};
static void *restorer;	/* glibc's __restore_rt, read back from the kernel */

static void catch_signal(int s)
{
	struct ksigaction ka = {
		.handler = (void *)handler,
		.flags = SA_SIGINFO | 0x04000000 /* SA_RESTORER */,
		.restorer = restorer,
		.mask = ~0ULL,
	};
	raw(SYS_rt_sigaction, s, &ka, NULL, 8);
}

static void catch_all(void)
{
	if (!restorer) {
		struct sigaction sa;
		struct ksigaction old;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		raw(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8);
		restorer = old.restorer;
	}
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			catch_signal(s);
}

static void unblock_all(void)
{
	uint64_t none = 0;
	raw(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
}

static void watchdog(long us)
{
	struct itimerval it = { { 0, 0 }, { 0, us } };
	raw(SYS_setitimer, ITIMER_REAL, &it, NULL);
}

/* --- the resources, made at the start and every RESET_EVERY calls ------------ */
static void add_fd(int fd)
{
	if (fd >= 0 && fd != OUT_FD && nfds < (int)(sizeof(fds) / sizeof(fds[0])))
		fds[nfds++] = fd;
}

static void make_file(const char *p, const char *text)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0) {
			/* the next reset tries again */
		}
		close(fd);
	}
}

static void reap(void)
{
	while (raw(SYS_wait4, -1, NULL, WNOHANG | __WALL, NULL) > 0)
		;
}

static void setup(void)
{
	int p[2], sv[2];

	watchdog(0);
	struct itimerval zero = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_VIRTUAL, &zero, NULL);
	setitimer(ITIMER_PROF, &zero, NULL);
	catch_all();
	unblock_all();
	reap();
	/* Every descriptor but the summary's. */
	if (raw(SYS_close_range, 3, OUT_FD - 1, 0) != 0)
		for (int fd = 3; fd < OUT_FD; fd++)
			close(fd);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		close(null);
	}
	nfds = 0;

	raw(SYS_chdir, "/");
	mkdir("/tmp", 01777);
	mkdir("/tmp/fuzz", 0755);
	chmod("/tmp/fuzz", 0755);
	mkdir("/tmp/fuzz/d", 0755);
	make_file("/tmp/fuzz/f0", "the first file\n");
	make_file("/tmp/fuzz/f1", "");
	unlink("/tmp/fuzz/new");
	unlink("/tmp/fuzz/e");
	unlink("/tmp/fuzz/s2");
	symlink("f0", "/tmp/fuzz/l");
	mkfifo("/tmp/fuzz/fifo", 0644);
	raw(SYS_chdir, "/tmp/fuzz");

	add_fd(open("/tmp/fuzz/f0", O_RDWR));
	add_fd(open("/tmp/fuzz/f1", O_RDONLY));
	add_fd(open("/tmp/fuzz/f1", O_WRONLY | O_APPEND));
	add_fd(open("/tmp/fuzz", O_RDONLY | O_DIRECTORY));
	add_fd(open("/tmp/fuzz/d", O_PATH));
	add_fd(open("/tmp/fuzz/fifo", O_RDWR | O_NONBLOCK));
	if (pipe2(p, O_NONBLOCK) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	if (pipe2(p, O_NONBLOCK) == 0) {	/* a full one */
		char junk[4096];
		memset(junk, 'p', sizeof(junk));
		while (write(p[1], junk, sizeof(junk)) > 0)
			;
		add_fd(p[0]);
		add_fd(p[1]);
	}
	static const int pairs[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	for (unsigned i = 0; i < 3; i++)
		if (socketpair(AF_UNIX, pairs[i] | SOCK_NONBLOCK, 0, sv) == 0) {
			add_fd(sv[0]);
			add_fd(sv[1]);
		}
	int lst = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lst >= 0) {
		struct sockaddr_un un = { .sun_family = AF_UNIX };
		strcpy(un.sun_path, "/tmp/fuzz/sock");
		unlink(un.sun_path);
		bind(lst, (void *)&un, sizeof(un));
		listen(lst, 4);
		add_fd(lst);
	}
	static const int inet[][2] = {
		{ AF_INET, SOCK_STREAM }, { AF_INET, SOCK_DGRAM },
		{ AF_INET6, SOCK_STREAM }, { AF_INET6, SOCK_DGRAM },
		{ AF_INET, SOCK_RAW }, { AF_NETLINK, SOCK_RAW },
		{ AF_PACKET, SOCK_DGRAM },
	};
	for (unsigned i = 0; i < sizeof(inet) / sizeof(inet[0]); i++) {
		int s = socket(inet[i][0], inet[i][1] | SOCK_NONBLOCK, 0);
		if (s >= 0 && i == 0) {	/* a listening TCP socket */
			struct sockaddr_in in = { .sin_family = AF_INET,
						  .sin_port = htons(7000),
						  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
			int one = 1;
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			bind(s, (void *)&in, sizeof(in));
			listen(s, 4);
		}
		add_fd(s);
	}
	add_fd(eventfd(0, EFD_NONBLOCK));
	add_fd(eventfd(3, EFD_NONBLOCK | EFD_SEMAPHORE));
	add_fd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	int ep = epoll_create1(0);
	if (ep >= 0) {
		for (int i = 0; i < nfds; i += 3) {
			struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | (i & 1 ? EPOLLET : 0),
						  .data.u64 = (uint64_t)i };
			epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
		}
		add_fd(ep);
	}
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR2);
	add_fd(signalfd(-1, &ss, SFD_NONBLOCK));
	add_fd(inotify_init1(IN_NONBLOCK));
	add_fd(raw(SYS_memfd_create, "fuzz", 0));
	add_fd(open("/dev/null", O_RDWR));
	add_fd(open("/dev/zero", O_RDONLY));
	add_fd(open("/dev/urandom", O_RDONLY));
	add_fd(open("/proc/self/status", O_RDONLY));
	add_fd(open("/proc/self/maps", O_RDONLY));
	add_fd(open("/proc/meminfo", O_RDONLY));
	add_fd(open("/proc/self/fd", O_RDONLY | O_DIRECTORY));

	/* The arena: some anonymous memory, a private file mapping, shared
	 * anonymous memory, and the rest reserved without access. */
	mmap((void *)ARENA, ARENA_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	mmap((void *)ARENA, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (nfds)
		mmap((void *)(ARENA + (1 << 20)), 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fds[0], 0);
	mmap((void *)(ARENA + (2 << 20)), 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	fill_words(B, BUF_LEN);
}

/* --- taming: what a call may not do to the harness ------------------------------ */
static int is_spawn(long nr)
{
	return nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3;
}

/* A signal mask a call waits under: one that blocks SIGALRM would wait
 * forever, so a mask in the buffers is emptied, and the read-only page
 * (whose path bytes make a mask) is swapped for an unmapped one. */
static void tame_mask(uint64_t *arg)
{
	if (*arg >= (uint64_t)B && *arg < (uint64_t)B + BUF_LEN - 8)
		*(uint64_t *)*arg = 0;
	else if (*arg >= (uint64_t)RO && *arg < (uint64_t)RO + PG)
		*arg = (uint64_t)HOLE;
}

/* Returns 0 when the call is to be skipped. nr is the call the kernel
 * sees (the number's low 32 bits, without x32's bit). */
static int tame(long nr, uint64_t *a)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_execve: case SYS_execveat:
	case SYS_pause: case SYS_rt_sigreturn: case SYS_ptrace: case SYS_reboot:
	case SYS_kexec_load: case SYS_kexec_file_load: case SYS_seccomp:
	case SYS_chroot: case SYS_pivot_root: case SYS_iopl: case SYS_ioperm:
	case SYS_init_module: case SYS_finit_module: case SYS_delete_module:
	case SYS_swapon: case SYS_swapoff: case SYS_vhangup: case SYS_userfaultfd:
		return 0;
	case SYS_close:
		return a[0] != OUT_FD;
	case SYS_dup2: case SYS_dup3:
		return a[1] != OUT_FD;
	case SYS_close_range:
		if ((uint32_t)a[0] <= OUT_FD && (uint32_t)a[1] >= OUT_FD && !(a[2] & 4 /* CLOEXEC */))
			a[1] = OUT_FD - 1;
		return 1;
	case SYS_brk: {
		static const uint64_t add[] = { 0, PG, 16 * PG, 1 << 20, 16 << 20 };
		a[0] = chance(20) ? (chance(50) ? 0 : bad_ptr()) : brk0 + PICK(add);
		if (a[0] && a[0] < brk0)
			a[0] = 0;
		return 1;
	}
	case SYS_mmap:
		/* a hint may be anything; a fixed address only the arena's */
		if (!(a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && chance(30))
			a[0] = chance(50) ? 0 : buf_ptr();
		return 1;
	case SYS_mremap:
		a[4] = arena_addr();	/* MREMAP_FIXED's new address */
		return 1;
	case SYS_kill: case SYS_tkill: case SYS_rt_sigqueueinfo:
		if (a[1] == SIGKILL || a[1] == SIGSTOP)
			a[1] = SIGUSR1;
		return 1;
	case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
		if (a[2] == SIGKILL || a[2] == SIGSTOP)
			a[2] = SIGUSR1;
		return 1;
	case SYS_pidfd_send_signal:
		if (a[1] == SIGKILL || a[1] == SIGSTOP)
			a[1] = SIGUSR1;
		return 1;
	case SYS_timer_create:
		/* a sigevent in the buffer may name SIGKILL or SIGSTOP */
		if (a[1] >= (uint64_t)B && a[1] < (uint64_t)B + BUF_LEN - 16) {
			int *signo = (int *)(a[1] + 8);
			if (*signo == SIGKILL || *signo == SIGSTOP)
				*signo = SIGUSR1;
		}
		return 1;
	case SYS_rt_sigsuspend:
		tame_mask(&a[0]);
		return 1;
	case SYS_ppoll:
		tame_mask(&a[3]);
		return 1;
	case SYS_epoll_pwait: case SYS_epoll_pwait2:
		tame_mask(&a[4]);
		return 1;
	case SYS_pselect6:
		a[5] = 0;
		return 1;
	case SYS_setrlimit: case SYS_prlimit64: {
		/* only ever raise a limit: lowering one (files, CPU, stack,
		 * address space) would starve or kill the harness */
		int i = nr == SYS_setrlimit ? 1 : 2;
		if (a[i] >= (uint64_t)B && a[i] < (uint64_t)B + BUF_LEN - 16) {
			((uint64_t *)a[i])[0] = RLIM_INFINITY;
			((uint64_t *)a[i])[1] = RLIM_INFINITY;
		}
		return 1;
	}
	case SYS_prctl:
		/* PR_SET_SECCOMP, PR_SET_MM, PR_SET_SYSCALL_USER_DISPATCH */
		return a[0] != 22 && a[0] != 35 && a[0] != 59;
	case SYS_arch_prctl:
		/* not ARCH_SET_FS (glibc's TLS) nor shadow stacks */
		return a[0] != 0x1002 && !(a[0] >= 0x5001 && a[0] <= 0x5005);
	case SYS_clone:
		/* The child's end sends its exit signal to the harness: never
		 * one that kills or stops it. */
		if ((a[0] & 0xff) == SIGKILL || (a[0] & 0xff) == SIGSTOP)
			a[0] = (a[0] & ~0xffULL) | SIGCHLD;
		a[1] = (uint64_t)child_stack_top;
		return 1;
	case SYS_clone3:
		if (a[0] >= (uint64_t)B && a[0] < (uint64_t)B + BUF_LEN - 40) {
			uint64_t *exit_signal = (uint64_t *)(a[0] + 32);
			if (*exit_signal == SIGKILL || *exit_signal == SIGSTOP)
				*exit_signal = SIGCHLD;
		}
		return 1;
	case SYS_fcntl:
		/* F_SETSIG: the signal O_ASYNC sends */
		if (a[1] == 10 && (a[2] == SIGKILL || a[2] == SIGSTOP))
			a[2] = SIGUSR1;
		return 1;
	}
	return 1;
}

/* After the call: undo what it did to the harness's signals and timer. */
static void untame(long nr, const uint64_t *a, long r)
{
	switch (nr) {
	case SYS_rt_sigaction:
		if (a[0] >= 1 && a[0] < 65 && a[0] != SIGKILL && a[0] != SIGSTOP)
			catch_signal((int)a[0]);
		break;
	case SYS_rt_sigprocmask:
		unblock_all();
		break;
	case SYS_mmap:
		if (r > 0 && ((uint64_t)r < ARENA || (uint64_t)r >= ARENA + ARENA_LEN))
			raw(SYS_munmap, r, a[1]);
		break;
	case SYS_shmat:
		if (r > 0 && ((uint64_t)r < ARENA || (uint64_t)r >= ARENA + ARENA_LEN))
			raw(SYS_shmdt, r);
		break;
	case SYS_mremap:
		if (r > 0 && ((uint64_t)r < ARENA || (uint64_t)r >= ARENA + ARENA_LEN))
			raw(SYS_munmap, r, a[2]);
		break;
	case SYS_fork: case SYS_vfork: case SYS_clone: case SYS_clone3:
		reap();
		break;
	}
}

static uint64_t gen_arg(char kind, int slot)
{
	if (kind != 'a' && kind != 'm' && chance(12))
		kind = 'u';
	switch (kind) {
	case 'f': return rand_fd();
	case 'p': return buf_ptr();
	case 's': return path_ptr(slot);
	case 'l': return chance(60) ? below(8192) : PICK(lens);
	case 'i': return rand_int();
	case 'a': return arena_addr();
	case 'm': return PICK(mlens);
	case 'S': return sockaddr_ptr(slot);
	case 'v': return iovec_ptr(slot);
	case 'n': return chance(70) ? below(8) : PICK(ints);
	case 'g': return chance(85) ? 1 + below(64) : rand_int();
	case 'P': {
		static const int64_t pids[] = { 0, 1, -1, 2, 3, 100, -100, 0x7fffffff, 4194304 };
		return chance(40) ? (uint64_t)main_tid : (uint64_t)PICK(pids);
	}
	case 't': return timeout_ptr(slot);
	case 'T': return PICK(((const int64_t[]){ 0, 0, 0, 1, 1, 2, -1 }));
	case 'o': return chance(60) ? below(8192) : PICK(ints);
	default: return any_arg(slot);
	}
}

static long only[64];
static int nonly;

static long pick_nr(void)
{
	if (nonly)
		return only[below(nonly)];
	if (chance(97)) {
		/* Linux x86_64's numbers: 0..334, 424..462 */
		long n = (long)below(335 + 39);
		return n < 335 ? n : n - 335 + 424;
	}
	static const long odd[] = { -1, 335, 400, 423, 463, 511, 1000, 0x7fffffff,
				    (long)0x80000000 };
	switch (below(3)) {
	case 0: return 0x40000000 | (long)below(335);	/* x32's bit */
	case 1: return (long)((1ULL << 32) | below(335));	/* high bits */
	default: return PICK(odd);
	}
}

/* One call under the watchdog: 1 when a signal ended it (r unset). The
 * call is in globals, which siglongjmp cannot clobber as it can locals. */
static long c_nr, c_canon, c_ret;
static const uint64_t *c_a;

static int call(long nr, long canon, const uint64_t *a, long *r)
{
	c_nr = nr;
	c_canon = canon;
	c_a = a;
	if (sigsetjmp(jump, 0))
		return 1;
	watchdog(WATCHDOG_US);
	in_call = 1;
	if (c_canon < 512 && is_spawn(c_canon))
		c_ret = raw_spawn(c_nr, c_a[0], c_a[1], c_a[2], c_a[3], c_a[4], c_a[5]);
	else
		c_ret = raw6(c_nr, c_a[0], c_a[1], c_a[2], c_a[3], c_a[4], c_a[5]);
	in_call = 0;
	watchdog(0);
	fault_again = 0;
	*r = c_ret;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sysfuzz SEED [CALLS [-v]]  (guest only: never natively)\n");
		return 2;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	long calls = argc > 2 ? strtol(argv[2], NULL, 0) : 20000;
	int verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
	rng_state = seed;
	const char *o = getenv("SYSFUZZ_ONLY");
	for (char *end; o && *o && nonly < 64; o = *end ? end + 1 : end)
		only[nonly++] = strtol(o, &end, 0);

	if (dup2(1, OUT_FD) != OUT_FD)
		return 2;
	main_tid = raw(SYS_gettid);
	brk0 = (uint64_t)raw(SYS_brk, 0);
	/* The buffers, the guard, the read-only page, the hole. */
	B = mmap(NULL, 7 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (B == MAP_FAILED)
		return 2;
	munmap(GUARD, PG);
	strcpy(RO, "/tmp/fuzz/f0");
	mprotect(RO, PG, PROT_READ);
	munmap(HOLE, PG);
	static char child_stack[16384] __attribute__((aligned(16)));
	child_stack_top = child_stack + sizeof(child_stack);
	setup();

	unsigned long nerr = 0, done = 0;
	for (long i = 0; i < calls; i++) {
		if (i && i % RESET_EVERY == 0)
			setup();
		long nr = pick_nr(), canon = (uint32_t)nr & ~0x40000000u;
		/* x32's own numbers (512..547: execve among them): not those */
		if (canon >= 512 && canon < 548)
			continue;
		uint64_t a[6];
		const char *k = canon < 512 && sig[canon] ? sig[canon] : "uuuuuu";
		fill_words(B, 512);
		for (int j = 0; j < 6; j++)
			a[j] = gen_arg(j < (int)strlen(k) ? k[j] : 'u', j);
		if (canon < 512 && !tame(canon, a))
			continue;
		for (int j = 0; j < 6; j++)	/* the summary's descriptor */
			if (a[j] == OUT_FD)
				a[j] = OUT_FD - 1;
		if (verbose)
			out("%ld: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", i, nr,
			    a[0], a[1], a[2], a[3], a[4], a[5]);
		long r;
		done++;
		if (call(nr, canon, a, &r)) {
			unblock_all();
			watchdog(0);
			if (verbose)
				out("%ld: signal\n", i);
			untame(canon, a, -EINTR);
			continue;
		}
		if (r < 0 && r > -4096)
			nerr++;
		if (verbose)
			out("%ld: = %ld\n", i, r);
		if (canon < 512)
			untame(canon, a, r);
	}
	watchdog(0);
	reap();
	out("sysfuzz: seed %llu: %lu calls, %lu errors, %lu signals\n",
	    (unsigned long long)seed, done, nerr, (unsigned long)nsignals);
	raw(SYS_exit_group, 0);
	return 0;
}
