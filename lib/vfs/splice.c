/* splice, tee and vmsplice with Linux's rules (one end of splice a
 * pipe, both of tee, offsets only on the other end, SPLICE_F_NONBLOCK or
 * the pipe's O_NONBLOCK for the pipe's waits), the bytes going through a
 * kernel buffer rather than by page references: a splice from a file
 * reads up to the pipe's room, one into a file writes what the pipe
 * holds (waiting for the first byte only). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/uio.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include "vfs_internal.h"

#define SPLICE_F_MOVE 0x01
#define SPLICE_F_NONBLOCK 0x02
#define SPLICE_F_MORE 0x04
#define SPLICE_F_GIFT 0x08
#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
#define CHUNK 65536	/* a pipe's whole ring */

static int readable(const struct uk_file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH);
}

static int writable(const struct uk_file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH);
}

/* Pipe to pipe: what the input holds and the output has room for. */
static long pipe_to_pipe(struct uk_file *in, struct uk_file *out, size_t len, int nonblock)
{
	long avail = vfs_pipe_wait_data(in->vn, nonblock);
	if (avail <= 0)
		return avail;
	long room = vfs_pipe_wait_room(out->vn, nonblock);
	if (room < 0)
		return room;
	char *k = malloc(CHUNK);
	if (!k)
		return -ENOMEM;
	size_t n = len < (size_t)avail ? len : (size_t)avail;
	if (n > (size_t)room)
		n = room;
	n = vfs_pipe_peek(in->vn, k, 0, n);
	n = vfs_pipe_put(out->vn, k, n);
	vfs_pipe_drop(in->vn, n);
	free(k);
	return n;
}

/* A pipe's bytes into a file at *off (NULL: its position). */
static long pipe_to_file(struct uk_file *in, struct uk_file *out, long *off, size_t len,
			 int nonblock)
{
	long avail = vfs_pipe_wait_data(in->vn, nonblock);
	if (avail <= 0)
		return avail;
	char *k = malloc(CHUNK);
	if (!k)
		return -ENOMEM;
	long total = 0;
	while ((size_t)total < len) {
		size_t n = vfs_pipe_peek(in->vn, k, 0, len - total < CHUNK ? len - total : CHUNK);
		if (!n)
			break;
		ssize_t w = off ? uk_file_write(out, k, n, *off, 0) :
				  uk_file_write(out, k, n, 0, UK_IO_POS);
		if (w <= 0) {
			if (!total)
				total = w;
			break;
		}
		vfs_pipe_drop(in->vn, w);
		if (off)
			*off += w;
		total += w;
		if ((size_t)w < n)
			break;
	}
	free(k);
	return total;
}

/* A file's bytes from *off (NULL: its position) into a pipe: up to its
 * room, with one read (a socket's, a terminal's may wait). */
static long file_to_pipe(struct uk_file *in, long *off, struct uk_file *out, size_t len,
			 int nonblock)
{
	long room = vfs_pipe_wait_room(out->vn, nonblock);
	if (room < 0)
		return room;
	size_t n = len < (size_t)room ? len : (size_t)room;
	char *k = malloc(n);
	if (!k)
		return -ENOMEM;
	ssize_t r = off ? uk_file_read(in, k, n, *off, 0) : uk_file_read(in, k, n, 0, UK_IO_POS);
	/* The room may have shrunk while the read waited: the rest waits
	 * for its turn (the bytes are taken from the file already). */
	size_t done = 0;
	while (r > 0 && done < (size_t)r) {
		done += vfs_pipe_put(out->vn, k + done, r - done);
		if (done < (size_t)r && vfs_pipe_wait_room(out->vn, 0) < 0)
			break;
	}
	free(k);
	if (r > 0 && off)
		*off += r;
	return r;
}

static long do_splice(int fd_in, long *uoff_in, int fd_out, long *uoff_out, size_t len,
		      unsigned int flags)
{
	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct uk_file *in = uk_fd_get(fd_in), *out = in ? uk_fd_get(fd_out) : NULL;
	if (!in || !out)
		return -EBADF;
	int ipipe = vfs_is_pipe(in), opipe = vfs_is_pipe(out);
	if ((ipipe && uoff_in) || (opipe && uoff_out))
		return -ESPIPE;
	long off_in = 0, off_out = 0;
	if ((uoff_in && uk_get_user(off_in, uoff_in)) ||
	    (uoff_out && uk_get_user(off_out, uoff_out)))
		return -EFAULT;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (len > UK_MAX_RW_COUNT)
		len = UK_MAX_RW_COUNT;
	int nb = !!(flags & SPLICE_F_NONBLOCK);
	long n;
	if (ipipe && opipe) {
		if (in->vn == out->vn)
			return -EINVAL;
		return pipe_to_pipe(in, out, len, nb || ((in->flags | out->flags) & O_NONBLOCK));
	}
	if (ipipe) {
		if (uoff_out && !out->vn->ops->seekable)
			return -EINVAL;
		if (out->flags & O_APPEND)
			return -EINVAL;
		if (uoff_out && off_out < 0)
			return -EINVAL;
		n = pipe_to_file(in, out, uoff_out ? &off_out : NULL, len,
				 nb || (in->flags & O_NONBLOCK));
		if (n > 0 && uoff_out && uk_put_user(off_out, uoff_out))
			return -EFAULT;
		return n;
	}
	if (opipe) {
		if (uoff_in && !in->vn->ops->seekable)
			return -EINVAL;
		if (uoff_in && off_in < 0)
			return -EINVAL;
		if (S_ISDIR(in->vn->mode) || !in->vn->ops->read)
			return -EINVAL;
		n = file_to_pipe(in, uoff_in ? &off_in : NULL, out, len,
				 nb || (out->flags & O_NONBLOCK));
		if (n > 0 && uoff_in && uk_put_user(off_in, uoff_in))
			return -EFAULT;
		return n;
	}
	return -EINVAL;
}

UK_SYSCALL_R_DEFINE(ssize_t, splice, int, fd_in, long *, off_in, int, fd_out,
		    long *, off_out, size_t, len, unsigned int, flags)
{
	return do_splice(fd_in, off_in, fd_out, off_out, len, flags);
}

/* tee: the input's bytes copied into the output, left in the input. */
UK_SYSCALL_R_DEFINE(ssize_t, tee, int, fd_in, int, fd_out, size_t, len,
		    unsigned int, flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	struct uk_file *in = uk_fd_get(fd_in), *out = in ? uk_fd_get(fd_out) : NULL;
	if (!in || !out)
		return -EBADF;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!vfs_is_pipe(in) || !vfs_is_pipe(out) || in->vn == out->vn)
		return -EINVAL;
	int nb = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	long avail = vfs_pipe_wait_data(in->vn, nb);
	if (avail <= 0)
		return avail;
	long room = vfs_pipe_wait_room(out->vn, nb);
	if (room < 0)
		return room;
	size_t n = len < (size_t)avail ? len : (size_t)avail;
	if (n > (size_t)room)
		n = room;
	char *k = malloc(n);
	if (!k)
		return -ENOMEM;
	n = vfs_pipe_peek(in->vn, k, 0, n);
	n = vfs_pipe_put(out->vn, k, n);
	free(k);
	return n;
}

/* vmsplice: the program's memory into a pipe (its write end: what fits
 * once there is room), or a pipe's bytes into it (its read end). */
UK_SYSCALL_R_DEFINE(ssize_t, vmsplice, int, fd, const struct iovec *, uiov,
		    unsigned long, nr_segs, unsigned int, flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct uk_file *f = uk_fd_get(fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	struct iovec fast[UK_IOV_FAST], *iov;
	ssize_t total = uk_iov_import(uiov, nr_segs, fast, &iov);
	if (total < 0)
		return total;
	long rc = 0;
	int to_pipe = writable(f);
	if (!total)
		goto out;
	if (!vfs_is_pipe(f)) {
		rc = -EBADF;
		goto out;
	}
	int nb = !!(flags & SPLICE_F_NONBLOCK);
	rc = to_pipe ? vfs_pipe_wait_room(f->vn, nb) : vfs_pipe_wait_data(f->vn, nb);
	if (rc <= 0)
		goto out;
	size_t left = rc < total ? (size_t)rc : (size_t)total;
	char k[512];
	rc = 0;
	for (size_t i = 0; i < nr_segs && left; i++) {
		size_t seg = iov[i].iov_len < left ? iov[i].iov_len : left;
		for (size_t d = 0; d < seg;) {
			size_t c = seg - d < sizeof(k) ? seg - d : sizeof(k), got;
			char *u = (char *)iov[i].iov_base + d;
			if (to_pipe) {
				got = uk_copy_in_part(k, u, c);
				vfs_pipe_put(f->vn, k, got);
			} else {
				c = vfs_pipe_peek(f->vn, k, 0, c);
				got = uk_copy_out_part(u, k, c);
				vfs_pipe_drop(f->vn, got);
			}
			rc += got;
			d += got;
			left -= got;
			if (got < c) {
				if (!rc)
					rc = -EFAULT;
				goto out;
			}
		}
	}
out:
	if (iov != fast)
		free(iov);
	return rc;
}
