/* Boot: the root file system. root=9p:TAG on the command line mounts the
 * host directory behind that virtio-9p mount tag (lib/9pfs); otherwise,
 * or when that fails, the root is a ramfs filled from the cpio initrd
 * (files are read in place). Either root gets the /etc files programs
 * expect (hosts, nsswitch.conf, resolv.conf...) where it has none; on
 * a 9p root they live in memory, never in the host's directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <uk/plat.h>
#include <uk/process.h>
#include <uk/init.h>
#include <uk/cpio.h>
#include <uk/ramfs.h>
#if CONFIG_LIB9PFS
#include <uk/9pfs.h>
#endif
#include "ramfs_internal.h"

/* Entries of a hard-link group share one vnode, keyed by inode number. */
struct link_group {
	uint32_t ino;
	struct uk_vnode *vn;
};

static struct uk_vnode *mkdir_p(struct uk_vnode *root, const char *path, size_t plen)
{
	struct uk_vnode *cur = root;
	uk_vnode_get(cur);
	const char *p = path, *end = path + plen;
	while (p < end) {
		while (p < end && *p == '/')
			p++;
		const char *c = p;
		while (p < end && *p != '/')
			p++;
		if (p == c)
			break;
		struct uk_vnode *next;
		if (cur->ops->lookup(cur, c, p - c, &next)) {
			if (!cur->ops->mkdir || cur->ops->mkdir(cur, c, p - c, S_IFDIR | 0755) ||
			    cur->ops->lookup(cur, c, p - c, &next)) {
				uk_vnode_put(cur);
				return NULL;
			}
		}
		uk_vnode_put(cur);
		cur = next;
		if (!S_ISDIR(cur->mode)) {
			uk_vnode_put(cur);
			return NULL;
		}
	}
	return cur;
}

static int add_entry(struct uk_vnode *root, const struct uk_cpio_entry *e,
		     struct link_group *groups, size_t *ngroups)
{
	const char *slash = strrchr(e->name, '/');
	const char *base = slash ? slash + 1 : e->name;
	size_t blen = strlen(base);
	if (!e->name[0] || !blen)
		return 0;	/* "." itself */
	struct uk_vnode *dir = slash ? mkdir_p(root, e->name, slash - e->name) : root;
	if (!dir)
		return -ENOTDIR;
	if (!slash)
		uk_vnode_get(dir);
	struct uk_vnode *vn = NULL;
	int rc = 0;
	mode_t type = e->mode & S_IFMT;
	if (dir->ops->lookup(dir, base, blen, &vn) == 0) {
		if (!S_ISDIR(vn->mode) || type != S_IFDIR) {
			/* A later entry of the same name replaces the earlier. */
			uk_vnode_put(vn);
			vn = NULL;
			dir->ops->unlink(dir, base, blen);
		}
	}
	if (vn) {
		/* An existing directory: just take the archive's attributes. */
	} else if (type == S_IFDIR) {
		rc = dir->ops->mkdir(dir, base, blen, e->mode);
		if (!rc)
			rc = dir->ops->lookup(dir, base, blen, &vn);
	} else if (type == S_IFREG) {
		struct link_group *g = NULL;
		for (size_t i = 0; e->nlink > 1 && i < *ngroups; i++)
			if (groups[i].ino == e->ino)
				g = &groups[i];
		if (g) {
			rc = dir->ops->link(dir, base, blen, g->vn);
			vn = g->vn;
			uk_vnode_get(vn);
		} else {
			rc = dir->ops->create(dir, base, blen, e->mode, &vn);
			if (!rc && e->nlink > 1 && *ngroups < 256) {
				groups[*ngroups].ino = e->ino;
				groups[*ngroups].vn = vn;
				(*ngroups)++;
			}
		}
		/* newc puts a hard-link group's data in one of its entries. */
		if (!rc && e->size)
			uk_ramfs_set_backing(vn, e->data, e->size);
	} else if (type == S_IFLNK) {
		char *target = strndup(e->data, e->size);
		rc = target ? dir->ops->symlink(dir, base, blen, target) : -ENOMEM;
		free(target);
		if (!rc)
			rc = dir->ops->lookup(dir, base, blen, &vn);
	} else {
		rc = dir->ops->mknod(dir, base, blen, e->mode,
				     (e->rdevmajor << 8) | e->rdevminor);
		if (!rc)
			rc = dir->ops->lookup(dir, base, blen, &vn);
	}
	if (!rc && vn) {
		vn->mode = e->mode;
		vn->uid = e->uid;
		vn->gid = e->gid;
		vn->mtime.sec = vn->ctime.sec = vn->atime.sec = e->mtime;
		vn->mtime.nsec = vn->ctime.nsec = vn->atime.nsec = 0;
	}
	if (vn)
		uk_vnode_put(vn);
	uk_vnode_put(dir);
	return rc;
}

/* Makes name in dir with text unless dir has that name; returns the new
 * file (a reference) or NULL. */
static struct uk_vnode *put_file(struct uk_vnode *dir, const char *name,
				 const char *text)
{
	struct uk_vnode *vn;
	if (dir->ops->lookup(dir, name, strlen(name), &vn) == 0) {
		uk_vnode_put(vn);	/* the rootfs has its own */
		return NULL;
	}
	if (dir->ops->create(dir, name, strlen(name), S_IFREG | 0644, &vn))
		return NULL;
	ramfs_write(vn, NULL, text, strlen(text), 0);
	return vn;
}

/* --- the /etc files programs expect ------------------------------------- */

static char resolv_conf[160], etc_hostname[80], etc_hosts[200];

/* What glibc's and musl's name services read: localhost and the numeric
 * addresses resolve from these alone ("hosts: files dns"). */
static const struct {
	const char *name, *text;
} etc_files[] = {
	{ "hostname", etc_hostname },
	{ "hosts", etc_hosts },
	{ "passwd", "root:x:0:0:root:/root:/bin/sh\n"
		    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n" },
	{ "group", "root:x:0:\nnogroup:x:65534:\n" },
	{ "nsswitch.conf", "passwd:\tfiles\ngroup:\tfiles\nshadow:\tfiles\n"
			   "hosts:\tfiles dns\nnetworks:\tfiles\nprotocols:\tfiles\n"
			   "services:\tfiles\nethers:\tfiles\nrpc:\tfiles\n" },
	{ "resolv.conf", resolv_conf },
};

/* hostname and hosts: the host name of the boot (hostname=). */
static void make_hostname_files(void)
{
	const char *name = uk_process_hostname();
	snprintf(etc_hostname, sizeof(etc_hostname), "%s\n", name);
	snprintf(etc_hosts, sizeof(etc_hosts),
		 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
		 "127.0.1.1\t%s\n", name);
}

/* resolv.conf: the servers of the dns= boot argument (comma-separated,
 * three at most, as glibc reads), else QEMU user networking's. */
static void make_resolv_conf(void)
{
	size_t len, used = 0;
	int n = 0;
	const char *v = ukplat_bootarg("dns", &len), *end = v ? v + len : NULL;
	while (v && v < end && n < 3) {
		size_t l = 0;
		while (v + l < end && v[l] != ',')
			l++;
		if (l && l <= 39 && strspn(v, "0123456789abcdefABCDEF.:") >= l) {
			used += snprintf(resolv_conf + used, sizeof(resolv_conf) - used,
					 "nameserver %.*s\n", (int)l, v);
			n++;
		} else if (l) {
			printf("dns=: %.*s is not an address\n", (int)l, v);
		}
		v += l + 1;
	}
	if (!n)
		snprintf(resolv_conf, sizeof(resolv_conf), "nameserver 10.0.2.3\n");
}

/* Fills dir (a ramfs directory) with the files it lacks. */
static void put_etc_files(struct uk_vnode *dir)
{
	for (size_t i = 0; i < sizeof(etc_files) / sizeof(etc_files[0]); i++) {
		struct uk_vnode *vn = put_file(dir, etc_files[i].name, etc_files[i].text);
		if (vn)
			uk_vnode_put(vn);
	}
}

#if CONFIG_LIB9PFS
/* The host's /etc is not written to. When the host has none, /etc is a
 * ramfs on a guest-only mountpoint (as /tmp is); otherwise each missing
 * file is a file of an unmounted ramfs shown in the host's /etc
 * (uk_9pfs_overlay), as a container runtime bind-mounts its own. */
static void etc_9p(struct uk_mount *m)
{
	int rc = uk_9pfs_mountpoint(m, "etc", 0755);
	if (rc == 1) {
		struct uk_mount *r = uk_ramfs_new();
		if (r && uk_vfs_mount(r, "/etc") == 0)
			put_etc_files(r->root);
		return;
	}
	struct uk_vnode *etc, *vn;
	if (rc < 0 || uk_vfs_lookup(AT_FDCWD, "/etc", UK_LOOKUP_FOLLOW | UK_LOOKUP_DIRECTORY,
				    &etc))
		return;
	struct uk_mount *ov = NULL;
	for (size_t i = 0; i < sizeof(etc_files) / sizeof(etc_files[0]); i++) {
		const char *name = etc_files[i].name;
		if (etc->ops->lookup(etc, name, strlen(name), &vn) == 0) {
			uk_vnode_put(vn);	/* the host has it */
			continue;
		}
		if (!ov && !(ov = uk_ramfs_new()))
			break;
		if (!(vn = put_file(ov->root, name, etc_files[i].text)))
			continue;
		rc = uk_9pfs_overlay(etc, name, vn);
		if (rc < 0)
			printf("9p root: /etc/%s: cannot add (%d)\n", name, rc);
		uk_vnode_put(vn);
	}
	uk_vnode_put(etc);
}

/* The host directory as "/". Mountpoints the host directory lacks exist
 * only in the guest, so nothing appears there that the program did not
 * make; /tmp is then a ramfs, and /etc gets the files above. */
static int mount_9p_root(const char *tag)
{
	int err;
	struct uk_mount *m = uk_9pfs_new(tag, &err);
	if (!m)
		return err;
	int rc = uk_vfs_mount(m, "/");
	if (rc)
		return rc;
#if CONFIG_LIBDEVFS
	uk_9pfs_mountpoint(m, "dev", 0755);
#endif
#if CONFIG_LIBPROCFS
	uk_9pfs_mountpoint(m, "proc", 0555);
#endif
	if (uk_9pfs_mountpoint(m, "tmp", 01777) == 1) {
		struct uk_mount *t = uk_ramfs_new();
		if (t) {
			t->root->mode = S_IFDIR | 01777;
			uk_vfs_mount(t, "/tmp");
		}
	}
	etc_9p(m);
	return 0;
}
#endif

/* mount=9p:TAG:/PATH (repeatable): another host directory, the export of
 * the virtio-9p device tagged TAG, on PATH: a container's bind mount. A
 * missing PATH is made in the root first, as runc and docker make bind
 * mounts' mountpoints. */
static void mount_9p_binds(void)
{
	size_t len;
	for (const char *v = ukplat_bootarg("mount", &len); v;
	     v = ukplat_bootarg_from(v + len, "mount", &len)) {
		char buf[320], *dest;
		if (len >= sizeof(buf)) {
			printf("mount=: too long\n");
			continue;
		}
		memcpy(buf, v, len);
		buf[len] = 0;
		if (strncmp(buf, "9p:", 3) || !(dest = strchr(buf + 3, ':')) || dest[1] != '/') {
			printf("mount=%s: expected 9p:TAG:/PATH\n", buf);
			continue;
		}
		*dest++ = 0;
		struct uk_vnode *mp = mkdir_p(uk_vfs_root(), dest, strlen(dest));
		if (mp)
			uk_vnode_put(mp);
#if CONFIG_LIB9PFS
		int err;
		struct uk_mount *m = uk_9pfs_new(buf + 3, &err);
		int rc = m ? uk_vfs_mount(m, dest) : err;
		if (rc)
			printf("mount=9p:%s:%s: cannot mount (%d)\n", buf + 3, dest, rc);
#else
		printf("mount=9p:%s:%s: this kernel has no 9pfs (CONFIG_LIB9PFS)\n", buf + 3, dest);
#endif
	}
}

/* root=9p:TAG, else the initrd. */
static int root_from_cmdline(void)
{
	size_t len;
	const char *root = ukplat_bootarg("root", &len);
	if (!root)
		return -ENOENT;
	if (len > 3 && !strncmp(root, "9p:", 3)) {
#if CONFIG_LIB9PFS
		char tag[64];
		if (len - 3 >= sizeof(tag)) {
			printf("root=: the mount tag is too long\n");
			return -EINVAL;
		}
		memcpy(tag, root + 3, len - 3);
		tag[len - 3] = 0;
		int rc = mount_9p_root(tag);
		if (rc)
			printf("root=9p:%s: cannot mount (%d); the root is the initrd's\n",
			       tag, rc);
		return rc;
#else
		printf("root=9p: this kernel has no 9pfs (CONFIG_LIB9PFS); "
		       "the root is the initrd's\n");
		return -ENODEV;
#endif
	}
	if (!(len == 6 && !strncmp(root, "initrd", 6)))
		printf("root=%.*s: unknown; the root is the initrd's\n", (int)len, root);
	return -ENOENT;
}

static int ramfs_root_init(void)
{
	make_resolv_conf();
	make_hostname_files();
	if (root_from_cmdline() == 0) {
		mount_9p_binds();
		return 0;
	}
	struct uk_mount *m = uk_ramfs_new();
	if (!m)
		return -ENOMEM;
	struct uk_vnode *root = m->root;
	struct ukplat_module rd;
	if (ukplat_initrd(&rd) == 0) {
		struct uk_cpio_iter it;
		struct uk_cpio_entry e;
		struct link_group groups[256];
		size_t ngroups = 0;
		int rc;
		uk_cpio_iter_init(&it, rd.data, rd.len);
		while ((rc = uk_cpio_next(&it, &e)) == 1) {
			if (!strcmp(e.name, "") && S_ISDIR(e.mode)) {
				root->mode = e.mode;
				continue;
			}
			if (add_entry(root, &e, groups, &ngroups))
				printf("ramfs: initrd entry %s: cannot add\n", e.name);
		}
		if (rc < 0)
			printf("ramfs: the initrd is not a valid newc cpio archive\n");
	}
	struct uk_vnode *etc = mkdir_p(root, "etc", 3);
	if (etc) {
		put_etc_files(etc);
		uk_vnode_put(etc);
	}
	struct uk_vnode *tmp;
	if (root->ops->lookup(root, "tmp", 3, &tmp) == 0) {
		uk_vnode_put(tmp);
	} else if ((tmp = mkdir_p(root, "tmp", 3))) {
		tmp->mode = S_IFDIR | 01777;
		uk_vnode_put(tmp);
	}
	int rc = uk_vfs_mount(m, "/");
	if (rc == 0)
		mount_9p_binds();
	return rc;
}
UK_INIT_AT(ramfs_root_init, UK_INIT_LEVEL_LIB);

/* /dev/shm: POSIX shared memory and semaphores (shm_open, sem_open) are
 * files there, on a file system of their own. */
int uk_devfs_add_dir(const char *name, mode_t mode) __attribute__((weak));

static int dev_shm_init(void)
{
	if (!uk_devfs_add_dir)
		return 0;
	struct uk_mount *m = uk_ramfs_new();
	if (!m || uk_devfs_add_dir("shm", 01777))
		return -ENOMEM;
	m->root->mode = S_IFDIR | 01777;
	return uk_vfs_mount(m, "/dev/shm");
}
/* After devfs (6). */
UK_INIT_AT(dev_shm_init, 7);
