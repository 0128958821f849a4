/* Internal interfaces of ramfs. */
#pragma once
#include <uk/vfs.h>

struct ramfs_dirent {
	char *name;
	struct uk_vnode *vn;	/* holds a reference */
};

struct ramfs_node {
	/* directories */
	struct ramfs_dirent *ents;
	size_t nents, cap;
	/* regular files: bytes read in place, or pages once written */
	const char *backing;
	char **pages;
	size_t npages;
	/* symlinks */
	char *target;
	struct uk_vnode *owner;
	/* memfd (memfd.c): F_SEAL_* */
	unsigned int seals;
	struct ramfs_xattr *xattrs;	/* xattr.c */
};

extern const struct uk_vnode_ops ramfs_file_ops;
ssize_t ramfs_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
		   size_t len, off_t off);
ssize_t ramfs_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
		    size_t len, off_t off);
int ramfs_truncate(struct uk_vnode *vn, off_t len);
int ramfs_setattr(struct uk_vnode *vn, const struct uk_vattr *va);
int ramfs_statfs(struct uk_vnode *vn, struct statfs *st);
void *ramfs_get_page(struct uk_vnode *vn, off_t off);
void ramfs_free_data(struct ramfs_node *n);
void ramfs_release(struct uk_vnode *vn);
/* Extended attributes (xattr.c): the vnode op, and freeing them all. */
int ramfs_xattr(struct uk_vnode *vn, int op, const char *name, void *buf, size_t size,
		int flags);
void ramfs_xattr_free(struct ramfs_node *n);
/* A regular file of no directory (nlink 0) on a private instance, with
 * these ops: shared anonymous memory, memfd. */
struct uk_vnode *ramfs_unlinked(const struct uk_vnode_ops *ops, mode_t mode);
