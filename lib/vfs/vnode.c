/* Vnode lifetime and attributes, and the mount table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/vfs.h>

static uint64_t next_ino = 1;
static struct uk_mount *mounts;
static struct uk_vnode *root_vnode;
static dev_t next_dev = 1;

static void now(struct timespec_ns *t)
{
	uint64_t ns = ukplat_wall_clock_ns();
	t->sec = ns / 1000000000ULL;
	t->nsec = ns % 1000000000ULL;
}

struct uk_vnode *uk_vnode_alloc(struct uk_mount *m, const struct uk_vnode_ops *ops,
				mode_t mode)
{
	struct uk_vnode *vn = calloc(1, sizeof(*vn));
	if (!vn)
		return NULL;
	vn->ops = ops;
	vn->mount = m;
	vn->mode = mode;
	vn->ino = next_ino++;
	vn->nlink = S_ISDIR(mode) ? 2 : 1;
	vn->refs = 1;
	now(&vn->mtime);
	vn->atime = vn->ctime = vn->mtime;
	return vn;
}

void uk_vnode_get(struct uk_vnode *vn)
{
	vn->refs++;
}

void uk_vnode_put(struct uk_vnode *vn)
{
	if (!vn || --vn->refs > 0)
		return;
	if (vn->ops->release)
		vn->ops->release(vn);
	free(vn->name);
	free(vn);
}

void uk_vnode_touch(struct uk_vnode *vn, int atime, int mtime, int ctime)
{
	struct timespec_ns t;
	now(&t);
	if (atime)
		vn->atime = t;
	if (mtime)
		vn->mtime = t;
	if (ctime)
		vn->ctime = t;
}

int uk_vfs_setattr(struct uk_vnode *vn, struct uk_vattr *va)
{
	if (vn->mount && vn->mount->readonly)
		return -EROFS;
	if (va->mask & UK_ATTR_SIZE) {
		if (S_ISDIR(vn->mode))
			return -EISDIR;
		if (!S_ISREG(vn->mode) || va->size < 0)
			return -EINVAL;
		if (!vn->ops->setattr && !vn->ops->truncate)
			return -EROFS;
	}
	/* A new owner drops set-user-ID, and set-group-ID where it means
	 * that (with group execute), even for root. */
	if ((va->mask & (UK_ATTR_UID | UK_ATTR_GID)) && !S_ISDIR(vn->mode) &&
	    !S_ISLNK(vn->mode)) {
		mode_t m = va->mask & UK_ATTR_MODE ? va->mode : vn->mode & 07777;
		mode_t kill = S_ISUID | (m & S_IXGRP ? S_ISGID : 0);
		if (m & kill) {
			va->mask |= UK_ATTR_MODE;
			va->mode = m & ~kill;
		}
	}
	now(&va->ctime);
	va->mask |= UK_ATTR_CTIME;
	if ((va->mask & (UK_ATTR_ATIME | UK_ATTR_ATIME_SET)) == UK_ATTR_ATIME)
		va->atime = va->ctime;
	if ((va->mask & (UK_ATTR_MTIME | UK_ATTR_MTIME_SET)) == UK_ATTR_MTIME)
		va->mtime = va->ctime;
	int rc = 0;
	if (vn->ops->setattr)
		rc = vn->ops->setattr(vn, va);
	else if (va->mask & UK_ATTR_SIZE)
		rc = vn->ops->truncate(vn, va->size);
	if (rc)
		return rc;
	if (va->mask & UK_ATTR_MODE)
		vn->mode = (vn->mode & S_IFMT) | (va->mode & 07777);
	if (va->mask & UK_ATTR_UID)
		vn->uid = va->uid;
	if (va->mask & UK_ATTR_GID)
		vn->gid = va->gid;
	if (va->mask & UK_ATTR_SIZE)
		vn->size = va->size;
	if (va->mask & UK_ATTR_ATIME)
		vn->atime = va->atime;
	if (va->mask & UK_ATTR_MTIME)
		vn->mtime = va->mtime;
	vn->ctime = va->ctime;
	return 0;
}

void uk_vnode_stat(struct uk_vnode *vn, struct stat *st)
{
	if (vn->ops->refresh)
		vn->ops->refresh(vn);
	memset(st, 0, sizeof(*st));
	st->st_dev = vn->mount ? vn->mount->dev : 0;
	st->st_ino = vn->ino;
	st->st_mode = vn->mode;
	st->st_nlink = vn->nlink;
	st->st_uid = vn->uid;
	st->st_gid = vn->gid;
	st->st_rdev = vn->rdev;
	st->st_size = vn->size;
	st->st_blksize = 4096;
	/* Counted as tmpfs does: whole pages for files, nothing else. */
	st->st_blocks = S_ISREG(vn->mode) ? ((vn->size + 4095) / 4096) * 8 : 0;
	st->st_atime = vn->atime.sec;
	st->st_atime_nsec = vn->atime.nsec;
	st->st_mtime = vn->mtime.sec;
	st->st_mtime_nsec = vn->mtime.nsec;
	st->st_ctime = vn->ctime.sec;
	st->st_ctime_nsec = vn->ctime.nsec;
}

struct uk_mount *uk_mount_new(const char *fstype, unsigned long magic)
{
	struct uk_mount *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->fstype = fstype;
	m->magic = magic;
	m->dev = next_dev++;
	return m;
}

struct uk_vnode *uk_vfs_root(void)
{
	return root_vnode;
}

struct uk_mount *uk_vfs_mounts(void)
{
	return mounts;
}

int uk_vfs_mount(struct uk_mount *m, const char *path)
{
	if (!strcmp(path, "/") && !root_vnode) {
		root_vnode = m->root;
		uk_vnode_get(root_vnode);
		root_vnode->parent = root_vnode;
	} else {
		struct uk_vnode *mp;
		int rc = uk_vfs_lookup(-100 /* AT_FDCWD */, path,
				       UK_LOOKUP_FOLLOW | UK_LOOKUP_DIRECTORY, &mp);
		if (rc)
			return rc;
		if (mp->covered_by) {
			uk_vnode_put(mp);
			return -EBUSY;
		}
		mp->covered_by = m;
		m->mountpoint = mp;	/* keeps the reference */
		m->root->parent = mp->parent;
		free(m->root->name);
		m->root->name = mp->name ? strdup(mp->name) : NULL;
	}
	m->next = mounts;
	mounts = m;
	return 0;
}
