/* The VFS: vnodes, mounts, open files and the file descriptor table.
 *
 * A file system supplies a struct uk_vnode_ops; any operation it leaves
 * NULL fails with the errno named below. Every function here returns 0 or
 * a value, or a negative errno:
 *   ENOENT   a path component does not exist
 *   ENOTDIR  a component is not a directory (or O_DIRECTORY on a file)
 *   EISDIR   writing to, or unlinking, a directory
 *   ELOOP    more than UK_VFS_MAX_SYMLINKS symlinks, or O_NOFOLLOW on one
 *   ENAMETOOLONG  a component over NAME_MAX or a path over PATH_MAX
 *   EEXIST   O_CREAT|O_EXCL, mkdir, symlink, link onto an existing name
 *   ENOTEMPTY  rmdir or rename over a non-empty directory
 *   EBADF    not an open descriptor, or not open for that access
 *   EXDEV    rename or link across mounts
 *   EROFS    writing to a read-only file system (procfs)
 *   EPERM    an operation the file system does not offer (link, ...)
 *   EINVAL   a size change of something not a regular file, or below 0 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>
#include <linux/stat.h>
#include <asm/stat.h>
#include <uk/sched.h>

#define UK_VFS_MAX_SYMLINKS 40
/* The most descriptors a table can hold (Linux's fs.nr_open): RLIMIT_NOFILE's
 * hard limit may not go above it; its soft limit is what a process gets. */
#define UK_VFS_MAX_FDS 65536

struct uk_vnode;
struct uk_file;
struct uk_mount;
struct uk_pollq;
struct uk_pipe;
struct statfs;

struct timespec_ns {
	int64_t sec;
	long nsec;
};

/* What a setattr changes: Linux's ATTR_* bits (9P2000.L's Tsetattr uses
 * the same). UK_ATTR_ATIME or _MTIME alone means "now" by the file
 * system's clock; with _ATIME_SET or _MTIME_SET, the time given. */
#define UK_ATTR_MODE		0x001
#define UK_ATTR_UID		0x002
#define UK_ATTR_GID		0x004
#define UK_ATTR_SIZE		0x008
#define UK_ATTR_ATIME		0x010
#define UK_ATTR_MTIME		0x020
#define UK_ATTR_CTIME		0x040
#define UK_ATTR_ATIME_SET	0x080
#define UK_ATTR_MTIME_SET	0x100

struct uk_vattr {
	unsigned int mask;		/* UK_ATTR_* */
	mode_t mode;			/* permission bits (07777) */
	uid_t uid;
	gid_t gid;
	off_t size;
	/* Filled by uk_vfs_setattr for "now" too (the guest's clock): what
	 * the vnode will hold. ctime: now, always. */
	struct timespec_ns atime, mtime, ctime;
};

/* Called once per entry by readdir; returns non-zero to stop (buffer
 * full), and then the same entry is offered again on the next call. */
typedef int (*uk_filldir_t)(void *ctx, const char *name, size_t len,
			    uint64_t ino, unsigned char dtype);

struct uk_vnode_ops {
	/* Directories. name is not NUL-terminated; len <= NAME_MAX. The
	 * returned vnode carries a reference for the caller. */
	int (*lookup)(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode **out);			/* ENOENT */
	int (*create)(struct uk_vnode *dir, const char *name, size_t len,
		      mode_t mode, struct uk_vnode **out);	/* EROFS */
	int (*mkdir)(struct uk_vnode *dir, const char *name, size_t len,
		     mode_t mode);				/* EROFS */
	int (*mknod)(struct uk_vnode *dir, const char *name, size_t len,
		     mode_t mode, dev_t rdev);			/* EPERM */
	int (*symlink)(struct uk_vnode *dir, const char *name, size_t len,
		       const char *target);			/* EROFS */
	int (*link)(struct uk_vnode *dir, const char *name, size_t len,
		    struct uk_vnode *target);			/* EPERM */
	int (*unlink)(struct uk_vnode *dir, const char *name, size_t len);
	int (*rmdir)(struct uk_vnode *dir, const char *name, size_t len);
	int (*rename)(struct uk_vnode *odir, const char *oname, size_t olen,
		      struct uk_vnode *ndir, const char *nname, size_t nlen,
		      unsigned int flags);			/* EROFS */
	/* *pos is the file system's own cursor (0 at the start). */
	int (*readdir)(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill,
		       void *ctx);				/* ENOTDIR */

	/* Files. off is the position to use; the VFS keeps f->pos. buf is
	 * the program's (the system call checked that it lies in its half)
	 * or the kernel's: copy with uk_copy_out_part/uk_copy_in_part, and
	 * return the bytes done before a fault, or -EFAULT if none. */
	int (*open)(struct uk_vnode *vn, struct uk_file *f);	/* optional */
	void (*close)(struct uk_vnode *vn, struct uk_file *f);	/* optional */
	ssize_t (*read)(struct uk_vnode *vn, struct uk_file *f, void *buf,
			size_t len, off_t off);			/* EINVAL */
	ssize_t (*write)(struct uk_vnode *vn, struct uk_file *f,
			 const void *buf, size_t len, off_t off); /* EINVAL */
	/* Attribute changes (chmod, chown, utimensat, truncate, O_TRUNC),
	 * made in the file system's store before it returns; the VFS then
	 * copies them into the vnode (the size too). NULL: only the vnode
	 * changes, and a size change goes to truncate. */
	int (*setattr)(struct uk_vnode *vn, const struct uk_vattr *va);
	int (*truncate)(struct uk_vnode *vn, off_t len);	/* EROFS */
	/* The link's text (not terminated) into a kernel buffer. */
	ssize_t (*readlink)(struct uk_vnode *vn, char *buf, size_t len);
	/* A magic link (/proc/self/fd/N): the vnode it stands for, with a
	 * new reference, which the walk takes without reading a path (the
	 * path an open file was opened by may itself lead back here: fd 1
	 * opened as /dev/stdout). NULL as an op: resolved by readlink. */
	struct uk_vnode *(*magic_link)(struct uk_vnode *vn);
	/* arg is the program's: a pointer goes through uk/uaccess.h. */
	int (*ioctl)(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
		     unsigned long arg);			/* ENOTTY */
	/* The bytes a read would find now (FIONREAD, which the VFS answers
	 * from it; epoll's edges too), or a negative errno; optional. */
	long (*nread)(struct uk_vnode *vn, struct uk_file *f);
	int (*fsync)(struct uk_vnode *vn);			/* optional */
	/* The page holding the file's bytes at off (a page multiple), made
	 * on demand, for MAP_SHARED mappings; NULL: shared mappings are
	 * only readable copies. Returns a direct-map address or NULL. */
	void *(*get_page)(struct uk_vnode *vn, off_t off);
	/* Files whose get_page pages are a cache of a store elsewhere
	 * (9pfs), lent to MAP_SHARED mappings only (a private mapping
	 * reads copies). sync_pages writes the cached pages of [off, off +
	 * len) back to the store (msync, munmap, the end of a space that
	 * maps them; datasync: msync's MS_SYNC, stable storage too); 0 or
	 * -errno. unmapped: the last shared mapping went (shared_maps is
	 * 0), what it wrote is back, the pages may go. NULL: the pages are
	 * the file's store itself (ramfs). */
	int (*sync_pages)(struct uk_vnode *vn, off_t off, off_t len, int datasync);
	void (*unmapped)(struct uk_vnode *vn);
	/* Extended attributes (lib/vfs/xattr.c has checked the name, the
	 * size and the caller's permission): UK_XATTR_GET copies name's
	 * value into buf of size (size 0: only its length), UK_XATTR_LIST
	 * the names, each NUL-terminated, UK_XATTR_SET sets it from buf
	 * (flags XATTR_CREATE, XATTR_REPLACE), UK_XATTR_REMOVE removes it.
	 * buf is the kernel's. The bytes (GET, LIST), 0, or -ENODATA,
	 * -ERANGE (too small a buf), -EEXIST, -EOPNOTSUPP (a namespace the
	 * file system has not), -ENOSPC. NULL: no extended attributes. */
	int (*xattr)(struct uk_vnode *vn, int op, const char *name, void *buf,
		     size_t size, int flags);
	/* Readiness for poll (POLLIN, POLLOUT...); NULL: always ready. */
	unsigned int (*poll)(struct uk_vnode *vn, struct uk_file *f);
	/* Seekable files have a size; streams (pipes, ttys) say ESPIPE. */
	int seekable;
	/* statfs: the file system's sizes and counts (and f_type, when it
	 * is not the mount's magic) over the VFS's defaults; optional. */
	int (*statfs)(struct uk_vnode *vn, struct statfs *st);
	/* Attributes of a generated file (procfs) are refreshed here before
	 * stat; optional. */
	void (*refresh)(struct uk_vnode *vn);
	/* Frees the file system's part when the last reference goes. */
	void (*release)(struct uk_vnode *vn);
};

enum { UK_XATTR_GET, UK_XATTR_LIST, UK_XATTR_SET, UK_XATTR_REMOVE };

struct uk_vnode {
	const struct uk_vnode_ops *ops;
	struct uk_mount *mount;		/* the file system it belongs to */
	struct uk_mount *covered_by;	/* a file system mounted on it */
	struct uk_vnode *parent;	/* directories: for "..", getcwd */
	char *name;			/* directories: own name, for getcwd */
	uint64_t ino;
	mode_t mode;			/* S_IFMT | permissions */
	uid_t uid;
	gid_t gid;
	nlink_t nlink;
	dev_t rdev;
	off_t size;
	struct timespec_ns atime, mtime, ctime;
	int refs;
	int shared_maps;		/* MAP_SHARED VMAs using get_page */
	/* Woken whenever what ops->poll reports may have changed: readers,
	 * writers and poll/select/epoll sleep here. */
	struct uk_waitq wq;
	unsigned long waitset_mark;	/* lib/event's, while it gathers queues */
	struct uk_lock *locks;		/* lib/vfs/lock.c: record and flock locks */
	struct uk_waitq lock_wq;	/* who waits for one to go */
	void *priv;			/* the file system's own data */
	struct uk_pipe *pipe;		/* pipes, and FIFOs while open */
};

/* Named pipes (lib/vfs/pipe.c): a file system's S_IFIFO vnodes take
 * these as their file operations, and each opening is a pipe end, as on
 * Linux (the data never reach the file system). open follows Linux's
 * rules: O_RDONLY waits for a writer and O_WRONLY for a reader unless
 * O_NONBLOCK (then a writer without a reader gets ENXIO); O_RDWR never
 * waits; a signal while waiting gives ERESTARTSYS. */
int uk_fifo_open(struct uk_vnode *vn, struct uk_file *f);
void uk_fifo_close(struct uk_vnode *vn, struct uk_file *f);
ssize_t uk_fifo_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
		     size_t len, off_t off);
ssize_t uk_fifo_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
		      size_t len, off_t off);
long uk_fifo_nread(struct uk_vnode *vn, struct uk_file *f);
unsigned int uk_fifo_poll(struct uk_vnode *vn, struct uk_file *f);
#define UK_FIFO_OPS							\
	.open = uk_fifo_open, .close = uk_fifo_close, .read = uk_fifo_read, \
	.write = uk_fifo_write, .nread = uk_fifo_nread, .poll = uk_fifo_poll

struct uk_mount {
	struct uk_vnode *root;
	struct uk_vnode *mountpoint;	/* NULL for "/" */
	dev_t dev;
	const char *fstype;
	unsigned long magic;		/* statfs f_type */
	int readonly;
	struct uk_mount *next;
};

/* Whether vn is the root of a file system mounted somewhere: what a name
 * that is a mountpoint resolves to (lookups cross mounts), so what rmdir
 * and rename must refuse with EBUSY, as they do a covered directory. */
static inline int uk_vnode_is_mounted_root(const struct uk_vnode *vn)
{
	return vn->mount && vn->mount->root == vn && vn->mount->mountpoint;
}

/* An open file description (shared by dup'ed descriptors). */
struct uk_file {
	struct uk_vnode *vn;
	off_t pos;
	int flags;			/* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
	int refs;
	char *path;			/* as opened, for /proc/self/fd */
	void *priv;			/* the file system's per-open data */
	/* Signal-driven I/O (async.c): the owner that O_ASYNC signals. */
	int owner_type, owner_id;	/* F_OWNER_*; id 0: none */
	int owner_sig;			/* F_SETSIG (0: SIGIO) */
	int async_fd;			/* the descriptor O_ASYNC was set through */
	struct uk_file *async_next;
};

/* Vnodes. */
struct uk_vnode *uk_vnode_alloc(struct uk_mount *m, const struct uk_vnode_ops *ops,
				mode_t mode);
void uk_vnode_get(struct uk_vnode *vn);
void uk_vnode_put(struct uk_vnode *vn);
void uk_vnode_touch(struct uk_vnode *vn, int atime, int mtime, int ctime);
void uk_vnode_stat(struct uk_vnode *vn, struct stat *st);
/* Changes the attributes va->mask names, through ops->setattr, then in
 * the vnode; fills va's times. A change of owner also drops the set-id
 * bits of a file, as on Linux. Errors: EROFS (read-only mount, or no way
 * to change the size), EISDIR or EINVAL (size of a directory or of a
 * special file; a size below 0), and the file system's. */
int uk_vfs_setattr(struct uk_vnode *vn, struct uk_vattr *va);
/* statfs for the file system of vn: defaults, then ops->statfs. */
int uk_vfs_statfs(struct uk_vnode *vn, struct statfs *st);

/* Mounts: a file system creates its root vnode, then mounts it. */
struct uk_mount *uk_mount_new(const char *fstype, unsigned long magic);
int uk_vfs_mount(struct uk_mount *m, const char *path);
struct uk_vnode *uk_vfs_root(void);

/* Path resolution relative to dirfd (AT_FDCWD or a directory). */
#define UK_LOOKUP_FOLLOW	0x1	/* follow a final symlink */
#define UK_LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define UK_LOOKUP_EMPTY		0x4	/* "" means dirfd itself */
int uk_vfs_lookup(int dirfd, const char *path, int flags, struct uk_vnode **out);
/* chdir: the calling process's working directory becomes path (a kernel
 * string); -errno of the lookup. */
int uk_vfs_chdir(const char *path);
/* Resolves all but the last component: *dir gets a reference, *name and
 * *len the last component (which may be empty for "/"). */
int uk_vfs_lookup_parent(int dirfd, const char *path, struct uk_vnode **dir,
			 const char **name, size_t *len);
/* The absolute path of a directory, for getcwd and /proc/self/cwd. */
int uk_vfs_dir_path(struct uk_vnode *dir, char *buf, size_t len);

/* The program's arguments, copied in by the system calls. A path:
 * *out gets the kernel's copy (give it back with uk_vfs_putname), or
 * -EFAULT, -ENAMETOOLONG, -ENOENT (empty, unless flags has
 * UK_LOOKUP_EMPTY), -ENOMEM. */
int uk_vfs_getname(const char *upath, int flags, char **out);
void uk_vfs_putname(char *path);
/* Evaluates expr (a long) with kpath the kernel's copy of upath, or
 * gives getname's error. */
#define UK_WITH_PATH(kpath, upath, flags, expr) ({			\
	char *kpath;							\
	long rc_##kpath = uk_vfs_getname((upath), (flags), &kpath);	\
	if (!rc_##kpath) {						\
		rc_##kpath = (expr);					\
		uk_vfs_putname(kpath);					\
	}								\
	rc_##kpath; })
/* An iovec array: copied into fast when it has at most UK_IOV_FAST
 * entries, else into an array *out then is (free it when *out != fast);
 * every buffer checked to lie in the program's half, the lengths cut to
 * Linux's 2 GiB total. The total, or EINVAL (over UIO_MAXIOV entries, a
 * negative length), EFAULT, ENOMEM. */
struct iovec;
#define UK_IOV_FAST 8
/* Linux's cap on one read or write (INT_MAX rounded down to a page). */
#define UK_MAX_RW_COUNT 0x7ffff000L
ssize_t uk_iov_import(const struct iovec *uiov, size_t cnt,
		      struct iovec *fast, struct iovec **out);

/* Permissions (lib/vfs/perm.c), Linux's rules by the caller's
 * file-system ids and capabilities: 0 or -EACCES (-EPERM where Linux
 * says so, -EROFS for writing to a read-only mount). */
#define UK_MAY_EXEC	1
#define UK_MAY_WRITE	2
#define UK_MAY_READ	4
/* An open for execve: MAY_EXEC instead of read (Linux's __FMODE_EXEC;
 * the open calls strip it from the program's flags). */
#define UK_O_EXEC	040
struct uk_cred;
int uk_vfs_permission(struct uk_vnode *vn, int mask);
int uk_vfs_may_open(struct uk_vnode *vn, int flags);
int uk_vfs_may_create(struct uk_vnode *dir);
int uk_vfs_may_delete(struct uk_vnode *dir, struct uk_vnode *vn);	/* sticky */
int uk_vfs_may_link(struct uk_vnode *vn);	/* protected hard links: EPERM */
int uk_vfs_may_chmod(struct uk_vnode *vn, mode_t *mode);	/* may drop S_ISGID */
int uk_vfs_may_chown(struct uk_vnode *vn, uid_t uid, gid_t gid);
int uk_vfs_may_utimes(struct uk_vnode *vn, int times_set);
int uk_vfs_owner_or_capable(struct uk_vnode *vn);	/* CAP_FOWNER */
int uk_vfs_in_group(gid_t gid);
uid_t uk_vfs_fsuid(void);
int uk_vfs_capable(int cap);
/* A file just made in dir becomes the caller's (fsuid, fsgid or the
 * directory's set-group-ID group). */
int uk_vfs_new_owner(struct uk_vnode *dir, struct uk_vnode *vn);
/* An inode of no directory (a pipe, a socket) becomes the caller's. */
void uk_vfs_own(struct uk_vnode *vn);
/* Checks use c (NULL: the caller's own again), for access(). */
void uk_vfs_cred_override(const struct uk_cred *c);

/* Open files and descriptors. */
int uk_vfs_open(int dirfd, const char *path, int flags, mode_t mode,
		struct uk_file **out);
struct uk_file *uk_file_new(struct uk_vnode *vn, int flags, const char *path);
void uk_file_get(struct uk_file *f);
void uk_file_put(struct uk_file *f);
/* The process (who > 0) or group (-who) that O_ASYNC signals, as
 * F_SETOWN and FIOSETOWN set it (-ESRCH: nobody has that id), and as
 * F_GETOWN gives it. */
int uk_file_set_owner(struct uk_file *f, int who);
int uk_file_owner(const struct uk_file *f);
int uk_fd_install(struct uk_file *f, int min_fd, int cloexec);
int uk_fd_install_at(struct uk_file *f, int fd, int cloexec);
/* The open file of fd, or NULL; the call being served holds it (a
 * reference) until uk_fd_release_held, which the system-call path runs
 * when the call returns. */
struct uk_file *uk_fd_get(int fd);
void uk_fd_release_held(void);
struct uk_thread;
/* A thread's held-file list goes with the thread. */
void uk_fd_held_free(struct uk_thread *t);		/* no new reference */
int uk_fd_close(int fd);
int uk_fd_get_cloexec(int fd);
void uk_fd_set_cloexec(int fd, int on);
/* I/O through an open file; flags: */
#define UK_IO_POS	0x1	/* at f->pos, moving it on (off is not used) */
#define UK_IO_USER	0x2	/* buf is the program's: EFAULT unless it lies
				 * in the program's half */
ssize_t uk_file_read(struct uk_file *f, void *buf, size_t len, off_t off, int flags);
ssize_t uk_file_write(struct uk_file *f, const void *buf, size_t len, off_t off, int flags);
/* The errors of a read or write before its buffer is looked at, in
 * Linux's order: EBADF (not open for it), EINVAL (nothing to do it). */
int uk_file_io_check(struct uk_file *f, int writing);
/* A fresh unlinked file of size zero bytes whose pages MAP_SHARED maps
 * (lib/ramfs): shared anonymous memory. Weak: NULL without ramfs. */
struct uk_file *uk_shmem_file(size_t size, const char *name) __attribute__((weak));
/* lib/ramfs/memfd.c: fcntl's F_ADD_SEALS and F_GET_SEALS (EINVAL for a
 * file that takes no seals, EPERM, EBUSY as Linux), and the F_SEAL_*
 * bits of vn (0 for a file that takes none). Weak: absent without it. */
int uk_memfd_fcntl(struct uk_file *f, unsigned int cmd, unsigned long arg)
	__attribute__((weak));
unsigned int uk_vnode_seals(const struct uk_vnode *vn) __attribute__((weak));

/* A process's descriptor table and file-system context (cwd, umask):
 * copied by fork, shared by CLONE_FILES and CLONE_FS, dropped at exit. */
struct uk_fdtable;
struct uk_fs;
struct uk_lock;
struct flock;
/* fcntl's record locks on f (fl: a kernel copy; F_GETLK fills it in). */
int uk_lock_fcntl(struct uk_file *f, int cmd, struct flock *fl);
/* A descriptor of f was closed: the caller's record locks on its file
 * go. A description's last reference went: its OFD and flock locks go. */
void uk_lock_closed(struct uk_file *f);
void uk_lock_file_released(struct uk_file *f);
struct uk_fdtable *uk_fdtable_copy(struct uk_fdtable *from);
void uk_fdtable_get(struct uk_fdtable *t);
void uk_fdtable_put(struct uk_fdtable *t);
void uk_fdtable_close_on_exec(struct uk_fdtable *t);
int uk_fdtable_unshare(struct uk_fdtable **tp);
struct uk_file *uk_fdtable_file(struct uk_fdtable *t, int fd);
/* How many slots t has now (descriptors below it may be open). */
int uk_fdtable_size(struct uk_fdtable *t);
/* The caller's RLIMIT_NOFILE: every descriptor is below it. */
int uk_fd_limit(void);
void uk_fdtable_remove(struct uk_fdtable *t, int fd);
struct uk_vnode *uk_fs_cwd(struct uk_fs *fs);
struct uk_fs *uk_fs_copy(struct uk_fs *from);
void uk_fs_get(struct uk_fs *fs);
void uk_fs_put(struct uk_fs *fs);
struct uk_vnode *uk_vfs_cwd(void);
