/* readlink on /proc/self/exe (libcs ask for it at start-up) until procfs
 * lands with the VFS; any other path does not exist yet. */
#include <errno.h>
#include <string.h>
#include <linux/fcntl.h>
#include <uk/syscall.h>
#include <uk/process.h>

static const char *exe_path = "";

void uk_process_set_exe(const char *path)
{
	exe_path = path;
}

static long do_readlink(const char *path, char *buf, size_t size)
{
	if (!strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/1/exe")) {
		size_t n = strlen(exe_path);
		if ((long)size <= 0)
			return -EINVAL;
		if (n > size)
			n = size;
		memcpy(buf, exe_path, n);
		return n;
	}
	return -ENOENT;
}

UK_SYSCALL_R_DEFINE(long, readlink, const char *, path, char *, buf, size_t, size)
{
	return do_readlink(path, buf, size);
}

UK_SYSCALL_R_DEFINE(long, readlinkat, int, dirfd, const char *, path,
		    char *, buf, size_t, size)
{
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	return do_readlink(path, buf, size);
}
