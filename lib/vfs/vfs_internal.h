/* Internal interfaces of lib/vfs. */
#pragma once
struct uk_file;
/* Signal-driven I/O (async.c): O_ASYNC on or off (fd: the descriptor it
 * was set through, for si_fd); the file's end; F_SETOWN and friends. */
void vfs_async_set(struct uk_file *f, int fd, int on);
void vfs_async_release(struct uk_file *f);
int vfs_owner_fcntl(struct uk_file *f, int cmd, unsigned long arg);
#include <uk/vfs.h>

/* A process's descriptors (shared by CLONE_FILES): size slots, grown as
 * descriptors above them are installed (a multiple of 64, at most
 * UK_VFS_MAX_FDS), and the close-on-exec bits. */
struct uk_fdtable {
	int refs;
	int size;
	struct uk_file **fd;
	uint64_t *cloexec;
};

/* A process's place in the file system (shared by CLONE_FS). */
struct uk_fs {
	int refs;
	struct uk_vnode *cwd;	/* NULL: the root */
	mode_t umask;
};

/* uk_vfs_lookup_parent's positive return: the path ended in a slash. */
#define UK_WALK_TRAILING_SLASH 1

int uk_vfs_lookup_last(struct uk_vnode *dir, const char *name, size_t len,
		       int follow, struct uk_vnode **out);
struct uk_mount *uk_vfs_mounts(void);
mode_t uk_vfs_umask(void);
void uk_vfs_set_cwd(struct uk_vnode *dir);
mode_t uk_vfs_set_umask(mode_t m);
int uk_vfs_truncate_vnode(struct uk_vnode *vn, long len);
