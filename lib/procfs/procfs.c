/* procfs: a static tree of directories, generated files and links, one
 * /proc/PID directory for every process, and the per-descriptor links of
 * /proc/PID/fd. Read-only (EROFS). Each vnode records its node in the tree
 * and the process it is about. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <uk/init.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include "procfs.h"

typedef const char *(*proc_link_t)(char *buf, size_t len, struct uk_process *p);

struct pnode {
	const char *name;
	mode_t mode;
	proc_gen_t gen;				/* files */
	const char *text;			/* fixed files */
	proc_link_t link;			/* symlinks */
	const struct pnode *children;		/* directories, NULL-name end */
	int fd_dir;				/* /proc/PID/fd */
	int task_dir;				/* /proc/PID/task */
};

/* What a vnode is: its node, and for the per-process ones the PID. */
struct pref {
	const struct pnode *pn;
	int pid;
	int fd;		/* a link of /proc/PID/fd */
};

static struct uk_mount *procfs;
static const struct uk_vnode_ops dir_ops, file_ops, link_ops, fd_link_ops;

static const char *link_self(char *buf, size_t len, struct uk_process *p)
{
	(void)p;
	snprintf(buf, len, "%d", uk_proc()->pid);
	return buf;
}

static const char *link_thread_self(char *buf, size_t len, struct uk_process *p)
{
	(void)p;
	snprintf(buf, len, "%d/task/%d", uk_proc()->pid, uk_thread_tid(uk_current));
	return buf;
}

static const char *link_exe(char *buf, size_t len, struct uk_process *p)
{
	(void)buf, (void)len;
	return uk_process_exe_of(p);
}

static const char *link_cwd(char *buf, size_t len, struct uk_process *p)
{
	return uk_vfs_dir_path(uk_fs_cwd(p->fs), buf, len) < 0 ? "/" : buf;
}

static const char *link_root(char *buf, size_t len, struct uk_process *p)
{
	(void)buf, (void)len, (void)p;
	return "/";
}

static const struct pnode pid_dir[] = {
	{ "exe", S_IFLNK | 0777, .link = link_exe },
	{ "cwd", S_IFLNK | 0777, .link = link_cwd },
	{ "root", S_IFLNK | 0777, .link = link_root },
	{ "fd", S_IFDIR | 0500, .fd_dir = 1 },
	{ "task", S_IFDIR | 0555, .task_dir = 1 },
	{ "maps", S_IFREG | 0444, .gen = gen_maps },
	{ "status", S_IFREG | 0444, .gen = gen_status },
	{ "stat", S_IFREG | 0444, .gen = gen_pid_stat },
	{ "cmdline", S_IFREG | 0444, .gen = gen_cmdline },
	{ "environ", S_IFREG | 0400, .gen = gen_environ },
	{ "mounts", S_IFREG | 0444, .gen = gen_mounts },
	{ "limits", S_IFREG | 0444, .gen = gen_limits },
	{ "comm", S_IFREG | 0644, .gen = gen_comm },
	{ "oom_score_adj", S_IFREG | 0644, .text = "0\n" },
	{ .name = NULL },
};

static void gen_hostname(struct pbuf *b, struct uk_process *p)
{
	(void)p;
	pb_printf(b, "%s\n", uk_process_hostname());
}

static const struct pnode sys_kernel[] = {
	{ "hostname", S_IFREG | 0644, .gen = gen_hostname },
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
	{ "nr_open", S_IFREG | 0644, .text = "65536\n" },	/* UK_VFS_MAX_FDS */
	{ "pipe-max-size", S_IFREG | 0644, .text = "1048576\n" },
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
	{ "thread-self", S_IFLNK | 0777, .link = link_thread_self },
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
static const struct pnode pid_node = { .name = "", .mode = S_IFDIR | 0555,
				       .children = pid_dir };
static const struct pnode fd_link_node = { .name = "", .mode = S_IFLNK | 0700 };

/* The process a vnode is about: its PID's, if still there (a zombie's
 * directory stays until it is reaped). */
static struct uk_process *proc_of(struct uk_vnode *vn)
{
	const struct pref *r = vn->priv;
	if (!r->pid)
		return uk_proc();
	struct uk_process *p = uk_process_find(r->pid);
	return p && !p->reaped ? p : NULL;
}

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
				   uint64_t ino, int pid, int fd, const char *name)
{
	const struct uk_vnode_ops *ops = S_ISDIR(pn->mode) ? &dir_ops :
					 !S_ISLNK(pn->mode) ? &file_ops :
					 pn->link ? &link_ops : &fd_link_ops;
	struct pref *r = malloc(sizeof(*r));
	struct uk_vnode *vn = r ? uk_vnode_alloc(procfs, ops, pn->mode) : NULL;
	if (!vn) {
		free(r);
		return NULL;
	}
	*r = (struct pref){ pn, pid, fd };
	vn->priv = r;
	/* A process's files are its effective user's, as on Linux. */
	struct uk_process *p = pid ? uk_process_find(pid) : NULL;
	if (p) {
		vn->uid = p->cred.euid;
		vn->gid = p->cred.egid;
	}
	/* Made per lookup and freed when unused, a vnode holds its parent:
	 * ".." from a directory (a cwd in /proc/self/fd, say) must not
	 * reach a parent freed meanwhile. */
	vn->parent = parent;
	if (parent)
		uk_vnode_get(parent);
	if (ino)
		vn->ino = ino;
	if (S_ISDIR(pn->mode))
		vn->name = strdup(name ? name : pn->name);
	return vn;
}

static void proc_release(struct uk_vnode *vn)
{
	free(vn->priv);
	uk_vnode_put(vn->parent);
}

int uk_procfs_pid_of(struct uk_file *f)
{
	struct uk_vnode *vn = f->vn;
	if (vn->ops != &dir_ops || ((const struct pref *)vn->priv)->pn != &pid_node)
		return 0;
	/* /proc/PID itself, not /proc/PID/task/TID. */
	if (!vn->parent || ((const struct pref *)vn->parent->priv)->pn != &root_node)
		return 0;
	return ((const struct pref *)vn->priv)->pid;
}

static int parse_number(const char *name, size_t len, long *out)
{
	char tmp[16];
	if (!len || len >= sizeof(tmp))
		return -ENOENT;
	memcpy(tmp, name, len);
	tmp[len] = 0;
	char *end;
	*out = strtol(tmp, &end, 10);
	return *end || *out < 0 ? -ENOENT : 0;
}

static int proc_lookup(struct uk_vnode *dir, const char *name, size_t len,
		       struct uk_vnode **out)
{
	const struct pref *r = dir->priv;
	const struct pnode *pn = r->pn;
	struct uk_vnode *vn = NULL;
	long n;
	if (pn->fd_dir) {
		struct uk_process *p = proc_of(dir);
		if (parse_number(name, len, &n) || !p || !uk_fdtable_file(p->files, n))
			return -ENOENT;
		vn = make_vnode(&fd_link_node, dir, 0, r->pid, n, NULL);
	} else if (pn->task_dir) {
		/* A thread's directory shows its process's files. */
		struct uk_process *p = proc_of(dir);
		struct uk_thread *t = NULL;
		if (!parse_number(name, len, &n) && p)
			for (t = p->threads; t && t->tid != n; t = t->next_in_proc)
				;
		if (!t)
			return -ENOENT;
		char nm[16];
		snprintf(nm, sizeof(nm), "%ld", n);
		vn = make_vnode(&pid_node, dir, 0x400000 + n, r->pid, 0, nm);
	} else if (pn == &root_node && !parse_number(name, len, &n)) {
		struct uk_process *p = uk_process_find(n);
		if (!p || p->reaped)
			return -ENOENT;
		char nm[16];
		snprintf(nm, sizeof(nm), "%ld", n);
		vn = make_vnode(&pid_node, dir, 0x10000 + n, n, 0, nm);
	} else {
		const struct pnode *c = pn->children;
		while (c && c->name && (strlen(c->name) != len || memcmp(c->name, name, len)))
			c++;
		if (!c || !c->name)
			return -ENOENT;
		vn = make_vnode(c, dir, 0, r->pid, 0, NULL);
	}
	if (!vn)
		return -ENOMEM;
	*out = vn;
	return 0;
}

static int proc_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill,
			void *ctx)
{
	const struct pref *r = dir->priv;
	const struct pnode *pn = r->pn;
	for (;; (*pos)++) {
		uint64_t p = *pos;
		int stop;
		if (p == 0) {
			stop = fill(ctx, ".", 1, dir->ino, 4);
		} else if (p == 1) {
			stop = fill(ctx, "..", 2, dir->parent ? dir->parent->ino : dir->ino, 4);
		} else if (pn->fd_dir) {
			struct uk_process *proc = proc_of(dir);
			int fd = p - 2;
			int size = proc ? uk_fdtable_size(proc->files) : 0;
			while (fd < size && !uk_fdtable_file(proc->files, fd))
				fd++;
			if (fd >= size)
				return 0;
			*pos = fd + 2;
			char nm[16];
			int l = snprintf(nm, sizeof(nm), "%d", fd);
			stop = fill(ctx, nm, l, 1000 + fd, 10);
		} else if (pn->task_dir) {
			/* The threads by TID: the position is 2 + the TID. */
			struct uk_process *proc = proc_of(dir);
			struct uk_thread *next = NULL;
			for (struct uk_thread *t = proc ? proc->threads : NULL; t; t = t->next_in_proc)
				if (t->tid >= (int)(p - 2) && (!next || t->tid < next->tid))
					next = t;
			if (!next)
				return 0;
			*pos = next->tid + 2;
			char nm[16];
			int l = snprintf(nm, sizeof(nm), "%d", next->tid);
			stop = fill(ctx, nm, l, 0x400000 + next->tid, 4);
		} else {
			size_t i = p - 2, n = 0;
			while (pn->children && pn->children[n].name)
				n++;
			if (i < n) {
				const struct pnode *c = &pn->children[i];
				stop = fill(ctx, c->name, strlen(c->name), 100 + i,
					    (c->mode & S_IFMT) >> 12);
			} else if (pn == &root_node) {
				/* Then the processes, by PID: the position
				 * is n + 2 + the PID, so a process that
				 * comes or goes moves no one else. */
				int pid = i == n ? 0 : (int)(i - n);
				struct uk_process *next = NULL;
				for (struct uk_process *q = uk_process_first(); q; q = q->next_all)
					if (!q->reaped && q->pid >= pid && (!next || q->pid < next->pid))
						next = q;
				if (!next)
					return 0;
				*pos = n + 2 + next->pid;
				char nm[16];
				int l = snprintf(nm, sizeof(nm), "%d", next->pid);
				stop = fill(ctx, nm, l, 0x10000 + next->pid, 4);
			} else {
				return 0;
			}
		}
		if (stop)
			return 1;
	}
}

static ssize_t proc_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	const struct pref *r = vn->priv;
	struct uk_process *p = proc_of(vn);
	char tmp[4096];
	const char *t;
	if (!p)
		return -ENOENT;
	if (r->pn->link) {
		t = r->pn->link(tmp, sizeof(tmp), p);
	} else {
		struct uk_file *f = uk_fdtable_file(p->files, r->fd);
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
	const struct pref *r = vn->priv;
	struct uk_process *p = proc_of(vn);
	struct uk_file *f = p ? uk_fdtable_file(p->files, r->fd) : NULL;
	if (!f)
		return NULL;
	uk_vnode_get(f->vn);
	return f->vn;
}

static int proc_open(struct uk_vnode *vn, struct uk_file *f)
{
	const struct pnode *pn = ((const struct pref *)vn->priv)->pn;
	struct uk_process *p = proc_of(vn);
	if ((f->flags & 3) != 0)
		return -EACCES;
	if (!p)
		return -ENOENT;
	struct pbuf *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	if (pn->gen)
		pn->gen(b, p);
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
	size_t n = uk_copy_out_part(buf, b->buf + off, len);
	return n || !len ? (ssize_t)n : -EFAULT;
}

static const struct uk_vnode_ops dir_ops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
	.release = proc_release,
};

static const struct uk_vnode_ops file_ops = {
	.open = proc_open,
	.close = proc_close,
	.read = proc_read,
	.seekable = 1,
	.release = proc_release,
};

static const struct uk_vnode_ops link_ops = {
	.readlink = proc_readlink,
	.release = proc_release,
};

static const struct uk_vnode_ops fd_link_ops = {
	.readlink = proc_readlink,
	.magic_link = proc_fd_target,
	.release = proc_release,
};

static int procfs_init(void)
{
	procfs = uk_mount_new("proc", PROC_SUPER_MAGIC);
	if (!procfs)
		return -ENOMEM;
	procfs->readonly = 1;
	procfs->root = make_vnode(&root_node, NULL, 1, 0, 0, NULL);
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
