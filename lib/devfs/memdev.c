/* The memory devices: null, zero, full, random, urandom. */
#include <errno.h>
#include <string.h>
#include <uk/init.h>
#include <uk/devfs.h>
#include <uk/random.h>
#include <uk/uaccess.h>

static ssize_t null_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			 size_t len, off_t off)
{
	(void)vn, (void)f, (void)buf, (void)len, (void)off;
	return 0;
}

static ssize_t sink_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			  size_t len, off_t off)
{
	(void)vn, (void)f, (void)buf, (void)off;
	return len;
}

static ssize_t zero_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			 size_t len, off_t off)
{
	(void)vn, (void)f, (void)off;
	size_t n = uk_clear_out_part(buf, len);
	return n || !len ? (ssize_t)n : -EFAULT;
}

static ssize_t full_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			  size_t len, off_t off)
{
	(void)vn, (void)f, (void)buf, (void)len, (void)off;
	return -ENOSPC;
}

static ssize_t random_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			   size_t len, off_t off)
{
	(void)vn, (void)f, (void)off;
	size_t n = uk_random_fill(buf, len);
	return n || !len ? (ssize_t)n : -EFAULT;
}

static int trunc_ok(struct uk_vnode *vn, off_t len)
{
	(void)vn, (void)len;
	return 0;	/* O_TRUNC on a device is ignored */
}

static const struct uk_vnode_ops null_ops = { .read = null_read, .write = sink_write,
	.truncate = trunc_ok, .seekable = 1 };
static const struct uk_vnode_ops zero_ops = { .read = zero_read, .write = sink_write,
	.truncate = trunc_ok, .seekable = 1 };
static const struct uk_vnode_ops full_ops = { .read = zero_read, .write = full_write,
	.truncate = trunc_ok, .seekable = 1 };
static const struct uk_vnode_ops random_ops = { .read = random_read,
	.write = sink_write, .truncate = trunc_ok };

static int add(const char *name, const struct uk_vnode_ops *ops, int major,
	       int minor, mode_t perm)
{
	struct uk_vnode *vn = uk_vnode_alloc(uk_devfs_mount(), ops, S_IFCHR | perm);
	if (!vn)
		return -ENOMEM;
	vn->rdev = (major << 8) | minor;
	return uk_devfs_add(name, vn);
}

static int memdev_init(void)
{
	int rc = add("null", &null_ops, 1, 3, 0666);
	if (!rc)
		rc = add("zero", &zero_ops, 1, 5, 0666);
	if (!rc)
		rc = add("full", &full_ops, 1, 7, 0666);
	if (!rc)
		rc = add("random", &random_ops, 1, 8, 0666);
	if (!rc)
		rc = add("urandom", &random_ops, 1, 9, 0666);
	return rc;
}
UK_INIT_AT(memdev_init, UK_INIT_LEVEL_LIB);
