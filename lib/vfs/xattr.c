/* Extended attributes: none are stored, so reads find no data and
 * writes are refused as unsupported (what a file system without xattr
 * support answers on Linux). The arguments are still taken in as Linux
 * takes them: the path, then the name (EFAULT, ERANGE when empty or
 * over XATTR_NAME_MAX), then a value to set (E2BIG, EFAULT). */
#include <errno.h>
#include <linux/fcntl.h>
#include <linux/limits.h>
#include <linux/xattr.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/syscall.h>

static long check_path(const char *upath, int follow)
{
	struct uk_vnode *vn;
	long rc = UK_WITH_PATH(p, upath, 0,
			       uk_vfs_lookup(AT_FDCWD, p, follow ? UK_LOOKUP_FOLLOW : 0, &vn));
	if (!rc)
		uk_vnode_put(vn);
	return rc;
}

static long check_name(const char *uname)
{
	char name[XATTR_NAME_MAX + 1];
	long n = uk_strncpy_from_user(name, uname, sizeof(name));
	return n == -EFAULT ? n : n <= 0 ? -ERANGE : 0;
}

/* The value to set is read (and dropped), for its EFAULT. */
static long check_value(const void *uvalue, size_t size)
{
	char chunk[256];
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	for (size_t off = 0; off < size; off += sizeof(chunk)) {
		size_t n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);
		if (uk_copy_from_user(chunk, (const char *)uvalue + off, n))
			return -EFAULT;
	}
	return 0;
}

/* A get: the file (path or descriptor's, rc), then the name. */
static long get(long rc, const char *name)
{
	if (!rc)
		rc = check_name(name);
	return rc ? rc : -ENODATA;
}

static long set(long rc, const char *name, const void *value, size_t size,
		int flags)
{
	if (!rc && (flags & ~(XATTR_CREATE | XATTR_REPLACE)))
		rc = -EINVAL;
	if (!rc)
		rc = check_name(name);
	if (!rc)
		rc = check_value(value, size);
	return rc ? rc : -EOPNOTSUPP;
}

static long fd_ok(int fd)
{
	return uk_fd_get(fd) ? 0 : -EBADF;
}

UK_SYSCALL_R_DEFINE(long, getxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	(void)value, (void)size;
	return get(check_path(path, 1), name);
}

UK_SYSCALL_R_DEFINE(long, lgetxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	(void)value, (void)size;
	return get(check_path(path, 0), name);
}

UK_SYSCALL_R_DEFINE(long, fgetxattr, int, fd, const char *, name, void *, value,
		    size_t, size)
{
	(void)value, (void)size;
	return get(fd_ok(fd), name);
}

/* An empty list: nothing is written to it. */
UK_SYSCALL_R_DEFINE(long, listxattr, const char *, path, char *, list, size_t, size)
{
	(void)list, (void)size;
	return check_path(path, 1);
}

UK_SYSCALL_R_DEFINE(long, llistxattr, const char *, path, char *, list, size_t, size)
{
	(void)list, (void)size;
	return check_path(path, 0);
}

UK_SYSCALL_R_DEFINE(long, flistxattr, int, fd, char *, list, size_t, size)
{
	(void)list, (void)size;
	return fd_ok(fd);
}

UK_SYSCALL_R_DEFINE(int, setxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	return set(check_path(path, 1), name, value, size, flags);
}

UK_SYSCALL_R_DEFINE(int, lsetxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	return set(check_path(path, 0), name, value, size, flags);
}

UK_SYSCALL_R_DEFINE(int, fsetxattr, int, fd, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	return set(fd_ok(fd), name, value, size, flags);
}
