/* procfs: a static tree of directories, generated files and links, plus
 * the per-descriptor links of /proc/self/fd. Read-only (EROFS). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <uk/init.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include "procfs.h"

struct pnode {
	const char *name;
	mode_t mode;
	proc_gen_t gen;				/* files */
	const char *text;			/* fixed files */
	const char *(*link)(char *buf, size_t len);	/* symlinks */
	const struct pnode *children;		/* directories, NULL-name end */
	int fd_dir;				/* /proc/self/fd */
	int fd;					/* a link in it */
};

static struct uk_mount *procfs;
static const struct uk_vnode_ops dir_ops, file_ops, link_ops, fd_link_ops;

static const char *link_self(char *buf, size_t len)
{
	snprintf(buf, len, "%d", uk_proc()->pid);
	return buf;
}

static const char *link_exe(char *buf, size_t len)
{
	(void)buf, (void)len;
	return uk_process_exe();
}

static const char *link_cwd(char *buf, size_t len)
{
	return uk_vfs_dir_path(uk_vfs_cwd(), buf, len) < 0 ? "/" : buf;
}

static const char *link_root(char *buf, size_t len)
{
	(void)buf, (void)len;
	return "/";
}

static const struct pnode pid_dir[] = {
	{ "exe", S_IFLNK | 0777, .link = link_exe },
	{ "cwd", S_IFLNK | 0777, .link = link_cwd },
	{ "root", S_IFLNK | 0777, .link = link_root },
	{ "fd", S_IFDIR | 0500, .fd_dir = 1 },
	{ "maps", S_IFREG | 0444, .gen = gen_maps },
	{ "status", S_IFREG | 0444, .gen = gen_status },
	{ "stat", S_IFREG | 0444, .gen = gen_self_stat },
	{ "cmdline", S_IFREG | 0444, .gen = gen_cmdline },
	{ "environ", S_IFREG | 0400, .gen = gen_environ },
	{ "mounts", S_IFREG | 0444, .gen = gen_mounts },
	{ "limits", S_IFREG | 0444, .gen = gen_limits },
	{ "comm", S_IFREG | 0644, .gen = gen_comm },
	{ "oom_score_adj", S_IFREG | 0644, .text = "0\n" },
	{ .name = NULL },
};

static const struct pnode sys_kernel[] = {
	{ "hostname", S_IFREG | 0644, .text = CONFIG_LIBPROCESS_HOSTNAME "\n" },
	{ "ostype", S_IFREG | 0444, .text = "Linux\n" },
	{ "osrelease", S_IFREG | 0444, .text = "6.1.0-unikernel\n" },
	{ "pid_max", S_IFREG | 0644, .text = "4194304\n" },
	{ "threads-max", S_IFREG | 0644, .text = "4096\n" },
	{ "ngroups_max", S_IFREG | 0444, .text = "65536\n" },
	{ "randomize_va_space", S_IFREG | 0644, .text = "0\n" },
	{ "cap_last_cap", S_IFREG | 0444, .text = "40\n" },
	{ .name = NULL },
};

static const struct pnode sys_vm[] = {
	{ "overcommit_memory", S_IFREG | 0644, .text = "0\n" },
	{ "max_map_count", S_IFREG | 0644, .text = "65530\n" },
	{ .name = NULL },
};

static const struct pnode sys_fs[] = {
	{ "file-max", S_IFREG | 0644, .text = "1024\n" },
	{ "nr_open", S_IFREG | 0644, .text = "1024\n" },
	{ .name = NULL },
};

static const struct pnode sys_dir[] = {
	{ "kernel", S_IFDIR | 0555, .children = sys_kernel },
	{ "vm", S_IFDIR | 0555, .children = sys_vm },
	{ "fs", S_IFDIR | 0555, .children = sys_fs },
	{ .name = NULL },
};

static const struct pnode root_dir[] = {
	{ "self", S_IFLNK | 0777, .link = link_self },
	{ "thread-self", S_IFLNK | 0777, .link = link_self },
	{ "1", S_IFDIR | 0555, .children = pid_dir },
	{ "sys", S_IFDIR | 0555, .children = sys_dir },
	{ "meminfo", S_IFREG | 0444, .gen = gen_meminfo },
	{ "cpuinfo", S_IFREG | 0444, .gen = gen_cpuinfo },
	{ "uptime", S_IFREG | 0444, .gen = gen_uptime },
	{ "version", S_IFREG | 0444, .gen = gen_version },
	{ "mounts", S_IFREG | 0444, .gen = gen_mounts },
	{ "filesystems", S_IFREG | 0444, .gen = gen_filesystems },
	{ "stat", S_IFREG | 0444, .gen = gen_stat },
	{ .name = NULL },
};

static const struct pnode root_node = { "", S_IFDIR | 0555, .children = root_dir };

void pb_put(struct pbuf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *n = realloc(b->buf, cap);
		if (!n)
			return;
		b->buf = n;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void pb_printf(struct pbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	pb_put(b, tmp, n < (int)sizeof(tmp) ? n : (int)sizeof(tmp) - 1);
}

/* Vnodes are made on lookup and freed when unused; a pnode is static. */
static struct uk_vnode *make_vnode(const struct pnode *pn, struct uk_vnode *parent,
				   uint64_t ino)
{
	const struct uk_vnode_ops *ops = S_ISDIR(pn->mode) ? &dir_ops :
					 !S_ISLNK(pn->mode) ? &file_ops :
					 pn->link ? &link_ops : &fd_link_ops;
	struct uk_vnode *vn = uk_vnode_alloc(procfs, ops, pn->mode);
	if (!vn)
		return NULL;
	vn->priv = (void *)pn;
	vn->parent = parent;
	if (ino)
		vn->ino = ino;
	if (S_ISDIR(pn->mode))
		vn->name = strdup(pn->name);
	return vn;
}

/* The links of /proc/self/fd are pnodes made on the fly. */
static void fd_release(struct uk_vnode *vn)
{
	free(vn->priv);
}

static int proc_lookup(struct uk_vnode *dir, const char *name, size_t len,
		       struct uk_vnode **out)
{
	const struct pnode *pn = dir->priv;
	if (pn->fd_dir) {
		char tmp[16];
		if (len >= sizeof(tmp))
			return -ENOENT;
		memcpy(tmp, name, len);
		tmp[len] = 0;
		char *end;
		long fd = strtol(tmp, &end, 10);
		if (*end || !len || !uk_fd_get(fd))
			return -ENOENT;
		struct pnode *fp = calloc(1, sizeof(*fp));
		if (!fp)
			return -ENOMEM;
		fp->name = "";
		fp->mode = S_IFLNK | 0700;
		fp->fd = fd;
		struct uk_vnode *vn = make_vnode(fp, dir, 0);
		if (!vn) {
			free(fp);
			return -ENOMEM;
		}
		*out = vn;
		return 0;
	}
	for (const struct pnode *c = pn->children; c && c->name; c++) {
		if (strlen(c->name) == len && !memcmp(c->name, name, len)) {
			struct uk_vnode *vn = make_vnode(c, dir, 0);
			if (!vn)
				return -ENOMEM;
			*out = vn;
			return 0;
		}
	}
	return -ENOENT;
}

static int proc_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill,
			void *ctx)
{
	const struct pnode *pn = dir->priv;
	for (;; (*pos)++) {
		uint64_t p = *pos;
		int stop;
		if (p == 0) {
			stop = fill(ctx, ".", 1, dir->ino, 4);
		} else if (p == 1) {
			stop = fill(ctx, "..", 2, dir->parent ? dir->parent->ino : dir->ino, 4);
		} else if (pn->fd_dir) {
			int fd = p - 2;
			while (fd < UK_VFS_MAX_FDS && !uk_fd_get(fd))
				fd++;
			if (fd >= UK_VFS_MAX_FDS)
				return 0;
			*pos = fd + 2;
			char nm[16];
			int l = snprintf(nm, sizeof(nm), "%d", fd);
			stop = fill(ctx, nm, l, 1000 + fd, 10);
		} else {
			size_t i = p - 2, n = 0;
			while (pn->children && pn->children[n].name)
				n++;
			if (i >= n)
				return 0;
			const struct pnode *c = &pn->children[i];
			stop = fill(ctx, c->name, strlen(c->name), 100 + i, (c->mode & S_IFMT) >> 12);
		}
		if (stop)
			return 1;
	}
}

static ssize_t proc_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	const struct pnode *pn = vn->priv;
	char tmp[4096];
	const char *t;
	if (pn->link) {
		t = pn->link(tmp, sizeof(tmp));
	} else {
		struct uk_file *f = uk_fd_get(pn->fd);
		if (!f)
			return -ENOENT;
		if (S_ISFIFO(f->vn->mode) && f->path && !strcmp(f->path, "pipe:"))
			snprintf(tmp, sizeof(tmp), "pipe:[%lu]", (unsigned long)f->vn->ino);
		else if (S_ISDIR(f->vn->mode) && uk_vfs_dir_path(f->vn, tmp, sizeof(tmp)) > 0)
			;
		else
			snprintf(tmp, sizeof(tmp), "%s", f->path ? f->path : "anon_inode:[file]");
		t = tmp;
	}
	size_t l = strlen(t);
	if (l > len)
		l = len;
	memcpy(buf, t, l);
	return l;
}

static struct uk_vnode *proc_fd_target(struct uk_vnode *vn)
{
	const struct pnode *pn = vn->priv;
	struct uk_file *f = uk_fd_get(pn->fd);
	if (!f)
		return NULL;
	uk_vnode_get(f->vn);
	return f->vn;
}

static int proc_open(struct uk_vnode *vn, struct uk_file *f)
{
	const struct pnode *pn = vn->priv;
	if ((f->flags & 3) != 0)
		return -EACCES;
	struct pbuf *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	if (pn->gen)
		pn->gen(b);
	else if (pn->text)
		pb_put(b, pn->text, strlen(pn->text));
	f->priv = b;
	return 0;
}

static void proc_close(struct uk_vnode *vn, struct uk_file *f)
{
	(void)vn;
	struct pbuf *b = f->priv;
	if (b) {
		free(b->buf);
		free(b);
	}
}

static ssize_t proc_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			 size_t len, off_t off)
{
	(void)vn;
	struct pbuf *b = f->priv;
	if (!b || off < 0 || (size_t)off >= b->len)
		return 0;
	if (len > b->len - off)
		len = b->len - off;
	memcpy(buf, b->buf + off, len);
	return len;
}

static const struct uk_vnode_ops dir_ops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
};

static const struct uk_vnode_ops file_ops = {
	.open = proc_open,
	.close = proc_close,
	.read = proc_read,
	.seekable = 1,
};

static const struct uk_vnode_ops link_ops = {
	.readlink = proc_readlink,
	.release = NULL,
};

static const struct uk_vnode_ops fd_link_ops = {
	.readlink = proc_readlink,
	.magic_link = proc_fd_target,
	.release = fd_release,
};

static int procfs_init(void)
{
	procfs = uk_mount_new("proc", PROC_SUPER_MAGIC);
	if (!procfs)
		return -ENOMEM;
	procfs->readonly = 1;
	procfs->root = make_vnode(&root_node, NULL, 1);
	if (!procfs->root)
		return -ENOMEM;
	struct uk_vnode *root = uk_vfs_root(), *d;
	if (root->ops->lookup(root, "proc", 4, &d) == 0)
		uk_vnode_put(d);
	else if (!root->ops->mkdir || root->ops->mkdir(root, "proc", 4, S_IFDIR | 0555))
		return -ENOENT;
	return uk_vfs_mount(procfs, "/proc");
}
UK_INIT_AT(procfs_init, 6);
