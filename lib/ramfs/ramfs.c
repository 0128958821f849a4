/* ramfs directories, symlinks and nodes: each directory keeps an array of
 * (name, vnode) entries holding a reference each; hard links are several
 * entries naming one vnode. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <uk/ramfs.h>
#include "ramfs_internal.h"

/* Directory sizes grow as tmpfs's do, so listings match a tmpfs. */
#define BOGO_DIRENT_SIZE 20

static const struct uk_vnode_ops ramfs_dir_ops, ramfs_link_ops, ramfs_node_ops,
	ramfs_fifo_ops;

static struct ramfs_dirent *find(struct uk_vnode *dir, const char *name, size_t len)
{
	struct ramfs_node *n = dir->priv;
	for (size_t i = 0; i < n->nents; i++)
		if (strlen(n->ents[i].name) == len && !memcmp(n->ents[i].name, name, len))
			return &n->ents[i];
	return NULL;
}

static int ramfs_lookup(struct uk_vnode *dir, const char *name, size_t len,
			struct uk_vnode **out)
{
	struct ramfs_dirent *e = find(dir, name, len);
	if (!e)
		return -ENOENT;
	uk_vnode_get(e->vn);
	*out = e->vn;
	return 0;
}

static int add_entry(struct uk_vnode *dir, const char *name, size_t len,
		     struct uk_vnode *vn)
{
	struct ramfs_node *n = dir->priv;
	if (n->nents == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 8;
		struct ramfs_dirent *e = realloc(n->ents, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		n->ents = e;
		n->cap = cap;
	}
	char *nm = strndup(name, len);
	if (!nm)
		return -ENOMEM;
	n->ents[n->nents].name = nm;
	n->ents[n->nents].vn = vn;
	n->nents++;
	dir->size += BOGO_DIRENT_SIZE;
	return 0;
}

static void remove_entry(struct uk_vnode *dir, struct ramfs_dirent *e)
{
	struct ramfs_node *n = dir->priv;
	free(e->name);
	size_t i = e - n->ents;
	memmove(&n->ents[i], &n->ents[i + 1], (n->nents - i - 1) * sizeof(*e));
	n->nents--;
	dir->size -= BOGO_DIRENT_SIZE;
}

static struct uk_vnode *new_node(struct uk_vnode *dir, const struct uk_vnode_ops *ops,
				 mode_t mode)
{
	struct uk_vnode *vn = uk_vnode_alloc(dir->mount, ops, mode);
	if (!vn)
		return NULL;
	vn->priv = calloc(1, sizeof(struct ramfs_node));
	if (!vn->priv) {
		free(vn);
		return NULL;
	}
	if (S_ISDIR(mode))
		vn->size = 2 * BOGO_DIRENT_SIZE;
	((struct ramfs_node *)vn->priv)->owner = vn;
	return vn;
}

/* Links a fresh vnode under dir; the entry takes the allocation's ref. */
static int attach(struct uk_vnode *dir, const char *name, size_t len,
		  struct uk_vnode *vn)
{
	int rc = add_entry(dir, name, len, vn);
	if (rc) {
		uk_vnode_put(vn);
		return rc;
	}
	if (S_ISDIR(vn->mode)) {
		vn->parent = dir;
		vn->name = strndup(name, len);
		dir->nlink++;
	}
	return 0;
}

static int ramfs_create(struct uk_vnode *dir, const char *name, size_t len,
			mode_t mode, struct uk_vnode **out)
{
	struct uk_vnode *vn = new_node(dir, &ramfs_file_ops, mode);
	if (!vn)
		return -ENOMEM;
	int rc = attach(dir, name, len, vn);
	if (rc)
		return rc;
	uk_vnode_get(vn);
	*out = vn;
	return 0;
}

static int ramfs_mkdir(struct uk_vnode *dir, const char *name, size_t len, mode_t mode)
{
	struct uk_vnode *vn = new_node(dir, &ramfs_dir_ops, mode);
	return vn ? attach(dir, name, len, vn) : -ENOMEM;
}

static int ramfs_mknod(struct uk_vnode *dir, const char *name, size_t len,
		       mode_t mode, dev_t rdev)
{
	struct uk_vnode *vn = new_node(dir, S_ISFIFO(mode) ? &ramfs_fifo_ops :
					    &ramfs_node_ops, mode);
	if (!vn)
		return -ENOMEM;
	vn->rdev = rdev;
	return attach(dir, name, len, vn);
}

static int ramfs_symlink(struct uk_vnode *dir, const char *name, size_t len,
			 const char *target)
{
	struct uk_vnode *vn = new_node(dir, &ramfs_link_ops, S_IFLNK | 0777);
	if (!vn)
		return -ENOMEM;
	struct ramfs_node *n = vn->priv;
	n->target = strdup(target);
	vn->size = strlen(target);
	if (!n->target) {
		uk_vnode_put(vn);
		return -ENOMEM;
	}
	return attach(dir, name, len, vn);
}

static int ramfs_link(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode *target)
{
	if (target->mount != dir->mount)
		return -EXDEV;
	int rc = add_entry(dir, name, len, target);
	if (!rc) {
		uk_vnode_get(target);
		target->nlink++;
	}
	return rc;
}

static int ramfs_unlink(struct uk_vnode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *e = find(dir, name, len);
	if (!e)
		return -ENOENT;
	struct uk_vnode *vn = e->vn;
	remove_entry(dir, e);
	vn->nlink--;
	uk_vnode_put(vn);
	return 0;
}

static int ramfs_rmdir(struct uk_vnode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *e = find(dir, name, len);
	if (!e)
		return -ENOENT;
	struct uk_vnode *vn = e->vn;
	if (!S_ISDIR(vn->mode))
		return -ENOTDIR;
	if (((struct ramfs_node *)vn->priv)->nents)
		return -ENOTEMPTY;
	remove_entry(dir, e);
	dir->nlink--;
	vn->nlink = 0;
	uk_vnode_put(vn);
	return 0;
}

static int ramfs_rename(struct uk_vnode *odir, const char *oname, size_t olen,
			struct uk_vnode *ndir, const char *nname, size_t nlen,
			unsigned int flags)
{
	struct ramfs_dirent *src = find(odir, oname, olen);
	if (!src)
		return -ENOENT;
	struct uk_vnode *vn = src->vn;
	struct ramfs_dirent *dst = find(ndir, nname, nlen);
	if (flags & 2 /* RENAME_EXCHANGE */) {
		struct uk_vnode *other = dst->vn;
		dst->vn = vn;
		src->vn = other;
		if (S_ISDIR(vn->mode)) {
			vn->parent = ndir;
			free(vn->name);
			vn->name = strndup(nname, nlen);
		}
		if (S_ISDIR(other->mode)) {
			other->parent = odir;
			free(other->name);
			other->name = strndup(oname, olen);
		}
		if (S_ISDIR(vn->mode) != S_ISDIR(other->mode) && odir != ndir) {
			int d = S_ISDIR(vn->mode) ? 1 : -1;
			ndir->nlink += d;
			odir->nlink -= d;
		}
		return 0;
	}
	if (dst) {
		struct uk_vnode *old = dst->vn;
		if (S_ISDIR(old->mode)) {
			if (((struct ramfs_node *)old->priv)->nents)
				return -ENOTEMPTY;
			ndir->nlink--;
			old->nlink = 0;
		} else {
			old->nlink--;
		}
		dst->vn = vn;
		uk_vnode_put(old);
		src = find(odir, oname, olen);	/* may have moved? no: other dir */
		remove_entry(odir, src);
	} else {
		int rc = add_entry(ndir, nname, nlen, vn);
		if (rc)
			return rc;
		remove_entry(odir, find(odir, oname, olen));
	}
	if (S_ISDIR(vn->mode)) {
		vn->parent = ndir;
		free(vn->name);
		vn->name = strndup(nname, nlen);
		if (odir != ndir) {
			odir->nlink--;
			ndir->nlink++;
		}
	}
	return 0;
}

static unsigned char dtype(mode_t m)
{
	return (m & S_IFMT) >> 12;	/* DT_* are S_IFMT >> 12 */
}

static int ramfs_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill,
			 void *ctx)
{
	struct ramfs_node *n = dir->priv;
	for (;;) {
		uint64_t p = *pos;
		int stop;
		if (p == 0)
			stop = fill(ctx, ".", 1, dir->ino, 4);
		else if (p == 1)
			stop = fill(ctx, "..", 2, dir->parent ? dir->parent->ino : dir->ino, 4);
		else if (p - 2 < n->nents)
			stop = fill(ctx, n->ents[p - 2].name, strlen(n->ents[p - 2].name),
				    n->ents[p - 2].vn->ino, dtype(n->ents[p - 2].vn->mode));
		else
			return 0;
		if (stop)
			return 1;
		(*pos)++;
	}
}

static ssize_t ramfs_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	struct ramfs_node *n = vn->priv;
	size_t l = strlen(n->target);
	if (l > len)
		l = len;
	memcpy(buf, n->target, l);
	return l;
}

void ramfs_release(struct uk_vnode *vn)
{
	struct ramfs_node *n = vn->priv;
	if (!n)
		return;
	for (size_t i = 0; i < n->nents; i++) {
		free(n->ents[i].name);
		uk_vnode_put(n->ents[i].vn);
	}
	free(n->ents);
	ramfs_free_data(n);
	ramfs_xattr_free(n);
	free(n->target);
	free(n);
}

static const struct uk_vnode_ops ramfs_dir_ops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.readdir = ramfs_readdir,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
	.xattr = ramfs_xattr,
};

const struct uk_vnode_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.setattr = ramfs_setattr,
	.get_page = ramfs_get_page,
	.seekable = 1,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
	.xattr = ramfs_xattr,
};

static const struct uk_vnode_ops ramfs_link_ops = {
	.readlink = ramfs_readlink,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
	.xattr = ramfs_xattr,
};

/* Device nodes in a ramfs are recorded but not functional: the devices
 * live in devfs, mounted on /dev. Sockets' names serve AF_UNIX. */
static const struct uk_vnode_ops ramfs_node_ops = {
	.statfs = ramfs_statfs,
	.release = ramfs_release,
	.xattr = ramfs_xattr,
};

/* FIFOs open as pipes (lib/vfs/pipe.c). */
static const struct uk_vnode_ops ramfs_fifo_ops = {
	UK_FIFO_OPS,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
};

struct uk_mount *uk_ramfs_new(void)
{
	struct uk_mount *m = uk_mount_new("ramfs", RAMFS_MAGIC);
	if (!m)
		return NULL;
	struct uk_vnode *root = uk_vnode_alloc(m, &ramfs_dir_ops, S_IFDIR | 0755);
	if (!root || !(root->priv = calloc(1, sizeof(struct ramfs_node)))) {
		free(root);
		free(m);
		return NULL;
	}
	root->size = 2 * BOGO_DIRENT_SIZE;
	m->root = root;
	return m;
}

/* An unlinked regular file on a private instance: the memory behind
 * MAP_SHARED|MAP_ANONYMOUS, which every mapping of it shares, fork's
 * copies included (Linux's shmem). Size bytes of zeroes, open O_RDWR. */
struct uk_vnode *ramfs_unlinked(const struct uk_vnode_ops *ops, mode_t mode)
{
	static struct uk_mount *shm;
	if (!shm && !(shm = uk_ramfs_new()))
		return NULL;
	struct uk_vnode *vn = new_node(shm->root, ops, mode);
	if (vn)
		vn->nlink = 0;
	return vn;
}

struct uk_file *uk_shmem_file(size_t size, const char *name)
{
	struct uk_vnode *vn = ramfs_unlinked(&ramfs_file_ops, S_IFREG | 0600);
	if (!vn)
		return NULL;
	if (size && ramfs_truncate(vn, size)) {
		uk_vnode_put(vn);
		return NULL;
	}
	struct uk_file *f = uk_file_new(vn, O_RDWR, name);
	if (!f)
		uk_vnode_put(vn);
	return f;
}
