/* File descriptors over the console until the VFS lands: each open fd
 * names one of the three standard streams (dup makes more). Anything
 * else is EBADF; paths do not exist yet (ENOENT). */
#include <errno.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/uio.h>
#include <asm/stat.h>
#include <asm/ioctls.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/tty.h>

#define MAX_FDS 256
#define S_IFCHR 0020000
#define S_IFIFO 0010000

struct fd {
	signed char stream;	/* -1: closed */
	unsigned char cloexec;
	int flags;
};

static struct fd fds[MAX_FDS] = {
	[0] = { 0, 0, O_RDWR },
	[1] = { 1, 0, O_RDWR },
	[2] = { 2, 0, O_RDWR },
};
static int fds_ready;

static struct fd *get(int fd)
{
	if (!fds_ready) {
		for (int i = 3; i < MAX_FDS; i++)
			fds[i].stream = -1;
		fds_ready = 1;
	}
	if (fd < 0 || fd >= MAX_FDS || fds[fd].stream < 0)
		return NULL;
	return &fds[fd];
}

static ssize_t do_read(struct fd *f, char *buf, size_t len)
{
	if (f->stream != 0)
		return -EBADF;	/* stdout/stderr are write-only here */
	return uk_tty_read(buf, len);
}

static ssize_t do_write(struct fd *f, const char *buf, size_t len)
{
	if (f->stream == 0)
		return -EBADF;
	return uk_tty_write(f->stream, buf, len);
}

UK_SYSCALL_R_DEFINE(ssize_t, read, int, fd, char *, buf, size_t, len)
{
	struct fd *f = get(fd);
	return f ? do_read(f, buf, len) : -EBADF;
}

UK_SYSCALL_R_DEFINE(ssize_t, write, int, fd, const void *, buf, size_t, len)
{
	struct fd *f = get(fd);
	return f ? do_write(f, buf, len) : -EBADF;
}

UK_SYSCALL_R_DEFINE(ssize_t, pread64, int, fd, char *, buf, size_t, len,
		    long, off)
{
	(void)buf, (void)len, (void)off;
	return get(fd) ? -ESPIPE : -EBADF;
}

UK_SYSCALL_R_DEFINE(ssize_t, pwrite64, int, fd, const void *, buf, size_t, len,
		    long, off)
{
	(void)buf, (void)len, (void)off;
	return get(fd) ? -ESPIPE : -EBADF;
}

static int iov_ok(const struct iovec *iov, int cnt)
{
	return cnt >= 0 && cnt <= UIO_MAXIOV && (cnt == 0 || iov);
}

UK_SYSCALL_R_DEFINE(ssize_t, readv, int, fd, const struct iovec *, iov, int, cnt)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	if (!iov_ok(iov, cnt))
		return -EINVAL;
	ssize_t total = 0;
	for (int i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		ssize_t n = do_read(f, iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

UK_SYSCALL_R_DEFINE(ssize_t, writev, int, fd, const struct iovec *, iov, int, cnt)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	if (!iov_ok(iov, cnt))
		return -EINVAL;
	ssize_t total = 0;
	for (int i = 0; i < cnt; i++) {
		ssize_t n = do_write(f, iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
	}
	return total;
}

UK_SYSCALL_R_DEFINE(int, close, int, fd)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	f->stream = -1;
	return 0;
}

UK_SYSCALL_R_DEFINE(long, lseek, int, fd, long, off, int, whence)
{
	(void)off, (void)whence;
	return get(fd) ? -ESPIPE : -EBADF;
}

static void fill_stat(struct fd *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	if (ukplat_console_isatty(f->stream)) {
		st->st_mode = S_IFCHR | 0620;
		st->st_rdev = (136 << 8) | 0;	/* /dev/pts/0 */
	} else {
		st->st_mode = S_IFIFO | 0600;
	}
	st->st_dev = 0x0c;
	st->st_ino = 3 + f->stream;
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

UK_SYSCALL_R_DEFINE(int, fstat, int, fd, struct stat *, st)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	fill_stat(f, st);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, newfstatat, int, dirfd, const char *, path,
		    struct stat *, st, int, flags)
{
	if ((flags & AT_EMPTY_PATH) && path && !path[0]) {
		struct fd *f = get(dirfd);
		if (!f)
			return -EBADF;
		fill_stat(f, st);
		return 0;
	}
	return -ENOENT;	/* no file system yet */
}

UK_SYSCALL_R_DEFINE(int, ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIONBIO:
		if (*(int *)arg)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOCLEX:
		f->cloexec = 1;
		return 0;
	case FIONCLEX:
		f->cloexec = 0;
		return 0;
	case FIONREAD:
		*(int *)arg = 0;
		return 0;
	default:
		return uk_tty_ioctl(f->stream, cmd, arg);
	}
}

static int alloc_fd(int from, int stream, int cloexec)
{
	get(0);
	for (int i = from; i < MAX_FDS; i++) {
		if (fds[i].stream < 0) {
			fds[i].stream = stream;
			fds[i].cloexec = cloexec;
			fds[i].flags = O_RDWR;
			return i;
		}
	}
	return -EMFILE;
}

UK_SYSCALL_R_DEFINE(int, dup, int, fd)
{
	struct fd *f = get(fd);
	return f ? alloc_fd(0, f->stream, 0) : -EBADF;
}

static int do_dup3(int oldfd, int newfd, int flags)
{
	struct fd *f = get(oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= MAX_FDS)
		return -EBADF;
	fds[newfd] = *f;
	fds[newfd].cloexec = !!(flags & O_CLOEXEC);
	return newfd;
}

UK_SYSCALL_R_DEFINE(int, dup2, int, oldfd, int, newfd)
{
	if (oldfd == newfd)
		return get(oldfd) ? newfd : -EBADF;
	return do_dup3(oldfd, newfd, 0);
}

UK_SYSCALL_R_DEFINE(int, dup3, int, oldfd, int, newfd, int, flags)
{
	if (oldfd == newfd || (flags & ~O_CLOEXEC))
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

UK_SYSCALL_R_DEFINE(int, fcntl, int, fd, int, cmd, unsigned long, arg)
{
	struct fd *f = get(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
		return alloc_fd(arg, f->stream, 0);
	case F_DUPFD_CLOEXEC:
		return alloc_fd(arg, f->stream, 1);
	case F_GETFD:
		return f->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		f->cloexec = !!(arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & O_ACCMODE) | (arg & (O_APPEND | O_NONBLOCK));
		return 0;
	default:
		return -EINVAL;
	}
}
