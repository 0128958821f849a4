/*
 * File-system syscalls with Linux's exact semantics and error codes.
 *
 * usage: fs [BASE]   (BASE defaults to /tmp)
 * Works in BASE/fstest, which it removes first if it exists and at the end.
 * Prints one "ok [SECTION] WHAT" or
 * "FAIL [SECTION] WHAT: got X (errno NAME), expected Y" line per check and
 * a final "N ok, N failed" line; exits 0 iff every check passed.
 * The output never holds addresses, inode numbers, times, pids or fd numbers
 * (except in FAIL lines), so a native run and a guest run print the same.
 * Must run as root (chown, access checks). Needs nothing on the host but
 * /dev/null. Builds with gcc -static-pie and with musl-gcc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* x86_64 numbers and flags that older headers (musl 1.2.3) may lack */
#ifndef SYS_statx
#define SYS_statx 332
#endif
#ifndef SYS_renameat2
#define SYS_renameat2 316
#endif
#ifndef SYS_copy_file_range
#define SYS_copy_file_range 326
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif

/* the kernel's struct statx, spelled out so no <linux/stat.h> is needed */
struct kstatx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct kstatx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
#define KSTATX_BASIC_STATS 0x7ffU
#define KSTATX_RESERVED 0x80000000U

struct kdirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* ---- reporting --------------------------------------------------------- */

static int nok, nfail;
static const char *sect = "main"; /* the section, printed before each check */
static char top[3072]; /* absolute path of the scratch directory */

static const char *ename(int e)
{
	static char other[32];
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
	E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT)
	E(ENOTBLK) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR)
	E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC)
	E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK)
	E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENODATA)
	E(EOVERFLOW) E(EBADFD) E(EOPNOTSUPP) E(ESTALE) E(EDQUOT)
#undef E
	case 0:
		return "none";
	}
	snprintf(other, sizeof other, "errno%d", e);
	return other;
}

static void ok_(const char *what)
{
	nok++;
	printf("ok [%s] %s\n", sect, what);
}

__attribute__((format(printf, 2, 3)))
static void fail_(const char *what, const char *fmt, ...)
{
	va_list ap;

	nfail++;
	printf("FAIL [%s] %s: ", sect, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* result r must equal want */
static void c_ret(const char *what, long r, int e, long want)
{
	if (r == want)
		ok_(what);
	else if (r == -1)
		fail_(what, "got -1 (errno %s), expected %ld", ename(e), want);
	else
		fail_(what, "got %ld, expected %ld", r, want);
}

/* r must be -1 with errno want */
static void c_err(const char *what, long r, int e, int want)
{
	if (r == -1 && e == want)
		ok_(what);
	else if (r == -1)
		fail_(what, "got -1 (errno %s), expected -1 (errno %s)", ename(e), ename(want));
	else
		fail_(what, "got %ld, expected -1 (errno %s)", r, ename(want));
}

/* r must be >= 0 */
static void c_ok(const char *what, long r, int e)
{
	if (r >= 0)
		ok_(what);
	else
		fail_(what, "got %ld (errno %s), expected success", r, ename(e));
}

static void c_true(const char *what, int cond)
{
	if (cond)
		ok_(what);
	else
		fail_(what, "got false, expected true");
}

static void c_val(const char *what, long got, long want)
{
	if (got == want)
		ok_(what);
	else
		fail_(what, "got %ld, expected %ld", got, want);
}

static void c_mode(const char *what, long got, long want)
{
	if (got == want)
		ok_(what);
	else if (got == -1)
		fail_(what, "got -1 (errno %s), expected 0%lo", ename(errno), want);
	else
		fail_(what, "got 0%lo, expected 0%lo", got, want);
}

static void c_str(const char *what, const char *got, const char *want)
{
	if (!strcmp(got, want))
		ok_(what);
	else
		fail_(what, "got \"%.200s\", expected \"%.200s\"", got, want);
}

#define RET(what, expr, want) do { errno = 0; long r_ = (long)(expr); \
	c_ret(what, r_, errno, (long)(want)); } while (0)
#define ERR(what, expr, e) do { errno = 0; long r_ = (long)(expr); \
	c_err(what, r_, errno, e); } while (0)
#define OK(what, expr) do { errno = 0; long r_ = (long)(expr); \
	c_ok(what, r_, errno); } while (0)
#define DO(var, what, expr) do { errno = 0; var = (expr); \
	c_ok(what, (long)(var), errno); } while (0)
#define TRUE(what, cond) c_true(what, !!(cond))
#define VAL(what, got, want) c_val(what, (long)(got), (long)(want))
#define MODE(what, got, want) c_mode(what, (long)(got), (long)(want))
#define STR(what, got, want) c_str(what, got, want)

/* ---- helpers ----------------------------------------------------------- */

static unsigned char pat(size_t i)
{
	return (unsigned char)(i * 31 + (i >> 9) + 1);
}

static void put(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		fail_("setup", "cannot write %s (errno %s)", path, ename(errno));
	if (fd >= 0)
		close(fd);
}

static void puts_(const char *path, const char *s)
{
	put(path, s, strlen(s));
}

static void put_pat(const char *path, size_t n)
{
	unsigned char *b = malloc(n);

	for (size_t i = 0; i < n; i++)
		b[i] = pat(i);
	put(path, b, n);
	free(b);
}

/* whole content of a file as a string, or "<errno NAME>" */
static const char *content(const char *path)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, sizeof buf, "<errno %s>", ename(errno));
		return buf;
	}
	n = read(fd, buf, sizeof buf - 1);
	if (n < 0) {
		snprintf(buf, sizeof buf, "<read errno %s>", ename(errno));
		n = (ssize_t)strlen(buf);
	}
	buf[n] = 0;
	close(fd);
	return buf;
}

static const char *fdcontent(int fd)
{
	static char buf[8192];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	if (n < 0) {
		snprintf(buf, sizeof buf, "<pread errno %s>", ename(errno));
		return buf;
	}
	buf[n] = 0;
	return buf;
}

/* does the file hold exactly pat(0..n-1)? */
static int is_pat(const char *path, size_t n)
{
	unsigned char *b = malloc(n + 1);
	int fd = open(path, O_RDONLY), good = 0;

	if (fd >= 0 && read(fd, b, n + 1) == (ssize_t)n) {
		good = 1;
		for (size_t i = 0; i < n; i++)
			good &= b[i] == pat(i);
	}
	if (fd >= 0)
		close(fd);
	free(b);
	return good;
}

static long lmode(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_mode;
}

static long smode(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_mode;
}

static long lsize(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_size;
}

static long fsize(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : (long)st.st_size;
}

static long nlinks(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_nlink;
}

/* same inode (following symlinks as stat does)? */
static int same(const char *a, const char *b)
{
	struct stat x, y;

	return !stat(a, &x) && !stat(b, &y) && x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

static int fdflags(int fd)
{
	return fcntl(fd, F_GETFD);
}

static int all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void enter(const char *name)
{
	char p[PATH_MAX];

	sect = name;
	snprintf(p, sizeof p, "%s/%s", top, name);
	if (mkdir(p, 0755) || chdir(p))
		fail_("setup", "cannot create and enter %s (errno %s)", name, ename(errno));
}

static void leave(void)
{
	sect = "main";
	if (chdir(top))
		fail_("setup", "cannot return to the scratch directory (errno %s)", ename(errno));
}

static void rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char p[PATH_MAX];

		chmod(path, 0755);
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof p, "%s/%s", path, e->d_name);
			rm_rf(p);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* ---- open, openat, creat, close, close_range, O_ flags ------------------ */

static void t_open(void)
{
	int fd, fd2, dfd;
	char buf[64], abs[PATH_MAX];
	struct stat st;

	enter("open");
	DO(fd, "open O_CREAT|O_EXCL creates a file", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
	RET("write 5 bytes", write(fd, "hello", 5), 5);
	RET("close", close(fd), 0);
	ERR("close a closed fd -> EBADF", close(fd), EBADF);
	ERR("close(-1) -> EBADF", close(-1), EBADF);
	STR("content after write", content("f"), "hello");
	MODE("new file mode is 0644", lmode("f"), S_IFREG | 0644);
	ERR("open O_CREAT|O_EXCL on existing -> EEXIST", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ERR("open missing -> ENOENT", open("missing", O_RDONLY), ENOENT);
	ERR("open O_CREAT in a missing dir -> ENOENT", open("nodir/f", O_CREAT | O_WRONLY, 0644), ENOENT);
	ERR("open \"\" -> ENOENT", open("", O_RDONLY), ENOENT);
	ERR("open file/x -> ENOTDIR", open("f/x", O_RDONLY), ENOTDIR);
	ERR("open O_CREAT file/x -> ENOTDIR", open("f/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	ERR("open file/ (trailing slash) -> ENOTDIR", open("f/", O_RDONLY), ENOTDIR);
	ERR("open O_CREAT new/ (trailing slash) -> EISDIR", open("new/", O_CREAT | O_WRONLY, 0644), EISDIR);
	ERR("read on a closed fd -> EBADF", read(999, buf, 1), EBADF);
	ERR("write on a closed fd -> EBADF", write(999, "x", 1), EBADF);

	DO(fd, "open O_CREAT on an existing file", open("f", O_CREAT | O_RDONLY, 0600));
	close(fd);
	MODE("O_CREAT on existing keeps the mode", lmode("f"), S_IFREG | 0644);
	STR("O_CREAT on existing keeps the content", content("f"), "hello");

	/* raw open(2) entry point */
	DO(fd, "SYS_open O_RDONLY", syscall(SYS_open, "f", O_RDONLY));
	RET("read via SYS_open fd", read(fd, buf, sizeof buf), 5);
	ERR("write on O_RDONLY fd -> EBADF", write(fd, "x", 1), EBADF);
	close(fd);
	ERR("SYS_open missing -> ENOENT", syscall(SYS_open, "missing", O_RDONLY), ENOENT);

	/* O_TRUNC */
	DO(fd, "open O_TRUNC", open("f", O_WRONLY | O_TRUNC));
	VAL("O_TRUNC empties the file", fsize(fd), 0);
	RET("write after O_TRUNC", write(fd, "abc", 3), 3);
	ERR("read on O_WRONLY fd -> EBADF", read(fd, buf, 1), EBADF);
	close(fd);

	/* O_APPEND */
	DO(fd, "open O_APPEND", open("f", O_WRONLY | O_APPEND));
	RET("O_APPEND fd starts at offset 0", lseek(fd, 0, SEEK_CUR), 0);
	RET("lseek 0 on O_APPEND fd", lseek(fd, 0, SEEK_SET), 0);
	RET("O_APPEND write after lseek 0", write(fd, "XY", 2), 2);
	RET("O_APPEND write leaves offset at the end", lseek(fd, 0, SEEK_CUR), 5);
	RET("pwrite at 0 on O_APPEND fd", pwrite(fd, "Z", 1, 0), 1);
	close(fd);
	STR("O_APPEND writes (and pwrite) land at the end", content("f"), "abcXYZ");

	/* O_DIRECTORY, O_NOFOLLOW, O_PATH, O_CLOEXEC */
	OK("mkdir d", mkdir("d", 0755));
	puts_("d/g", "in d");
	OK("symlink lnk -> f", symlink("f", "lnk"));
	OK("symlink dl -> d", symlink("d", "dl"));
	ERR("open O_DIRECTORY on a file -> ENOTDIR", open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	DO(fd, "open O_DIRECTORY on a dir", open("d", O_RDONLY | O_DIRECTORY));
	close(fd);
	DO(fd, "open O_DIRECTORY through a symlink to a dir", open("dl", O_RDONLY | O_DIRECTORY));
	close(fd);
	ERR("open O_NOFOLLOW on a symlink -> ELOOP", open("lnk", O_RDONLY | O_NOFOLLOW), ELOOP);
	STR("open follows a symlink", content("lnk"), "abcXYZ");
	DO(fd, "O_NOFOLLOW only applies to the last component", open("dl/g", O_RDONLY | O_NOFOLLOW));
	STR("read through dl/g", fdcontent(fd), "in d");
	close(fd);

	DO(fd, "open O_PATH|O_NOFOLLOW on a symlink", open("lnk", O_PATH | O_NOFOLLOW));
	memset(&st, 0, sizeof st);
	OK("fstat on O_PATH symlink fd", fstat(fd, &st));
	TRUE("O_PATH|O_NOFOLLOW fd is the symlink itself", S_ISLNK(st.st_mode));
	memset(buf, 0, sizeof buf);
	RET("readlinkat(fd, \"\") on O_PATH symlink fd", readlinkat(fd, "", buf, sizeof buf), 1);
	STR("readlinkat(fd, \"\") target", buf, "f");
	close(fd);

	DO(fd, "open O_PATH", open("f", O_PATH));
	memset(&st, 0, sizeof st);
	OK("fstat on O_PATH fd", fstat(fd, &st));
	TRUE("fstat on O_PATH fd gives the file", S_ISREG(st.st_mode) && st.st_size == 6);
	ERR("read on O_PATH fd -> EBADF", read(fd, buf, 1), EBADF);
	ERR("write on O_PATH fd -> EBADF", write(fd, "x", 1), EBADF);
	ERR("fchmod on O_PATH fd -> EBADF", syscall(SYS_fchmod, fd, 0600), EBADF);
	TRUE("F_GETFL on O_PATH fd has O_PATH", (fcntl(fd, F_GETFL) & O_PATH) == O_PATH);
	close(fd);

	DO(fd, "open O_CLOEXEC", open("f", O_RDONLY | O_CLOEXEC));
	RET("O_CLOEXEC sets FD_CLOEXEC", fdflags(fd), FD_CLOEXEC);
	close(fd);
	DO(fd, "open without O_CLOEXEC", open("f", O_RDONLY));
	RET("no O_CLOEXEC, no FD_CLOEXEC", fdflags(fd), 0);
	close(fd);

	/* directories */
	ERR("open a dir O_WRONLY -> EISDIR", open("d", O_WRONLY), EISDIR);
	ERR("open a dir O_RDWR -> EISDIR", open("d", O_RDWR), EISDIR);
	ERR("open a dir O_CREAT -> EISDIR", open("d", O_CREAT | O_WRONLY, 0644), EISDIR);
	DO(fd, "open a dir O_RDONLY", open("d", O_RDONLY));
	ERR("read on a dir fd -> EISDIR", read(fd, buf, sizeof buf), EISDIR);
	close(fd);
	DO(fd, "open dir/ (trailing slash) O_RDONLY", open("d/", O_RDONLY));
	close(fd);

	/* O_CREAT through a dangling symlink creates its target */
	OK("symlink dang -> newtarget", symlink("newtarget", "dang"));
	DO(fd, "open O_CREAT through a dangling symlink", open("dang", O_CREAT | O_WRONLY, 0644));
	close(fd);
	MODE("O_CREAT through a dangling symlink created the target", lmode("newtarget"), S_IFREG | 0644);
	OK("symlink dang2 -> nothere", symlink("nothere", "dang2"));
	ERR("open O_CREAT|O_EXCL on a dangling symlink -> EEXIST", open("dang2", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ERR("O_EXCL did not create the symlink target", access("nothere", F_OK), ENOENT);

	/* creat */
	DO(fd, "creat", creat("c", 0600));
	RET("write to creat fd", write(fd, "12345", 5), 5);
	ERR("creat fd is write-only: read -> EBADF", read(fd, buf, 1), EBADF);
	close(fd);
	MODE("creat mode", lmode("c"), S_IFREG | 0600);
	DO(fd, "SYS_creat on an existing file", syscall(SYS_creat, "c", 0644));
	VAL("creat truncates an existing file", fsize(fd), 0);
	close(fd);
	MODE("creat keeps an existing file's mode", lmode("c"), S_IFREG | 0600);
	ERR("creat in a missing dir -> ENOENT", creat("nodir/c", 0644), ENOENT);

	/* openat */
	DO(dfd, "open dir for openat", open("d", O_RDONLY | O_DIRECTORY));
	DO(fd, "openat(dirfd, relative)", openat(dfd, "g", O_RDONLY));
	STR("openat reads the file in dirfd", fdcontent(fd), "in d");
	close(fd);
	DO(fd, "openat(dirfd, O_CREAT)", openat(dfd, "h", O_CREAT | O_WRONLY, 0640));
	close(fd);
	MODE("openat O_CREAT created d/h", lmode("d/h"), S_IFREG | 0640);
	DO(fd, "openat(AT_FDCWD, relative)", openat(AT_FDCWD, "f", O_RDONLY));
	close(fd);
	DO(fd2, "open a file for openat", open("f", O_RDONLY));
	ERR("openat(file fd, relative) -> ENOTDIR", openat(fd2, "x", O_RDONLY), ENOTDIR);
	snprintf(abs, sizeof abs, "%s/open/d/g", top);
	close(fd2);
	ERR("openat(closed fd, relative) -> EBADF", openat(fd2, "x", O_RDONLY), EBADF);
	DO(fd, "openat(closed fd, absolute) ignores the fd", openat(fd2, abs, O_RDONLY));
	close(fd);
	ERR("openat(dirfd, missing) -> ENOENT", openat(dfd, "missing", O_RDONLY), ENOENT);
	ERR("openat(dirfd, O_CREAT|O_EXCL existing) -> EEXIST", openat(dfd, "g", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	close(dfd);

	/* close_range */
	DO(fd, "open for close_range", open("f", O_RDONLY));
	for (int i = 200; i <= 203; i++)
		close(i);
	for (int i = 200; i <= 203; i++)
		dup2(fd, i);
	RET("close_range(200, 203, 0)", syscall(SYS_close_range, 200, 203, 0), 0);
	{
		int closed = 1;
		for (int i = 200; i <= 203; i++)
			closed &= fcntl(i, F_GETFD) == -1 && errno == EBADF;
		TRUE("close_range closed 200..203", closed);
	}
	RET("close_range left other fds open", fdflags(fd), 0);
	dup2(fd, 210);
	dup2(fd, 211);
	RET("close_range CLOSE_RANGE_CLOEXEC", syscall(SYS_close_range, 210, 211, CLOSE_RANGE_CLOEXEC), 0);
	TRUE("CLOSE_RANGE_CLOEXEC set FD_CLOEXEC", fdflags(210) == FD_CLOEXEC && fdflags(211) == FD_CLOEXEC);
	RET("close_range on fds none of which are open", syscall(SYS_close_range, 300, 310, 0), 0);
	ERR("close_range first > last -> EINVAL", syscall(SYS_close_range, 5, 4, 0), EINVAL);
	ERR("close_range bad flag -> EINVAL", syscall(SYS_close_range, 210, 211, 0x40), EINVAL);
	RET("close_range(210, ~0U, 0)", syscall(SYS_close_range, 210, ~0U, 0), 0);
	ERR("close_range(210, ~0U) closed 211", fcntl(211, F_GETFD), EBADF);
	close(fd);
	leave();
}

/* ---- read, write, pread64, pwrite64, readv, writev, preadv, pwritev ----- */

static void t_rw(void)
{
	int fd, fd2;
	char buf[64], b1[2], b2[10];
	struct iovec iov[3];

	enter("rw");
	DO(fd, "open O_RDWR|O_CREAT", open("f", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RET("write 10", write(fd, "0123456789", 10), 10);
	RET("offset after write", lseek(fd, 0, SEEK_CUR), 10);
	RET("read at EOF -> 0", read(fd, buf, sizeof buf), 0);
	RET("read count 0 -> 0", read(fd, buf, 0), 0);
	RET("write count 0 -> 0", write(fd, buf, 0), 0);
	memset(buf, 0, sizeof buf);
	RET("pread 4 at 3", pread(fd, buf, 4, 3), 4);
	STR("pread data", buf, "3456");
	RET("pread does not move the offset", lseek(fd, 0, SEEK_CUR), 10);
	RET("pread past EOF -> 0", pread(fd, buf, 4, 100), 0);
	RET("pread short at EOF", pread(fd, buf, 10, 7), 3);
	ERR("pread negative offset -> EINVAL", pread(fd, buf, 4, -1), EINVAL);
	RET("pwrite 2 at 8", pwrite(fd, "ab", 2, 8), 2);
	RET("pwrite does not move the offset", lseek(fd, 0, SEEK_CUR), 10);
	STR("pwrite data", fdcontent(fd), "01234567ab");
	RET("pwrite past EOF", pwrite(fd, "Z", 1, 12), 1);
	VAL("pwrite past EOF extends the file", fsize(fd), 13);
	memset(buf, 'x', sizeof buf);
	RET("read back the pwrite hole", pread(fd, buf, 13, 0), 13);
	TRUE("pwrite hole reads as zeroes", buf[10] == 0 && buf[11] == 0 && buf[12] == 'Z');
	ERR("pwrite negative offset -> EINVAL", pwrite(fd, "x", 1, -5), EINVAL);
	RET("lseek 0", lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof buf);
	RET("read 4", read(fd, buf, 4), 4);
	RET("read 3 more", read(fd, buf + 4, 3), 3);
	STR("sequential reads advance the offset", buf, "0123456");
	close(fd);

	/* writev/readv */
	DO(fd, "open for writev", open("v", O_RDWR | O_CREAT | O_TRUNC, 0644));
	iov[0] = (struct iovec){ "he", 2 };
	iov[1] = (struct iovec){ "", 0 };
	iov[2] = (struct iovec){ "llo", 3 };
	RET("writev 3 iovecs", writev(fd, iov, 3), 5);
	STR("writev data", fdcontent(fd), "hello");
	RET("writev iovcnt 0 -> 0", writev(fd, iov, 0), 0);
	ERR("writev iovcnt -1 -> EINVAL", syscall(SYS_writev, fd, iov, -1), EINVAL);
	RET("lseek 0 for readv", lseek(fd, 0, SEEK_SET), 0);
	memset(b1, 0, sizeof b1);
	memset(b2, 0, sizeof b2);
	iov[0] = (struct iovec){ b1, sizeof b1 };
	iov[1] = (struct iovec){ b2, sizeof b2 };
	RET("readv into 2 + 10 bytes", readv(fd, iov, 2), 5);
	TRUE("readv fills in order", !memcmp(b1, "he", 2) && !memcmp(b2, "llo", 4));
	RET("readv at EOF -> 0", readv(fd, iov, 2), 0);
	ERR("readv iovcnt 1025 -> EINVAL", syscall(SYS_readv, fd, iov, 1025), EINVAL);

	/* pwritev/preadv */
	iov[0] = (struct iovec){ " wo", 3 };
	iov[1] = (struct iovec){ "rld", 3 };
	RET("pwritev at 5", pwritev(fd, iov, 2, 5), 6);
	STR("pwritev data", fdcontent(fd), "hello world");
	RET("pwritev does not move the offset", lseek(fd, 0, SEEK_CUR), 5);
	memset(b1, 0, sizeof b1);
	memset(b2, 0, sizeof b2);
	iov[0] = (struct iovec){ b1, sizeof b1 };
	iov[1] = (struct iovec){ b2, 4 };
	RET("preadv at 4", preadv(fd, iov, 2, 4), 6);
	TRUE("preadv data", !memcmp(b1, "o ", 2) && !memcmp(b2, "worl", 4));
	RET("preadv does not move the offset", lseek(fd, 0, SEEK_CUR), 5);
	RET("preadv past EOF -> 0", preadv(fd, iov, 2, 1000), 0);
	ERR("preadv negative offset -> EINVAL", preadv(fd, iov, 2, -1), EINVAL);
	close(fd);
	DO(fd, "open O_WRONLY", open("v", O_WRONLY));
	ERR("pread on O_WRONLY fd -> EBADF", pread(fd, buf, 1, 0), EBADF);
	ERR("readv on O_WRONLY fd -> EBADF", readv(fd, iov, 1), EBADF);
	close(fd);
	DO(fd, "open O_RDONLY", open("v", O_RDONLY));
	ERR("pwrite on O_RDONLY fd -> EBADF", pwrite(fd, "x", 1, 0), EBADF);
	ERR("writev on O_RDONLY fd -> EBADF", writev(fd, iov, 1), EBADF);
	close(fd);

	/* a file spanning many pages */
	{
		enum { N = 300000 };
		unsigned char *w = malloc(N), *r = malloc(N + 100);
		size_t off = 0;
		int good = 1;

		for (size_t i = 0; i < N; i++)
			w[i] = pat(i);
		DO(fd, "open big", open("big", O_RDWR | O_CREAT | O_TRUNC, 0644));
		while (off < N) {
			size_t n = N - off < 4097 ? N - off : 4097;
			if (write(fd, w + off, n) != (ssize_t)n) {
				good = 0;
				break;
			}
			off += n;
		}
		TRUE("write 300000 bytes in 4097-byte pieces", good);
		VAL("big file size", fsize(fd), N);
		RET("lseek 0 on big", lseek(fd, 0, SEEK_SET), 0);
		RET("read 300000 bytes at once", read(fd, r, N + 100), N);
		TRUE("big file content", !memcmp(w, r, N));
		memset(r, 0, 10000);
		RET("pread 10000 across page boundaries", pread(fd, r, 10000, 4090), 10000);
		TRUE("pread across pages content", !memcmp(w + 4090, r, 10000));
		RET("pwrite 5000 across a page boundary", pwrite(fd, w, 5000, 8000), 5000);
		memcpy(w + 8000, w, 5000);
		RET("re-read after pwrite", pread(fd, r, N, 0), N);
		TRUE("content after pwrite across pages", !memcmp(w, r, N));
		close(fd);
		free(w);
		free(r);
	}

	/* two opens of one file: separate offsets, shared data */
	DO(fd, "open twice (1)", open("two", O_RDWR | O_CREAT | O_TRUNC, 0644));
	DO(fd2, "open twice (2)", open("two", O_RDWR));
	RET("write via first fd", write(fd, "abcdef", 6), 6);
	RET("second fd has its own offset", lseek(fd2, 0, SEEK_CUR), 0);
	memset(buf, 0, sizeof buf);
	RET("second fd sees the data", read(fd2, buf, sizeof buf), 6);
	STR("second fd data", buf, "abcdef");
	close(fd2);

	/* an unlinked open file lives on */
	struct stat st;
	RET("unlink an open file", unlink("two"), 0);
	ERR("unlinked name is gone", access("two", F_OK), ENOENT);
	memset(&st, 0, sizeof st);
	OK("fstat unlinked open file", fstat(fd, &st));
	VAL("unlinked open file has nlink 0", st.st_nlink, 0);
	RET("write to unlinked open file", write(fd, "gh", 2), 2);
	STR("read unlinked open file", fdcontent(fd), "abcdefgh");
	close(fd);

	/* /dev/null */
	DO(fd, "open /dev/null", open("/dev/null", O_RDWR));
	RET("write /dev/null", write(fd, "hello", 5), 5);
	RET("read /dev/null -> 0", read(fd, buf, sizeof buf), 0);
	memset(&st, 0, sizeof st);
	OK("fstat /dev/null", fstat(fd, &st));
	TRUE("/dev/null is a char device", S_ISCHR(st.st_mode));
	close(fd);
	leave();
}

/* ---- lseek ------------------------------------------------------------- */

static void t_lseek(void)
{
	int fd, p[2];
	char buf[128];

	enter("seek");
	puts_("f", "0123456789");
	DO(fd, "open for lseek", open("f", O_RDWR));
	RET("SEEK_SET 3", lseek(fd, 3, SEEK_SET), 3);
	memset(buf, 0, sizeof buf);
	RET("read 2 at 3", read(fd, buf, 2), 2);
	STR("read after SEEK_SET", buf, "34");
	RET("SEEK_CUR -1", lseek(fd, -1, SEEK_CUR), 4);
	RET("SEEK_CUR 0", lseek(fd, 0, SEEK_CUR), 4);
	RET("SEEK_END 0", lseek(fd, 0, SEEK_END), 10);
	RET("SEEK_END -3", lseek(fd, -3, SEEK_END), 7);
	memset(buf, 0, sizeof buf);
	RET("read after SEEK_END -3", read(fd, buf, 10), 3);
	STR("data after SEEK_END -3", buf, "789");
	ERR("SEEK_SET -1 -> EINVAL", lseek(fd, -1, SEEK_SET), EINVAL);
	ERR("SEEK_CUR to negative -> EINVAL", lseek(fd, -100, SEEK_CUR), EINVAL);
	ERR("SEEK_END to negative -> EINVAL", lseek(fd, -11, SEEK_END), EINVAL);
	ERR("bad whence -> EINVAL", lseek(fd, 0, 99), EINVAL);
	RET("offset unchanged by failed lseeks", lseek(fd, 0, SEEK_CUR), 10);
	RET("SEEK_SET past EOF", lseek(fd, 100, SEEK_SET), 100);
	VAL("lseek past EOF does not grow the file", fsize(fd), 10);
	RET("read past EOF -> 0", read(fd, buf, 10), 0);
	RET("write past EOF", write(fd, "x", 1), 1);
	VAL("write past EOF grows the file", fsize(fd), 101);
	memset(buf, 'y', sizeof buf);
	RET("read the hole", pread(fd, buf, 91, 10), 91);
	TRUE("the hole reads as zeroes", all_zero((unsigned char *)buf, 90) && buf[90] == 'x');
	RET("SEEK_END past a 1 MiB hole", lseek(fd, 1 << 20, SEEK_END), 101 + (1 << 20));
	RET("write after a 1 MiB hole", write(fd, "E", 1), 1);
	VAL("file size after the 1 MiB hole", fsize(fd), 102 + (1 << 20));
	{
		unsigned char *b = malloc(1 << 20);
		memset(b, 0xee, 1 << 20);
		RET("read the 1 MiB hole", pread(fd, b, 1 << 20, 101), 1 << 20);
		TRUE("the 1 MiB hole reads as zeroes", all_zero(b, 1 << 20));
		free(b);
	}
	close(fd);
	ERR("lseek on a closed fd -> EBADF", lseek(fd, 0, SEEK_SET), EBADF);
	DO(fd, "open a dir for lseek", open(".", O_RDONLY | O_DIRECTORY));
	RET("lseek 0 on a dir", lseek(fd, 0, SEEK_SET), 0);
	close(fd);
	OK("pipe for lseek", pipe(p));
	ERR("lseek on a pipe -> ESPIPE", lseek(p[0], 0, SEEK_CUR), ESPIPE);
	ERR("pread on a pipe -> ESPIPE", pread(p[0], buf, 1, 0), ESPIPE);
	ERR("pwrite on a pipe -> ESPIPE", pwrite(p[1], "x", 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	leave();
}

/* ---- stat, lstat, fstat, newfstatat, statx ----------------------------- */

static void t_stat(void)
{
	struct stat st, st2, kst;
	struct kstatx sx;
	int fd, dfd;

	enter("stat");
	puts_("f", "abc");
	memset(&st, 0, sizeof st);
	RET("stat a file", stat("f", &st), 0);
	MODE("stat st_mode", st.st_mode, S_IFREG | 0644);
	VAL("stat st_size", st.st_size, 3);
	VAL("stat st_nlink", st.st_nlink, 1);
	TRUE("stat st_uid/st_gid are the creator's", st.st_uid == geteuid() && st.st_gid == getegid());
	TRUE("stat st_blksize > 0", st.st_blksize > 0);
	memset(&kst, 0, sizeof kst);
	RET("SYS_stat", syscall(SYS_stat, "f", &kst), 0);
	TRUE("SYS_stat agrees with stat", kst.st_ino == st.st_ino && kst.st_mode == st.st_mode &&
	     kst.st_size == 3 && kst.st_nlink == 1);
	ERR("SYS_stat missing -> ENOENT", syscall(SYS_stat, "missing", &kst), ENOENT);
	ERR("stat missing -> ENOENT", stat("missing", &st2), ENOENT);
	ERR("stat \"\" -> ENOENT", stat("", &st2), ENOENT);
	ERR("stat file/ -> ENOTDIR", stat("f/", &st2), ENOTDIR);

	OK("symlink l -> f", symlink("f", "l"));
	memset(&st2, 0, sizeof st2);
	RET("lstat a symlink", lstat("l", &st2), 0);
	MODE("lstat st_mode of a symlink", st2.st_mode, S_IFLNK | 0777);
	VAL("lstat st_size of a symlink is the target length", st2.st_size, 1);
	TRUE("a symlink has its own inode", st2.st_ino != st.st_ino);
	memset(&kst, 0, sizeof kst);
	RET("SYS_lstat", syscall(SYS_lstat, "l", &kst), 0);
	TRUE("SYS_lstat sees the symlink", S_ISLNK(kst.st_mode) && kst.st_size == 1);
	memset(&st2, 0, sizeof st2);
	RET("stat follows a symlink", stat("l", &st2), 0);
	TRUE("stat through the symlink gives the file", st2.st_ino == st.st_ino && st2.st_size == 3);
	RET("lstat a regular file", lstat("f", &st2), 0);
	TRUE("lstat on a file is stat", st2.st_ino == st.st_ino && S_ISREG(st2.st_mode));

	DO(fd, "open for fstat", open("f", O_RDONLY));
	memset(&st2, 0, sizeof st2);
	RET("fstat", fstat(fd, &st2), 0);
	TRUE("fstat agrees with stat", st2.st_ino == st.st_ino && st2.st_size == 3 && S_ISREG(st2.st_mode));
	memset(&kst, 0, sizeof kst);
	RET("SYS_fstat", syscall(SYS_fstat, fd, &kst), 0);
	TRUE("SYS_fstat agrees with stat", kst.st_ino == st.st_ino && kst.st_size == 3);
	ERR("fstat on a closed fd -> EBADF", fstat(999, &st2), EBADF);

	/* newfstatat */
	memset(&st2, 0, sizeof st2);
	RET("fstatat AT_SYMLINK_NOFOLLOW", fstatat(AT_FDCWD, "l", &st2, AT_SYMLINK_NOFOLLOW), 0);
	TRUE("fstatat AT_SYMLINK_NOFOLLOW sees the symlink", S_ISLNK(st2.st_mode));
	memset(&st2, 0, sizeof st2);
	RET("fstatat follows by default", fstatat(AT_FDCWD, "l", &st2, 0), 0);
	TRUE("fstatat follows to the file", S_ISREG(st2.st_mode) && st2.st_ino == st.st_ino);
	memset(&st2, 0, sizeof st2);
	RET("fstatat AT_EMPTY_PATH on an fd", fstatat(fd, "", &st2, AT_EMPTY_PATH), 0);
	TRUE("fstatat AT_EMPTY_PATH gives the fd's file", st2.st_ino == st.st_ino);
	ERR("fstatat \"\" without AT_EMPTY_PATH -> ENOENT", fstatat(fd, "", &st2, 0), ENOENT);
	ERR("fstatat bad flags -> EINVAL", syscall(SYS_newfstatat, AT_FDCWD, "f", &st2, 0x2), EINVAL);
	memset(&st2, 0, sizeof st2);
	RET("SYS_newfstatat AT_SYMLINK_NOFOLLOW", syscall(SYS_newfstatat, AT_FDCWD, "l", &st2, AT_SYMLINK_NOFOLLOW), 0);
	TRUE("SYS_newfstatat sees the symlink", S_ISLNK(st2.st_mode));
	OK("mkdir d", mkdir("d", 0755));
	puts_("d/in", "xy");
	DO(dfd, "open dir for fstatat", open("d", O_RDONLY | O_DIRECTORY));
	memset(&st2, 0, sizeof st2);
	RET("fstatat(dirfd, relative)", fstatat(dfd, "in", &st2, 0), 0);
	VAL("fstatat(dirfd, relative) size", st2.st_size, 2);
	ERR("fstatat(file fd, relative) -> ENOTDIR", fstatat(fd, "in", &st2, 0), ENOTDIR);
	ERR("fstatat(closed fd, relative) -> EBADF", fstatat(999, "in", &st2, 0), EBADF);

	/* directory link counts */
	VAL("new dir nlink 2", nlinks("d"), 2);
	OK("mkdir d/s", mkdir("d/s", 0755));
	VAL("dir with a subdir nlink 3", nlinks("d"), 3);
	VAL("a file does not add a dir link", nlinks("d/s"), 2);
	OK("rmdir d/s", rmdir("d/s"));
	VAL("dir nlink back to 2", nlinks("d"), 2);
	MODE("dir mode", lmode("d"), S_IFDIR | 0755);

	/* statx */
	memset(&sx, 0, sizeof sx);
	RET("statx", syscall(SYS_statx, AT_FDCWD, "f", 0, KSTATX_BASIC_STATS, &sx), 0);
	TRUE("statx mask has the basic stats", (sx.mask & KSTATX_BASIC_STATS) == KSTATX_BASIC_STATS);
	MODE("statx mode", sx.mode, S_IFREG | 0644);
	VAL("statx size", sx.size, 3);
	VAL("statx nlink", sx.nlink, 1);
	TRUE("statx uid/gid", sx.uid == geteuid() && sx.gid == getegid());
	TRUE("statx ino agrees with stat", sx.ino == st.st_ino);
	TRUE("statx blksize > 0", sx.blksize > 0);
	memset(&sx, 0, sizeof sx);
	RET("statx AT_SYMLINK_NOFOLLOW", syscall(SYS_statx, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, KSTATX_BASIC_STATS, &sx), 0);
	TRUE("statx AT_SYMLINK_NOFOLLOW sees the symlink", S_ISLNK(sx.mode) && sx.size == 1);
	memset(&sx, 0, sizeof sx);
	RET("statx follows by default", syscall(SYS_statx, AT_FDCWD, "l", 0, KSTATX_BASIC_STATS, &sx), 0);
	TRUE("statx follows to the file", S_ISREG(sx.mode) && sx.ino == st.st_ino);
	memset(&sx, 0, sizeof sx);
	RET("statx AT_EMPTY_PATH", syscall(SYS_statx, fd, "", AT_EMPTY_PATH, KSTATX_BASIC_STATS, &sx), 0);
	TRUE("statx AT_EMPTY_PATH gives the fd's file", sx.ino == st.st_ino && sx.size == 3);
	memset(&sx, 0, sizeof sx);
	RET("statx(dirfd, relative)", syscall(SYS_statx, dfd, "in", 0, KSTATX_BASIC_STATS, &sx), 0);
	VAL("statx(dirfd, relative) size", sx.size, 2);
	ERR("statx missing -> ENOENT", syscall(SYS_statx, AT_FDCWD, "missing", 0, KSTATX_BASIC_STATS, &sx), ENOENT);
	ERR("statx reserved mask bit -> EINVAL", syscall(SYS_statx, AT_FDCWD, "f", 0, KSTATX_RESERVED, &sx), EINVAL);
	ERR("statx bad flags -> EINVAL", syscall(SYS_statx, AT_FDCWD, "f", 0x2, KSTATX_BASIC_STATS, &sx), EINVAL);
	close(dfd);
	close(fd);
	leave();
}

/* ---- access, faccessat, faccessat2 ------------------------------------- */

static void t_access(void)
{
	int dfd, fd;

	enter("access");
	puts_("f", "x");
	OK("mkdir d", mkdir("d", 0755));
	OK("symlink dang -> missing", symlink("missing", "dang"));
	RET("access F_OK", access("f", F_OK), 0);
	RET("access R_OK|W_OK", access("f", R_OK | W_OK), 0);
	ERR("access X_OK on 0644 as root -> EACCES", access("f", X_OK), EACCES);
	OK("chmod 0744", chmod("f", 0744));
	RET("access X_OK on 0744", access("f", X_OK), 0);
	OK("chmod 0", chmod("f", 0));
	RET("access R_OK|W_OK on mode 0 as root", access("f", R_OK | W_OK), 0);
	ERR("access X_OK on mode 0 as root -> EACCES", access("f", X_OK), EACCES);
	OK("chmod dir 0", chmod("d", 0));
	RET("access X_OK on a mode-0 dir as root", access("d", R_OK | W_OK | X_OK), 0);
	OK("chmod dir 0755", chmod("d", 0755));
	ERR("access missing -> ENOENT", access("missing", F_OK), ENOENT);
	ERR("access through a dangling symlink -> ENOENT", access("dang", F_OK), ENOENT);
	ERR("access bad mode -> EINVAL", access("f", 0x10), EINVAL);
	ERR("access file/ -> ENOTDIR", access("f/", F_OK), ENOTDIR);
	RET("access dir/", access("d/", F_OK), 0);
	RET("SYS_access", syscall(SYS_access, "f", F_OK), 0);

	puts_("d/in", "x");
	DO(dfd, "open dir for faccessat", open("d", O_RDONLY | O_DIRECTORY));
	RET("SYS_faccessat(dirfd, relative)", syscall(SYS_faccessat, dfd, "in", R_OK), 0);
	ERR("SYS_faccessat(dirfd, missing) -> ENOENT", syscall(SYS_faccessat, dfd, "missing", F_OK), ENOENT);
	RET("SYS_faccessat(AT_FDCWD)", syscall(SYS_faccessat, AT_FDCWD, "f", W_OK), 0);
	ERR("SYS_faccessat X_OK -> EACCES", syscall(SYS_faccessat, AT_FDCWD, "d/in", X_OK), EACCES);
	RET("faccessat(dirfd, relative, 0)", faccessat(dfd, "in", R_OK, 0), 0);
	RET("faccessat AT_EACCESS", faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS), 0);
	RET("faccessat2 AT_SYMLINK_NOFOLLOW on a dangling symlink", syscall(SYS_faccessat2, AT_FDCWD, "dang", F_OK, AT_SYMLINK_NOFOLLOW), 0);
	ERR("faccessat2 following a dangling symlink -> ENOENT", syscall(SYS_faccessat2, AT_FDCWD, "dang", F_OK, 0), ENOENT);
	RET("faccessat2 AT_EACCESS", syscall(SYS_faccessat2, dfd, "in", R_OK | W_OK, AT_EACCESS), 0);
	ERR("faccessat2 X_OK -> EACCES", syscall(SYS_faccessat2, dfd, "in", X_OK, AT_EACCESS), EACCES);
	DO(fd, "open for faccessat2 AT_EMPTY_PATH", open("d/in", O_RDONLY));
	RET("faccessat2 AT_EMPTY_PATH", syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH), 0);
	close(fd);
	ERR("faccessat2 bad flags -> EINVAL", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x1), EINVAL);
	ERR("faccessat2 bad mode -> EINVAL", syscall(SYS_faccessat2, AT_FDCWD, "f", 0x10, 0), EINVAL);
	close(dfd);
	leave();
}

/* ---- mkdir, mkdirat, rmdir, unlink, unlinkat --------------------------- */

static void t_dirs(void)
{
	int dfd;

	enter("dirs");
	puts_("f", "x");
	RET("mkdir", mkdir("a", 0755), 0);
	MODE("mkdir mode", lmode("a"), S_IFDIR | 0755);
	ERR("mkdir existing -> EEXIST", mkdir("a", 0755), EEXIST);
	ERR("mkdir over a file -> EEXIST", mkdir("f", 0755), EEXIST);
	ERR("mkdir missing parent -> ENOENT", mkdir("x/y/z", 0755), ENOENT);
	ERR("mkdir under a file -> ENOTDIR", mkdir("f/x", 0755), ENOTDIR);
	ERR("mkdir \"\" -> ENOENT", mkdir("", 0755), ENOENT);
	RET("mkdir with a trailing slash", mkdir("n/", 0755), 0);
	MODE("mkdir with a trailing slash made a dir", lmode("n"), S_IFDIR | 0755);
	RET("mkdir sticky", mkdir("sticky", 01777), 0);
	MODE("mkdir keeps the sticky bit, applies umask", lmode("sticky"), S_IFDIR | 01755);
	RET("SYS_mkdir", syscall(SYS_mkdir, "raw", 0700), 0);
	MODE("SYS_mkdir mode", lmode("raw"), S_IFDIR | 0700);

	DO(dfd, "open dir for mkdirat", open("a", O_RDONLY | O_DIRECTORY));
	RET("mkdirat(dirfd)", mkdirat(dfd, "sub", 0700), 0);
	MODE("mkdirat made a/sub", lmode("a/sub"), S_IFDIR | 0700);
	RET("mkdirat(AT_FDCWD)", mkdirat(AT_FDCWD, "b", 0750), 0);
	MODE("mkdirat(AT_FDCWD) mode", lmode("b"), S_IFDIR | 0750);
	ERR("mkdirat existing -> EEXIST", mkdirat(dfd, "sub", 0700), EEXIST);
	ERR("mkdirat(closed fd) -> EBADF", mkdirat(999, "q", 0700), EBADF);

	ERR("rmdir a non-empty dir -> ENOTEMPTY", rmdir("a"), ENOTEMPTY);
	ERR("rmdir a file -> ENOTDIR", rmdir("f"), ENOTDIR);
	ERR("rmdir missing -> ENOENT", rmdir("missing"), ENOENT);
	ERR("rmdir . -> EINVAL", rmdir("."), EINVAL);
	ERR("rmdir dir/. -> EINVAL", rmdir("a/."), EINVAL);
	ERR("rmdir dir/.. -> ENOTEMPTY", rmdir("a/sub/.."), ENOTEMPTY);
	ERR("rmdir file/ -> ENOTDIR", rmdir("f/"), ENOTDIR);
	RET("rmdir with a trailing slash", rmdir("n/"), 0);
	ERR("rmdir removed it", access("n", F_OK), ENOENT);
	OK("chmod a dir to 0", chmod("b", 0));
	RET("rmdir a mode-0 dir as root", rmdir("b"), 0);
	RET("SYS_rmdir", syscall(SYS_rmdir, "raw"), 0);

	ERR("unlink a dir -> EISDIR", unlink("a"), EISDIR);
	ERR("unlink dir/ -> EISDIR", unlink("a/"), EISDIR);
	ERR("unlink file/ -> ENOTDIR", unlink("f/"), ENOTDIR);
	ERR("unlink missing -> ENOENT", unlink("missing"), ENOENT);
	ERR("unlink \"\" -> ENOENT", unlink(""), ENOENT);
	ERR("unlink under a file -> ENOTDIR", unlink("f/x"), ENOTDIR);
	puts_("g", "x");
	RET("unlink", unlink("g"), 0);
	ERR("unlink removed it", access("g", F_OK), ENOENT);
	puts_("g", "x");
	RET("SYS_unlink", syscall(SYS_unlink, "g"), 0);

	puts_("a/file", "x");
	ERR("unlinkat AT_REMOVEDIR non-empty -> ENOTEMPTY", unlinkat(AT_FDCWD, "a", AT_REMOVEDIR), ENOTEMPTY);
	ERR("unlinkat(dirfd, \".\", AT_REMOVEDIR) -> EINVAL", unlinkat(dfd, ".", AT_REMOVEDIR), EINVAL);
	RET("unlinkat(dirfd, file, 0)", unlinkat(dfd, "file", 0), 0);
	ERR("unlinkat removed a/file", access("a/file", F_OK), ENOENT);
	ERR("unlinkat(dirfd, dir, 0) -> EISDIR", unlinkat(dfd, "sub", 0), EISDIR);
	RET("unlinkat(dirfd, dir, AT_REMOVEDIR)", unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
	ERR("unlinkat AT_REMOVEDIR removed a/sub", access("a/sub", F_OK), ENOENT);
	VAL("parent nlink after removing its subdir", nlinks("a"), 2);
	ERR("unlinkat AT_REMOVEDIR on a file -> ENOTDIR", unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR);
	ERR("unlinkat bad flags -> EINVAL", unlinkat(AT_FDCWD, "f", 0x1), EINVAL);
	ERR("unlinkat(closed fd) -> EBADF", unlinkat(999, "f", 0), EBADF);
	close(dfd);
	RET("unlinkat(AT_FDCWD, dir, AT_REMOVEDIR)", unlinkat(AT_FDCWD, "a", AT_REMOVEDIR), 0);
	RET("unlinkat(AT_FDCWD, file, 0)", unlinkat(AT_FDCWD, "f", 0), 0);
	leave();
}

/* ---- getdents64 -------------------------------------------------------- */

static const char *dtname(unsigned char t)
{
	switch (t) {
	case DT_REG: return "reg";
	case DT_DIR: return "dir";
	case DT_LNK: return "lnk";
	case DT_FIFO: return "fifo";
	case DT_CHR: return "chr";
	case DT_BLK: return "blk";
	case DT_SOCK: return "sock";
	case DT_UNKNOWN: return "unknown";
	}
	return "?";
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read a whole directory with getdents64 using buffers of bufsz bytes;
 * returns the number of entries (-1 on error) and the sorted "name(type)"
 * list in out */
static int list_dir(int fd, size_t bufsz, char *out, size_t outsz, int with_types)
{
	char *buf = malloc(bufsz);
	char **names = NULL;
	int n = 0, cap = 0;
	long r;

	while ((r = syscall(SYS_getdents64, fd, buf, bufsz)) > 0) {
		for (long off = 0; off < r;) {
			struct kdirent64 *d = (struct kdirent64 *)(buf + off);
			char item[300];

			if (with_types)
				snprintf(item, sizeof item, "%s(%s)", d->d_name, dtname(d->d_type));
			else
				snprintf(item, sizeof item, "%s", d->d_name);
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				names = realloc(names, cap * sizeof *names);
			}
			names[n++] = strdup(item);
			off += d->d_reclen;
		}
	}
	free(buf);
	if (r < 0) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return -1;
	}
	qsort(names, n, sizeof *names, cmpstr);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(out);
		snprintf(out + l, outsz - l, "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	free(names);
	return n;
}

static void t_getdents(void)
{
	char list[65536], want[65536], buf[4096];
	int fd, fd2;

	enter("dents");
	OK("mkdir g", mkdir("g", 0755));
	puts_("g/b", "");
	puts_("g/a", "");
	puts_("g/c", "");
	OK("mkdir g/sub", mkdir("g/sub", 0755));
	OK("symlink g/lnk", symlink("a", "g/lnk"));
	DO(fd, "open dir for getdents64", open("g", O_RDONLY | O_DIRECTORY));
	RET("getdents64 lists 7 entries", list_dir(fd, 4096, list, sizeof list, 1), 7);
	STR("getdents64 names and types",
	    list, ".(dir) ..(dir) a(reg) b(reg) c(reg) lnk(lnk) sub(dir)");
	RET("getdents64 at the end -> 0", syscall(SYS_getdents64, fd, buf, sizeof buf), 0);
	RET("lseek 0 on a dir rewinds", lseek(fd, 0, SEEK_SET), 0);
	RET("getdents64 after rewind lists 7 entries", list_dir(fd, 4096, list, sizeof list, 0), 7);
	lseek(fd, 0, SEEK_SET);
	ERR("getdents64 with a 1-byte buffer -> EINVAL", syscall(SYS_getdents64, fd, buf, 1), EINVAL);
	close(fd);
	OK("unlink g/b", unlink("g/b"));
	DO(fd, "reopen the dir", open("g", O_RDONLY | O_DIRECTORY));
	RET("getdents64 after unlink", list_dir(fd, 4096, list, sizeof list, 0), 6);
	STR("getdents64 no longer lists b", list, ". .. a c lnk sub");
	close(fd);

	DO(fd, "open a file for getdents64", open("g/a", O_RDONLY));
	ERR("getdents64 on a file -> ENOTDIR", syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
	close(fd);
	ERR("getdents64 on a closed fd -> EBADF", syscall(SYS_getdents64, fd, buf, sizeof buf), EBADF);

	/* many entries, read with a small buffer over many calls */
	OK("mkdir many", mkdir("many", 0755));
	strcpy(want, ". ..");
	{
		char *names[300];
		char p[64];
		for (int i = 0; i < 300; i++) {
			snprintf(p, sizeof p, "many/file-%03d-%s", i, i % 2 ? "odd" : "even-longer-name");
			puts_(p, "");
			names[i] = strdup(p + 5);
		}
		qsort(names, 300, sizeof *names, cmpstr);
		for (int i = 0; i < 300; i++) {
			strcat(want, " ");
			strcat(want, names[i]);
			free(names[i]);
		}
	}
	DO(fd, "open a dir of 300 files", open("many", O_RDONLY | O_DIRECTORY));
	RET("getdents64 with a 256-byte buffer lists 302 entries", list_dir(fd, 256, list, sizeof list, 0), 302);
	TRUE("getdents64 lists every name once", !strcmp(list, want));
	close(fd);

	/* a removed directory reads as empty/ENOENT */
	OK("mkdir gone", mkdir("gone", 0755));
	DO(fd, "open a dir to remove", open("gone", O_RDONLY | O_DIRECTORY));
	OK("rmdir the open dir", rmdir("gone"));
	ERR("getdents64 on a removed dir -> ENOENT", syscall(SYS_getdents64, fd, buf, sizeof buf), ENOENT);
	DO(fd2, "openat in a removed dir", openat(fd, ".", O_RDONLY));
	close(fd2);
	ERR("openat O_CREAT in a removed dir -> ENOENT", openat(fd, "x", O_CREAT | O_WRONLY, 0644), ENOENT);
	close(fd);
	leave();
}

/* ---- rename, renameat, renameat2 --------------------------------------- */

static void t_rename(void)
{
	int fd, d1, d2;

	enter("rename");
	puts_("a", "A");
	puts_("b", "B");
	RET("rename to a new name", rename("a", "c"), 0);
	ERR("rename removed the old name", access("a", F_OK), ENOENT);
	STR("rename kept the content", content("c"), "A");
	RET("rename over an existing file", rename("c", "b"), 0);
	STR("rename replaced the target", content("b"), "A");
	ERR("rename over removed the source", access("c", F_OK), ENOENT);
	RET("rename to itself", rename("b", "b"), 0);
	STR("rename to itself keeps the file", content("b"), "A");
	ERR("rename missing -> ENOENT", rename("missing", "x"), ENOENT);
	ERR("rename into a missing dir -> ENOENT", rename("b", "nodir/x"), ENOENT);
	ERR("rename file to name/ -> ENOTDIR", rename("b", "x/"), ENOTDIR);
	ERR("rename . -> EBUSY", rename(".", "x"), EBUSY);
	RET("SYS_rename", syscall(SYS_rename, "b", "a"), 0);
	STR("SYS_rename moved it", content("a"), "A");

	/* hard links to one inode: rename does nothing */
	OK("link a h", link("a", "h"));
	RET("rename between two links of one inode", rename("a", "h"), 0);
	TRUE("both links remain", access("a", F_OK) == 0 && access("h", F_OK) == 0);
	OK("unlink h", unlink("h"));

	/* an open file survives a rename */
	DO(fd, "open before rename", open("a", O_RDONLY));
	OK("rename the open file", rename("a", "moved"));
	STR("the fd still reads the renamed file", fdcontent(fd), "A");
	close(fd);

	/* directories */
	OK("mkdir d1", mkdir("d1", 0755));
	OK("mkdir d2", mkdir("d2", 0755));
	OK("mkdir d3", mkdir("d3", 0755));
	puts_("d1/x", "in d1");
	puts_("d3/y", "in d3");
	puts_("f", "F");
	RET("rename a dir over an empty dir", rename("d1", "d2"), 0);
	STR("the dir moved with its content", content("d2/x"), "in d1");
	ERR("the old dir name is gone", access("d1", F_OK), ENOENT);
	ERR("rename a dir over a non-empty dir -> ENOTEMPTY", rename("d2", "d3"), ENOTEMPTY);
	ERR("rename a file over a dir -> EISDIR", rename("f", "d3"), EISDIR);
	ERR("rename a dir over a file -> ENOTDIR", rename("d3", "f"), ENOTDIR);
	ERR("rename a dir into itself -> EINVAL", rename("d3", "d3/sub"), EINVAL);
	RET("rename a dir into another dir", rename("d3", "d2/d3"), 0);
	VAL("new parent nlink grows", nlinks("d2"), 3);
	STR("the moved dir's content", content("d2/d3/y"), "in d3");
	RET("rename a dir with a trailing slash", rename("d2/d3/", "d4/"), 0);
	VAL("old parent nlink shrinks", nlinks("d2"), 2);
	STR("the dir moved back", content("d4/y"), "in d3");

	/* renameat */
	DO(d1, "open d2 for renameat", open("d2", O_RDONLY | O_DIRECTORY));
	DO(d2, "open d4 for renameat", open("d4", O_RDONLY | O_DIRECTORY));
	RET("renameat between two dirfds", renameat(d1, "x", d2, "x2"), 0);
	STR("renameat moved the file", content("d4/x2"), "in d1");
	ERR("renameat source gone", access("d2/x", F_OK), ENOENT);
	RET("renameat(AT_FDCWD, dirfd)", renameat(AT_FDCWD, "f", d1, "f"), 0);
	STR("renameat(AT_FDCWD, dirfd) moved it", content("d2/f"), "F");
	ERR("renameat(closed fd) -> EBADF", renameat(999, "x", d1, "y"), EBADF);

	/* renameat2 */
	puts_("n1", "one");
	puts_("n2", "two");
	ERR("renameat2 RENAME_NOREPLACE over existing -> EEXIST",
	    syscall(SYS_renameat2, AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_NOREPLACE), EEXIST);
	TRUE("RENAME_NOREPLACE failure left both files",
	     !strcmp(content("n1"), "one") && !strcmp(content("n2"), "two"));
	RET("renameat2 RENAME_NOREPLACE to a new name",
	    syscall(SYS_renameat2, AT_FDCWD, "n1", d2, "n3", RENAME_NOREPLACE), 0);
	STR("RENAME_NOREPLACE moved it", content("d4/n3"), "one");
	RET("renameat2 flags 0 is rename",
	    syscall(SYS_renameat2, d2, "n3", AT_FDCWD, "n1", 0), 0);
	RET("renameat2 RENAME_EXCHANGE",
	    syscall(SYS_renameat2, AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_EXCHANGE), 0);
	TRUE("RENAME_EXCHANGE swapped the files",
	     !strcmp(content("n1"), "two") && !strcmp(content("n2"), "one"));
	RET("renameat2 RENAME_EXCHANGE a file and a dir",
	    syscall(SYS_renameat2, AT_FDCWD, "n1", AT_FDCWD, "d4", RENAME_EXCHANGE), 0);
	TRUE("RENAME_EXCHANGE swapped a file and a dir",
	     S_ISDIR(lmode("n1")) && S_ISREG(lmode("d4")) && !strcmp(content("d4"), "two") &&
	     !strcmp(content("n1/y"), "in d3"));
	ERR("renameat2 RENAME_EXCHANGE with a missing target -> ENOENT",
	    syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "missing", RENAME_EXCHANGE), ENOENT);
	ERR("renameat2 NOREPLACE|EXCHANGE -> EINVAL",
	    syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "d4", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
	ERR("renameat2 unknown flag -> EINVAL",
	    syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "zz", 0x100), EINVAL);
	close(d1);
	close(d2);
	leave();
}

/* ---- link, linkat, symlink, symlinkat, readlink, readlinkat ------------ */

static void t_links(void)
{
	int dfd, fd;
	char buf[64];

	enter("links");
	puts_("f", "data");
	OK("mkdir d", mkdir("d", 0755));
	RET("link", link("f", "g"), 0);
	VAL("link raises nlink to 2", nlinks("f"), 2);
	TRUE("both names are one inode", same("f", "g"));
	DO(fd, "open one link", open("g", O_WRONLY | O_APPEND));
	RET("write via one link", write(fd, "+", 1), 1);
	close(fd);
	STR("the other link sees it", content("f"), "data+");
	RET("unlink one link", unlink("f"), 0);
	VAL("nlink back to 1", nlinks("g"), 1);
	STR("the other link keeps the data", content("g"), "data+");
	puts_("e", "");
	ERR("link to an existing name -> EEXIST", link("g", "e"), EEXIST);
	ERR("link missing -> ENOENT", link("missing", "x"), ENOENT);
	ERR("link a dir -> EPERM", link("d", "dlink"), EPERM);
	ERR("link into a missing dir -> ENOENT", link("g", "nodir/x"), ENOENT);
	ERR("link file/ -> ENOTDIR", link("g/", "x"), ENOTDIR);
	RET("SYS_link", syscall(SYS_link, "g", "d/g2"), 0);
	VAL("SYS_link nlink 2", nlinks("g"), 2);

	DO(dfd, "open dir for linkat", open("d", O_RDONLY | O_DIRECTORY));
	RET("linkat(dirfd, AT_FDCWD)", linkat(dfd, "g2", AT_FDCWD, "h", 0), 0);
	VAL("linkat nlink 3", nlinks("g"), 3);
	OK("symlink s -> g", symlink("g", "s"));
	RET("linkat a symlink without AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "s", dfd, "hs", 0), 0);
	TRUE("linkat without AT_SYMLINK_FOLLOW links the symlink itself", S_ISLNK(lmode("d/hs")));
	RET("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "s", dfd, "hf", AT_SYMLINK_FOLLOW), 0);
	TRUE("linkat AT_SYMLINK_FOLLOW links the target", S_ISREG(lmode("d/hf")) && same("d/hf", "g"));
	ERR("linkat bad flags -> EINVAL", linkat(AT_FDCWD, "g", AT_FDCWD, "z", 0x1), EINVAL);
	ERR("linkat(closed fd) -> EBADF", linkat(999, "g", AT_FDCWD, "z", 0), EBADF);
	close(dfd);

	/* symlink, symlinkat, readlink, readlinkat */
	RET("symlink to a missing target", symlink("target", "sl"), 0);
	MODE("a dangling symlink lstat", lmode("sl"), S_IFLNK | 0777);
	VAL("symlink size is the target length", lsize("sl"), 6);
	ERR("stat through a dangling symlink -> ENOENT", stat("sl", &(struct stat){ 0 }), ENOENT);
	memset(buf, 'X', sizeof buf);
	RET("readlink", readlink("sl", buf, sizeof buf), 6);
	TRUE("readlink gives the target without a NUL", !memcmp(buf, "targetX", 7));
	memset(buf, 'X', sizeof buf);
	RET("readlink into a 3-byte buffer truncates", readlink("sl", buf, 3), 3);
	TRUE("readlink truncated data", !memcmp(buf, "tarX", 4));
	ERR("readlink bufsiz 0 -> EINVAL", syscall(SYS_readlink, "sl", buf, 0), EINVAL);
	ERR("readlink a regular file -> EINVAL", readlink("g", buf, sizeof buf), EINVAL);
	ERR("readlink a dir -> EINVAL", readlink("d", buf, sizeof buf), EINVAL);
	ERR("readlink missing -> ENOENT", readlink("missing", buf, sizeof buf), ENOENT);
	memset(buf, 0, sizeof buf);
	RET("SYS_readlink", syscall(SYS_readlink, "sl", buf, sizeof buf), 6);
	ERR("symlink over an existing name -> EEXIST", symlink("x", "g"), EEXIST);
	ERR("symlink over an existing symlink -> EEXIST", symlink("x", "sl"), EEXIST);
	ERR("symlink \"\" name -> ENOENT", symlink("x", ""), ENOENT);
	ERR("symlink with an empty target -> ENOENT", symlink("", "empty"), ENOENT);
	ERR("symlink in a missing dir -> ENOENT", symlink("x", "nodir/s"), ENOENT);
	RET("SYS_symlink", syscall(SYS_symlink, "g", "raw"), 0);
	STR("SYS_symlink works", content("raw"), "data+");
	DO(dfd, "open dir for symlinkat", open("d", O_RDONLY | O_DIRECTORY));
	RET("symlinkat(dirfd)", symlinkat("../g", dfd, "up"), 0);
	STR("a relative symlink resolves from its own dir", content("d/up"), "data+");
	memset(buf, 0, sizeof buf);
	RET("readlinkat(dirfd)", readlinkat(dfd, "up", buf, sizeof buf), 4);
	STR("readlinkat target", buf, "../g");
	memset(buf, 0, sizeof buf);
	RET("readlinkat(AT_FDCWD)", readlinkat(AT_FDCWD, "d/up", buf, sizeof buf), 4);
	ERR("readlinkat(closed fd) -> EBADF", readlinkat(999, "up", buf, sizeof buf), EBADF);
	RET("symlinkat(AT_FDCWD)", symlinkat("d", AT_FDCWD, "sd"), 0);
	close(dfd);

	/* symlinks to directories and absolute symlinks */
	STR("open through a symlink to a dir", content("sd/up"), "data+");
	TRUE("stat sd/ is the dir", S_ISDIR(smode("sd/")));
	TRUE("lstat sd/ follows (trailing slash)", S_ISDIR(lmode("sd/")));
	TRUE("lstat sd is the symlink", S_ISLNK(lmode("sd")));
	{
		char abs[PATH_MAX];
		snprintf(abs, sizeof abs, "%s/links/g", top);
		OK("symlink to an absolute path", symlink(abs, "abs"));
		STR("open through an absolute symlink", content("abs"), "data+");
	}
	RET("unlink a symlink", unlink("sd"), 0);
	TRUE("unlink a symlink keeps the target", S_ISDIR(lmode("d")));
	leave();
}

/* ---- ELOOP, ENAMETOOLONG, . and .. ------------------------------------- */

static void t_names(void)
{
	char name[300], path[6000], p[32];
	int fd;
	struct stat a, b;

	enter("names");
	/* symlink loops */
	OK("symlink la -> lb", symlink("lb", "la"));
	OK("symlink lb -> la", symlink("la", "lb"));
	ERR("open a symlink loop -> ELOOP", open("la", O_RDONLY), ELOOP);
	ERR("stat a symlink loop -> ELOOP", stat("la", &a), ELOOP);
	ERR("access a symlink loop -> ELOOP", access("lb", F_OK), ELOOP);
	ERR("a symlink loop as a path component -> ELOOP", open("la/x", O_RDONLY), ELOOP);
	ERR("open O_CREAT a symlink loop -> ELOOP", open("la", O_CREAT | O_WRONLY, 0644), ELOOP);
	RET("lstat a symlink loop", lstat("la", &a), 0);
	OK("symlink self -> self", symlink("self", "self"));
	ERR("open a self-loop -> ELOOP", open("self", O_RDONLY), ELOOP);

	/* a chain of 40 symlinks resolves, 41 is too many */
	puts_("t", "end");
	for (int i = 1; i <= 41; i++) {
		char to[32];
		snprintf(p, sizeof p, "c%d", i);
		if (i == 1)
			strcpy(to, "t");
		else
			snprintf(to, sizeof to, "c%d", i - 1);
		if (symlink(to, p))
			fail_("setup", "symlink %s (errno %s)", p, ename(errno));
	}
	STR("a chain of 40 symlinks resolves", content("c40"), "end");
	ERR("a chain of 41 symlinks -> ELOOP", open("c41", O_RDONLY), ELOOP);
	ERR("stat a chain of 41 symlinks -> ELOOP", stat("c41", &a), ELOOP);
	RET("lstat a chain of 41 symlinks", lstat("c41", &a), 0);

	/* NAME_MAX */
	memset(name, 'n', 255);
	name[255] = 0;
	DO(fd, "create a 255-char name", open(name, O_CREAT | O_WRONLY, 0644));
	close(fd);
	RET("stat a 255-char name", stat(name, &a), 0);
	name[255] = 'n';
	name[256] = 0;
	ERR("create a 256-char name -> ENAMETOOLONG", open(name, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	ERR("stat a 256-char name -> ENAMETOOLONG", stat(name, &a), ENAMETOOLONG);
	ERR("mkdir a 256-char name -> ENAMETOOLONG", mkdir(name, 0755), ENAMETOOLONG);
	ERR("symlink a 256-char name -> ENAMETOOLONG", symlink("t", name), ENAMETOOLONG);
	snprintf(path, sizeof path, "%s/x", name);
	ERR("a 256-char dir component -> ENAMETOOLONG", open(path, O_RDONLY), ENAMETOOLONG);

	/* PATH_MAX: 4095 chars + NUL is fine, 4096 is too long */
	puts_("f", "F");
	puts_("ff", "FF");
	path[0] = 0;
	for (int i = 0; i < 2047; i++)
		strcat(path, "./");
	strcat(path, "f");
	VAL("(4095-char path built)", strlen(path), 4095);
	STR("open a 4095-char path", content(path), "F");
	path[4095] = 'f';
	path[4096] = 0;
	ERR("open a 4096-char path -> ENAMETOOLONG", open(path, O_RDONLY), ENAMETOOLONG);
	ERR("stat a 4096-char path -> ENAMETOOLONG", stat(path, &a), ENAMETOOLONG);
	memset(path, '/', 5000);
	path[5000] = 0;
	ERR("a 5000-char path -> ENAMETOOLONG", access(path, F_OK), ENAMETOOLONG);

	/* . and .. */
	OK("mkdir d", mkdir("d", 0755));
	OK("mkdir d/e", mkdir("d/e", 0755));
	puts_("d/e/in", "IN");
	TRUE("stat / and /.. are the same dir", !stat("/", &a) && !stat("/..", &b) &&
	     a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	TRUE("stat /../.. is /", !stat("/../..", &b) && a.st_ino == b.st_ino);
	TRUE("d/.. is .", same("d/..", "."));
	TRUE("d/e/../.. is .", same("d/e/../..", "."));
	TRUE(".. is the parent", same("..", top));
	TRUE("d/./e/. is d/e", same("d/./e/.", "d/e"));
	STR("open d/e/../e/./in", content("d/e/../e/./in"), "IN");
	STR("open ./d//e///in", content("./d//e///in"), "IN");
	STR("open d/../f", content("d/../f"), "F");
	ERR("file/. -> ENOTDIR", stat("f/.", &a), ENOTDIR);
	ERR("file/.. -> ENOTDIR", stat("f/..", &a), ENOTDIR);
	ERR("missing/.. -> ENOENT", stat("missing/..", &a), ENOENT);
	TRUE("dir/ is the dir", S_ISDIR(smode("d/")));
	TRUE("dir// is the dir", S_ISDIR(smode("d//")));
	leave();
}

/* ---- chdir, fchdir, getcwd --------------------------------------------- */

static void t_cwd(void)
{
	char buf[PATH_MAX], want[PATH_MAX];
	int fd;
	struct stat st;

	enter("cwd");
	OK("mkdir d", mkdir("d", 0755));
	puts_("f", "x");
	snprintf(want, sizeof want, "%s/cwd", top);
	STR("getcwd", getcwd(buf, sizeof buf) ? buf : "<NULL>", want);
	RET("SYS_getcwd returns the length with the NUL", syscall(SYS_getcwd, buf, sizeof buf), strlen(want) + 1);
	ERR("SYS_getcwd into a small buffer -> ERANGE", syscall(SYS_getcwd, buf, 4), ERANGE);
	RET("chdir", chdir("d"), 0);
	snprintf(want, sizeof want, "%s/cwd/d", top);
	STR("getcwd after chdir", getcwd(buf, sizeof buf) ? buf : "<NULL>", want);
	puts_("rel", "relative");
	RET("chdir ..", chdir(".."), 0);
	STR("relative paths follow the cwd", content("d/rel"), "relative");
	ERR("chdir missing -> ENOENT", chdir("missing"), ENOENT);
	ERR("chdir a file -> ENOTDIR", chdir("f"), ENOTDIR);
	ERR("chdir \"\" -> ENOENT", chdir(""), ENOENT);
	OK("symlink sd -> d", symlink("d", "sd"));
	RET("chdir through a symlink", chdir("sd"), 0);
	STR("getcwd after chdir through a symlink is physical", getcwd(buf, sizeof buf) ? buf : "<NULL>", want);
	RET("chdir back", chdir(".."), 0);

	DO(fd, "open dir for fchdir", open("d", O_RDONLY | O_DIRECTORY));
	RET("fchdir", fchdir(fd), 0);
	STR("getcwd after fchdir", getcwd(buf, sizeof buf) ? buf : "<NULL>", want);
	close(fd);
	RET("chdir .. after fchdir", chdir(".."), 0);
	DO(fd, "open O_PATH dir for fchdir", open("d", O_PATH | O_DIRECTORY));
	RET("fchdir on an O_PATH dir fd", fchdir(fd), 0);
	close(fd);
	RET("chdir .. after O_PATH fchdir", chdir(".."), 0);
	DO(fd, "open a file for fchdir", open("f", O_RDONLY));
	ERR("fchdir on a file -> ENOTDIR", fchdir(fd), ENOTDIR);
	close(fd);
	ERR("fchdir on a closed fd -> EBADF", fchdir(fd), EBADF);

	/* removing the cwd */
	OK("mkdir gone", mkdir("gone", 0755));
	RET("chdir gone", chdir("gone"), 0);
	RET("rmdir the cwd", rmdir("../gone"), 0);
	ERR("SYS_getcwd in a removed dir -> ENOENT", syscall(SYS_getcwd, buf, sizeof buf), ENOENT);
	ERR("create in a removed cwd -> ENOENT", open("x", O_CREAT | O_WRONLY, 0644), ENOENT);
	memset(&st, 0, sizeof st);
	RET("stat . in a removed cwd", stat(".", &st), 0);
	VAL("a removed dir has nlink 0", st.st_nlink, 0);
	RET("chdir .. from a removed dir", chdir(".."), 0);
	snprintf(want, sizeof want, "%s/cwd", top);
	STR("getcwd after leaving the removed dir", getcwd(buf, sizeof buf) ? buf : "<NULL>", want);
	leave();
}

/* ---- truncate, ftruncate, fallocate, fsync, fdatasync ------------------- */

static void t_trunc(void)
{
	int fd, p[2];
	char buf[16];
	unsigned char big[8192];

	enter("trunc");
	puts_("f", "0123456789");
	RET("truncate shrink", truncate("f", 4), 0);
	STR("truncate shrink content", content("f"), "0123");
	RET("truncate grow", truncate("f", 8), 0);
	VAL("truncate grow size", lsize("f"), 8);
	memset(buf, 'x', sizeof buf);
	fd = open("f", O_RDONLY);
	RET("read after truncate grow", read(fd, buf, sizeof buf), 8);
	close(fd);
	TRUE("truncate grow fills with zeroes", !memcmp(buf, "0123\0\0\0\0", 8));
	ERR("truncate negative -> EINVAL", truncate("f", -1), EINVAL);
	OK("mkdir d", mkdir("d", 0755));
	ERR("truncate a dir -> EISDIR", truncate("d", 0), EISDIR);
	ERR("truncate missing -> ENOENT", truncate("missing", 0), ENOENT);
	ERR("truncate file/ -> ENOTDIR", truncate("f/", 0), ENOTDIR);

	DO(fd, "open for ftruncate", open("f", O_RDWR));
	RET("lseek 10", lseek(fd, 10, SEEK_SET), 10);
	RET("ftruncate shrink", ftruncate(fd, 2), 0);
	VAL("ftruncate shrink size", fsize(fd), 2);
	RET("ftruncate keeps the offset", lseek(fd, 0, SEEK_CUR), 10);
	RET("write at the old offset", write(fd, "x", 1), 1);
	memset(buf, 'y', sizeof buf);
	RET("read back", pread(fd, buf, sizeof buf, 0), 11);
	TRUE("write after ftruncate leaves a zero hole", !memcmp(buf, "01\0\0\0\0\0\0\0\0x", 11));
	RET("ftruncate 0", ftruncate(fd, 0), 0);
	RET("ftruncate grow 5000", ftruncate(fd, 5000), 0);
	memset(big, 0xaa, sizeof big);
	RET("read the grown file", pread(fd, big, sizeof big, 0), 5000);
	TRUE("ftruncate grow reads as zeroes", all_zero(big, 5000));
	ERR("ftruncate negative -> EINVAL", ftruncate(fd, -1), EINVAL);

	/* fallocate */
	RET("ftruncate 2", ftruncate(fd, 2), 0);
	RET("pwrite 01", pwrite(fd, "01", 2, 0), 2);
	RET("fallocate mode 0 grows the file", fallocate(fd, 0, 0, 8192), 0);
	VAL("size after fallocate", fsize(fd), 8192);
	memset(big, 0xaa, sizeof big);
	RET("read after fallocate", pread(fd, big, sizeof big, 0), 8192);
	TRUE("fallocate keeps the data and adds zeroes", big[0] == '0' && big[1] == '1' &&
	     all_zero(big + 2, 8190));
	RET("fallocate inside the file", fallocate(fd, 0, 100, 100), 0);
	VAL("fallocate inside the file keeps the size", fsize(fd), 8192);
	RET("fallocate at an offset past EOF", fallocate(fd, 0, 10000, 100), 0);
	VAL("size after fallocate past EOF", fsize(fd), 10100);
	ERR("fallocate len 0 -> EINVAL", fallocate(fd, 0, 0, 0), EINVAL);
	ERR("fallocate negative offset -> EINVAL", fallocate(fd, 0, -1, 10), EINVAL);

	/* fsync, fdatasync */
	RET("fsync", fsync(fd), 0);
	RET("fdatasync", fdatasync(fd), 0);
	/* sync_file_range and fadvise (PostgreSQL's checkpointer and WAL) */
	RET("sync_file_range WRITE", syscall(SYS_sync_file_range, fd, 0L, 4096L, 2), 0);
	RET("sync_file_range all of it", syscall(SYS_sync_file_range, fd, 0L, 0L, 7), 0);
	ERR("sync_file_range bad flags -> EINVAL", syscall(SYS_sync_file_range, fd, 0L, 0L, 8),
	    EINVAL);
	ERR("sync_file_range negative offset -> EINVAL",
	    syscall(SYS_sync_file_range, fd, -1L, 10L, 2), EINVAL);
	ERR("sync_file_range negative length -> EINVAL",
	    syscall(SYS_sync_file_range, fd, 10L, -5L, 2), EINVAL);
	RET("fadvise DONTNEED", syscall(SYS_fadvise64, fd, 0L, 0L, 4), 0);
	RET("fadvise SEQUENTIAL", syscall(SYS_fadvise64, fd, 0L, 8192L, 2), 0);
	ERR("fadvise advice 6 -> EINVAL", syscall(SYS_fadvise64, fd, 0L, 0L, 6), EINVAL);
	ERR("fadvise negative length -> EINVAL", syscall(SYS_fadvise64, fd, 0L, -1L, 0), EINVAL);
	close(fd);
	ERR("fsync a closed fd -> EBADF", fsync(fd), EBADF);
	ERR("sync_file_range a closed fd -> EBADF", syscall(SYS_sync_file_range, fd, 0L, 0L, 2),
	    EBADF);
	ERR("fadvise a closed fd -> EBADF", syscall(SYS_fadvise64, fd, 0L, 0L, 0), EBADF);
	ERR("fdatasync a closed fd -> EBADF", fdatasync(fd), EBADF);
	ERR("ftruncate a closed fd -> EBADF", ftruncate(fd, 0), EBADF);
	DO(fd, "open O_RDONLY", open("f", O_RDONLY));
	ERR("ftruncate an O_RDONLY fd -> EINVAL", ftruncate(fd, 0), EINVAL);
	ERR("fallocate an O_RDONLY fd -> EBADF", fallocate(fd, 0, 0, 10), EBADF);
	RET("fsync an O_RDONLY fd", fsync(fd), 0);
	close(fd);
	DO(fd, "open a dir", open("d", O_RDONLY | O_DIRECTORY));
	RET("fsync a dir", fsync(fd), 0);
	close(fd);
	OK("pipe", pipe(p));
	ERR("ftruncate a pipe -> EINVAL", ftruncate(p[1], 0), EINVAL);
	ERR("fallocate a pipe -> ESPIPE", fallocate(p[1], 0, 0, 10), ESPIPE);
	ERR("fsync a pipe -> EINVAL", fsync(p[1]), EINVAL);
	ERR("fdatasync a pipe -> EINVAL", fdatasync(p[1]), EINVAL);
	ERR("sync_file_range a pipe -> ESPIPE", syscall(SYS_sync_file_range, p[1], 0L, 0L, 2),
	    ESPIPE);
	ERR("fadvise a pipe -> ESPIPE", syscall(SYS_fadvise64, p[0], 0L, 0L, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	DO(fd, "open /dev/null", open("/dev/null", O_WRONLY));
	ERR("fsync /dev/null -> EINVAL", fsync(fd), EINVAL);
	ERR("sync_file_range /dev/null -> ESPIPE", syscall(SYS_sync_file_range, fd, 0L, 0L, 2),
	    ESPIPE);
	RET("fadvise /dev/null", syscall(SYS_fadvise64, fd, 0L, 0L, 0), 0);
	close(fd);
	leave();
}

/* ---- chmod, fchmod, fchmodat, chown family, utimensat, umask ----------- */

static void t_attrs(void)
{
	int fd, dfd;
	struct stat st;
	struct kstatx sx;

	enter("attrs");
	puts_("f", "x");
	OK("symlink l -> f", symlink("f", "l"));
	OK("mkdir d", mkdir("d", 0755));
	puts_("d/g", "x");
	RET("chmod 0600", chmod("f", 0600), 0);
	MODE("chmod 0600 mode", lmode("f"), S_IFREG | 0600);
	RET("chmod 04755", chmod("f", 04755), 0);
	MODE("chmod 04755 mode", lmode("f"), S_IFREG | 04755);
	RET("chmod 07777", chmod("f", 07777), 0);
	MODE("chmod 07777 mode", lmode("f"), S_IFREG | 07777);
	RET("chmod ignores file-type bits", chmod("f", S_IFDIR | 0644), 0);
	MODE("chmod with type bits keeps the type", lmode("f"), S_IFREG | 0644);
	RET("chmod through a symlink", chmod("l", 0640), 0);
	MODE("chmod through a symlink changes the target", lmode("f"), S_IFREG | 0640);
	MODE("chmod through a symlink leaves the symlink", lmode("l"), S_IFLNK | 0777);
	RET("chmod a dir 01777", chmod("d", 01777), 0);
	MODE("chmod dir mode", lmode("d"), S_IFDIR | 01777);
	ERR("chmod missing -> ENOENT", chmod("missing", 0644), ENOENT);
	RET("SYS_chmod", syscall(SYS_chmod, "f", 0604), 0);
	MODE("SYS_chmod mode", lmode("f"), S_IFREG | 0604);
	DO(fd, "open for fchmod", open("f", O_RDONLY));
	RET("fchmod on an O_RDONLY fd", fchmod(fd, 0640), 0);
	MODE("fchmod mode", lmode("f"), S_IFREG | 0640);
	ERR("fchmod a closed fd -> EBADF", fchmod(999, 0644), EBADF);
	DO(dfd, "open dir for fchmodat", open("d", O_RDONLY | O_DIRECTORY));
	RET("fchmodat(dirfd)", fchmodat(dfd, "g", 0444, 0), 0);
	MODE("fchmodat mode", lmode("d/g"), S_IFREG | 0444);
	RET("SYS_fchmodat(AT_FDCWD)", syscall(SYS_fchmodat, AT_FDCWD, "f", 0600), 0);
	MODE("SYS_fchmodat mode", lmode("f"), S_IFREG | 0600);
	ERR("fchmodat missing -> ENOENT", fchmodat(dfd, "missing", 0644, 0), ENOENT);

	/* chown family (as root) */
	memset(&st, 0, sizeof st);
	RET("chown", chown("f", 1234, 5678), 0);
	lstat("f", &st);
	TRUE("chown set st_uid and st_gid", st.st_uid == 1234 && st.st_gid == 5678);
	RET("chown -1 keeps the uid", chown("f", -1, 99), 0);
	lstat("f", &st);
	TRUE("chown -1 kept the uid, set the gid", st.st_uid == 1234 && st.st_gid == 99);
	RET("SYS_chown", syscall(SYS_chown, "f", 5, 6), 0);
	lstat("f", &st);
	TRUE("SYS_chown uid/gid", st.st_uid == 5 && st.st_gid == 6);
	RET("fchown", fchown(fd, 42, 43), 0);
	lstat("f", &st);
	TRUE("fchown uid/gid", st.st_uid == 42 && st.st_gid == 43);
	RET("lchown a symlink", lchown("l", 7, 8), 0);
	lstat("l", &st);
	TRUE("lchown changed the symlink", st.st_uid == 7 && st.st_gid == 8);
	stat("l", &st);
	TRUE("lchown left the target", st.st_uid == 42 && st.st_gid == 43);
	RET("SYS_lchown", syscall(SYS_lchown, "l", 9, 10), 0);
	lstat("l", &st);
	TRUE("SYS_lchown changed the symlink", st.st_uid == 9 && st.st_gid == 10);
	RET("chown through a symlink", chown("l", 11, 12), 0);
	stat("l", &st);
	TRUE("chown through a symlink changed the target", st.st_uid == 11 && st.st_gid == 12);
	lstat("l", &st);
	TRUE("chown through a symlink left the symlink", st.st_uid == 9 && st.st_gid == 10);
	RET("fchownat AT_SYMLINK_NOFOLLOW", fchownat(AT_FDCWD, "l", 21, 22, AT_SYMLINK_NOFOLLOW), 0);
	lstat("l", &st);
	TRUE("fchownat AT_SYMLINK_NOFOLLOW changed the symlink", st.st_uid == 21 && st.st_gid == 22);
	RET("fchownat(dirfd)", fchownat(dfd, "g", 31, 32, 0), 0);
	lstat("d/g", &st);
	TRUE("fchownat(dirfd) uid/gid", st.st_uid == 31 && st.st_gid == 32);
	RET("fchownat AT_EMPTY_PATH", fchownat(fd, "", 51, 52, AT_EMPTY_PATH), 0);
	lstat("f", &st);
	TRUE("fchownat AT_EMPTY_PATH uid/gid", st.st_uid == 51 && st.st_gid == 52);
	ERR("chown missing -> ENOENT", chown("missing", 1, 1), ENOENT);
	ERR("fchown a closed fd -> EBADF", fchown(999, 1, 1), EBADF);
	ERR("fchownat bad flags -> EINVAL", fchownat(AT_FDCWD, "f", 1, 1, 0x1), EINVAL);
	OK("chmod 06755", chmod("f", 06755));
	RET("chown a setuid file", chown("f", 1, 1), 0);
	MODE("chown clears setuid and setgid", lmode("f"), S_IFREG | 0755);
	OK("chown back to root", chown("f", 0, 0));
	close(fd);

	/* utimensat */
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1234567890, 987654321 } };
	RET("utimensat fixed times", utimensat(AT_FDCWD, "f", ts, 0), 0);
	memset(&st, 0, sizeof st);
	stat("f", &st);
	TRUE("utimensat atime read back", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
	TRUE("utimensat mtime read back", st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 987654321);
	memset(&sx, 0, sizeof sx);
	syscall(SYS_statx, AT_FDCWD, "f", 0, KSTATX_BASIC_STATS, &sx);
	TRUE("statx sees the utimensat times", sx.atime.tv_sec == 1000000000 && sx.atime.tv_nsec == 123456789 &&
	     sx.mtime.tv_sec == 1234567890 && sx.mtime.tv_nsec == 987654321);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 1500000000, 5 } };
	RET("utimensat UTIME_OMIT atime", utimensat(AT_FDCWD, "f", omit, 0), 0);
	stat("f", &st);
	TRUE("UTIME_OMIT kept atime", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
	TRUE("UTIME_OMIT set mtime", st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 5);
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	RET("utimensat UTIME_NOW atime", utimensat(AT_FDCWD, "f", now, 0), 0);
	stat("f", &st);
	TRUE("UTIME_NOW + UTIME_OMIT kept mtime", st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 5);
	RET("utimensat NULL times (now)", utimensat(AT_FDCWD, "f", NULL, 0), 0);
	DO(fd, "open for futimens", open("f", O_RDONLY));
	RET("futimens", futimens(fd, ts), 0);
	stat("f", &st);
	TRUE("futimens mtime", st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 987654321);
	RET("utimensat(fd, NULL path)", syscall(SYS_utimensat, fd, NULL, omit, 0), 0);
	stat("f", &st);
	TRUE("utimensat(fd, NULL path) mtime", st.st_mtim.tv_sec == 1500000000);
	close(fd);
	struct timespec lts[2] = { { 1111111111, 0 }, { 1222222222, 0 } };
	RET("utimensat AT_SYMLINK_NOFOLLOW", utimensat(AT_FDCWD, "l", lts, AT_SYMLINK_NOFOLLOW), 0);
	lstat("l", &st);
	TRUE("AT_SYMLINK_NOFOLLOW set the symlink's mtime", st.st_mtim.tv_sec == 1222222222);
	stat("l", &st);
	TRUE("AT_SYMLINK_NOFOLLOW left the target's mtime", st.st_mtim.tv_sec == 1500000000);
	RET("utimensat(dirfd)", utimensat(dfd, "g", ts, 0), 0);
	stat("d/g", &st);
	TRUE("utimensat(dirfd) mtime", st.st_mtim.tv_sec == 1234567890);
	ERR("utimensat missing -> ENOENT", utimensat(AT_FDCWD, "missing", ts, 0), ENOENT);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	ERR("utimensat tv_nsec 1e9 -> EINVAL", utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
	ERR("utimensat bad flags -> EINVAL", utimensat(AT_FDCWD, "f", ts, 0x1), EINVAL);
	close(dfd);

	/* umask */
	RET("umask returns the old mask", umask(077), 022);
	DO(fd, "create under umask 077", open("u1", O_CREAT | O_WRONLY, 0777));
	close(fd);
	MODE("umask 077 file mode", lmode("u1"), S_IFREG | 0700);
	OK("mkdir under umask 077", mkdir("u2", 0777));
	MODE("umask 077 dir mode", lmode("u2"), S_IFDIR | 0700);
	RET("umask 0", umask(0), 077);
	DO(fd, "create under umask 0", open("u3", O_CREAT | O_WRONLY, 0777));
	close(fd);
	MODE("umask 0 file mode", lmode("u3"), S_IFREG | 0777);
	RET("umask 027", umask(027), 0);
	OK("creat under umask 027", (fd = creat("u4", 0666)));
	close(fd);
	MODE("umask 027 creat mode", lmode("u4"), S_IFREG | 0640);
	OK("mkdirat under umask 027", mkdirat(AT_FDCWD, "u5", 0777));
	MODE("umask 027 mkdirat mode", lmode("u5"), S_IFDIR | 0750);
	RET("umask keeps only 0777 bits", umask(0xffff), 027);
	RET("umask read back", umask(022), 0777);
	OK("chmod is not masked by umask", chmod("u1", 0777));
	MODE("chmod ignores umask", lmode("u1"), S_IFREG | 0777);
	leave();
}

/* ---- statfs, fstatfs --------------------------------------------------- */

static void t_statfs(void)
{
	struct statfs sf;
	int fd;

	enter("statfs");
	puts_("f", "x");
	memset(&sf, 0, sizeof sf);
	RET("statfs .", statfs(".", &sf), 0);
	TRUE("statfs f_bsize > 0", sf.f_bsize > 0);
	VAL("statfs f_namelen", sf.f_namelen, 255);
	memset(&sf, 0, sizeof sf);
	RET("statfs a file", statfs("f", &sf), 0);
	DO(fd, "open for fstatfs", open("f", O_RDONLY));
	memset(&sf, 0, sizeof sf);
	RET("fstatfs", fstatfs(fd, &sf), 0);
	TRUE("fstatfs f_bsize > 0", sf.f_bsize > 0);
	close(fd);
	ERR("statfs missing -> ENOENT", statfs("missing", &sf), ENOENT);
	ERR("fstatfs a closed fd -> EBADF", fstatfs(999, &sf), EBADF);
	leave();
}

/* ---- pipe, pipe2, dup, dup2, dup3, fcntl, ioctl ------------------------ */

static void t_pipe(void)
{
	int p[2], q[2], fl;
	char buf[64];
	struct stat st;

	sect = "pipe";
	OK("pipe", pipe(p));
	RET("write to a pipe", write(p[1], "hello", 5), 5);
	{
		int n = -1;
		RET("ioctl FIONREAD on a pipe", ioctl(p[0], FIONREAD, &n), 0);
		VAL("FIONREAD counts the bytes", n, 5);
	}
	memset(buf, 0, sizeof buf);
	RET("read from a pipe", read(p[0], buf, sizeof buf), 5);
	STR("pipe data", buf, "hello");
	RET("pipe fds have no FD_CLOEXEC", fdflags(p[0]) | fdflags(p[1]), 0);
	VAL("pipe read end is O_RDONLY", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	VAL("pipe write end is O_WRONLY", fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	memset(&st, 0, sizeof st);
	OK("fstat a pipe", fstat(p[0], &st));
	TRUE("a pipe is S_IFIFO", S_ISFIFO(st.st_mode));
	ERR("write to a pipe's read end -> EBADF", write(p[0], "x", 1), EBADF);
	ERR("read from a pipe's write end -> EBADF", read(p[1], buf, 1), EBADF);
	RET("write then close the write end", write(p[1], "ab", 2), 2);
	close(p[1]);
	RET("read the rest after the writer closed", read(p[0], buf, sizeof buf), 2);
	RET("read with no writers -> 0 (EOF)", read(p[0], buf, sizeof buf), 0);
	close(p[0]);

	OK("pipe for EPIPE", pipe(p));
	close(p[0]);
	ERR("write with no readers -> EPIPE", write(p[1], "x", 1), EPIPE);
	close(p[1]);

	OK("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
	TRUE("pipe2 O_CLOEXEC visible via F_GETFD", fdflags(p[0]) == FD_CLOEXEC && fdflags(p[1]) == FD_CLOEXEC);
	TRUE("pipe2 O_CLOEXEC is not O_NONBLOCK", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);
	OK("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK));
	TRUE("pipe2 O_NONBLOCK visible via F_GETFL", (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	RET("pipe2 O_NONBLOCK has no FD_CLOEXEC", fdflags(p[0]), 0);
	ERR("O_NONBLOCK read on an empty pipe -> EAGAIN", read(p[0], buf, sizeof buf), EAGAIN);
	{
		size_t n = 1 << 20;
		char *big = calloc(1, n);
		long w = write(p[1], big, n);
		TRUE("O_NONBLOCK write of 1 MiB is partial", w > 0 && w < (long)n);
		ERR("O_NONBLOCK write to a full pipe -> EAGAIN", write(p[1], big, n), EAGAIN);
		free(big);
	}
	close(p[0]);
	close(p[1]);
	ERR("pipe2 bad flags -> EINVAL", pipe2(p, O_TRUNC), EINVAL);
	RET("pipe2 flags 0", pipe2(q, 0), 0);
	close(q[0]);
	close(q[1]);
	RET("SYS_pipe", syscall(SYS_pipe, q), 0);
	close(q[0]);
	close(q[1]);

	/* O_NONBLOCK via fcntl and FIONBIO */
	OK("pipe for fcntl", pipe(p));
	fl = fcntl(p[0], F_GETFL);
	RET("F_SETFL O_NONBLOCK", fcntl(p[0], F_SETFL, fl | O_NONBLOCK), 0);
	ERR("read after F_SETFL O_NONBLOCK -> EAGAIN", read(p[0], buf, 1), EAGAIN);
	RET("F_SETFL clear O_NONBLOCK", fcntl(p[0], F_SETFL, fl & ~O_NONBLOCK), 0);
	TRUE("F_GETFL shows O_NONBLOCK cleared", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	{
		int on = 1, off = 0, n = -1;
		RET("ioctl FIONBIO 1", ioctl(p[0], FIONBIO, &on), 0);
		TRUE("FIONBIO sets O_NONBLOCK", fcntl(p[0], F_GETFL) & O_NONBLOCK);
		ERR("read after FIONBIO -> EAGAIN", read(p[0], buf, 1), EAGAIN);
		RET("ioctl FIONBIO 0", ioctl(p[0], FIONBIO, &off), 0);
		TRUE("FIONBIO 0 clears O_NONBLOCK", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
		RET("ioctl FIONREAD on an empty pipe", ioctl(p[0], FIONREAD, &n), 0);
		VAL("FIONREAD empty pipe is 0", n, 0);
		RET("ioctl FIOCLEX", ioctl(p[0], FIOCLEX), 0);
		RET("FIOCLEX sets FD_CLOEXEC", fdflags(p[0]), FD_CLOEXEC);
		RET("ioctl FIONCLEX", ioctl(p[0], FIONCLEX), 0);
		RET("FIONCLEX clears FD_CLOEXEC", fdflags(p[0]), 0);
		char tio[128];
		ERR("ioctl TCGETS on a pipe -> ENOTTY", ioctl(p[0], TCGETS, tio), ENOTTY);
		ERR("ioctl on a closed fd -> EBADF", ioctl(999, FIONREAD, &n), EBADF);
	}
	close(p[0]);
	close(p[1]);
	sect = "main";
}

/* /proc/self/fd/N and /dev/fd/N open the very file of descriptor N (a
 * pipe end too), and /dev/stdout and friends open the program's own
 * standard streams, whatever path those were opened by. */
static void t_fdlinks(void)
{
	int p[2], fd;
	char path[64], buf[16];

	sect = "fdlinks";
	OK("pipe", pipe(p));
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	fd = open(path, O_WRONLY);
	TRUE("open /proc/self/fd/N of a pipe's write end", fd >= 0);
	RET("write through it", write(fd, "via", 3), 3);
	close(fd);
	snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
	fd = open(path, O_WRONLY);
	TRUE("open /dev/fd/N of the same end", fd >= 0);
	RET("write through that", write(fd, "fd", 2), 2);
	close(fd);
	memset(buf, 0, sizeof buf);
	RET("the pipe got both writes", read(p[0], buf, sizeof buf), 5);
	STR("in order", buf, "viafd");
	close(p[0]);
	close(p[1]);
	ERR("/proc/self/fd of a closed descriptor -> ENOENT", open(path, O_WRONLY), ENOENT);
	fd = open("/dev/stdout", O_WRONLY);
	TRUE("open /dev/stdout", fd >= 0);
	if (fd >= 0)
		close(fd);
	fd = open("/dev/stderr", O_WRONLY);
	TRUE("open /dev/stderr", fd >= 0);
	if (fd >= 0)
		close(fd);
	fd = open("/dev/stdin", O_RDONLY);
	TRUE("open /dev/stdin", fd >= 0);
	if (fd >= 0)
		close(fd);
}

static void t_dup_fcntl(void)
{
	int fd, fd2, d, p[2];
	struct flock lk;
	char buf[16];

	enter("dup");
	puts_("f", "");
	puts_("other", "other");
	DO(fd, "open O_RDWR|O_CLOEXEC", open("f", O_RDWR | O_CLOEXEC));
	DO(d, "dup", dup(fd));
	TRUE("dup gives a new fd", d != fd);
	RET("dup does not copy FD_CLOEXEC", fdflags(d), 0);
	RET("write via the original", write(fd, "abc", 3), 3);
	RET("dup shares the offset", lseek(d, 0, SEEK_CUR), 3);
	RET("F_SETFL O_APPEND via the dup", fcntl(d, F_SETFL, O_APPEND), 0);
	TRUE("the file status flags are shared", fcntl(fd, F_GETFL) & O_APPEND);
	fcntl(d, F_SETFL, 0);
	close(d);
	ERR("dup a closed fd -> EBADF", dup(d), EBADF);
	close(150);
	RET("dup2 to a free fd", dup2(fd, 150), 150);
	RET("dup2 does not copy FD_CLOEXEC", fdflags(150), 0);
	RET("dup2(fd, fd) returns fd", dup2(fd, fd), fd);
	RET("dup2(fd, fd) keeps FD_CLOEXEC", fdflags(fd), FD_CLOEXEC);
	ERR("dup2 from a closed fd -> EBADF", dup2(999, 151), EBADF);
	ERR("dup2 to -1 -> EBADF", dup2(fd, -1), EBADF);
	ERR("dup2 to INT_MAX -> EBADF", dup2(fd, INT_MAX), EBADF);
	DO(fd2, "open another file", open("other", O_RDONLY));
	RET("dup2 over an open fd", dup2(fd, fd2), fd2);
	STR("dup2 over an open fd replaced it", fdcontent(fd2), "abc");
	close(fd2);
	RET("SYS_dup2", syscall(SYS_dup2, fd, 151), 151);
	close(151);
	close(150);
	close(152);
	RET("dup3 O_CLOEXEC", dup3(fd, 152, O_CLOEXEC), 152);
	RET("dup3 O_CLOEXEC sets FD_CLOEXEC", fdflags(152), FD_CLOEXEC);
	close(152);
	RET("dup3 flags 0", dup3(fd, 152, 0), 152);
	RET("dup3 flags 0 no FD_CLOEXEC", fdflags(152), 0);
	close(152);
	ERR("dup3(fd, fd) -> EINVAL", dup3(fd, fd, 0), EINVAL);
	ERR("dup3 bad flags -> EINVAL", syscall(SYS_dup3, fd, 153, O_NONBLOCK), EINVAL);
	ERR("dup3 from a closed fd -> EBADF", dup3(999, 153, 0), EBADF);

	/* fcntl */
	close(100);
	close(101);
	close(120);
	RET("F_DUPFD 100 gives the lowest free fd >= 100", fcntl(fd, F_DUPFD, 100), 100);
	RET("F_DUPFD 100 again gives 101", fcntl(fd, F_DUPFD, 100), 101);
	RET("F_DUPFD does not copy FD_CLOEXEC", fdflags(100), 0);
	close(100);
	close(101);
	RET("F_DUPFD_CLOEXEC 120", fcntl(fd, F_DUPFD_CLOEXEC, 120), 120);
	RET("F_DUPFD_CLOEXEC sets FD_CLOEXEC", fdflags(120), FD_CLOEXEC);
	close(120);
	ERR("F_DUPFD negative -> EINVAL", fcntl(fd, F_DUPFD, -1), EINVAL);
	RET("F_SETFD 0", fcntl(fd, F_SETFD, 0), 0);
	RET("F_GETFD 0", fcntl(fd, F_GETFD), 0);
	RET("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	RET("F_GETFD FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	VAL("F_GETFL O_RDWR", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR);
	RET("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND), 0);
	VAL("F_GETFL O_RDWR|O_APPEND", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	RET("write after F_SETFL O_APPEND", write(fd, "d", 1), 1);
	STR("F_SETFL O_APPEND writes at the end", fdcontent(fd), "abcd");
	RET("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	VAL("F_GETFL O_RDWR|O_APPEND|O_NONBLOCK", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
	    O_RDWR | O_APPEND | O_NONBLOCK);
	RET("F_SETFL 0", fcntl(fd, F_SETFL, 0), 0);
	VAL("F_GETFL after F_SETFL 0", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR);
	DO(fd2, "open O_RDONLY", open("f", O_RDONLY));
	RET("F_SETFL cannot change the access mode", fcntl(fd2, F_SETFL, O_WRONLY), 0);
	VAL("F_GETFL still O_RDONLY", fcntl(fd2, F_GETFL) & O_ACCMODE, O_RDONLY);

	/* record locks */
	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	RET("F_SETLK F_WRLCK", fcntl(fd, F_SETLK, &lk), 0);
	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	RET("F_GETLK", fcntl(fd, F_GETLK, &lk), 0);
	VAL("F_GETLK: own locks do not conflict (F_UNLCK)", lk.l_type, F_UNLCK);
	lk.l_type = F_UNLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 0;
	lk.l_len = 0;
	RET("F_SETLK F_UNLCK", fcntl(fd, F_SETLK, &lk), 0);
	lk.l_type = F_RDLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 0;
	lk.l_len = 10;
	RET("F_SETLK F_RDLCK", fcntl(fd2, F_SETLK, &lk), 0);
	lk.l_type = F_UNLCK;
	RET("F_SETLK F_UNLCK the read lock", fcntl(fd2, F_SETLK, &lk), 0);
	lk.l_type = F_WRLCK;
	ERR("F_SETLK F_WRLCK on an O_RDONLY fd -> EBADF", fcntl(fd2, F_SETLK, &lk), EBADF);
	lk.l_type = 99;
	ERR("F_SETLK bad l_type -> EINVAL", fcntl(fd, F_SETLK, &lk), EINVAL);
	close(fd2);

	ERR("fcntl on a closed fd -> EBADF", fcntl(999, F_GETFD), EBADF);
	ERR("fcntl bad command -> EINVAL", fcntl(fd, 9999), EINVAL);

	/* ioctl on regular files */
	{
		int n = -1;
		lseek(fd, 1, SEEK_SET);
		RET("ioctl FIONREAD on a file", ioctl(fd, FIONREAD, &n), 0);
		VAL("FIONREAD on a file is size - offset", n, 3);
		ERR("ioctl TCGETS on a file -> ENOTTY", ioctl(fd, TCGETS, buf), ENOTTY);
		errno = 0;
		TRUE("isatty on a file is 0 with ENOTTY", isatty(fd) == 0 && errno == ENOTTY);
	}
	close(fd);
	OK("pipe", pipe(p));
	RET("write 7 to a pipe", write(p[1], "1234567", 7), 7);
	{
		int n = -1;
		RET("ioctl FIONREAD with 7 bytes", ioctl(p[0], FIONREAD, &n), 0);
		VAL("FIONREAD is 7", n, 7);
	}
	close(p[0]);
	close(p[1]);
	leave();
}

/* ---- sendfile, copy_file_range ----------------------------------------- */

static void t_copy(void)
{
	enum { N = 10000 };
	int in, out, p[2], fd;
	off_t off;
	loff_t oi, oo;
	unsigned char *buf = malloc(N + 100);

	enter("copy");
	put_pat("src", N);
	DO(in, "open src", open("src", O_RDONLY));
	DO(out, "open dst", open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	off = 0;
	RET("sendfile file to file", sendfile(out, in, &off, N), N);
	VAL("sendfile updates *offset", off, N);
	RET("sendfile with an offset leaves the in fd offset", lseek(in, 0, SEEK_CUR), 0);
	RET("sendfile advances the out fd offset", lseek(out, 0, SEEK_CUR), N);
	TRUE("sendfile copied the data", is_pat("dst", N));
	off = N - 10;
	RET("sendfile past EOF is short", sendfile(out, in, &off, 100), 10);
	RET("sendfile at EOF -> 0", sendfile(out, in, &off, 100), 0);
	close(out);
	DO(out, "open dst2", open("dst2", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	lseek(in, 100, SEEK_SET);
	RET("sendfile with a NULL offset", sendfile(out, in, NULL, 50), 50);
	RET("sendfile NULL offset advances the in fd", lseek(in, 0, SEEK_CUR), 150);
	close(out);
	{
		unsigned char w[50];
		for (int i = 0; i < 50; i++)
			w[i] = pat(100 + i);
		fd = open("dst2", O_RDONLY);
		RET("read dst2", read(fd, buf, 100), 50);
		TRUE("sendfile NULL offset copied from the fd offset", !memcmp(buf, w, 50));
		close(fd);
	}
	OK("pipe for sendfile", pipe(p));
	off = 0;
	RET("sendfile file to pipe", sendfile(p[1], in, &off, 100), 100);
	RET("read the pipe", read(p[0], buf, N), 100);
	{
		int good = 1;
		for (int i = 0; i < 100; i++)
			good &= buf[i] == pat(i);
		TRUE("sendfile file to pipe data", good);
	}
	ERR("sendfile to a read-only fd -> EBADF", sendfile(in, in, &off, 10), EBADF);
	DO(out, "open O_WRONLY", open("dst", O_WRONLY));
	ERR("sendfile from a write-only fd -> EBADF", sendfile(p[1], out, NULL, 10), EBADF);
	close(out);
	DO(out, "open O_APPEND", open("dst", O_WRONLY | O_APPEND));
	off = 0;
	ERR("sendfile to an O_APPEND fd -> EINVAL", sendfile(out, in, &off, 10), EINVAL);
	close(out);
	close(p[0]);
	close(p[1]);

	/* copy_file_range */
	DO(out, "open cfr", open("cfr", O_RDWR | O_CREAT | O_TRUNC, 0644));
	lseek(in, 0, SEEK_SET);
	oi = 100;
	oo = 0;
	RET("copy_file_range with offsets", syscall(SYS_copy_file_range, in, &oi, out, &oo, 500, 0), 500);
	TRUE("copy_file_range updates both offsets", oi == 600 && oo == 500);
	TRUE("copy_file_range leaves the fd offsets", lseek(in, 0, SEEK_CUR) == 0 && lseek(out, 0, SEEK_CUR) == 0);
	memset(buf, 0, N);
	RET("read cfr", pread(out, buf, N, 0), 500);
	{
		int good = 1;
		for (int i = 0; i < 500; i++)
			good &= buf[i] == pat(100 + i);
		TRUE("copy_file_range data", good);
	}
	close(out);
	DO(out, "open cfr2", open("cfr2", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RET("copy_file_range with NULL offsets", syscall(SYS_copy_file_range, in, NULL, out, NULL, N, 0), N);
	TRUE("copy_file_range NULL offsets advance the fds", lseek(in, 0, SEEK_CUR) == N && lseek(out, 0, SEEK_CUR) == N);
	TRUE("copy_file_range whole file", is_pat("cfr2", N));
	oi = N;
	RET("copy_file_range at EOF -> 0", syscall(SYS_copy_file_range, in, &oi, out, NULL, 100, 0), 0);
	oi = 0;
	ERR("copy_file_range flags 1 -> EINVAL", syscall(SYS_copy_file_range, in, &oi, out, NULL, 100, 1), EINVAL);
	oi = 0;
	oo = 10;
	ERR("copy_file_range overlapping in one file -> EINVAL", syscall(SYS_copy_file_range, out, &oi, out, &oo, 100, 0), EINVAL);
	close(out);
	DO(out, "open cfr2 O_WRONLY", open("cfr2", O_WRONLY));
	oi = 0;
	ERR("copy_file_range from a write-only fd -> EBADF", syscall(SYS_copy_file_range, out, &oi, out, NULL, 10, 0), EBADF);
	close(out);
	DO(out, "open cfr2 O_APPEND", open("cfr2", O_WRONLY | O_APPEND));
	oi = 0;
	ERR("copy_file_range to an O_APPEND fd -> EBADF", syscall(SYS_copy_file_range, in, &oi, out, NULL, 10, 0), EBADF);
	close(out);
	close(in);
	free(buf);
	leave();
}

/* ---- mmap, msync ------------------------------------------------------- */

static void t_mmap(void)
{
	enum { N = 5000 };
	int fd, rw, wo, p[2];
	unsigned char *m, *s;
	unsigned char data[N], b[16];
	long pg = sysconf(_SC_PAGESIZE);

	enter("mmap");
	for (int i = 0; i < N; i++)
		data[i] = pat(i);
	put("m", data, N);
	DO(fd, "open O_RDONLY", open("m", O_RDONLY));
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	OK("mmap MAP_PRIVATE a file", m == MAP_FAILED ? -1 : 0);
	if (m != MAP_FAILED) {
		TRUE("MAP_PRIVATE sees the file's bytes", !memcmp(m, data, N));
		TRUE("the rest of the last page reads as zeroes", all_zero(m + N, 2 * pg - N));
		m[0] = 'X';
		m[4096] = 'Y';
		TRUE("MAP_PRIVATE mapping is writable", m[0] == 'X' && m[4096] == 'Y');
		RET("pread after writing the private mapping", pread(fd, b, 1, 0), 1);
		TRUE("a MAP_PRIVATE write does not change the file", b[0] == data[0]);
		RET("munmap", munmap(m, 2 * pg), 0);
	}
	m = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, pg);
	OK("mmap at a page offset", m == MAP_FAILED ? -1 : 0);
	if (m != MAP_FAILED) {
		TRUE("the offset mapping sees the second page", !memcmp(m, data + pg, N - pg));
		munmap(m, pg);
	}

	DO(rw, "open O_RDWR", open("m", O_RDWR));
	s = mmap(NULL, N, PROT_READ, MAP_SHARED, fd, 0);
	OK("mmap MAP_SHARED PROT_READ", s == MAP_FAILED ? -1 : 0);
	if (s != MAP_FAILED) {
		TRUE("MAP_SHARED sees the file's bytes", !memcmp(s, data, N));
		RET("pwrite under a shared mapping", pwrite(rw, "Q", 1, 10), 1);
		TRUE("MAP_SHARED sees a later pwrite", s[10] == 'Q');
		RET("msync MS_SYNC", msync(s, N, MS_SYNC), 0);
		RET("msync MS_ASYNC", msync(s, N, MS_ASYNC), 0);
		RET("msync MS_INVALIDATE", msync(s, N, MS_INVALIDATE), 0);
		ERR("msync unaligned -> EINVAL", msync(s + 1, 10, MS_SYNC), EINVAL);
		ERR("msync MS_SYNC|MS_ASYNC -> EINVAL", msync(s, N, MS_SYNC | MS_ASYNC), EINVAL);
		ERR("msync bad flags -> EINVAL", msync(s, N, 0x100), EINVAL);
		RET("munmap the shared mapping", munmap(s, N), 0);
		ERR("msync an unmapped range -> ENOMEM", msync(s, N, MS_SYNC), ENOMEM);
	}
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	OK("MAP_PRIVATE PROT_WRITE of an O_RDONLY fd", m == MAP_FAILED ? -1 : 0);
	if (m != MAP_FAILED)
		munmap(m, pg);
	ERR("MAP_SHARED PROT_WRITE of an O_RDONLY fd -> EACCES",
	    (long)mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	DO(wo, "open O_WRONLY", open("m", O_WRONLY));
	ERR("mmap an O_WRONLY fd -> EACCES", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	close(wo);
	ERR("mmap an unaligned offset -> EINVAL", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	ERR("mmap length 0 -> EINVAL", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	ERR("mmap a closed fd -> EBADF", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
	OK("pipe for mmap", pipe(p));
	ERR("mmap a pipe -> ENODEV", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	close(p[0]);
	close(p[1]);
	close(rw);
	close(fd);
	DO(fd, "open O_PATH", open("m", O_PATH));
	ERR("mmap an O_PATH fd -> EBADF", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
	close(fd);
	leave();
}

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : "/tmp";
	char basecwd[PATH_MAX];

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	if (chdir(base) || !getcwd(basecwd, sizeof basecwd)) {
		printf("FAIL cannot enter the base dir (errno %s)\n", ename(errno));
		return 1;
	}
	rm_rf("fstest");
	if (mkdir("fstest", 0755) || chdir("fstest") || !getcwd(top, sizeof top)) {
		printf("FAIL cannot create the scratch dir (errno %s)\n", ename(errno));
		return 1;
	}

	t_open();
	t_rw();
	t_lseek();
	t_stat();
	t_access();
	t_dirs();
	t_getdents();
	t_rename();
	t_links();
	t_names();
	t_cwd();
	t_trunc();
	t_attrs();
	t_statfs();
	t_pipe();
	t_fdlinks();
	t_dup_fcntl();
	t_copy();
	t_mmap();

	if (chdir(basecwd))
		fail_("cleanup", "cannot return to the base dir (errno %s)", ename(errno));
	rm_rf("fstest");
	ERR("scratch dir removed", access("fstest", F_OK), ENOENT);
	printf("%d ok, %d failed\n", nok, nfail);
	return nfail != 0;
}
