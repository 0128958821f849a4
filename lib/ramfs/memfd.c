/* memfd_create: an anonymous ramfs file named "memfd:NAME", and its
 * seals (F_ADD_SEALS, F_GET_SEALS) with Linux's rules: F_SEAL_SHRINK and
 * F_SEAL_GROW hold the size, F_SEAL_WRITE refuses writes and writable
 * shared mappings (EBUSY while one exists), F_SEAL_FUTURE_WRITE refuses
 * new ones only, F_SEAL_EXEC holds the execute bits (and on an
 * executable file implies the write seals), F_SEAL_SEAL ends sealing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/memfd.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include "ramfs_internal.h"

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#endif
#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
		     F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | \
		       MFD_NOEXEC_SEAL | MFD_EXEC)
/* Linux's NAME_MAX less "memfd:". */
#define MFD_NAME_MAX 249

static unsigned int *seals_of(struct uk_vnode *vn);

static ssize_t memfd_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			   size_t len, off_t off)
{
	unsigned int s = *seals_of(vn);
	if (s & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	/* Under F_SEAL_GROW a write stops at the end (none past it). */
	if ((s & F_SEAL_GROW) && len && off + (off_t)len > vn->size) {
		if (off >= vn->size)
			return -EPERM;
		len = vn->size - off;
	}
	return ramfs_write(vn, f, buf, len, off);
}

static int memfd_setattr(struct uk_vnode *vn, const struct uk_vattr *va)
{
	unsigned int s = *seals_of(vn);
	if (va->mask & UK_ATTR_SIZE) {
		if ((s & F_SEAL_SHRINK) && va->size < vn->size)
			return -EPERM;
		if ((s & F_SEAL_GROW) && va->size > vn->size)
			return -EPERM;
	}
	if ((va->mask & UK_ATTR_MODE) && (s & F_SEAL_EXEC) &&
	    ((va->mode ^ vn->mode) & 0111))
		return -EPERM;
	return ramfs_setattr(vn, va);
}

static const struct uk_vnode_ops memfd_ops = {
	.read = ramfs_read,
	.write = memfd_write,
	.setattr = memfd_setattr,
	.get_page = ramfs_get_page,
	.seekable = 1,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
};

static unsigned int *seals_of(struct uk_vnode *vn)
{
	return &((struct ramfs_node *)vn->priv)->seals;
}

unsigned int uk_vnode_seals(const struct uk_vnode *vn)
{
	return vn->ops == &memfd_ops ? ((struct ramfs_node *)vn->priv)->seals : 0;
}

int uk_memfd_fcntl(struct uk_file *f, unsigned int cmd, unsigned long arg)
{
	struct uk_vnode *vn = f->vn;
	if (cmd == F_GET_SEALS)
		return vn->ops == &memfd_ops ? (int)*seals_of(vn) : -EINVAL;
	/* F_ADD_SEALS, in Linux's order of checks. */
	unsigned int add = arg;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (arg > 0xffffffffUL || (add & ~F_ALL_SEALS) || vn->ops != &memfd_ops)
		return -EINVAL;
	unsigned int *s = seals_of(vn);
	if (*s & F_SEAL_SEAL)
		return -EPERM;
	/* Shared mappings of an O_RDWR file may write (Linux's VM_MAYWRITE). */
	if ((add & F_SEAL_WRITE) && !(*s & F_SEAL_WRITE) && vn->shared_maps)
		return -EBUSY;
	if ((add & F_SEAL_EXEC) && (vn->mode & 0111))
		add |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
	*s |= add;
	return 0;
}

static long do_memfd_create(const char *uname, unsigned int flags)
{
	char name[MFD_NAME_MAX + 2];
	if (flags & ~MFD_ALL_FLAGS)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	long len = uk_strncpy_from_user(name, uname, sizeof(name));
	if (len == -ENAMETOOLONG || len > MFD_NAME_MAX)
		return -EINVAL;
	if (len < 0)
		return len;
	if (flags & MFD_HUGETLB)
		return -EINVAL;	/* no huge pages to back it */
	struct uk_vnode *vn = ramfs_unlinked(&memfd_ops, S_IFREG |
					     ((flags & MFD_NOEXEC_SEAL) ? 0666 : 0777));
	if (!vn)
		return -ENOMEM;
	uk_vfs_own(vn);
	unsigned int *s = seals_of(vn);
	*s = (flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL)) ? 0 : F_SEAL_SEAL;
	if (flags & MFD_NOEXEC_SEAL)
		*s |= F_SEAL_EXEC;
	/* /proc/self/fd shows it as Linux does. */
	char path[sizeof(name) + 24];
	snprintf(path, sizeof(path), "/memfd:%s (deleted)", name);
	struct uk_file *f = uk_file_new(vn, O_RDWR, path);
	if (!f) {
		uk_vnode_put(vn);
		return -ENOMEM;
	}
	int fd = uk_fd_install(f, 0, !!(flags & MFD_CLOEXEC));
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

UK_SYSCALL_R_DEFINE(int, memfd_create, const char *, name, unsigned int, flags)
{
	return do_memfd_create(name, flags);
}
