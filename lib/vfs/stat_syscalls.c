/* stat family, statx, statfs, getdents64 and the old getdents. */
#include <errno.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <asm/statfs.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/syscall.h>
#include "vfs_internal.h"

/* statfs f_flags (Linux's include/linux/statfs.h) */
#define ST_RDONLY	0x0001
#define ST_VALID	0x0020	/* f_flags is filled in */

/* The stat of the program's path into st, a kernel buffer. */
static long stat_at(int dirfd, const char *upath, struct stat *st, int flags)
{
	struct uk_vnode *vn;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	long rc = UK_WITH_PATH(p, upath, (flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0,
		uk_vfs_lookup(dirfd, p, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : UK_LOOKUP_FOLLOW) |
				      ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &vn));
	if (rc)
		return rc;
	uk_vnode_stat(vn, st);
	uk_vnode_put(vn);
	return 0;
}

/* ... and out to the program's buffer. */
static long user_stat_at(int dirfd, const char *upath, struct stat *ust, int flags)
{
	struct stat st;
	long rc = stat_at(dirfd, upath, &st, flags);
	return rc ? rc : uk_copy_to_user(ust, &st, sizeof(st));
}

UK_SYSCALL_R_DEFINE(int, stat, const char *, path, struct stat *, st)
{
	return user_stat_at(AT_FDCWD, path, st, 0);
}

UK_SYSCALL_R_DEFINE(int, lstat, const char *, path, struct stat *, st)
{
	return user_stat_at(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

UK_SYSCALL_R_DEFINE(int, fstat, int, fd, struct stat *, ust)
{
	struct uk_file *f = uk_fd_get(fd);
	struct stat st;
	if (!f)
		return -EBADF;
	uk_vnode_stat(f->vn, &st);
	return uk_copy_to_user(ust, &st, sizeof(st));
}

UK_SYSCALL_R_DEFINE(int, newfstatat, int, dirfd, const char *, path,
		    struct stat *, st, int, flags)
{
	return user_stat_at(dirfd, path, st, flags);
}

UK_SYSCALL_R_DEFINE(int, statx, int, dirfd, const char *, path, int, flags,
		    unsigned int, mask, struct statx *, usx)
{
	struct stat st;
	struct statx kx, *sx = &kx;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	int rc = stat_at(dirfd, path, &st,
			 flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
	if (rc)
		return rc;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = st.st_blksize;
	sx->stx_nlink = st.st_nlink;
	sx->stx_uid = st.st_uid;
	sx->stx_gid = st.st_gid;
	sx->stx_mode = st.st_mode;
	sx->stx_ino = st.st_ino;
	sx->stx_size = st.st_size;
	sx->stx_blocks = st.st_blocks;
	sx->stx_atime.tv_sec = st.st_atime;
	sx->stx_atime.tv_nsec = st.st_atime_nsec;
	sx->stx_mtime.tv_sec = st.st_mtime;
	sx->stx_mtime.tv_nsec = st.st_mtime_nsec;
	sx->stx_ctime.tv_sec = st.st_ctime;
	sx->stx_ctime.tv_nsec = st.st_ctime_nsec;
	sx->stx_rdev_major = (st.st_rdev >> 8) & 0xfff;
	sx->stx_rdev_minor = (st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00);
	sx->stx_dev_major = (st.st_dev >> 8) & 0xfff;
	sx->stx_dev_minor = (st.st_dev & 0xff) | ((st.st_dev >> 12) & 0xfff00);
	return uk_copy_to_user(usx, sx, sizeof(*sx));
}

/* Defaults for a file system without ops->statfs: roomy, half free. */
int uk_vfs_statfs(struct uk_vnode *vn, struct statfs *s)
{
	memset(s, 0, sizeof(*s));
	s->f_type = vn->mount ? vn->mount->magic : 0;
	s->f_bsize = 4096;
	s->f_frsize = 4096;
	s->f_blocks = 1 << 20;
	s->f_bfree = 1 << 19;
	s->f_bavail = 1 << 19;
	s->f_files = 1 << 20;
	s->f_ffree = 1 << 19;
	s->f_namelen = 255;
	s->f_fsid.val[0] = vn->mount ? vn->mount->dev : 0;
	if (vn->ops->statfs) {
		int rc = vn->ops->statfs(vn, s);
		if (rc)
			return rc;
	}
	s->f_flags = ST_VALID;
	if (vn->mount && vn->mount->readonly)
		s->f_flags |= ST_RDONLY;
	return 0;
}

/* uk_vfs_statfs, out to the program's buffer. */
static long user_statfs(struct uk_vnode *vn, struct statfs *ubuf)
{
	struct statfs st;
	long rc = uk_vfs_statfs(vn, &st);
	return rc ? rc : uk_copy_to_user(ubuf, &st, sizeof(st));
}

static long statfs_path(const char *path, struct statfs *ubuf)
{
	struct uk_vnode *vn;
	long rc = uk_vfs_lookup(AT_FDCWD, path, UK_LOOKUP_FOLLOW, &vn);
	if (rc)
		return rc;
	rc = user_statfs(vn, ubuf);
	uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, statfs, const char *, path, struct statfs *, buf)
{
	return UK_WITH_PATH(p, path, 0, statfs_path(p, buf));
}

UK_SYSCALL_R_DEFINE(int, fstatfs, int, fd, struct statfs *, buf)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	return user_statfs(f->vn, buf);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Entries go to the program's buffer one at a time, each built in the
 * kernel first; a fault ends the call (EFAULT if nothing went out). */
struct dent_ctx {
	char *buf;
	size_t len, used;
	uint64_t next_pos;
	int err;
	int old;	/* the old getdents's records */
};

/* The old getdents's record: the type in the last byte, after the name's
 * NUL. */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

static int fill_old_dent(struct dent_ctx *c, const char *name, size_t nlen,
			 uint64_t ino, unsigned char dtype)
{
	size_t reclen = (offsetof(struct linux_dirent, d_name) + nlen + 2 + 7) & ~7UL;
	union {
		struct linux_dirent d;
		char bytes[offsetof(struct linux_dirent, d_name) + 256 + 8];
	} k;
	if (c->used + reclen > c->len)
		return 1;
	if (reclen > sizeof(k)) {
		c->err = -EIO;
		return 1;
	}
	k.d.d_ino = ino;
	k.d.d_off = c->next_pos;
	k.d.d_reclen = reclen;
	memcpy(k.d.d_name, name, nlen);
	memset(k.d.d_name + nlen, 0, reclen - offsetof(struct linux_dirent, d_name) - nlen);
	k.bytes[reclen - 1] = dtype;
	if (uk_copy_to_user(c->buf + c->used, &k, reclen)) {
		c->err = -EFAULT;
		return 1;
	}
	c->used += reclen;
	return 0;
}

static int fill_dent(void *arg, const char *name, size_t nlen, uint64_t ino,
		     unsigned char dtype)
{
	struct dent_ctx *c = arg;
	if (c->old)
		return fill_old_dent(c, name, nlen, ino, dtype);
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + nlen + 1 + 7) & ~7UL;
	union {
		struct linux_dirent64 d;
		char bytes[offsetof(struct linux_dirent64, d_name) + 256 + 8];
	} k;
	if (c->used + reclen > c->len)
		return 1;
	if (reclen > sizeof(k)) {
		c->err = -EIO;	/* a file system's name over NAME_MAX */
		return 1;
	}
	struct linux_dirent64 *d = &k.d;
	d->d_ino = ino;
	d->d_off = c->next_pos;
	d->d_reclen = reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, nlen);
	memset(d->d_name + nlen, 0, reclen - offsetof(struct linux_dirent64, d_name) - nlen);
	if (uk_copy_to_user(c->buf + c->used, d, reclen)) {
		c->err = -EFAULT;
		return 1;
	}
	c->used += reclen;
	return 0;
}

static long do_getdents(int fd, void *buf, unsigned int len, int old)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (!S_ISDIR(f->vn->mode))
		return -ENOTDIR;
	if (!f->vn->ops->readdir)
		return -ENOTDIR;
	if (!f->vn->nlink)
		return -ENOENT;	/* removed while open */
	if (!uk_user_range_ok(buf, len))
		return -EFAULT;
	struct dent_ctx c = { buf, len, 0, 0, 0, old };
	uint64_t pos = f->pos;
	int rc = f->vn->ops->readdir(f->vn, &pos, fill_dent, &c);
	if (rc < 0)
		return rc;
	if (!c.used && c.err)
		return c.err;
	if (!c.used && rc > 0)
		return -EINVAL;	/* buffer too small for one entry */
	f->pos = pos;
	uk_vnode_touch(f->vn, 1, 0, 0);
	return c.used;
}

UK_SYSCALL_R_DEFINE(long, getdents64, int, fd, void *, buf, unsigned int, len)
{
	return do_getdents(fd, buf, len, 0);
}

UK_SYSCALL_R_DEFINE(long, getdents, int, fd, void *, buf, unsigned int, len)
{
	return do_getdents(fd, buf, len, 1);
}
