/* devfs: one flat directory of devices and links, mounted on /dev. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <uk/init.h>
#include <uk/devfs.h>

#define MAX_DEVS 32

struct dev_entry {
	const char *name;
	struct uk_vnode *vn;
};

static struct uk_mount *devfs;
static struct dev_entry devs[MAX_DEVS];
static int ndevs;

static const struct uk_vnode_ops devfs_dir_ops;

struct uk_mount *uk_devfs_mount(void)
{
	if (!devfs) {
		devfs = uk_mount_new("devtmpfs", TMPFS_MAGIC);
		if (devfs)
			devfs->root = uk_vnode_alloc(devfs, &devfs_dir_ops, S_IFDIR | 0755);
	}
	return devfs;
}

int uk_devfs_add(const char *name, struct uk_vnode *vn)
{
	if (ndevs == MAX_DEVS)
		return -ENOSPC;
	devs[ndevs].name = name;
	devs[ndevs].vn = vn;
	ndevs++;
	return 0;
}

static ssize_t link_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	const char *t = vn->priv;
	size_t l = strlen(t);
	if (l > len)
		l = len;
	memcpy(buf, t, l);
	return l;
}

static const struct uk_vnode_ops link_ops = {
	.readlink = link_readlink,
};

int uk_devfs_add_link(const char *name, const char *target)
{
	struct uk_vnode *vn = uk_vnode_alloc(uk_devfs_mount(), &link_ops, S_IFLNK | 0777);
	if (!vn)
		return -ENOMEM;
	vn->priv = (void *)target;
	vn->size = strlen(target);
	return uk_devfs_add(name, vn);
}

static int empty_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill, void *ctx)
{
	for (; *pos < 2; (*pos)++)
		if (fill(ctx, "..", *pos + 1, *pos ? dir->parent->ino : dir->ino, 4))
			return 1;
	return 0;
}

static int empty_lookup(struct uk_vnode *dir, const char *name, size_t len,
			struct uk_vnode **out)
{
	(void)dir, (void)name, (void)len, (void)out;
	return -ENOENT;
}

static const struct uk_vnode_ops empty_dir_ops = {
	.lookup = empty_lookup,
	.readdir = empty_readdir,
};

int uk_devfs_add_dir(const char *name, mode_t mode)
{
	struct uk_mount *m = uk_devfs_mount();
	struct uk_vnode *vn = uk_vnode_alloc(m, &empty_dir_ops, S_IFDIR | mode);
	if (!vn)
		return -ENOMEM;
	vn->parent = m->root;
	vn->name = strdup(name);
	return uk_devfs_add(name, vn);
}

static int devfs_lookup(struct uk_vnode *dir, const char *name, size_t len,
			struct uk_vnode **out)
{
	(void)dir;
	for (int i = 0; i < ndevs; i++) {
		if (strlen(devs[i].name) == len && !memcmp(devs[i].name, name, len)) {
			uk_vnode_get(devs[i].vn);
			*out = devs[i].vn;
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill,
			 void *ctx)
{
	for (;;) {
		uint64_t p = *pos;
		int stop;
		if (p == 0)
			stop = fill(ctx, ".", 1, dir->ino, 4);
		else if (p == 1)
			stop = fill(ctx, "..", 2, dir->parent ? dir->parent->ino : dir->ino, 4);
		else if (p - 2 < (uint64_t)ndevs)
			stop = fill(ctx, devs[p - 2].name, strlen(devs[p - 2].name),
				    devs[p - 2].vn->ino, (devs[p - 2].vn->mode & S_IFMT) >> 12);
		else
			return 0;
		if (stop)
			return 1;
		(*pos)++;
	}
}

static const struct uk_vnode_ops devfs_dir_ops = {
	.lookup = devfs_lookup,
	.readdir = devfs_readdir,
};

static int devfs_init(void)
{
	struct uk_mount *m = uk_devfs_mount();
	if (!m || !m->root)
		return -ENOMEM;
	uk_devfs_add_link("stdin", "/proc/self/fd/0");
	uk_devfs_add_link("stdout", "/proc/self/fd/1");
	uk_devfs_add_link("stderr", "/proc/self/fd/2");
	uk_devfs_add_link("fd", "/proc/self/fd");
	/* /dev must exist in the root to be mounted on. */
	struct uk_vnode *root = uk_vfs_root(), *d;
	if (root->ops->lookup(root, "dev", 3, &d) == 0)
		uk_vnode_put(d);
	else if (!root->ops->mkdir || root->ops->mkdir(root, "dev", 3, S_IFDIR | 0755))
		return -ENOENT;
	return uk_vfs_mount(m, "/dev");
}
/* After the root file system (LIB) and the drivers' registrations. */
UK_INIT_AT(devfs_init, 6);
