/* The program's arguments that the system calls copy in before they look
 * at them: path names (Linux's getname) and iovec arrays (its
 * import_iovec). */
#include <errno.h>
#include <stdlib.h>
#include <linux/uio.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>

/* A few path buffers stay allocated (as Linux's names_cache): a 4 KiB
 * block is whole pages for the heap, and calls with a path are frequent.
 * One CPU and no preemption: no lock. */
#define NAME_CACHE 4
static char *name_cache[NAME_CACHE];
static int name_cached;

int uk_vfs_getname(const char *upath, int flags, char **out)
{
	char *p = name_cached ? name_cache[--name_cached] : malloc(UK_PATH_MAX);
	if (!p)
		return -ENOMEM;
	long n = uk_path_from_user(p, upath);
	if (n == -ENOENT && (flags & UK_LOOKUP_EMPTY))
		n = 0;
	if (n < 0) {
		uk_vfs_putname(p);
		return n;
	}
	*out = p;
	return 0;
}

void uk_vfs_putname(char *path)
{
	if (path && name_cached < NAME_CACHE)
		name_cache[name_cached++] = path;
	else
		free(path);
}

ssize_t uk_iov_import(const struct iovec *uiov, size_t cnt,
		      struct iovec *fast, struct iovec **out)
{
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	struct iovec *iov = cnt <= UK_IOV_FAST ? fast : malloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	int rc = uk_copy_from_user(iov, uiov, cnt * sizeof(*iov));
	ssize_t total = 0;
	for (size_t i = 0; i < cnt && !rc; i++) {
		ssize_t len = iov[i].iov_len;
		if (len < 0) {
			rc = -EINVAL;
		} else if (!uk_user_range_ok(iov[i].iov_base, len)) {
			rc = -EFAULT;
		} else {
			if (len > UK_MAX_RW_COUNT - total)
				iov[i].iov_len = len = UK_MAX_RW_COUNT - total;
			total += len;
		}
	}
	if (rc) {
		if (iov != fast)
			free(iov);
		return rc;
	}
	*out = iov;
	return total;
}
