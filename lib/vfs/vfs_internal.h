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

/* Pipes (pipe.c) for splice.c, through kernel buffers. Whether f is a
 * pipe's end. Waiting for bytes: their count, 0 with no writer left,
 * -EAGAIN (nonblock) or -UK_ERESTARTSYS; for room: its size, -EPIPE with
 * no reader left (SIGPIPE sent), -EAGAIN or -UK_ERESTARTSYS. peek copies
 * at most n bytes after the first skip and leaves them; drop takes n;
 * put adds what fits of n. */
int vfs_is_pipe(const struct uk_file *f);
long vfs_pipe_wait_data(struct uk_vnode *vn, int nonblock);
long vfs_pipe_wait_room(struct uk_vnode *vn, int nonblock);
size_t vfs_pipe_peek(struct uk_vnode *vn, char *k, size_t skip, size_t n);
void vfs_pipe_drop(struct uk_vnode *vn, size_t n);
size_t vfs_pipe_put(struct uk_vnode *vn, const char *k, size_t n);
/* fcntl's F_GETPIPE_SZ and F_SETPIPE_SZ on f: the size, or -EBADF (not a
 * pipe), -EINVAL, -EPERM, -EBUSY, -ENOMEM. */
int vfs_pipe_fcntl(struct uk_file *f, unsigned int cmd, unsigned long arg);
