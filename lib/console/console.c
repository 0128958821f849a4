/* The console as files: descriptors 0, 1 and 2 at boot, and /dev/tty and
 * /dev/console. Each standard stream is its own vnode so that fstat and
 * isatty() tell the truth about the host side of that stream (a tty, or
 * a pipe or file, which the guest shows as a FIFO). */
#include <errno.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/vfs.h>
#include <uk/devfs.h>
#include <uk/tty.h>
#include <uk/process.h>
#include <uk/uaccess.h>

#define TTY_STREAM(vn) ((int)(long)(vn)->priv)	/* 0, 1, 2; 3 /dev/tty, 4 /dev/console */

/* The line discipline and the UART work on kernel buffers: the
 * program's bytes pass through one (as Linux's tty reads and writes do),
 * a piece at a time. A read takes what fits in one piece; bytes read
 * that could not go out are lost, as on Linux. */
#define CON_CHUNK 512

static ssize_t con_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			size_t len, off_t off)
{
	(void)vn, (void)off;
	char k[CON_CHUNK];
	ssize_t n = uk_tty_read(k, len < sizeof(k) ? len : sizeof(k), f->flags & O_NONBLOCK);
	if (n <= 0)
		return n;
	size_t got = uk_copy_out_part(buf, k, n);
	return got ? (ssize_t)got : -EFAULT;
}

static ssize_t con_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			 size_t len, off_t off)
{
	(void)f, (void)off;
	char k[CON_CHUNK];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(k) ? len - done : sizeof(k);
		size_t got = uk_copy_in_part(k, (const char *)buf + done, n);
		ssize_t w = uk_tty_write(TTY_STREAM(vn) == 2 ? 2 : 1, k, got);
		if (w < 0)
			return done ? (ssize_t)done : w;
		done += got;
		if (got < n)
			break;
	}
	return done || !len ? (ssize_t)done : -EFAULT;
}

static int con_ioctl(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
		     unsigned long arg)
{
	(void)f;
	int s = TTY_STREAM(vn);
	return uk_tty_ioctl(s >= 3 ? 1 : s, cmd, arg);
}

static int con_open(struct uk_vnode *vn, struct uk_file *f)
{
	if (TTY_STREAM(vn) == 3 && uk_proc()->ctty >= UK_CTTY_PTY)
		return uk_pty_open_ctty(f);
	return uk_tty_open(TTY_STREAM(vn));
}

static unsigned int con_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)vn, (void)f;
	unsigned int ev = POLLOUT | POLLWRNORM;
	if (uk_tty_input_ready())
		ev |= POLLIN | POLLRDNORM;
	return ev;
}

static int con_truncate(struct uk_vnode *vn, off_t len)
{
	(void)vn, (void)len;
	return 0;
}

static const struct uk_vnode_ops con_ops = {
	.open = con_open,
	.read = con_read,
	.write = con_write,
	.ioctl = con_ioctl,
	.poll = con_poll,
	.truncate = con_truncate,
};

static struct uk_vnode *con_vnode(int stream)
{
	int tty = stream >= 3 || ukplat_console_isatty(stream);
	/* /dev/tty is anyone's (Linux's 0666); the others root's. */
	struct uk_vnode *vn = uk_vnode_alloc(uk_devfs_mount(), &con_ops,
					     stream == 3 ? S_IFCHR | 0666 :
					     tty ? S_IFCHR | 0620 : S_IFIFO | 0600);
	if (!vn)
		return NULL;
	vn->priv = (void *)(long)stream;
	if (tty)
		vn->rdev = stream >= 3 ? (5 << 8) | (stream - 3) : (136 << 8) | 0;
	uk_tty_add_poller(vn);
	return vn;
}

static int console_init(void)
{
	static const char *const paths[3] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	for (int fd = 0; fd < 3; fd++) {
		struct uk_vnode *vn = con_vnode(fd);
		struct uk_file *f = vn ? uk_file_new(vn, O_RDWR, paths[fd]) : NULL;
		if (!f)
			return -ENOMEM;
		uk_fd_install_at(f, fd, 0);
	}
	/* Linux's numbers: /dev/tty is 5:0, /dev/console 5:1. */
	struct uk_vnode *tty = con_vnode(3), *con = con_vnode(4);
	if (!tty || !con)
		return -ENOMEM;
	uk_devfs_add("tty", tty);
	uk_devfs_add("console", con);
	return 0;
}
UK_INIT_AT(console_init, UK_INIT_LEVEL_LIB);
