/* Extended attributes: none are stored, so reads find no data and
 * writes are refused as unsupported (what a file system without xattr
 * support answers on Linux). */
#include <errno.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include <uk/syscall.h>

static long check_path(const char *path, int follow)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(AT_FDCWD, path, follow ? UK_LOOKUP_FOLLOW : 0, &vn);
	if (!rc)
		uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(long, getxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	(void)name, (void)value, (void)size;
	long rc = check_path(path, 1);
	return rc ? rc : -ENODATA;
}

UK_SYSCALL_R_DEFINE(long, lgetxattr, const char *, path, const char *, name,
		    void *, value, size_t, size)
{
	(void)name, (void)value, (void)size;
	long rc = check_path(path, 0);
	return rc ? rc : -ENODATA;
}

UK_SYSCALL_R_DEFINE(long, fgetxattr, int, fd, const char *, name, void *, value,
		    size_t, size)
{
	(void)name, (void)value, (void)size;
	return uk_fd_get(fd) ? -ENODATA : -EBADF;
}

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
	return uk_fd_get(fd) ? 0 : -EBADF;
}

UK_SYSCALL_R_DEFINE(int, setxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	(void)name, (void)value, (void)size, (void)flags;
	long rc = check_path(path, 1);
	return rc ? rc : -EOPNOTSUPP;
}

UK_SYSCALL_R_DEFINE(int, lsetxattr, const char *, path, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	(void)name, (void)value, (void)size, (void)flags;
	long rc = check_path(path, 0);
	return rc ? rc : -EOPNOTSUPP;
}

UK_SYSCALL_R_DEFINE(int, fsetxattr, int, fd, const char *, name,
		    const void *, value, size_t, size, int, flags)
{
	(void)name, (void)value, (void)size, (void)flags;
	return uk_fd_get(fd) ? -EOPNOTSUPP : -EBADF;
}
