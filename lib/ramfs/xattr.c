/* Extended attributes of ramfs files, kept in memory as tmpfs keeps
 * them: the user, trusted and security namespaces (system.*, where
 * tmpfs keeps POSIX ACLs, is not supported: EOPNOTSUPP). Names in the
 * order they were set. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/xattr.h>
#include "ramfs_internal.h"

struct ramfs_xattr {
	struct ramfs_xattr *next;
	char *name;
	size_t size;
	char value[];
};

static int supported(const char *name)
{
	return !strncmp(name, XATTR_USER_PREFIX, XATTR_USER_PREFIX_LEN) ||
	       !strncmp(name, XATTR_TRUSTED_PREFIX, XATTR_TRUSTED_PREFIX_LEN) ||
	       !strncmp(name, XATTR_SECURITY_PREFIX, XATTR_SECURITY_PREFIX_LEN);
}

static struct ramfs_xattr **find(struct ramfs_node *n, const char *name)
{
	struct ramfs_xattr **p = &n->xattrs;
	while (*p && strcmp((*p)->name, name))
		p = &(*p)->next;
	return p;
}

static int list(struct ramfs_node *n, char *buf, size_t size)
{
	size_t len = 0;
	for (struct ramfs_xattr *x = n->xattrs; x; x = x->next) {
		size_t l = strlen(x->name) + 1;
		if (size && len + l > size)
			return -ERANGE;
		if (size)
			memcpy(buf + len, x->name, l);
		len += l;
	}
	return (int)len;
}

static int set(struct ramfs_node *n, const char *name, const void *value, size_t size,
	       int flags)
{
	struct ramfs_xattr **p = find(n, name);
	if (*p && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!*p && (flags & XATTR_REPLACE))
		return -ENODATA;
	struct ramfs_xattr *x = malloc(sizeof(*x) + size);
	char *nm = strdup(name);
	if (!x || !nm) {
		free(x);
		free(nm);
		return -ENOSPC;
	}
	x->name = nm;
	x->size = size;
	memcpy(x->value, value, size);
	/* A new value takes the old one's place in the list. */
	x->next = *p ? (*p)->next : NULL;
	if (*p) {
		free((*p)->name);
		free(*p);
	}
	*p = x;
	return 0;
}

int ramfs_xattr(struct uk_vnode *vn, int op, const char *name, void *buf, size_t size,
		int flags)
{
	struct ramfs_node *n = vn->priv;
	if (op == UK_XATTR_LIST)
		return list(n, buf, size);
	if (!supported(name))
		return -EOPNOTSUPP;
	struct ramfs_xattr **p = find(n, name), *x = *p;
	switch (op) {
	case UK_XATTR_GET:
		if (!x)
			return -ENODATA;
		if (size && x->size > size)
			return -ERANGE;
		if (size)
			memcpy(buf, x->value, x->size);
		return (int)x->size;
	case UK_XATTR_SET:
		return set(n, name, buf, size, flags);
	case UK_XATTR_REMOVE:
		if (!x)
			return -ENODATA;
		*p = x->next;
		free(x->name);
		free(x);
		return 0;
	}
	return -EINVAL;
}

void ramfs_xattr_free(struct ramfs_node *n)
{
	while (n->xattrs) {
		struct ramfs_xattr *x = n->xattrs;
		n->xattrs = x->next;
		free(x->name);
		free(x);
	}
}
