/* Path resolution: components, ".", "..", mount crossings and symlinks
 * (at most UK_VFS_MAX_SYMLINKS in one walk, then ELOOP). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include "vfs_internal.h"

static struct uk_vnode *cross_mounts(struct uk_vnode *vn)
{
	while (vn->covered_by) {
		struct uk_vnode *r = vn->covered_by->root;
		uk_vnode_get(r);
		uk_vnode_put(vn);
		vn = r;
	}
	return vn;
}

static int walk(struct uk_vnode *base, const char *path, int flags, int *links,
		struct uk_vnode **dir_out, const char **name_out, size_t *len_out,
		struct uk_vnode **out);

static int follow_link(struct uk_vnode *dir, struct uk_vnode *link, int *links,
		       struct uk_vnode **out)
{
	if (++*links > UK_VFS_MAX_SYMLINKS)
		return -ELOOP;
	if (link->ops->magic_link) {
		*out = link->ops->magic_link(link);
		return *out ? 0 : -ENOENT;
	}
	if (!link->ops->readlink)
		return -EINVAL;
	char *target = malloc(PATH_MAX + 1);
	if (!target)
		return -ENOMEM;
	ssize_t n = link->ops->readlink(link, target, PATH_MAX);
	int rc;
	if (n < 0) {
		rc = n;
	} else {
		target[n] = 0;
		rc = walk(dir, target, UK_LOOKUP_FOLLOW, links, NULL, NULL, NULL, out);
	}
	free(target);
	return rc;
}

/* With dir_out set, stops before the last component and hands it back
 * (the parent mode); otherwise resolves the whole path into *out. */
static int walk(struct uk_vnode *base, const char *path, int flags, int *links,
		struct uk_vnode **dir_out, const char **name_out, size_t *len_out,
		struct uk_vnode **out)
{
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!path[0]) {
		if (!(flags & UK_LOOKUP_EMPTY) || dir_out)
			return -ENOENT;
		uk_vnode_get(base);
		*out = base;
		return 0;
	}
	struct uk_vnode *cur = path[0] == '/' ? uk_vfs_root() : base;
	uk_vnode_get(cur);
	const char *p = path;
	int rc = 0;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* Path ends (possibly with slashes): cur is the result. */
			if (dir_out) {
				/* "/" or "dir/": no last component. */
				*dir_out = cur;
				*name_out = p;
				*len_out = 0;
				return 0;
			}
			break;
		}
		const char *comp = p;
		while (*p && *p != '/')
			p++;
		size_t len = p - comp;
		const char *rest = p;
		while (*rest == '/')
			rest++;
		int last = !*rest;
		int trailing = last && *p == '/';
		if (len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(cur->mode)) {
			rc = -ENOTDIR;
			break;
		}
		if ((rc = uk_vfs_permission(cur, UK_MAY_EXEC)))
			break;	/* Linux's may_lookup, for every component */
		if (last && dir_out) {
			*dir_out = cur;
			*name_out = comp;
			*len_out = len;
			return trailing ? UK_WALK_TRAILING_SLASH : 0;
		}
		if (len == 1 && comp[0] == '.')
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			struct uk_vnode *up = cur == uk_vfs_root() ? cur : cur->parent;
			if (!up)
				up = cur;
			uk_vnode_get(up);
			uk_vnode_put(cur);
			cur = up;
			continue;
		}
		struct uk_vnode *next;
		if (!cur->ops->lookup) {
			rc = -ENOTDIR;
			break;
		}
		rc = cur->ops->lookup(cur, comp, len, &next);
		if (rc)
			break;
		next = cross_mounts(next);
		if (S_ISLNK(next->mode) &&
		    (!last || trailing || (flags & UK_LOOKUP_FOLLOW))) {
			struct uk_vnode *t;
			rc = follow_link(cur, next, links, &t);
			uk_vnode_put(next);
			if (rc)
				break;
			next = t;
		}
		uk_vnode_put(cur);
		cur = next;
		if (trailing && !S_ISDIR(cur->mode)) {
			rc = -ENOTDIR;
			break;
		}
	}
	if (rc) {
		uk_vnode_put(cur);
		return rc;
	}
	if ((flags & UK_LOOKUP_DIRECTORY) && !S_ISDIR(cur->mode)) {
		uk_vnode_put(cur);
		return -ENOTDIR;
	}
	*out = cur;
	return 0;
}

static int base_of(int dirfd, const char *path, struct uk_vnode **base)
{
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*base = uk_vfs_cwd();
		return 0;
	}
	struct uk_file *f = uk_fd_get(dirfd);
	if (!f)
		return -EBADF;
	if (path[0] && !S_ISDIR(f->vn->mode))
		return -ENOTDIR;
	*base = f->vn;
	return 0;
}

int uk_vfs_lookup(int dirfd, const char *path, int flags, struct uk_vnode **out)
{
	struct uk_vnode *base;
	int links = 0;
	if (!path)
		return -EFAULT;
	int rc = base_of(dirfd, path, &base);
	if (rc)
		return rc;
	return walk(base, path, flags, &links, NULL, NULL, NULL, out);
}

int uk_vfs_lookup_parent(int dirfd, const char *path, struct uk_vnode **dir,
			 const char **name, size_t *len)
{
	struct uk_vnode *base;
	int links = 0;
	if (!path)
		return -EFAULT;
	int rc = base_of(dirfd, path, &base);
	if (rc)
		return rc;
	return walk(base, path, 0, &links, dir, name, len, NULL);
}

/* Resolves the last component found by uk_vfs_lookup_parent, following
 * a symlink there when asked. */
int uk_vfs_lookup_last(struct uk_vnode *dir, const char *name, size_t len,
		       int follow, struct uk_vnode **out)
{
	int links = 0;
	if (!len) {
		uk_vnode_get(dir);
		*out = dir;
		return 0;
	}
	if (len == 1 && name[0] == '.') {
		uk_vnode_get(dir);
		*out = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		struct uk_vnode *up = dir == uk_vfs_root() || !dir->parent ? dir : dir->parent;
		uk_vnode_get(up);
		*out = up;
		return 0;
	}
	if (!dir->ops->lookup)
		return -ENOTDIR;
	struct uk_vnode *vn;
	int rc = dir->ops->lookup(dir, name, len, &vn);
	if (rc)
		return rc;
	vn = cross_mounts(vn);
	if (follow && S_ISLNK(vn->mode)) {
		struct uk_vnode *t;
		rc = follow_link(dir, vn, &links, &t);
		uk_vnode_put(vn);
		if (rc)
			return rc;
		vn = t;
	}
	*out = vn;
	return 0;
}

int uk_vfs_dir_path(struct uk_vnode *dir, char *buf, size_t len)
{
	/* Walk up, prepending names. */
	char *tmp = malloc(PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	size_t pos = PATH_MAX - 1;
	tmp[pos] = 0;
	struct uk_vnode *v = dir;
	while (v && v != uk_vfs_root() && v->parent && v->parent != v) {
		const char *n = v->name ? v->name : "?";
		size_t l = strlen(n);
		if (l + 1 > pos) {
			free(tmp);
			return -ENAMETOOLONG;
		}
		pos -= l;
		memcpy(tmp + pos, n, l);
		tmp[--pos] = '/';
		v = v->parent;
	}
	if (pos == PATH_MAX - 1)
		tmp[--pos] = '/';
	size_t need = PATH_MAX - pos;
	if (need > len) {
		free(tmp);
		return -ERANGE;
	}
	memcpy(buf, tmp + pos, need);
	free(tmp);
	return need;
}
