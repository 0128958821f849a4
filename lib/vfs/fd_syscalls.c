/* System calls on descriptors: I/O, seeking, duplication, fcntl, ioctl,
 * sync, size changes and the in-kernel copies (sendfile,
 * copy_file_range). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/falloc.h>
#include <linux/uio.h>
#include <asm/ioctls.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "vfs_internal.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

#define GET_FILE(f, fd) struct uk_file *f = uk_fd_get(fd); if (!f) return -EBADF

UK_SYSCALL_R_DEFINE(ssize_t, read, int, fd, void *, buf, size_t, len)
{
	GET_FILE(f, fd);
	return uk_file_read(f, buf, len, 0, UK_IO_POS | UK_IO_USER);
}

UK_SYSCALL_R_DEFINE(ssize_t, write, int, fd, const void *, buf, size_t, len)
{
	GET_FILE(f, fd);
	return uk_file_write(f, buf, len, 0, UK_IO_POS | UK_IO_USER);
}

static int check_pos_io(struct uk_file *f, long off)
{
	if (!f->vn->ops->seekable)
		return -ESPIPE;
	return off < 0 ? -EINVAL : 0;
}

UK_SYSCALL_R_DEFINE(ssize_t, pread64, int, fd, void *, buf, size_t, len, long, off)
{
	GET_FILE(f, fd);
	int rc = check_pos_io(f, off);
	return rc ? rc : uk_file_read(f, buf, len, off, UK_IO_USER);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwrite64, int, fd, const void *, buf, size_t, len,
		    long, off)
{
	GET_FILE(f, fd);
	int rc = check_pos_io(f, off);
	return rc ? rc : uk_file_write(f, buf, len, off, UK_IO_USER);
}

/* readv and friends: the iovec array copied in and checked first (after
 * the file's own errors, as Linux's), then one read or write per buffer
 * until one comes up short. */
static ssize_t do_iov(struct uk_file *f, const struct iovec *uiov, int cnt,
		      long off, int flags, int writing)
{
	struct iovec fast[UK_IOV_FAST], *iov;
	ssize_t total = uk_file_io_check(f, writing);
	if (!total)
		total = uk_iov_import(uiov, (unsigned int)cnt, fast, &iov);
	if (total < 0)
		return total;
	total = 0;
	for (int i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		ssize_t n = writing ?
			uk_file_write(f, iov[i].iov_base, iov[i].iov_len, off + total, flags) :
			uk_file_read(f, iov[i].iov_base, iov[i].iov_len, off + total, flags);
		if (n < 0) {
			total = total ? total : n;
			break;
		}
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	if (iov != fast)
		free(iov);
	return total;
}

UK_SYSCALL_R_DEFINE(ssize_t, readv, int, fd, const struct iovec *, iov, int, cnt)
{
	GET_FILE(f, fd);
	return do_iov(f, iov, cnt, 0, UK_IO_POS | UK_IO_USER, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, writev, int, fd, const struct iovec *, iov, int, cnt)
{
	GET_FILE(f, fd);
	return do_iov(f, iov, cnt, 0, UK_IO_POS | UK_IO_USER, 1);
}

UK_SYSCALL_R_DEFINE(ssize_t, preadv, int, fd, const struct iovec *, iov, int, cnt,
		    long, off)
{
	GET_FILE(f, fd);
	int rc = check_pos_io(f, off);
	return rc ? rc : do_iov(f, iov, cnt, off, UK_IO_USER, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwritev, int, fd, const struct iovec *, iov, int, cnt,
		    long, off)
{
	GET_FILE(f, fd);
	int rc = check_pos_io(f, off);
	return rc ? rc : do_iov(f, iov, cnt, off, UK_IO_USER, 1);
}

/* preadv2 and pwritev2: offset -1 is the file position (as readv and
 * writev); flags as Linux takes them for these files: RWF_HIPRI, _DSYNC
 * and _SYNC change nothing here (nothing is cached), RWF_APPEND writes
 * at the end, RWF_NOWAIT makes a pipe or socket call non-blocking and a
 * regular file's read (its bytes never wait here) as it was, while a
 * buffered write cannot promise it and says EOPNOTSUPP, as ext4's does. */
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#define RWF_NOWAIT 0x8
#define RWF_APPEND 0x10
#define RWF_ALL (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

static ssize_t do_iov2(int fd, const struct iovec *uiov, int cnt, long off,
		       int rwf, int writing)
{
	if (off < -1)
		return -EINVAL;
	GET_FILE(f, fd);
	if (off != -1 && !f->vn->ops->seekable)
		return -ESPIPE;
	/* The file's and the array's errors first, then the flags'. */
	struct iovec fast[UK_IOV_FAST], *iov;
	ssize_t rc = uk_file_io_check(f, writing);
	if (!rc)
		rc = uk_iov_import(uiov, (unsigned int)cnt, fast, &iov);
	if (rc < 0)
		return rc;
	if (iov != fast)
		free(iov);
	if (!rc)
		return 0;	/* nothing to move: the flags are not looked at */
	int reg = S_ISREG(f->vn->mode);
	if ((rwf & ~RWF_ALL) || ((rwf & RWF_NOWAIT) && reg && writing))
		return -EOPNOTSUPP;
	int saved = f->flags;
	if ((rwf & RWF_NOWAIT) && !reg)
		f->flags |= O_NONBLOCK;
	if ((rwf & RWF_APPEND) && writing && reg)
		f->flags |= O_APPEND;
	rc = do_iov(f, uiov, cnt, off == -1 ? 0 : off,
		    UK_IO_USER | (off == -1 ? UK_IO_POS : 0), writing);
	f->flags = (f->flags & ~(O_NONBLOCK | O_APPEND)) | (saved & (O_NONBLOCK | O_APPEND));
	return rc;
}

UK_SYSCALL_R_DEFINE(ssize_t, preadv2, int, fd, const struct iovec *, iov, int, cnt,
		    long, off, long, off_high, int, flags)
{
	(void)off_high;	/* x86-64 passes the whole offset in off */
	return do_iov2(fd, iov, cnt, off, flags, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwritev2, int, fd, const struct iovec *, iov, int, cnt,
		    long, off, long, off_high, int, flags)
{
	(void)off_high;
	return do_iov2(fd, iov, cnt, off, flags, 1);
}

UK_SYSCALL_R_DEFINE(long, lseek, int, fd, long, off, int, whence)
{
	GET_FILE(f, fd);
	if (!f->vn->ops->seekable && !S_ISDIR(f->vn->mode))
		return -ESPIPE;
	long base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = f->vn->size;
		break;
	case SEEK_DATA:
		if (off >= f->vn->size)
			return -ENXIO;
		base = 0;
		break;
	case SEEK_HOLE:
		if (off >= f->vn->size)
			return -ENXIO;
		return f->pos = f->vn->size;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > __LONG_MAX__ - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

UK_SYSCALL_R_DEFINE(int, close, int, fd)
{
	return uk_fd_close(fd);
}

#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

UK_SYSCALL_R_DEFINE(int, close_range, unsigned int, first, unsigned int, last,
		    unsigned int, flags)
{
	if (first > last || (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)))
		return -EINVAL;
	unsigned int size = (unsigned int)uk_fdtable_size(uk_proc()->files);
	for (unsigned int fd = first; fd <= last && fd < size; fd++) {
		if (!uk_fd_get(fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			uk_fd_set_cloexec(fd, 1);
		else
			uk_fd_close(fd);
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, dup, int, fd)
{
	GET_FILE(f, fd);
	uk_file_get(f);
	int rc = uk_fd_install(f, 0, 0);
	if (rc < 0)
		uk_file_put(f);
	return rc;
}

static int do_dup3(int oldfd, int newfd, int flags)
{
	GET_FILE(f, oldfd);
	if (newfd < 0 || newfd >= uk_fd_limit())
		return -EBADF;
	uk_file_get(f);
	return uk_fd_install_at(f, newfd, !!(flags & O_CLOEXEC));
}

UK_SYSCALL_R_DEFINE(int, dup2, int, oldfd, int, newfd)
{
	if (oldfd == newfd)
		return uk_fd_get(oldfd) ? newfd : -EBADF;
	return do_dup3(oldfd, newfd, 0);
}

UK_SYSCALL_R_DEFINE(int, dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

UK_SYSCALL_R_DEFINE(int, fcntl, int, fd, int, cmd, unsigned long, arg)
{
	GET_FILE(f, fd);
	int rc;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (unsigned long)uk_fd_limit())
			return -EINVAL;
		uk_file_get(f);
		rc = uk_fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (rc < 0)
			uk_file_put(f);
		return rc;
	case F_GETFD:
		return uk_fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		uk_fd_set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags | O_LARGEFILE;
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)) |
			   (arg & (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME));
		vfs_async_set(f, fd, !!(arg & FASYNC));
		return 0;
	case F_SETOWN:
	case F_GETOWN:
	case F_SETOWN_EX:
	case F_GETOWN_EX:
	case F_SETSIG:
	case F_GETSIG:
		return vfs_owner_fcntl(f, cmd, arg);
	case F_GETLK:
	case F_OFD_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW: {
		struct flock fl;
		if (uk_copy_from_user(&fl, (void *)arg, sizeof(fl)))
			return -EFAULT;
		int rc = uk_lock_fcntl(f, cmd, &fl);
		if (!rc && (cmd == F_GETLK || cmd == F_OFD_GETLK) &&
		    uk_copy_to_user((void *)arg, &fl, sizeof(fl)))
			return -EFAULT;
		return rc;
	}
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return vfs_pipe_fcntl(f, cmd, arg);
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return uk_memfd_fcntl ? uk_memfd_fcntl(f, cmd, arg) : -EINVAL;
	case F_NOTIFY:
		/* dnotify: with no events asked for it removes the file's
		 * notifications, of which there are none here (any file, as
		 * on Linux); asking for events is refused (not kept). */
		if (!((unsigned int)arg & ~DN_MULTISHOT))
			return 0;
		if (!S_ISDIR(f->vn->mode))
			return -ENOTDIR;
		printf("fcntl: F_NOTIFY: directory notifications are not supported\n");
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

UK_SYSCALL_R_DEFINE(int, ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	GET_FILE(f, fd);
	int on;
	long n;
	switch (cmd) {
	case FIONBIO:
		if (uk_get_user(on, (int *)arg))
			return -EFAULT;
		if (on)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOCLEX:
		uk_fd_set_cloexec(fd, 1);
		return 0;
	case FIONCLEX:
		uk_fd_set_cloexec(fd, 0);
		return 0;
	case FIOASYNC:
		if (uk_get_user(on, (int *)arg))
			return -EFAULT;
		vfs_async_set(f, fd, on != 0);
		return 0;
	case FIONREAD:
		if (S_ISREG(f->vn->mode))
			n = f->vn->size > f->pos ? f->vn->size - f->pos : 0;
		else if (f->vn->ops->nread)
			n = f->vn->ops->nread(f->vn, f);
		else
			break;
		return n < 0 ? n : uk_put_user((int)n, (int *)arg);
	}
	if (!f->vn->ops->ioctl)
		return -ENOTTY;
	return f->vn->ops->ioctl(f->vn, f, cmd, arg);
}

/* Files and directories sync; special files have nothing to sync and
 * say EINVAL, as on Linux. */
static int do_fsync(struct uk_file *f)
{
	if (f->vn->ops->fsync)
		return f->vn->ops->fsync(f->vn);
	return S_ISREG(f->vn->mode) || S_ISDIR(f->vn->mode) ? 0 : -EINVAL;
}

UK_SYSCALL_R_DEFINE(int, fsync, int, fd)
{
	GET_FILE(f, fd);
	return do_fsync(f);
}

UK_SYSCALL_R_DEFINE(int, fdatasync, int, fd)
{
	GET_FILE(f, fd);
	return do_fsync(f);
}

/* sync and syncfs: 9p writes reach the host as they are made and ramfs
 * has nowhere to write, so there is nothing to flush. */
UK_SYSCALL_R_DEFINE(int, sync)
{
	return 0;
}

UK_SYSCALL_R_DEFINE(int, syncfs, int, fd)
{
	GET_FILE(f, fd);
	return f->flags & O_PATH ? -EBADF : 0;
}

/* readahead: a file open for reading whose pages a cache could hold
 * (regular files and block devices); the bytes are already in memory or
 * read from the host when asked, so nothing is done ahead. */
UK_SYSCALL_R_DEFINE(ssize_t, readahead, int, fd, long, off, size_t, count)
{
	(void)off, (void)count;
	GET_FILE(f, fd);
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!S_ISREG(f->vn->mode) && !S_ISBLK(f->vn->mode))
		return -EINVAL;
	return 0;
}

/* sync_file_range starts the write-back of a range: our file systems have
 * no dirty pages to start on (9p writes go to the host as they are made,
 * ramfs has nowhere to write), so only Linux's errors are left. */
#define SYNC_FILE_RANGE_ALL 7	/* WAIT_BEFORE | WRITE | WAIT_AFTER */
UK_SYSCALL_R_DEFINE(int, sync_file_range, int, fd, long, off, long, len,
		    unsigned int, flags)
{
	GET_FILE(f, fd);
	long end = (long)((unsigned long)off + (unsigned long)len);
	if ((flags & ~SYNC_FILE_RANGE_ALL) || off < 0 || end < 0 || end < off)
		return -EINVAL;
	mode_t m = f->vn->mode;
	if (!S_ISREG(m) && !S_ISBLK(m) && !S_ISDIR(m) && !S_ISLNK(m))
		return -ESPIPE;
	return 0;
}

/* posix_fadvise: advice about the page cache, which our file systems do
 * not keep; pipes say ESPIPE and unknown advice EINVAL, as on Linux. */
#define POSIX_FADV_NOREUSE 5
UK_SYSCALL_R_DEFINE(int, fadvise64, int, fd, long, off, long, len, int, advice)
{
	(void)off;
	GET_FILE(f, fd);
	if (f->flags & O_PATH)
		return -EBADF;
	if (S_ISFIFO(f->vn->mode))
		return -ESPIPE;
	if (len < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

/* truncate, ftruncate, O_TRUNC, fallocate: the size and, as on Linux,
 * the modification time. */
int uk_vfs_truncate_vnode(struct uk_vnode *vn, long len)
{
	struct uk_vattr va = {
		.mask = UK_ATTR_SIZE | UK_ATTR_MTIME,
		.size = len,
	};
	return uk_vfs_setattr(vn, &va);
}

UK_SYSCALL_R_DEFINE(int, ftruncate, int, fd, long, len)
{
	GET_FILE(f, fd);
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		return S_ISDIR(f->vn->mode) ? -EISDIR : -EINVAL;
	return uk_vfs_truncate_vnode(f->vn, len);
}

UK_SYSCALL_R_DEFINE(int, fallocate, int, fd, int, mode, long, off, long, len)
{
	GET_FILE(f, fd);
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (S_ISFIFO(f->vn->mode))
		return -ESPIPE;
	if (!S_ISREG(f->vn->mode))
		return S_ISDIR(f->vn->mode) ? -EISDIR : -ENODEV;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > f->vn->size)
		return uk_vfs_truncate_vnode(f->vn, off + len);
	return 0;
}

/* The copy loop behind sendfile and copy_file_range. */
static ssize_t copy_between(struct uk_file *in, long *in_off, struct uk_file *out,
			    long *out_off, size_t count)
{
	/* Linux's cap for one call: the kernel is not preempted, so a
	 * count of 1 << 40 from /dev/zero would hold the CPU for hours. */
	if (count > UK_MAX_RW_COUNT)
		count = UK_MAX_RW_COUNT;
	size_t chunk = count < 65536 ? count : 65536;
	char *buf = malloc(chunk ? chunk : 1);
	if (!buf)
		return -ENOMEM;
	ssize_t total = 0;
	while ((size_t)total < count) {
		size_t want = count - total < chunk ? count - total : chunk;
		ssize_t n = in_off ? uk_file_read(in, buf, want, *in_off, 0) :
				     uk_file_read(in, buf, want, 0, 1);
		if (n <= 0) {
			if (n < 0 && !total)
				total = n;
			break;
		}
		ssize_t w = out_off ? uk_file_write(out, buf, n, *out_off, 0) :
				      uk_file_write(out, buf, n, 0, 1);
		/* What did not go out is read again next time: the input's
		 * position goes back (a full non-blocking socket takes none). */
		if (w < 0) {
			if (!in_off)
				in->pos -= n;
			if (!total)
				total = w;
			break;
		}
		if (in_off)
			*in_off += w;
		else if (w < n)
			in->pos -= n - w;
		if (out_off)
			*out_off += w;
		total += w;
		if (w < n)
			break;
	}
	free(buf);
	return total;
}

static ssize_t do_sendfile(int out_fd, int in_fd, long *offset, size_t count)
{
	GET_FILE(in, in_fd);
	GET_FILE(out, out_fd);
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!in->vn->ops->seekable || (out->flags & O_APPEND))
		return -EINVAL;
	return copy_between(in, offset, out, NULL, count);
}

/* The offset comes in before anything is looked at and goes back out
 * after the copy, as on Linux. */
UK_SYSCALL_R_DEFINE(ssize_t, sendfile, int, out_fd, int, in_fd, long *, offset,
		    size_t, count)
{
	long off;
	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (uk_get_user(off, offset))
		return -EFAULT;
	ssize_t n = do_sendfile(out_fd, in_fd, &off, count);
	if (uk_put_user(off, offset))
		return -EFAULT;
	return n;
}

UK_SYSCALL_R_DEFINE(ssize_t, copy_file_range, int, fd_in, long *, off_in,
		    int, fd_out, long *, off_out, size_t, len, unsigned int, flags)
{
	GET_FILE(in, fd_in);
	GET_FILE(out, fd_out);
	long kin = 0, kout = 0;
	if ((off_in && uk_get_user(kin, off_in)) || (off_out && uk_get_user(kout, off_out)))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (out->flags & O_APPEND)
		return -EBADF;
	if (S_ISDIR(in->vn->mode) || S_ISDIR(out->vn->mode))
		return -EISDIR;
	if (!S_ISREG(in->vn->mode) || !S_ISREG(out->vn->mode))
		return -EINVAL;
	long ip = off_in ? kin : in->pos, op = off_out ? kout : out->pos;
	if (in->vn == out->vn && ip < op + (long)len && op < ip + (long)len)
		return -EINVAL;	/* overlapping ranges of one file */
	ssize_t n = copy_between(in, off_in ? &kin : NULL, out, off_out ? &kout : NULL, len);
	if (n > 0 && ((off_in && uk_put_user(kin, off_in)) ||
		      (off_out && uk_put_user(kout, off_out))))
		return -EFAULT;
	return n;
}
