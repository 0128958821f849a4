/* Open file descriptions, the descriptor table, open(2) itself, and the
 * process's working directory and umask (its uk_fdtable and uk_fs). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/fcntl.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include "vfs_internal.h"

/* PID 1's. */
struct uk_fdtable uk_init_files = { .refs = 1 };
struct uk_fs uk_init_fs = { .refs = 1, .umask = 022 };

#define FILES() (uk_proc()->files)

/* A new table's slots (Linux's: 64), doubled as needed. */
#define FDTABLE_MIN 64

/* Gives t room for fd (below UK_VFS_MAX_FDS). */
static int fdtable_grow(struct uk_fdtable *t, int fd)
{
	if (fd < t->size)
		return 0;
	int n = t->size ? t->size : FDTABLE_MIN;
	while (n <= fd)
		n *= 2;
	struct uk_file **fds = calloc(n, sizeof(*fds));
	uint64_t *ce = calloc(n / 64, sizeof(*ce));
	if (!fds || !ce) {
		free(fds);
		free(ce);
		return -ENOMEM;
	}
	if (t->size) {
		memcpy(fds, t->fd, t->size * sizeof(*fds));
		memcpy(ce, t->cloexec, t->size / 64 * sizeof(*ce));
	}
	free(t->fd);
	free(t->cloexec);
	t->fd = fds;
	t->cloexec = ce;
	t->size = n;
	return 0;
}

int uk_fd_limit(void)
{
	struct rlimit64 rl;
	if (uk_process_getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur > UK_VFS_MAX_FDS)
		return UK_VFS_MAX_FDS;
	return (int)rl.rlim_cur;
}

struct uk_vnode *uk_vfs_cwd(void)
{
	struct uk_fs *fs = uk_proc()->fs;
	return fs->cwd ? fs->cwd : uk_vfs_root();
}

void uk_vfs_set_cwd(struct uk_vnode *dir)
{
	struct uk_fs *fs = uk_proc()->fs;
	uk_vnode_get(dir);
	if (fs->cwd)
		uk_vnode_put(fs->cwd);
	fs->cwd = dir;
}

mode_t uk_vfs_umask(void)
{
	return uk_proc()->fs->umask;
}

mode_t uk_vfs_set_umask(mode_t m)
{
	struct uk_fs *fs = uk_proc()->fs;
	mode_t old = fs->umask;
	fs->umask = m & 0777;
	return old;
}

struct uk_file *uk_file_new(struct uk_vnode *vn, int flags, const char *path)
{
	struct uk_file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->vn = vn;
	f->flags = flags;
	f->refs = 1;
	f->path = path ? strdup(path) : NULL;
	return f;
}

void uk_file_get(struct uk_file *f)
{
	f->refs++;
}

void uk_file_put(struct uk_file *f)
{
	if (--f->refs > 0)
		return;
	if (f->vn->locks)
		uk_lock_file_released(f);
	vfs_async_release(f);
	if (f->vn->ops->close)
		f->vn->ops->close(f->vn, f);
	uk_vnode_put(f->vn);
	free(f->path);
	free(f);
}

int uk_fd_install_at(struct uk_file *f, int fd, int cloexec)
{
	if (fd < 0 || fd >= uk_fd_limit())
		return -EBADF;
	int rc = fdtable_grow(FILES(), fd);
	if (rc)
		return rc;
	struct uk_file *old = FILES()->fd[fd];
	FILES()->fd[fd] = f;
	uk_fd_set_cloexec(fd, cloexec);
	if (old)
		uk_file_put(old);
	return fd;
}

int uk_fd_install(struct uk_file *f, int min_fd, int cloexec)
{
	int limit = uk_fd_limit();
	if (min_fd < 0 || min_fd >= limit)
		return -EINVAL;
	struct uk_fdtable *t = FILES();
	int fd = min_fd;
	while (fd < t->size && fd < limit && t->fd[fd])
		fd++;
	if (fd >= limit)
		return -EMFILE;
	return uk_fd_install_at(f, fd, cloexec);
}

/* The call being served keeps a reference to f until it returns. */
static void hold(struct uk_file *f)
{
	struct uk_thread *t = uk_current;
	if (!t->held) {
		t->held = t->held_inline;
		t->held_cap = sizeof(t->held_inline) / sizeof(t->held_inline[0]);
	}
	if (t->nheld == t->held_cap) {
		/* poll and select take many: the list grows (and stays). */
		int cap = t->held_cap * 2;
		struct uk_file **h = malloc(cap * sizeof(*h));
		if (!h)
			return;	/* unheld: no worse than before holding */
		memcpy(h, t->held, t->nheld * sizeof(*h));
		if (t->held != t->held_inline)
			free(t->held);
		t->held = h;
		t->held_cap = cap;
	}
	f->refs++;
	t->held[t->nheld++] = f;
}

struct uk_file *uk_fd_get(int fd)
{
	if (fd < 0 || fd >= FILES()->size)
		return NULL;
	struct uk_file *f = FILES()->fd[fd];
	if (f)
		hold(f);
	return f;
}

void uk_fd_release_held(void)
{
	struct uk_thread *t = uk_current;
	while (t->nheld > 0)
		uk_file_put(t->held[--t->nheld]);
}

void uk_fd_held_free(struct uk_thread *t)
{
	if (t->held && t->held != t->held_inline)
		free(t->held);
	t->held = NULL;
}

int uk_fd_close(int fd)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	FILES()->fd[fd] = NULL;
	uk_fd_set_cloexec(fd, 0);
	if (f->vn->locks)
		uk_lock_closed(f);
	uk_file_put(f);
	return 0;
}

int uk_fd_get_cloexec(int fd)
{
	if (fd < 0 || fd >= FILES()->size)
		return 0;
	return (FILES()->cloexec[fd / 64] >> (fd % 64)) & 1;
}

void uk_fd_set_cloexec(int fd, int on)
{
	if (fd < 0 || fd >= FILES()->size)
		return;
	uint64_t *w = &FILES()->cloexec[fd / 64];
	if (on)
		*w |= 1ULL << (fd % 64);
	else
		*w &= ~(1ULL << (fd % 64));
}

static int open_depth;

static int create_through_link(struct uk_vnode *dir, struct uk_vnode *link,
			       int flags, mode_t mode, struct uk_file **out)
{
	char *path = malloc(2 * PATH_MAX + 2);
	if (!path)
		return -ENOMEM;
	if ((flags & O_EXCL) || !S_ISLNK(link->mode)) {
		free(path);
		return -EEXIST;
	}
	int rc = 0;
	size_t n = 0;
	char target[PATH_MAX];
	ssize_t tl = link->ops->readlink(link, target, sizeof(target) - 1);
	if (tl < 0) {
		free(path);
		return tl;
	}
	target[tl] = 0;
	if (target[0] != '/') {
		rc = uk_vfs_dir_path(dir, path, PATH_MAX);
		if (rc < 0) {
			free(path);
			return rc;
		}
		n = strlen(path);
		path[n++] = '/';
	}
	strcpy(path + n, target);
	if (++open_depth > UK_VFS_MAX_SYMLINKS)
		rc = -ELOOP;
	else
		rc = uk_vfs_open(AT_FDCWD, path, flags, mode, out);
	open_depth--;
	free(path);
	return rc;
}

int uk_vfs_open(int dirfd, const char *path, int flags, mode_t mode,
		struct uk_file **out)
{
	struct uk_vnode *dir, *vn = NULL;
	const char *name;
	size_t len;
	int acc = flags & O_ACCMODE;
	int rc = uk_vfs_lookup_parent(dirfd, path, &dir, &name, &len);
	if (rc < 0)
		return rc;
	int trailing = rc == UK_WALK_TRAILING_SLASH;
	int follow = !(flags & O_NOFOLLOW), created = 0;

	rc = uk_vfs_lookup_last(dir, name, len, follow, &vn);
	if (rc == -ENOENT && (flags & O_CREAT) && len && follow) {
		/* A dangling symlink: O_EXCL refuses it, plain O_CREAT creates
		 * its target. */
		struct uk_vnode *l;
		if (uk_vfs_lookup_last(dir, name, len, 0, &l) == 0) {
			rc = create_through_link(dir, l, flags, mode, out);
			uk_vnode_put(l);
			uk_vnode_put(dir);
			return rc;
		}
	}
	if (rc == -ENOENT && (flags & O_CREAT) && len && !dir->nlink) {
		rc = -ENOENT;	/* the directory was removed */
	} else if (rc == -ENOENT && (flags & O_CREAT) && len) {
		if (trailing) {
			rc = -EISDIR;
		} else if (!dir->ops->create) {
			rc = dir->mount && dir->mount->readonly ? -EROFS : -EACCES;
		} else if (!(rc = uk_vfs_may_create(dir))) {
			rc = dir->ops->create(dir, name, len,
					      S_IFREG | (mode & 07777 & ~uk_vfs_umask()),
					      &vn);
			if (!rc) {
				uk_vnode_touch(dir, 0, 1, 1);
				uk_vfs_new_owner(dir, vn);
				/* Neither truncated nor checked: it is new. */
				flags &= ~O_TRUNC;
				created = 1;
			}
		}
	} else if (!rc && (flags & O_CREAT) && (flags & O_EXCL)) {
		uk_vnode_put(vn);
		rc = -EEXIST;
	}
	uk_vnode_put(dir);
	if (rc)
		return rc;

	if (S_ISLNK(vn->mode) && !(flags & O_PATH)) {
		rc = -ELOOP;	/* O_NOFOLLOW on a symlink */
		goto err_put;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(vn->mode)) {
		rc = -ENOTDIR;
		goto err_put;
	}
	if (trailing && !S_ISDIR(vn->mode)) {
		rc = -ENOTDIR;
		goto err_put;
	}
	if (S_ISDIR(vn->mode) && !(flags & O_PATH) &&
	    (acc != O_RDONLY || (flags & O_CREAT) || (flags & O_TRUNC))) {
		rc = -EISDIR;
		goto err_put;
	}
	if (!created && (rc = uk_vfs_may_open(vn, flags)))
		goto err_put;
	if (S_ISSOCK(vn->mode) && !(flags & O_PATH)) {
		rc = -ENXIO;	/* a socket's name is for connect, not open */
		goto err_put;
	}
	if ((flags & O_TRUNC) && S_ISREG(vn->mode) && acc != O_RDONLY &&
	    !(flags & O_PATH)) {
		rc = uk_vfs_truncate_vnode(vn, 0);
		if (rc)
			goto err_put;
	}
	struct uk_file *f = uk_file_new(vn, flags & ~(O_CREAT | O_EXCL | O_TRUNC |
						    O_NOCTTY | O_CLOEXEC | UK_O_EXEC), path);
	if (!f) {
		rc = -ENOMEM;
		goto err_put;
	}
	/* The open sees O_NOCTTY (a terminal's); the description keeps it not. */
	f->flags |= flags & O_NOCTTY;
	rc = !(flags & O_PATH) && vn->ops->open ? vn->ops->open(vn, f) : 0;
	f->flags &= ~O_NOCTTY;
	if (rc) {
		f->vn = NULL;
		free(f->path);
		free(f);
		goto err_put;
	}
	*out = f;
	return 0;
err_put:
	uk_vnode_put(vn);
	return rc;
}

int uk_file_io_check(struct uk_file *f, int writing)
{
	struct uk_vnode *vn = f->vn;
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (writing ? !vn->ops->write : !vn->ops->read && !S_ISDIR(vn->mode))
		return -EINVAL;
	return 0;
}

ssize_t uk_file_read(struct uk_file *f, void *buf, size_t len, off_t off,
		     int flags)
{
	struct uk_vnode *vn = f->vn;
	int rc = uk_file_io_check(f, 0);
	if (rc)
		return rc;
	if ((flags & UK_IO_USER) && !uk_user_range_ok(buf, len))
		return -EFAULT;
	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (flags & UK_IO_POS)
		off = f->pos;
	ssize_t n = vn->ops->read(vn, f, buf, len, off);
	if (n > 0 && (flags & UK_IO_POS) && vn->ops->seekable)
		f->pos += n;
	return n;
}

ssize_t uk_file_write(struct uk_file *f, const void *buf, size_t len, off_t off,
		      int flags)
{
	struct uk_vnode *vn = f->vn;
	int rc = uk_file_io_check(f, 1);
	if (rc)
		return rc;
	if ((flags & UK_IO_USER) && !uk_user_range_ok(buf, len))
		return -EFAULT;
	/* O_APPEND wins even over pwrite's offset, as on Linux. */
	if ((f->flags & O_APPEND) && vn->ops->seekable)
		off = vn->size;
	else if (flags & UK_IO_POS)
		off = f->pos;
	ssize_t n = vn->ops->write(vn, f, buf, len, off);
	if (n > 0 && (flags & UK_IO_POS) && vn->ops->seekable)
		f->pos = off + n;
	return n;
}

/* fork and clone: a process's descriptors and place in the file system,
 * copied (each open file gaining a reference) or shared (CLONE_FILES,
 * CLONE_FS). */
struct uk_fdtable *uk_fdtable_copy(struct uk_fdtable *from)
{
	struct uk_fdtable *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->refs = 1;
	/* Only as many slots as reach the last open descriptor. */
	int last = from->size - 1;
	while (last >= 0 && !from->fd[last])
		last--;
	if (last >= 0 && fdtable_grow(t, last)) {
		free(t);
		return NULL;
	}
	for (int fd = 0; fd <= last; fd++)
		if ((t->fd[fd] = from->fd[fd]))
			uk_file_get(t->fd[fd]);
	if (t->size)
		memcpy(t->cloexec, from->cloexec, t->size / 64 * sizeof(*t->cloexec));
	return t;
}

void uk_fdtable_get(struct uk_fdtable *t)
{
	t->refs++;
}

void uk_fdtable_put(struct uk_fdtable *t)
{
	if (--t->refs > 0)
		return;
	for (int fd = 0; fd < t->size; fd++) {
		struct uk_file *f = t->fd[fd];
		if (f) {
			t->fd[fd] = NULL;
			if (f->vn->locks)
				uk_lock_closed(f);	/* the caller's, who ends */
			uk_file_put(f);
		}
	}
	free(t->fd);
	free(t->cloexec);
	t->fd = NULL;
	t->cloexec = NULL;
	t->size = 0;
	if (t != &uk_init_files)
		free(t);
}

/* execve: the descriptors marked close-on-exec go. */
void uk_fdtable_close_on_exec(struct uk_fdtable *t)
{
	for (int fd = 0; fd < t->size; fd++) {
		if (!((t->cloexec[fd / 64] >> (fd % 64)) & 1))
			continue;
		t->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
		struct uk_file *f = t->fd[fd];
		t->fd[fd] = NULL;
		if (f)
			uk_file_put(f);
	}
}

struct uk_fs *uk_fs_copy(struct uk_fs *from)
{
	struct uk_fs *fs = malloc(sizeof(*fs));
	if (!fs)
		return NULL;
	*fs = *from;
	fs->refs = 1;
	if (fs->cwd)
		uk_vnode_get(fs->cwd);
	return fs;
}

void uk_fs_get(struct uk_fs *fs)
{
	fs->refs++;
}

void uk_fs_put(struct uk_fs *fs)
{
	if (--fs->refs > 0)
		return;
	if (fs->cwd)
		uk_vnode_put(fs->cwd);
	fs->cwd = NULL;
	if (fs != &uk_init_fs)
		free(fs);
}

/* Makes *tp the caller's own table (execve unshares a table that
 * CLONE_FILES shared). */
int uk_fdtable_unshare(struct uk_fdtable **tp)
{
	if ((*tp)->refs == 1)
		return 0;
	struct uk_fdtable *t = uk_fdtable_copy(*tp);
	if (!t)
		return -ENOMEM;
	uk_fdtable_put(*tp);
	*tp = t;
	return 0;
}

/* Another process's descriptors and cwd, for /proc/PID (NULL: none). */
struct uk_file *uk_fdtable_file(struct uk_fdtable *t, int fd)
{
	return t && fd >= 0 && fd < t->size ? t->fd[fd] : NULL;
}

int uk_fdtable_size(struct uk_fdtable *t)
{
	return t ? t->size : 0;
}

struct uk_vnode *uk_fs_cwd(struct uk_fs *fs)
{
	return fs && fs->cwd ? fs->cwd : uk_vfs_root();
}

/* Takes fd out of another table (clone: the parent's new pidfd is not the
 * child's). */
void uk_fdtable_remove(struct uk_fdtable *t, int fd)
{
	struct uk_file *f = uk_fdtable_file(t, fd);
	if (!f)
		return;
	t->fd[fd] = NULL;
	t->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
	uk_file_put(f);
}
