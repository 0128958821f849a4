/* Pipes: a 64 KiB ring shared by a read end and a write end on one
 * anonymous vnode; readers and writers sleep on the vnode's wait queue,
 * which every change of the ring or of the ends wakes.
 *
 * Named pipes (FIFOs) of any file system use the same ring: a file
 * system gives its S_IFIFO vnodes UK_FIFO_OPS, and the ring lives in
 * vn->pipe from the first open to the last close, as Linux's i_pipe;
 * opening follows Linux's fifo_open (blocking until the other side
 * comes, O_NONBLOCK rules, O_RDWR never waits). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/capability.h>
#include <asm/ioctls.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/syscall.h>
#include "vfs_internal.h"

#define PIPE_DEF_SIZE 65536	/* Linux's 16 pages */
#define PIPE_MAX_SIZE 1048576	/* /proc/sys/fs/pipe-max-size */
#define PAGE_BYTES 4096
#define SIGPIPE 13

/* lib/signal's, when it is in the image. */
int uk_signal_send_thread(struct uk_thread *t, int sig, int code, unsigned long addr)
	__attribute__((weak));

struct uk_pipe {
	char *buf;
	size_t size;		/* F_SETPIPE_SZ's */
	size_t head, count;
	int readers, writers;
	/* Opens of each side so far: a FIFO's opener waits for the other
	 * side's to move, so one that came and went already counts. */
	unsigned long r_counter, w_counter;
};

static struct uk_mount *pipefs;
static const struct uk_vnode_ops pipe_ops;

/* A write with no reader left: EPIPE, and SIGPIPE for the writer. */
static ssize_t broken_pipe(void)
{
	if (uk_signal_send_thread)
		uk_signal_send_thread(uk_thread_current(), SIGPIPE, 0, 0);
	return -EPIPE;
}

ssize_t uk_fifo_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
		     size_t len, off_t off)
{
	(void)off;
	struct uk_pipe *p = vn->pipe;
	if (!len)
		return 0;
	while (!p->count) {
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return -UK_ERESTARTSYS;
	}
	/* The ring's two pieces, each taken only when it all went out (a
	 * fault leaves the bytes in the pipe, as Linux's buffers do). */
	size_t n = len < p->count ? len : p->count;
	size_t first = p->size - p->head < n ? p->size - p->head : n;
	if (uk_copy_out_part(buf, p->buf + p->head, first) < first)
		return -EFAULT;
	if (uk_copy_out_part((char *)buf + first, p->buf, n - first) < n - first)
		n = first;
	p->head = (p->head + n) % p->size;
	p->count -= n;
	uk_waitq_wake_events(&vn->wq, -1, UK_WAKE_OUT);	/* room for writers */
	return n;
}

ssize_t uk_fifo_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
		      size_t len, off_t off)
{
	(void)off;
	struct uk_pipe *p = vn->pipe;
	size_t done = 0;
	/* Writes of up to PIPE_BUF bytes are atomic; larger ones may be
	 * split, and a blocking writer waits until all is written. */
	while (done < len) {
		if (!p->readers)
			return done ? (ssize_t)done : broken_pipe();
		size_t space = p->size - p->count;
		if (!space || (len - done <= 4096 && space < len - done)) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
				return done ? (ssize_t)done : -UK_ERESTARTSYS;
			continue;
		}
		size_t n = len - done < space ? len - done : space;
		size_t tail = (p->head + p->count) % p->size;
		size_t first = p->size - tail < n ? p->size - tail : n;
		/* Bytes go in only when their whole piece came in. */
		if (uk_copy_in_part(p->buf + tail, (const char *)buf + done, first) < first)
			return done ? (ssize_t)done : -EFAULT;
		if (uk_copy_in_part(p->buf, (const char *)buf + done + first, n - first) <
		    n - first) {
			n = first;
			len = done + n;	/* what came in is all there is */
		}
		p->count += n;
		done += n;
		uk_waitq_wake_events(&vn->wq, -1, UK_WAKE_IN);	/* data for readers */
	}
	return done;
}

static struct uk_pipe *pipe_new(void)
{
	struct uk_pipe *p = calloc(1, sizeof(*p));
	char *buf = malloc(PIPE_DEF_SIZE);
	if (!p || !buf) {
		free(p), free(buf);
		return NULL;
	}
	p->buf = buf;
	p->size = PIPE_DEF_SIZE;
	return p;
}

/* The ring goes with its last end: a FIFO's unread bytes are lost when
 * nobody has it open, as on Linux. */
static void pipe_put_if_unused(struct uk_vnode *vn)
{
	struct uk_pipe *p = vn->pipe;
	if (!p || p->readers || p->writers)
		return;
	vn->pipe = NULL;
	free(p->buf);
	free(p);
}

void uk_fifo_close(struct uk_vnode *vn, struct uk_file *f)
{
	struct uk_pipe *p = vn->pipe;
	if ((f->flags & O_PATH) || !p)
		return;	/* an O_PATH file never opened the ring */
	int acc = f->flags & O_ACCMODE;
	if (acc != O_WRONLY)
		p->readers--;
	if (acc != O_RDONLY)
		p->writers--;
	uk_waitq_wake(&vn->wq, -1);
	pipe_put_if_unused(vn);
}

static void pipe_release(struct uk_vnode *vn)
{
	struct uk_pipe *p = vn->pipe;
	if (p) {
		free(p->buf);
		free(p);
	}
}

long uk_fifo_nread(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct uk_pipe *p = vn->pipe;
	return p ? (long)p->count : 0;
}

unsigned int uk_fifo_poll(struct uk_vnode *vn, struct uk_file *f)
{
	struct uk_pipe *p = vn->pipe;
	unsigned int ev = 0;
	int acc = f->flags & O_ACCMODE;
	if ((f->flags & O_PATH) || !p)
		return 0;
	if (acc != O_WRONLY) {
		if (p->count)
			ev |= POLLIN | POLLRDNORM;
		/* A FIFO's reader opened before any writer sees no hang-up
		 * until one came (Linux keeps the count in f_version). */
		if (!p->writers && (uintptr_t)f->priv != p->w_counter)
			ev |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (p->count < p->size)
			ev |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			ev |= POLLERR;
	}
	return ev;
}

static const struct uk_vnode_ops pipe_ops = {
	.read = uk_fifo_read,
	.write = uk_fifo_write,
	.close = uk_fifo_close,
	.nread = uk_fifo_nread,
	.poll = uk_fifo_poll,
	.release = pipe_release,
};

/* Sleeps until *counter moves (the other side opened); -ERESTARTSYS for
 * a signal. */
static int wait_for_partner(struct uk_vnode *vn, unsigned long *counter)
{
	unsigned long cur = *counter;
	while (*counter == cur)
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return -UK_ERESTARTSYS;
	return 0;
}

int uk_fifo_open(struct uk_vnode *vn, struct uk_file *f)
{
	struct uk_pipe *p = vn->pipe;
	int rc = 0;
	if (!p && !(p = vn->pipe = pipe_new()))
		return -ENOMEM;
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY:
		p->readers++;
		p->r_counter++;
		uk_waitq_wake(&vn->wq, -1);
		if (!p->writers) {
			if (f->flags & O_NONBLOCK)
				f->priv = (void *)(uintptr_t)p->w_counter;
			else if ((rc = wait_for_partner(vn, &p->w_counter)))
				p->readers--;
		}
		break;
	case O_WRONLY:
		if (!p->readers && (f->flags & O_NONBLOCK)) {
			rc = -ENXIO;
			break;
		}
		p->writers++;
		p->w_counter++;
		uk_waitq_wake(&vn->wq, -1);
		if (!p->readers && (rc = wait_for_partner(vn, &p->r_counter)))
			p->writers--;
		break;
	default:
		/* O_RDWR: a reader and a writer at once, never waiting. */
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		uk_waitq_wake(&vn->wq, -1);
		break;
	}
	if (rc) {
		uk_waitq_wake(&vn->wq, -1);
		pipe_put_if_unused(vn);
	}
	return rc;
}

/* F_GETPIPE_SZ and F_SETPIPE_SZ (Linux's pipe_fcntl): a size is a power
 * of two of pages, at most pipe-max-size but for CAP_SYS_RESOURCE, and
 * EBUSY below what the pipe holds. */
int vfs_pipe_fcntl(struct uk_file *f, unsigned int cmd, unsigned long arg)
{
	if (!vfs_is_pipe(f))
		return -EBADF;
	struct uk_pipe *p = f->vn->pipe;
	if (cmd != F_SETPIPE_SZ)
		return p->size;
	if (arg > (1UL << 31) || (unsigned int)arg != arg)
		return -EINVAL;
	size_t size = PAGE_BYTES;
	while (size < arg)
		size <<= 1;
	if (size > p->size && size > PIPE_MAX_SIZE && !uk_vfs_capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (p->count > size)
		return -EBUSY;
	if (size == p->size)
		return size;
	char *buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < p->count; i++)
		buf[i] = p->buf[(p->head + i) % p->size];
	free(p->buf);
	p->buf = buf;
	p->head = 0;
	p->size = size;
	uk_waitq_wake(&f->vn->wq, -1);
	return size;
}

/* --- for splice.c: the ring through kernel buffers ------------------------ */

/* A pipe, or a FIFO opened as one (not by O_PATH). */
int vfs_is_pipe(const struct uk_file *f)
{
	return f->vn->pipe && !(f->flags & O_PATH);
}

long vfs_pipe_wait_data(struct uk_vnode *vn, int nonblock)
{
	struct uk_pipe *p = vn->pipe;
	while (!p->count) {
		if (!p->writers)
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return -UK_ERESTARTSYS;
	}
	return p->count;
}

long vfs_pipe_wait_room(struct uk_vnode *vn, int nonblock)
{
	struct uk_pipe *p = vn->pipe;
	for (;;) {
		if (!p->readers)
			return broken_pipe();
		if (p->count < p->size)
			return p->size - p->count;
		if (nonblock)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return -UK_ERESTARTSYS;
	}
}

size_t vfs_pipe_peek(struct uk_vnode *vn, char *k, size_t skip, size_t n)
{
	struct uk_pipe *p = vn->pipe;
	if (skip >= p->count)
		return 0;
	if (n > p->count - skip)
		n = p->count - skip;
	for (size_t i = 0; i < n; i++)
		k[i] = p->buf[(p->head + skip + i) % p->size];
	return n;
}

void vfs_pipe_drop(struct uk_vnode *vn, size_t n)
{
	struct uk_pipe *p = vn->pipe;
	if (n > p->count)
		n = p->count;
	p->head = (p->head + n) % p->size;
	p->count -= n;
	uk_waitq_wake_events(&vn->wq, -1, UK_WAKE_OUT);
}

size_t vfs_pipe_put(struct uk_vnode *vn, const char *k, size_t n)
{
	struct uk_pipe *p = vn->pipe;
	if (n > p->size - p->count)
		n = p->size - p->count;
	for (size_t i = 0; i < n; i++)
		p->buf[(p->head + p->count + i) % p->size] = k[i];
	p->count += n;
	if (n)
		uk_waitq_wake_events(&vn->wq, -1, UK_WAKE_IN);
	return n;
}

static long do_pipe2(int *fds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (!pipefs && !(pipefs = uk_mount_new("pipefs", 0x50495045)))
		return -ENOMEM;
	struct uk_pipe *p = pipe_new();
	struct uk_vnode *vn = uk_vnode_alloc(pipefs, &pipe_ops, S_IFIFO | 0600);
	if (!p || !vn) {
		free(vn);
		if (p)
			free(p->buf);
		free(p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1;
	vn->pipe = p;
	uk_vfs_own(vn);
	uk_vnode_get(vn);	/* one reference per end */
	struct uk_file *r = uk_file_new(vn, O_RDONLY | (flags & O_NONBLOCK), "pipe:");
	struct uk_file *w = uk_file_new(vn, O_WRONLY | (flags & O_NONBLOCK), "pipe:");
	int rfd = r ? uk_fd_install(r, 0, !!(flags & O_CLOEXEC)) : -ENOMEM;
	int wfd = rfd >= 0 && w ? uk_fd_install(w, 0, !!(flags & O_CLOEXEC)) : -ENOMEM;
	if (rfd < 0 || wfd < 0) {
		if (rfd >= 0)
			uk_fd_close(rfd);
		else if (r)
			uk_file_put(r);
		if (w)
			uk_file_put(w);
		return rfd < 0 ? rfd : wfd;
	}
	/* A table the program cannot take: both ends go again (Linux's). */
	int kfds[2] = { rfd, wfd };
	if (uk_copy_to_user(fds, kfds, sizeof(kfds))) {
		uk_fd_close(rfd);
		uk_fd_close(wfd);
		return -EFAULT;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, pipe, int *, fds)
{
	return do_pipe2(fds, 0);
}

UK_SYSCALL_R_DEFINE(int, pipe2, int *, fds, int, flags)
{
	return do_pipe2(fds, flags);
}
