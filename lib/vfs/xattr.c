/* Extended attributes: the twelve calls (get, set, list, remove; by path,
 * by path without following a last symlink, by descriptor), with Linux's
 * checks of names, sizes, flags and permissions (fs/xattr.c), before the
 * file system's xattr op does the rest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/fcntl.h>
#include <linux/limits.h>
#include <linux/xattr.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/process.h>

/* A name from the program: ERANGE when empty or longer than 255. */
static int get_name(const char *uname, char name[XATTR_NAME_MAX + 1])
{
	long n = uk_strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

static int has_prefix(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

/* Linux's xattr_permission. */
static int permission(struct uk_vnode *vn, const char *name, int mask)
{
	if (has_prefix(name, XATTR_SECURITY_PREFIX) || has_prefix(name, XATTR_SYSTEM_PREFIX))
		return 0;
	if (has_prefix(name, XATTR_TRUSTED_PREFIX)) {
		if (!uk_cred_capable(&uk_proc()->cred, CAP_SYS_ADMIN))
			return (mask & UK_MAY_WRITE) ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		/* Only regular files and directories have user.* ones; a
		 * sticky directory's are its owner's to write. */
		if (!S_ISREG(vn->mode) && !S_ISDIR(vn->mode))
			return (mask & UK_MAY_WRITE) ? -EPERM : -ENODATA;
		if (S_ISDIR(vn->mode) && (vn->mode & S_ISVTX) && (mask & UK_MAY_WRITE) &&
		    uk_proc()->cred.fsuid != vn->uid &&
		    !uk_cred_capable(&uk_proc()->cred, CAP_FOWNER))
			return -EPERM;
	}
	return uk_vfs_permission(vn, mask);
}

static long op(struct uk_vnode *vn, int what, const char *name, void *buf, size_t size,
	       int flags)
{
	if (!vn->ops->xattr)
		return -EOPNOTSUPP;
	return vn->ops->xattr(vn, what, name, buf, size, flags);
}

/* GET or LIST into the program's ubuf of size (0: only the length). */
static long op_out(struct uk_vnode *vn, int what, const char *name, void *ubuf,
		   size_t size)
{
	char *k = size ? malloc(size) : NULL;
	if (size && !k)
		return -ENOMEM;
	long n = op(vn, what, name, k, size, 0);
	/* A file system without them lists none (Linux's listxattr). */
	if (what == UK_XATTR_LIST && n == -EOPNOTSUPP)
		n = 0;
	if (n > 0 && size && uk_copy_to_user(ubuf, k, n))
		n = -EFAULT;
	free(k);
	return n;
}

/* --- the four operations on a vnode ----------------------------------- */

static long do_get(struct uk_vnode *vn, const char *uname, void *uvalue, size_t size)
{
	char name[XATTR_NAME_MAX + 1];
	int rc = get_name(uname, name);
	if (!rc)
		rc = permission(vn, name, UK_MAY_READ);
	if (rc)
		return rc;
	return op_out(vn, UK_XATTR_GET, name, uvalue,
		      size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : size);
}

static long do_set(struct uk_vnode *vn, const char *name, const void *value,
		   size_t size, int flags)
{
	int rc = permission(vn, name, UK_MAY_WRITE);
	if (rc)
		return rc;
	return op(vn, UK_XATTR_SET, name, (void *)value, size, flags);
}

static long do_list(struct uk_vnode *vn, char *ulist, size_t size)
{
	return op_out(vn, UK_XATTR_LIST, NULL, ulist,
		      size > XATTR_LIST_MAX ? XATTR_LIST_MAX : size);
}

static long do_remove(struct uk_vnode *vn, const char *uname)
{
	char name[XATTR_NAME_MAX + 1];
	int rc = get_name(uname, name);
	if (!rc)
		rc = permission(vn, name, UK_MAY_WRITE);
	return rc ? rc : op(vn, UK_XATTR_REMOVE, name, NULL, 0, 0);
}

/* setxattr's arguments come in before the file is looked up (Linux's
 * setxattr_copy): name, flags, size, value. */
struct set_args {
	char name[XATTR_NAME_MAX + 1];
	void *value;
	size_t size;
	int flags;
};

static int set_copy(struct set_args *a, const char *uname, const void *uvalue,
		    size_t size, int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	int rc = get_name(uname, a->name);
	if (rc)
		return rc;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	a->value = NULL;
	a->size = size;
	a->flags = flags;
	if (size) {
		if (!(a->value = malloc(size)))
			return -ENOMEM;
		if (uk_copy_from_user(a->value, uvalue, size)) {
			free(a->value);
			return -EFAULT;
		}
	}
	return 0;
}

/* --- by path, by path without following, by descriptor ------------------ */

static long with_path(const char *path, int follow, long (*fn)(struct uk_vnode *, void *),
		      void *arg)
{
	struct uk_vnode *vn;
	long rc = UK_WITH_PATH(p, path, 0,
			       uk_vfs_lookup(AT_FDCWD, p, follow ? UK_LOOKUP_FOLLOW : 0, &vn));
	if (rc)
		return rc;
	rc = fn(vn, arg);
	uk_vnode_put(vn);
	return rc;
}

static long with_fd(int fd, long (*fn)(struct uk_vnode *, void *), void *arg)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return fn(f->vn, arg);
}

struct call {
	const char *name;
	void *buf;
	size_t size;
	struct set_args *set;
};

static long get_fn(struct uk_vnode *vn, void *arg)
{
	struct call *c = arg;
	return do_get(vn, c->name, c->buf, c->size);
}

static long set_fn(struct uk_vnode *vn, void *arg)
{
	struct set_args *a = ((struct call *)arg)->set;
	return do_set(vn, a->name, a->value, a->size, a->flags);
}

static long list_fn(struct uk_vnode *vn, void *arg)
{
	struct call *c = arg;
	return do_list(vn, c->buf, c->size);
}

static long remove_fn(struct uk_vnode *vn, void *arg)
{
	return do_remove(vn, ((struct call *)arg)->name);
}

enum { BY_PATH, BY_LINK_PATH, BY_FD };

static long set_call(int by, const char *path, int fd, const char *name,
		     const void *value, size_t size, int flags)
{
	struct set_args a;
	long rc = set_copy(&a, name, value, size, flags);
	if (rc)
		return rc;
	struct call c = { .set = &a };
	rc = by == BY_FD ? with_fd(fd, set_fn, &c) : with_path(path, by == BY_PATH, set_fn, &c);
	free(a.value);
	return rc;
}

UK_SYSCALL_R_DEFINE(ssize_t, getxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	struct call c = { name, value, size, NULL };
	return with_path(path, 1, get_fn, &c);
}

UK_SYSCALL_R_DEFINE(ssize_t, lgetxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	struct call c = { name, value, size, NULL };
	return with_path(path, 0, get_fn, &c);
}

UK_SYSCALL_R_DEFINE(ssize_t, fgetxattr, int, fd, const char *, name, void *, value,
		    size_t, size)
{
	struct call c = { name, value, size, NULL };
	return with_fd(fd, get_fn, &c);
}

UK_SYSCALL_R_DEFINE(int, setxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	return set_call(BY_PATH, path, -1, name, value, size, flags);
}

UK_SYSCALL_R_DEFINE(int, lsetxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	return set_call(BY_LINK_PATH, path, -1, name, value, size, flags);
}

UK_SYSCALL_R_DEFINE(int, fsetxattr, int, fd, const char *, name, const void *, value,
		    size_t, size, int, flags)
{
	return set_call(BY_FD, NULL, fd, name, value, size, flags);
}

UK_SYSCALL_R_DEFINE(ssize_t, listxattr, const char *, path, char *, list, size_t, size)
{
	struct call c = { NULL, list, size, NULL };
	return with_path(path, 1, list_fn, &c);
}

UK_SYSCALL_R_DEFINE(ssize_t, llistxattr, const char *, path, char *, list, size_t, size)
{
	struct call c = { NULL, list, size, NULL };
	return with_path(path, 0, list_fn, &c);
}

UK_SYSCALL_R_DEFINE(ssize_t, flistxattr, int, fd, char *, list, size_t, size)
{
	struct call c = { NULL, list, size, NULL };
	return with_fd(fd, list_fn, &c);
}

UK_SYSCALL_R_DEFINE(int, removexattr, const char *, path, const char *, name)
{
	struct call c = { name, NULL, 0, NULL };
	return with_path(path, 1, remove_fn, &c);
}

UK_SYSCALL_R_DEFINE(int, lremovexattr, const char *, path, const char *, name)
{
	struct call c = { name, NULL, 0, NULL };
	return with_path(path, 0, remove_fn, &c);
}

UK_SYSCALL_R_DEFINE(int, fremovexattr, int, fd, const char *, name)
{
	struct call c = { name, NULL, 0, NULL };
	return with_fd(fd, remove_fn, &c);
}
