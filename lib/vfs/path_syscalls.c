/* System calls on names: open, create, remove, rename, link, symlink,
 * readlink, directories, the working directory, modes, owners, times. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <linux/time.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <uk/syscall.h>
#include "vfs_internal.h"

#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)

/* The do_ functions take the kernel's copy of their paths: the system
 * calls copy them in with UK_WITH_PATH. */
static long do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	struct uk_file *f;
	flags &= ~UK_O_EXEC;	/* the kernel's own flag */
	int rc = uk_vfs_open(dirfd, path, flags, mode, &f);
	if (rc)
		return rc;
	rc = uk_fd_install(f, 0, !!(flags & O_CLOEXEC));
	if (rc < 0)
		uk_file_put(f);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, open, const char *, path, int, flags, unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_openat(AT_FDCWD, p, flags, mode));
}

UK_SYSCALL_R_DEFINE(int, openat, int, dirfd, const char *, path, int, flags,
		    unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_openat(dirfd, p, flags, mode));
}

UK_SYSCALL_R_DEFINE(int, creat, const char *, path, unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0,
			    do_openat(AT_FDCWD, p, O_CREAT | O_WRONLY | O_TRUNC, mode));
}

/* Looks up the parent of path for a call that creates or removes the last
 * component; refuses "." and ".." there (as Linux does). */
static int parent_of(int dirfd, const char *path, struct uk_vnode **dir,
		     const char **name, size_t *len, int *trailing)
{
	int rc = uk_vfs_lookup_parent(dirfd, path, dir, name, len);
	if (rc < 0)
		return rc;
	*trailing = rc == 1;
	if (!(*dir)->nlink) {
		uk_vnode_put(*dir);
		return -ENOENT;	/* a removed directory takes no new names */
	}
	return 0;
}

static int is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

static int exists(struct uk_vnode *dir, const char *name, size_t len)
{
	struct uk_vnode *vn;
	if (uk_vfs_lookup_last(dir, name, len, 0, &vn))
		return 0;
	uk_vnode_put(vn);
	return 1;
}

/* The name just made in dir becomes the caller's. */
static void own_new(struct uk_vnode *dir, const char *name, size_t len)
{
	struct uk_vnode *vn;
	if (uk_vfs_lookup_last(dir, name, len, 0, &vn))
		return;
	uk_vfs_new_owner(dir, vn);
	uk_vnode_put(vn);
}

static long do_mkdirat(int dirfd, const char *path, mode_t mode)
{
	struct uk_vnode *dir;
	const char *name;
	size_t len;
	int trailing, rc = parent_of(dirfd, path, &dir, &name, &len, &trailing);
	if (rc)
		return rc;
	if (!len || is_dot(name, len) || exists(dir, name, len))
		rc = -EEXIST;
	else if (!dir->ops->mkdir)
		rc = -EROFS;
	else if (!(rc = uk_vfs_may_create(dir)))
		/* A set-group-ID directory's subdirectories are too. */
		rc = dir->ops->mkdir(dir, name, len, S_IFDIR | (dir->mode & S_ISGID) |
				     (mode & 07777 & ~uk_vfs_umask()));
	if (!rc) {
		uk_vnode_touch(dir, 0, 1, 1);
		own_new(dir, name, len);
	}
	uk_vnode_put(dir);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, mkdir, const char *, path, unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_mkdirat(AT_FDCWD, p, mode));
}

UK_SYSCALL_R_DEFINE(int, mkdirat, int, dirfd, const char *, path, unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_mkdirat(dirfd, p, mode));
}

static long do_mknodat(int dirfd, const char *path, mode_t mode, unsigned int dev)
{
	struct uk_vnode *dir, *vn;
	const char *name;
	size_t len;
	int trailing, rc = parent_of(dirfd, path, &dir, &name, &len, &trailing);
	if (rc)
		return rc;
	if (!len || is_dot(name, len) || exists(dir, name, len)) {
		rc = -EEXIST;
	} else if ((rc = uk_vfs_may_create(dir))) {
		/* EACCES */
	} else if ((S_ISCHR(mode) || S_ISBLK(mode)) && !uk_vfs_capable(CAP_MKNOD)) {
		rc = -EPERM;
	} else if (S_ISREG(mode) || !(mode & S_IFMT)) {
		rc = dir->ops->create ? dir->ops->create(dir, name, len,
				S_IFREG | (mode & 07777 & ~uk_vfs_umask()), &vn) : -EROFS;
		if (!rc)
			uk_vnode_put(vn);
	} else if (S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISSOCK(mode)) {
		rc = dir->ops->mknod ? dir->ops->mknod(dir, name, len,
				(mode & S_IFMT) | (mode & 07777 & ~uk_vfs_umask()), dev) : -EPERM;
	} else {
		rc = -EINVAL;
	}
	if (!rc)
		own_new(dir, name, len);
	uk_vnode_put(dir);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, mknod, const char *, path, unsigned int, mode,
		    unsigned int, dev)
{
	return UK_WITH_PATH(p, path, 0, do_mknodat(AT_FDCWD, p, mode, dev));
}

UK_SYSCALL_R_DEFINE(int, mknodat, int, dirfd, const char *, path,
		    unsigned int, mode, unsigned int, dev)
{
	return UK_WITH_PATH(p, path, 0, do_mknodat(dirfd, p, mode, dev));
}

static long do_unlinkat(int dirfd, const char *path, int flags)
{
	struct uk_vnode *dir, *vn;
	const char *name;
	size_t len;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	int trailing, rc = parent_of(dirfd, path, &dir, &name, &len, &trailing);
	if (rc)
		return rc;
	if (!len) {
		rc = flags & AT_REMOVEDIR ? -EBUSY : -EISDIR;
	} else if (is_dot(name, len)) {
		rc = flags & AT_REMOVEDIR ? (len == 1 ? -EINVAL : -ENOTEMPTY) : -EISDIR;
	} else if ((rc = uk_vfs_lookup_last(dir, name, len, 0, &vn)) == 0) {
		if ((rc = uk_vfs_may_delete(dir, vn))) {
			/* EACCES, or EPERM in a sticky directory */
		} else if (flags & AT_REMOVEDIR) {
			if (!S_ISDIR(vn->mode))
				rc = -ENOTDIR;
			else if (vn->covered_by || uk_vnode_is_mounted_root(vn) ||
				 vn == uk_vfs_root())
				rc = -EBUSY;
			else
				rc = dir->ops->rmdir ? dir->ops->rmdir(dir, name, len) : -EROFS;
		} else {
			if (S_ISDIR(vn->mode))
				rc = -EISDIR;
			else if (trailing)
				rc = -ENOTDIR;
			else
				rc = dir->ops->unlink ? dir->ops->unlink(dir, name, len) : -EROFS;
		}
		if (!rc) {
			uk_vnode_touch(dir, 0, 1, 1);
			uk_vnode_touch(vn, 0, 0, 1);
		}
		uk_vnode_put(vn);
	}
	uk_vnode_put(dir);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, unlink, const char *, path)
{
	return UK_WITH_PATH(p, path, 0, do_unlinkat(AT_FDCWD, p, 0));
}

UK_SYSCALL_R_DEFINE(int, unlinkat, int, dirfd, const char *, path, int, flags)
{
	return UK_WITH_PATH(p, path, 0, do_unlinkat(dirfd, p, flags));
}

UK_SYSCALL_R_DEFINE(int, rmdir, const char *, path)
{
	return UK_WITH_PATH(p, path, 0, do_unlinkat(AT_FDCWD, p, AT_REMOVEDIR));
}

/* Whether a is b or one of b's ancestors (moving a dir into itself). */
static int is_ancestor(struct uk_vnode *a, struct uk_vnode *b)
{
	for (int depth = 0; b && depth < 4096; depth++) {
		if (a == b)
			return 1;
		if (b->parent == b)
			break;
		b = b->parent;
	}
	return 0;
}

static long do_renameat2(int odirfd, const char *opath, int ndirfd,
			 const char *npath, unsigned int flags)
{
	struct uk_vnode *odir, *ndir, *src = NULL, *dst = NULL;
	const char *oname, *nname;
	size_t olen, nlen;
	int otrail, ntrail, rc;
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) ||
	    ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;
	if ((rc = parent_of(odirfd, opath, &odir, &oname, &olen, &otrail)))
		return rc;
	if ((rc = parent_of(ndirfd, npath, &ndir, &nname, &nlen, &ntrail))) {
		uk_vnode_put(odir);
		return rc;
	}
	if (!olen || !nlen || is_dot(oname, olen) || is_dot(nname, nlen)) {
		rc = -EBUSY;
		goto out;
	}
	if ((rc = uk_vfs_lookup_last(odir, oname, olen, 0, &src)))
		goto out;
	if (uk_vnode_is_mounted_root(src)) {
		rc = -EBUSY;	/* a mountpoint moves with its mount or not at all */
		goto out;
	}
	if ((otrail || ntrail) && !S_ISDIR(src->mode)) {
		rc = -ENOTDIR;
		goto out;
	}
	if (odir->mount != ndir->mount) {
		rc = -EXDEV;
		goto out;
	}
	if ((rc = uk_vfs_may_delete(odir, src)))
		goto out;
	if (uk_vfs_lookup_last(ndir, nname, nlen, 0, &dst) == 0) {
		if (src != dst && (rc = uk_vfs_may_delete(ndir, dst)))
			goto out;
		if (flags & RENAME_NOREPLACE) {
			rc = -EEXIST;
			goto out;
		}
		if (src == dst) {
			rc = 0;	/* same file: nothing to do */
			goto out;
		}
		if (!(flags & RENAME_EXCHANGE)) {
			if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode)) {
				rc = -ENOTDIR;
				goto out;
			}
			if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode)) {
				rc = -EISDIR;
				goto out;
			}
		}
		if (dst->covered_by || uk_vnode_is_mounted_root(dst)) {
			rc = -EBUSY;
			goto out;
		}
	} else if (flags & RENAME_EXCHANGE) {
		rc = -ENOENT;
		goto out;
	} else if ((rc = uk_vfs_may_create(ndir))) {
		goto out;
	}
	/* A directory that changes parent has its ".." rewritten. */
	if (odir != ndir && ((S_ISDIR(src->mode) && (rc = uk_vfs_permission(src, UK_MAY_WRITE))) ||
			     ((flags & RENAME_EXCHANGE) && S_ISDIR(dst->mode) &&
			      (rc = uk_vfs_permission(dst, UK_MAY_WRITE)))))
		goto out;
	if (S_ISDIR(src->mode) && is_ancestor(src, ndir)) {
		rc = -EINVAL;
		goto out;
	}
	if ((flags & RENAME_EXCHANGE) && dst && S_ISDIR(dst->mode) &&
	    is_ancestor(dst, odir)) {
		rc = -EINVAL;
		goto out;
	}
	if (!odir->ops->rename) {
		rc = -EROFS;
		goto out;
	}
	rc = odir->ops->rename(odir, oname, olen, ndir, nname, nlen, flags);
	if (!rc) {
		uk_vnode_touch(odir, 0, 1, 1);
		uk_vnode_touch(ndir, 0, 1, 1);
		uk_vnode_touch(src, 0, 0, 1);
	}
out:
	if (src)
		uk_vnode_put(src);
	if (dst)
		uk_vnode_put(dst);
	uk_vnode_put(odir);
	uk_vnode_put(ndir);
	return rc;
}

static long user_renameat2(int odirfd, const char *opath, int ndirfd,
			   const char *npath, unsigned int flags)
{
	return UK_WITH_PATH(o, opath, 0, UK_WITH_PATH(n, npath, 0,
				do_renameat2(odirfd, o, ndirfd, n, flags)));
}

UK_SYSCALL_R_DEFINE(int, rename, const char *, oldpath, const char *, newpath)
{
	return user_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

UK_SYSCALL_R_DEFINE(int, renameat, int, olddirfd, const char *, oldpath,
		    int, newdirfd, const char *, newpath)
{
	return user_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

UK_SYSCALL_R_DEFINE(int, renameat2, int, olddirfd, const char *, oldpath,
		    int, newdirfd, const char *, newpath, unsigned int, flags)
{
	return user_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

static long do_linkat(int odirfd, const char *opath, int ndirfd,
		      const char *npath, int flags)
{
	struct uk_vnode *src, *ndir;
	const char *name;
	size_t len;
	int trailing, rc;
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	rc = uk_vfs_lookup(odirfd, opath,
			   ((flags & AT_SYMLINK_FOLLOW) ? UK_LOOKUP_FOLLOW : 0) |
			   ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &src);
	if (rc)
		return rc;
	if (S_ISDIR(src->mode)) {
		uk_vnode_put(src);
		return -EPERM;
	}
	if ((rc = parent_of(ndirfd, npath, &ndir, &name, &len, &trailing))) {
		uk_vnode_put(src);
		return rc;
	}
	if (!len || is_dot(name, len) || exists(ndir, name, len))
		rc = -EEXIST;
	else if (trailing)
		rc = -ENOENT;
	else if (ndir->mount != src->mount)
		rc = -EXDEV;
	else if ((rc = uk_vfs_may_link(src)) || (rc = uk_vfs_may_create(ndir)))
		;	/* EPERM (protected hard links), EACCES */
	else if (!ndir->ops->link)
		rc = -EPERM;
	else
		rc = ndir->ops->link(ndir, name, len, src);
	if (!rc) {
		uk_vnode_touch(ndir, 0, 1, 1);
		uk_vnode_touch(src, 0, 0, 1);
	}
	uk_vnode_put(ndir);
	uk_vnode_put(src);
	return rc;
}

/* The old path may be empty with AT_EMPTY_PATH (dirfd's file). */
static long user_linkat(int odirfd, const char *opath, int ndirfd,
			const char *npath, int flags)
{
	int empty = (flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0;
	return UK_WITH_PATH(o, opath, empty, UK_WITH_PATH(n, npath, 0,
				do_linkat(odirfd, o, ndirfd, n, flags)));
}

UK_SYSCALL_R_DEFINE(int, link, const char *, oldpath, const char *, newpath)
{
	return user_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

UK_SYSCALL_R_DEFINE(int, linkat, int, olddirfd, const char *, oldpath,
		    int, newdirfd, const char *, newpath, int, flags)
{
	return user_linkat(olddirfd, oldpath, newdirfd, newpath, flags);
}

static long do_symlinkat(const char *target, int dirfd, const char *path)
{
	struct uk_vnode *dir;
	const char *name;
	size_t len;
	int trailing, rc = parent_of(dirfd, path, &dir, &name, &len, &trailing);
	if (rc)
		return rc;
	if (!len || is_dot(name, len) || exists(dir, name, len))
		rc = -EEXIST;
	else if (trailing)
		rc = -ENOENT;
	else if (!dir->ops->symlink)
		rc = -EROFS;
	else if (!(rc = uk_vfs_may_create(dir)))
		rc = dir->ops->symlink(dir, name, len, target);
	if (!rc) {
		uk_vnode_touch(dir, 0, 1, 1);
		own_new(dir, name, len);
	}
	uk_vnode_put(dir);
	return rc;
}

/* The target is a path argument too: not empty, under PATH_MAX. */
static long user_symlinkat(const char *target, int dirfd, const char *path)
{
	return UK_WITH_PATH(t, target, 0, UK_WITH_PATH(p, path, 0,
				do_symlinkat(t, dirfd, p)));
}

UK_SYSCALL_R_DEFINE(int, symlink, const char *, target, const char *, path)
{
	return user_symlinkat(target, AT_FDCWD, path);
}

UK_SYSCALL_R_DEFINE(int, symlinkat, const char *, target, int, dirfd,
		    const char *, path)
{
	return user_symlinkat(target, dirfd, path);
}

/* The link's text goes to a kernel buffer, then out (as much as fits,
 * all or EFAULT). */
static long do_readlinkat(int dirfd, const char *path, char *ubuf, long size)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(dirfd, path, UK_LOOKUP_EMPTY, &vn);
	if (rc)
		return rc;
	char *buf = NULL;
	if (!S_ISLNK(vn->mode) || !vn->ops->readlink)
		rc = -EINVAL;
	else if (!(buf = malloc(size < PATH_MAX ? size : PATH_MAX)))
		rc = -ENOMEM;
	else
		rc = vn->ops->readlink(vn, buf, size < PATH_MAX ? size : PATH_MAX);
	uk_vnode_put(vn);
	if (rc > 0 && uk_copy_to_user(ubuf, buf, rc))
		rc = -EFAULT;
	free(buf);
	return rc;
}

static long user_readlinkat(int dirfd, const char *path, char *buf, long size)
{
	if (size <= 0)
		return -EINVAL;
	return UK_WITH_PATH(p, path, UK_LOOKUP_EMPTY, do_readlinkat(dirfd, p, buf, size));
}

UK_SYSCALL_R_DEFINE(long, readlink, const char *, path, char *, buf, long, size)
{
	return user_readlinkat(AT_FDCWD, path, buf, size);
}

UK_SYSCALL_R_DEFINE(long, readlinkat, int, dirfd, const char *, path, char *, buf,
		    long, size)
{
	return user_readlinkat(dirfd, path, buf, size);
}

int uk_vfs_chdir(const char *path)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(AT_FDCWD, path, UK_LOOKUP_FOLLOW | UK_LOOKUP_DIRECTORY, &vn);
	if (rc)
		return rc;
	if ((rc = uk_vfs_permission(vn, UK_MAY_EXEC))) {
		uk_vnode_put(vn);
		return rc;
	}
	uk_vfs_set_cwd(vn);
	uk_vnode_put(vn);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, chdir, const char *, path)
{
	return UK_WITH_PATH(p, path, 0, uk_vfs_chdir(p));
}

UK_SYSCALL_R_DEFINE(int, fchdir, int, fd)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->vn->mode))
		return -ENOTDIR;
	int rc = uk_vfs_permission(f->vn, UK_MAY_EXEC);
	if (rc)
		return rc;
	uk_vfs_set_cwd(f->vn);
	return 0;
}

UK_SYSCALL_R_DEFINE(long, getcwd, char *, ubuf, size_t, size)
{
	if (!size)
		return -EINVAL;
	if (!uk_vfs_cwd()->nlink)
		return -ENOENT;	/* the working directory was removed */
	char *buf = malloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long n = uk_vfs_dir_path(uk_vfs_cwd(), buf, size < PATH_MAX ? size : PATH_MAX);
	if (n > 0 && uk_copy_to_user(ubuf, buf, n))
		n = -EFAULT;
	free(buf);
	return n;
}

static long do_truncate(const char *path, long len)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(AT_FDCWD, path, UK_LOOKUP_FOLLOW, &vn);
	if (rc)
		return rc;
	/* Linux's vfs_truncate: the kind of file, then write permission. */
	if (S_ISDIR(vn->mode))
		rc = -EISDIR;
	else if (!S_ISREG(vn->mode))
		rc = -EINVAL;
	else if (len >= 0)
		rc = uk_vfs_permission(vn, UK_MAY_WRITE);
	if (!rc)
		rc = uk_vfs_truncate_vnode(vn, len);
	uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, truncate, const char *, path, long, len)
{
	return UK_WITH_PATH(p, path, 0, do_truncate(p, len));
}

static long set_mode(struct uk_vnode *vn, mode_t mode)
{
	mode &= 07777;
	int rc = uk_vfs_may_chmod(vn, &mode);
	if (rc)
		return rc;
	struct uk_vattr va = { .mask = UK_ATTR_MODE, .mode = mode };
	return uk_vfs_setattr(vn, &va);
}

static long do_fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	struct uk_vnode *vn;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int rc = uk_vfs_lookup(dirfd, path,
			       ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : UK_LOOKUP_FOLLOW) |
			       ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &vn);
	if (rc)
		return rc;
	rc = S_ISLNK(vn->mode) ? -EOPNOTSUPP : set_mode(vn, mode);
	uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, chmod, const char *, path, unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_fchmodat(AT_FDCWD, p, mode, 0));
}

UK_SYSCALL_R_DEFINE(int, fchmodat, int, dirfd, const char *, path,
		    unsigned int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_fchmodat(dirfd, p, mode, 0));
}

UK_SYSCALL_R_DEFINE(int, fchmod, int, fd, unsigned int, mode)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return set_mode(f->vn, mode);
}

static long set_owner(struct uk_vnode *vn, unsigned int uid, unsigned int gid)
{
	int rc = uk_vfs_may_chown(vn, uid, gid);
	if (rc)
		return rc;
	struct uk_vattr va = { .mask = 0, .uid = uid, .gid = gid };
	if (uid != (unsigned int)-1)
		va.mask |= UK_ATTR_UID;
	if (gid != (unsigned int)-1)
		va.mask |= UK_ATTR_GID;
	return uk_vfs_setattr(vn, &va);
}

static long do_fchownat(int dirfd, const char *path, unsigned int uid,
			unsigned int gid, int flags)
{
	struct uk_vnode *vn;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int rc = uk_vfs_lookup(dirfd, path,
			       ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : UK_LOOKUP_FOLLOW) |
			       ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &vn);
	if (rc)
		return rc;
	rc = set_owner(vn, uid, gid);
	uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, chown, const char *, path, unsigned int, uid,
		    unsigned int, gid)
{
	return UK_WITH_PATH(p, path, 0, do_fchownat(AT_FDCWD, p, uid, gid, 0));
}

UK_SYSCALL_R_DEFINE(int, lchown, const char *, path, unsigned int, uid,
		    unsigned int, gid)
{
	return UK_WITH_PATH(p, path, 0,
			    do_fchownat(AT_FDCWD, p, uid, gid, AT_SYMLINK_NOFOLLOW));
}

UK_SYSCALL_R_DEFINE(int, fchownat, int, dirfd, const char *, path,
		    unsigned int, uid, unsigned int, gid, int, flags)
{
	return UK_WITH_PATH(p, path, (flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0,
			    do_fchownat(dirfd, p, uid, gid, flags));
}

UK_SYSCALL_R_DEFINE(int, fchown, int, fd, unsigned int, uid, unsigned int, gid)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	return set_owner(f->vn, uid, gid);
}

/* One of utimensat's times into va: UTIME_OMIT leaves it, UTIME_NOW is
 * the file system's now. */
static int set_time(struct uk_vattr *va, const struct __kernel_timespec *ts,
		    unsigned int bit, unsigned int set_bit, struct timespec_ns *t)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return 0;
	va->mask |= bit;
	if (ts->tv_nsec == UTIME_NOW)
		return 0;
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	va->mask |= set_bit;
	t->sec = ts->tv_sec;
	t->nsec = ts->tv_nsec;
	return 0;
}

static long do_utimens(struct uk_vnode *vn, const struct __kernel_timespec *ts)
{
	struct uk_vattr va = { .mask = 0 };
	if (!ts) {
		va.mask = UK_ATTR_ATIME | UK_ATTR_MTIME;
	} else {
		int rc = set_time(&va, &ts[0], UK_ATTR_ATIME, UK_ATTR_ATIME_SET, &va.atime);
		if (!rc)
			rc = set_time(&va, &ts[1], UK_ATTR_MTIME, UK_ATTR_MTIME_SET, &va.mtime);
		if (rc)
			return rc;
	}
	int rc = uk_vfs_may_utimes(vn, !!(va.mask & (UK_ATTR_ATIME_SET | UK_ATTR_MTIME_SET)));
	if (rc)
		return rc;
	return uk_vfs_setattr(vn, &va);
}

static long utimens_path(int dirfd, const char *path,
			 const struct __kernel_timespec *ts, int flags)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(dirfd, path,
			       ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : UK_LOOKUP_FOLLOW) |
			       ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &vn);
	if (rc)
		return rc;
	rc = do_utimens(vn, ts);
	uk_vnode_put(vn);
	return rc;
}

/* Linux's do_utimes: no path (but a descriptor) means dirfd's file. */
static long do_utimes(int dirfd, const char *upath, const struct __kernel_timespec *ts,
		      int flags)
{
	if (!upath && dirfd != AT_FDCWD) {
		struct uk_file *f = uk_fd_get(dirfd);
		if (flags)
			return -EINVAL;
		return f ? do_utimens(f->vn, ts) : -EBADF;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return UK_WITH_PATH(p, upath, (flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0,
			    utimens_path(dirfd, p, ts, flags));
}

UK_SYSCALL_R_DEFINE(int, utimensat, int, dirfd, const char *, path,
		    const struct __kernel_timespec *, times, int, flags)
{
	struct __kernel_timespec ts[2];
	if (times) {
		if (uk_copy_from_user(ts, times, sizeof(ts)))
			return -EFAULT;
		/* Both UTIME_OMIT: nothing to do, and (as on Linux) the file
		 * need not even exist. */
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(dirfd, path, times ? ts : NULL, flags);
}

struct old_timeval {
	long tv_sec, tv_usec;
};

/* utimes and futimesat: microseconds, checked here (UTIME_NOW and
 * UTIME_OMIT are utimensat's); no path with a descriptor is its file. */
static long do_futimesat(int dirfd, const char *path, const struct old_timeval *utv)
{
	struct old_timeval tv[2];
	struct __kernel_timespec ts[2];
	if (utv) {
		if (uk_copy_from_user(tv, utv, sizeof(tv)))
			return -EFAULT;
		/* Linux's range. */
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			ts[i].tv_sec = tv[i].tv_sec;
			ts[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return do_utimes(dirfd, path, utv ? ts : NULL, 0);
}

UK_SYSCALL_R_DEFINE(int, utimes, const char *, path, const struct old_timeval *, utv)
{
	return do_futimesat(AT_FDCWD, path, utv);
}

UK_SYSCALL_R_DEFINE(int, futimesat, int, dirfd, const char *, path,
		    const struct old_timeval *, utv)
{
	return do_futimesat(dirfd, path, utv);
}

/* utime: whole seconds. */
struct old_utimbuf {
	long actime, modtime;
};

UK_SYSCALL_R_DEFINE(int, utime, const char *, path, const struct old_utimbuf *, times)
{
	struct old_utimbuf ub;
	struct __kernel_timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	if (times) {
		if (uk_copy_from_user(&ub, times, sizeof(ub)))
			return -EFAULT;
		ts[0].tv_sec = ub.actime;
		ts[1].tv_sec = ub.modtime;
	}
	return do_utimes(AT_FDCWD, path, times ? ts : NULL, 0);
}

UK_SYSCALL_R_DEFINE(int, umask, unsigned int, mask)
{
	return uk_vfs_set_umask(mask);
}

static long do_faccessat(int dirfd, const char *path, int mode, int flags)
{
	struct uk_vnode *vn;
	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linux's access_override_creds: unless AT_EACCESS, the real ids,
	 * and root's capabilities only for a real root. */
	struct uk_cred c = uk_proc()->cred;
	if (!(flags & AT_EACCESS)) {
		c.fsuid = c.ruid;
		c.fsgid = c.rgid;
		if (!(c.securebits & (1 << SECURE_NO_SETUID_FIXUP)))
			c.cap_eff = c.ruid ? 0 : c.cap_prm;
	}
	uk_vfs_cred_override(&c);
	int rc = uk_vfs_lookup(dirfd, path,
			       ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : UK_LOOKUP_FOLLOW) |
			       ((flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0), &vn);
	if (!rc) {
		rc = uk_vfs_permission(vn, mode & 7);
		uk_vnode_put(vn);
	}
	uk_vfs_cred_override(NULL);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, access, const char *, path, int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_faccessat(AT_FDCWD, p, mode, 0));
}

UK_SYSCALL_R_DEFINE(int, faccessat, int, dirfd, const char *, path, int, mode)
{
	return UK_WITH_PATH(p, path, 0, do_faccessat(dirfd, p, mode, 0));
}

UK_SYSCALL_R_DEFINE(int, faccessat2, int, dirfd, const char *, path, int, mode,
		    int, flags)
{
	return UK_WITH_PATH(p, path, (flags & AT_EMPTY_PATH) ? UK_LOOKUP_EMPTY : 0,
			    do_faccessat(dirfd, p, mode, flags));
}
