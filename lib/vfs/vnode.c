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
