/* 9pfs: the VFS operations over a 9P2000.L client.
 *
 * A node holds a walked fid for its file, and opened fids (one for
 * reading, one for writing, or one for both) made when the file is
 * opened and clunked when its vnode goes. Nothing is read from the host
 * but what the program asks for: a lookup walks and fetches attributes,
 * file data moves only in read and write.
 *
 * Caches: nodes by qid path (hard links and repeated lookups share one),
 * and by the name they were found under in their directory. A node
 * outlives its vnode: released, it keeps its walked fid and attributes
 * on a list of the INACTIVE_MAX most recent, so a name looked up again
 * costs no request.
 *
 * chmod, chown, utimensat and size changes reach the host before the
 * call returns (setattr: one Tsetattr); times "now" are the host's clock,
 * as with Linux's v9fs. statfs asks the host (Tstatfs) and reports its
 * numbers as Linux does, f_type included. Any other change the VFS makes
 * in a vnode goes to the host when the vnode is next stat'ed, fsync'ed
 * or released; times the VFS stamps right after one of our own changes
 * (the host stamped its own) are not sent. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <asm/statfs.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/vfs.h>
#include <uk/9pfs.h>
#include "9p.h"
#include "9pfs_internal.h"

#define DEFAULT_MSIZE	(512 * 1024)
#define HASH_SIZE	1024
#define INACTIVE_MAX	1024
#define READDIR_COUNT	(32 * 1024)
/* Directory cookies from here on name the guest-only entries. */
#define SYNTH_COOKIE	(~0ULL - 255)
#define NS		1000000000ULL
#define DT_DIR		4

struct p9fs_node;

struct p9fs {
	struct p9_client c;
	struct uk_mount *m;
	struct p9fs_node *by_qid[HASH_SIZE];
	struct p9fs_node *by_name[HASH_SIZE];
	struct p9fs_node *lru_head, *lru_tail;	/* inactive, oldest first */
	unsigned ninactive;
	uint64_t next_synth_ino;
	/* The last name found missing (open with O_CREAT looks twice). */
	uint64_t neg_dir;
	char neg_name[256];
	size_t neg_len;
};

/* The attributes as the host has them (as last fetched or sent). */
struct p9fs_attrs {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	nlink_t nlink;
	dev_t rdev;
	off_t size;
	struct timespec_ns atime, mtime, ctime;
};

struct p9fs_node {
	struct p9fs *fs;
	struct uk_vnode *vn;		/* NULL while inactive */
	uint32_t fid;			/* walked; NOFID for guest-only dirs */
	uint32_t rfid, wfid;		/* opened, NOFID until needed */
	uint32_t riounit, wiounit;
	int fid_opened;			/* fid is itself an opened fid (create) */
	struct p9_qid qid;
	int synthetic;
	struct p9fs_attrs h;
	uint64_t own_change_ns;		/* wall clock of our last change */
	/* The name it was found under, in the directory of qid dir_qid. */
	uint64_t dir_qid;
	char *dname;
	struct p9fs_node *qnext, *nnext;
	struct p9fs_node *lru_prev, *lru_next;
	int inactive;			/* on the list */
	char *link;			/* symlink target, once read */
	/* Guest-only entries of a directory: directories of our own (to
	 * mount on), files of another file system (uk_9pfs_overlay), or
	 * FIFOs and sockets' names the host cannot hold (special). */
	struct p9fs_node *synth;
	struct p9fs_node *synth_next;
	int special;
	struct p9fs_pages pages;	/* what MAP_SHARED maps (9pfs_pages.c) */
};

static const struct uk_vnode_ops p9fs_dir_ops, p9fs_file_ops, p9fs_link_ops,
	p9fs_node_ops, p9fs_fifo_ops, p9fs_synth_ops;

static struct p9fs_node *N(struct uk_vnode *vn)
{
	return vn->priv;
}

static uint64_t wall_ns(void)
{
	return ukplat_wall_clock_ns();
}

static struct timespec_ns ts(uint64_t sec, uint64_t nsec)
{
	struct timespec_ns t = { (int64_t)sec, (long)nsec };
	return t;
}

static int ts_eq(struct timespec_ns a, struct timespec_ns b)
{
	return a.sec == b.sec && a.nsec == b.nsec;
}

static uint64_t ts_ns(struct timespec_ns t)
{
	return (uint64_t)t.sec * NS + t.nsec;
}

/* --- caches ------------------------------------------------------------ */

static unsigned qhash(uint64_t path)
{
	return (unsigned)((path * 0x9e3779b97f4a7c15ULL) >> 40) % HASH_SIZE;
}

static unsigned nhash(uint64_t dir_qid, const char *name, size_t len)
{
	uint64_t h = dir_qid * 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ULL;
	return (unsigned)(h >> 40) % HASH_SIZE;
}

static struct p9fs_node *find_qid(struct p9fs *fs, uint64_t path)
{
	for (struct p9fs_node *n = fs->by_qid[qhash(path)]; n; n = n->qnext)
		if (n->qid.path == path)
			return n;
	return NULL;
}

static void qid_insert(struct p9fs_node *n)
{
	unsigned h = qhash(n->qid.path);
	n->qnext = n->fs->by_qid[h];
	n->fs->by_qid[h] = n;
}

static void qid_remove(struct p9fs_node *n)
{
	for (struct p9fs_node **p = &n->fs->by_qid[qhash(n->qid.path)]; *p; p = &(*p)->qnext)
		if (*p == n) {
			*p = n->qnext;
			return;
		}
}

static struct p9fs_node *find_name(struct p9fs_node *dir, const char *name, size_t len)
{
	uint64_t dq = dir->qid.path;
	for (struct p9fs_node *n = dir->fs->by_name[nhash(dq, name, len)]; n; n = n->nnext)
		if (n->dir_qid == dq && strlen(n->dname) == len && !memcmp(n->dname, name, len))
			return n;
	return NULL;
}

static void name_remove(struct p9fs_node *n)
{
	if (!n->dname)
		return;
	unsigned h = nhash(n->dir_qid, n->dname, strlen(n->dname));
	for (struct p9fs_node **p = &n->fs->by_name[h]; *p; p = &(*p)->nnext)
		if (*p == n) {
			*p = n->nnext;
			break;
		}
	free(n->dname);
	n->dname = NULL;
}

static void name_insert(struct p9fs_node *n, struct p9fs_node *dir, const char *name,
			size_t len)
{
	name_remove(n);
	n->dname = strndup(name, len);
	if (!n->dname)
		return;
	n->dir_qid = dir->qid.path;
	unsigned h = nhash(n->dir_qid, name, len);
	n->nnext = n->fs->by_name[h];
	n->fs->by_name[h] = n;
}

static void lru_remove(struct p9fs_node *n)
{
	struct p9fs *fs = n->fs;
	if (!n->inactive)
		return;
	n->inactive = 0;
	if (n->lru_prev)
		n->lru_prev->lru_next = n->lru_next;
	else
		fs->lru_head = n->lru_next;
	if (n->lru_next)
		n->lru_next->lru_prev = n->lru_prev;
	else
		fs->lru_tail = n->lru_prev;
	n->lru_prev = n->lru_next = NULL;
	fs->ninactive--;
}

/* Forgets a node without a vnode: clunks its fid. */
static void node_drop(struct p9fs_node *n)
{
	struct p9_client *c = &n->fs->c;
	name_remove(n);
	qid_remove(n);
	if (n->rfid != P9_NOFID && n->rfid != n->fid)
		p9_clunk(c, n->rfid);
	if (n->wfid != P9_NOFID && n->wfid != n->rfid && n->wfid != n->fid)
		p9_clunk(c, n->wfid);
	p9_clunk(c, n->fid);
	free(n->link);
	free(n);
}

static void lru_add(struct p9fs_node *n)
{
	struct p9fs *fs = n->fs;
	n->lru_next = NULL;
	n->lru_prev = fs->lru_tail;
	if (fs->lru_tail)
		fs->lru_tail->lru_next = n;
	else
		fs->lru_head = n;
	fs->lru_tail = n;
	n->inactive = 1;
	fs->ninactive++;
	while (fs->ninactive > INACTIVE_MAX) {
		struct p9fs_node *old = fs->lru_head;
		lru_remove(old);
		node_drop(old);
	}
}

/* --- nodes and vnodes -------------------------------------------------- */

static const struct uk_vnode_ops *ops_for(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return &p9fs_dir_ops;
	case S_IFREG: return &p9fs_file_ops;
	case S_IFLNK: return &p9fs_link_ops;
	case S_IFIFO: return &p9fs_fifo_ops;
	default: return &p9fs_node_ops;
	}
}

/* A node for a fid the caller made, from the host's attributes; takes
 * the fid over (clunked on failure). */
static struct p9fs_node *node_new(struct p9fs *fs, uint32_t fid, int *err)
{
	struct p9_attr a;
	int rc = p9_getattr(&fs->c, fid, P9_GETATTR_BASIC, &a);
	struct p9fs_node *n = rc ? NULL : calloc(1, sizeof(*n));
	if (!n) {
		p9_clunk(&fs->c, fid);
		*err = rc ? rc : -ENOMEM;
		return NULL;
	}
	n->fs = fs;
	n->fid = fid;
	n->rfid = n->wfid = P9_NOFID;
	n->qid = a.qid;
	n->h.mode = a.mode;
	n->h.uid = a.uid;
	n->h.gid = a.gid;
	n->h.nlink = a.nlink;
	n->h.rdev = a.rdev;
	n->h.size = a.size;
	n->h.atime = ts(a.atime_sec, a.atime_nsec);
	n->h.mtime = ts(a.mtime_sec, a.mtime_nsec);
	n->h.ctime = ts(a.ctime_sec, a.ctime_nsec);
	qid_insert(n);
	return n;
}

/* The node's vnode (made when the node is inactive), with a reference
 * for the caller. dir: the directory it is looked up in (NULL: root). */
static int node_vnode(struct p9fs_node *n, struct uk_vnode *dir, const char *name,
		      size_t len, struct uk_vnode **out)
{
	if (n->vn) {
		uk_vnode_get(n->vn);
		*out = n->vn;
		return 0;
	}
	struct uk_vnode *vn = uk_vnode_alloc(n->fs->m, ops_for(n->h.mode), n->h.mode);
	if (!vn)
		return -ENOMEM;
	lru_remove(n);
	vn->priv = n;
	n->vn = vn;
	vn->ino = n->qid.path;
	vn->uid = n->h.uid;
	vn->gid = n->h.gid;
	vn->nlink = n->h.nlink;
	vn->rdev = n->h.rdev;
	vn->size = n->h.size;
	vn->atime = n->h.atime;
	vn->mtime = n->h.mtime;
	vn->ctime = n->h.ctime;
	if (dir && S_ISDIR(vn->mode)) {
		vn->parent = dir;
		uk_vnode_get(dir);
		vn->name = strndup(name, len);
	}
	*out = vn;
	return 0;
}

/* The fid the host can act on for attributes and sync: an opened one
 * still works when the name is gone. */
static uint32_t io_fid(struct p9fs_node *n)
{
	if (n->wfid != P9_NOFID)
		return n->wfid;
	if (n->rfid != P9_NOFID)
		return n->rfid;
	return n->fid;
}

/* Our own change to the node: the host stamped it; times the VFS sets
 * in the next moments follow from it and need not be sent. */
static void changed(struct p9fs_node *n)
{
	n->own_change_ns = wall_ns();
}

/* Sends the host what chmod, chown and utimensat changed in the vnode. */
static int flush_attrs(struct p9fs_node *n)
{
	struct uk_vnode *vn = n->vn;
	struct p9_iattr a;
	if (!vn || n->synthetic || n->fid == P9_NOFID)
		return 0;
	memset(&a, 0, sizeof(a));
	if ((vn->mode & 07777) != (n->h.mode & 07777)) {
		a.valid |= P9_SETATTR_MODE;
		a.mode = vn->mode & 07777;
	}
	if (vn->uid != n->h.uid) {
		a.valid |= P9_SETATTR_UID;
		a.uid = vn->uid;
	}
	if (vn->gid != n->h.gid) {
		a.valid |= P9_SETATTR_GID;
		a.gid = vn->gid;
	}
	if (!ts_eq(vn->mtime, n->h.mtime)) {
		uint64_t m = ts_ns(vn->mtime);
		if (n->own_change_ns && m >= n->own_change_ns &&
		    m - n->own_change_ns < 2 * NS) {
			n->h.mtime = vn->mtime;	/* the VFS's stamp after ours */
			n->h.atime = vn->atime;
		} else {
			a.valid |= P9_SETATTR_ATIME | P9_SETATTR_ATIME_SET |
				   P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET;
			a.atime_sec = vn->atime.sec;
			a.atime_nsec = vn->atime.nsec;
			a.mtime_sec = vn->mtime.sec;
			a.mtime_nsec = vn->mtime.nsec;
		}
	}
	if (!a.valid)
		return 0;
	int rc = p9_setattr(&n->fs->c, n->fid, &a);
	if (rc && n->fid != io_fid(n))
		rc = p9_setattr(&n->fs->c, io_fid(n), &a);
	/* Whatever the host said, do not try again. */
	n->h.mode = vn->mode;
	n->h.uid = vn->uid;
	n->h.gid = vn->gid;
	n->h.mtime = vn->mtime;
	n->h.atime = vn->atime;
	return rc;
}

/* An opened fid for reading (want 1), writing (2) or both (3). */
static int open_fid(struct p9fs_node *n, int want)
{
	struct p9_client *c = &n->fs->c;
	if ((want & 1) && n->rfid != P9_NOFID)
		want &= ~1;
	if ((want & 2) && n->wfid != P9_NOFID)
		want &= ~2;
	if (!want)
		return 0;
	if (n->fid == P9_NOFID)
		return -EINVAL;
	uint32_t flags = want == 3 ? O_RDWR : want == 2 ? O_WRONLY : O_RDONLY;
	if (S_ISDIR(n->h.mode))
		flags = O_RDONLY | O_DIRECTORY;
	uint32_t fid = p9_fid_alloc(c), iounit = 0;
	int rc = p9_walk(c, n->fid, fid, NULL, 0, NULL);
	if (rc) {
		p9_fid_free(c, fid);
		return rc;
	}
	rc = p9_lopen(c, fid, flags, NULL, &iounit);
	if (rc) {
		p9_clunk(c, fid);
		return rc;
	}
	if (want & 1) {
		n->rfid = fid;
		n->riounit = iounit;
	}
	if (want & 2) {
		n->wfid = fid;
		n->wiounit = iounit;
	}
	return 0;
}

/* The vnode goes: its changes go to the host, its opened fids are
 * clunked, and the node stays cached while it has a name and a walked
 * fid of its own. */
static void p9fs_release(struct uk_vnode *vn)
{
	struct p9fs_node *n = N(vn);
	if (!n)
		return;
	if (vn->nlink)
		flush_attrs(n);
	if (S_ISDIR(vn->mode) && vn->parent && vn->parent != vn)
		uk_vnode_put(vn->parent);
	vn->parent = NULL;
	vn->priv = NULL;
	p9fs_pages_free(&n->pages);	/* no mapping is left to hold the file */
	if (n->synthetic) {
		free(n->dname);
		free(n);
		return;
	}
	n->h.mode = vn->mode;
	n->h.nlink = vn->nlink;
	n->h.size = vn->size;
	n->h.atime = vn->atime;
	n->h.ctime = vn->ctime;
	n->vn = NULL;
	if (n->fid_opened || !n->h.nlink || !n->dname) {
		node_drop(n);
		return;
	}
	struct p9_client *c = &n->fs->c;
	if (n->rfid != P9_NOFID)
		p9_clunk(c, n->rfid);
	if (n->wfid != P9_NOFID && n->wfid != n->rfid)
		p9_clunk(c, n->wfid);
	n->rfid = n->wfid = P9_NOFID;
	lru_add(n);
}

/* A node whose name went away (unlinked, renamed over): a vnode in use
 * keeps it until released; an inactive one is dropped now. */
static void name_gone(struct p9fs_node *n, int dir)
{
	name_remove(n);
	changed(n);
	if (n->vn) {
		if (dir)
			n->vn->nlink = 0;
		else if (n->vn->nlink)
			n->vn->nlink--;
		return;
	}
	if (!dir && n->h.nlink > 1) {
		n->h.nlink--;
		return;	/* other names remain; it is found by qid */
	}
	lru_remove(n);
	node_drop(n);
}

/* --- directories ------------------------------------------------------- */

/* The group of a new file: the program's (root's), or the directory's
 * when it is set-group-ID, as Linux does. */
static uint32_t new_gid(struct uk_vnode *dvn)
{
	return dvn->mode & S_ISGID ? dvn->gid : 0;
}

static int neg_hit(struct p9fs_node *dir, const char *name, size_t len)
{
	struct p9fs *fs = dir->fs;
	return fs->neg_len == len && fs->neg_dir == dir->qid.path &&
	       !memcmp(fs->neg_name, name, len);
}

static void neg_set(struct p9fs_node *dir, const char *name, size_t len)
{
	struct p9fs *fs = dir->fs;
	if (len >= sizeof(fs->neg_name))
		return;
	fs->neg_dir = dir->qid.path;
	memcpy(fs->neg_name, name, len);
	fs->neg_len = len;
}

/* Any name made anywhere ends it. */
static void neg_clear(struct p9fs *fs)
{
	fs->neg_len = 0;
}

static struct p9fs_node *find_synth(struct p9fs_node *dir, const char *name, size_t len)
{
	for (struct p9fs_node *s = dir->synth; s; s = s->synth_next)
		if (strlen(s->dname) == len && !memcmp(s->dname, name, len))
			return s;
	return NULL;
}

/* --- FIFOs and sockets' names, held by the guest -------------------------
 *
 * QEMU 7.2 (security_model=none) makes the node of a Tmknod, then opens
 * it to set its mode, which its fix for CVE-2023-2861 refuses ("attempt
 * to open special file"): the node goes again and the reply is ENXIO. So
 * a FIFO or a socket's name made on a 9p mount is kept by the guest: an
 * entry on its directory's guest-only list (found by lookup, listed by
 * readdir, removed by unlink, moved by rename, counted by rmdir), whose
 * vnode the list holds. The list lives in the directory's node, so the
 * directory's vnode stays while the list has one. The host never sees
 * them and a later boot has none; FIFOs open as guest pipes either way,
 * as with Linux's v9fs, so nothing is lost there. */

static int has_special(struct p9fs_node *dir)
{
	for (struct p9fs_node *s = dir ? dir->synth : NULL; s; s = s->synth_next)
		if (s->special)
			return 1;
	return 0;
}

static void synth_add(struct p9fs_node *dir, struct p9fs_node *n)
{
	n->synth_next = dir->synth;
	dir->synth = n;
}

static void synth_del(struct p9fs_node *dir, struct p9fs_node *n)
{
	for (struct p9fs_node **p = &dir->synth; *p; p = &(*p)->synth_next)
		if (*p == n) {
			*p = n->synth_next;
			break;
		}
	n->synth_next = NULL;
}

static int special_new(struct uk_vnode *dvn, const char *name, size_t len, mode_t mode,
		       dev_t rdev)
{
	struct p9fs_node *dir = N(dvn), *n = calloc(1, sizeof(*n));
	struct uk_vnode *vn = uk_vnode_alloc(dir->fs->m, ops_for(mode), mode);
	if (!n || !vn || !(n->dname = strndup(name, len))) {
		free(n);
		free(vn);
		return -ENOMEM;
	}
	vn->priv = n;
	vn->ino = dir->fs->next_synth_ino--;
	vn->rdev = rdev;
	n->vn = vn;
	n->fs = dir->fs;
	n->synthetic = n->special = 1;
	n->fid = n->rfid = n->wfid = P9_NOFID;
	synth_add(dir, n);
	uk_vnode_get(dvn);	/* keeps the directory's node, and the list */
	changed(dir);		/* so the new mtime is not sent to the host */
	uk_vnode_touch(dvn, 0, 1, 1);
	return 0;
}

/* The name goes; the vnode stays while it is open or bound. */
static void special_remove(struct uk_vnode *dvn, struct p9fs_node *n)
{
	struct uk_vnode *vn = n->vn;
	synth_del(N(dvn), n);
	vn->nlink = 0;
	uk_vnode_put(vn);
	uk_vnode_put(dvn);
}

/* rename of a guest-held node: what held the new name goes (a host
 * file: unlinked there; the VFS checked it is no directory). */
static int special_rename(struct uk_vnode *odvn, struct p9fs_node *src,
			  struct uk_vnode *ndvn, const char *nname, size_t nlen,
			  struct p9fs_node *victim)
{
	struct p9fs_node *ndir = N(ndvn);
	char *dname = strndup(nname, nlen);
	if (!dname)
		return -ENOMEM;
	if (victim) {
		special_remove(ndvn, victim);
	} else {
		int rc = p9_unlinkat(&ndir->fs->c, ndir->fid, nname, nlen, 0);
		if (rc && rc != -ENOENT) {
			free(dname);
			return rc;
		}
		struct p9fs_node *n = rc ? NULL : find_name(ndir, nname, nlen);
		if (n)
			name_gone(n, 0);
	}
	synth_del(N(odvn), src);
	free(src->dname);
	src->dname = dname;
	synth_add(ndir, src);
	if (odvn != ndvn) {
		uk_vnode_get(ndvn);
		uk_vnode_put(odvn);
	}
	changed(N(odvn));
	changed(ndir);
	return 0;
}

static int p9fs_lookup(struct uk_vnode *dvn, const char *name, size_t len,
		       struct uk_vnode **out)
{
	struct p9fs_node *dir = N(dvn), *n;
	struct p9fs *fs = dir->fs;
	if (dir->synthetic)
		return -ENOENT;
	if ((n = find_synth(dir, name, len))) {
		uk_vnode_get(n->vn);
		*out = n->vn;
		return 0;
	}
	if ((n = find_name(dir, name, len)))
		return node_vnode(n, dvn, name, len, out);
	if (neg_hit(dir, name, len))
		return -ENOENT;
	uint32_t fid = p9_fid_alloc(&fs->c);
	struct p9_qid q;
	int rc = p9_walk(&fs->c, dir->fid, fid, name, len, &q);
	if (rc) {
		p9_fid_free(&fs->c, fid);
		if (rc == -ENOENT)
			neg_set(dir, name, len);
		return rc;
	}
	if ((n = find_qid(fs, q.path))) {
		/* Another name of a known file (a hard link). */
		p9_clunk(&fs->c, fid);
		if (!n->dname)
			name_insert(n, dir, name, len);
		return node_vnode(n, dvn, name, len, out);
	}
	if (!(n = node_new(fs, fid, &rc)))
		return rc;
	name_insert(n, dir, name, len);
	rc = node_vnode(n, dvn, name, len, out);
	if (rc)
		node_drop(n);
	return rc;
}

static int p9fs_create(struct uk_vnode *dvn, const char *name, size_t len,
		       mode_t mode, struct uk_vnode **out)
{
	struct p9fs_node *dir = N(dvn), *n;
	neg_clear(N(dvn)->fs);
	struct p9fs *fs = dir->fs;
	if (dir->synthetic)
		return -EACCES;
	uint32_t fid = p9_fid_alloc(&fs->c), iounit = 0;
	int rc = p9_walk(&fs->c, dir->fid, fid, NULL, 0, NULL);
	if (rc) {
		p9_fid_free(&fs->c, fid);
		return rc;
	}
	/* The clone becomes the new file, opened for both directions. */
	rc = p9_lcreate(&fs->c, fid, name, len, O_RDWR | O_CREAT | O_EXCL,
			mode & 07777, new_gid(dvn), NULL, &iounit);
	if (rc) {
		p9_clunk(&fs->c, fid);
		return rc;
	}
	changed(dir);
	if (!(n = node_new(fs, fid, &rc)))
		return rc;
	n->fid_opened = 1;
	n->rfid = n->wfid = fid;
	n->riounit = n->wiounit = iounit;
	name_insert(n, dir, name, len);
	changed(n);
	rc = node_vnode(n, dvn, name, len, out);
	if (rc)
		node_drop(n);
	return rc;
}

static int p9fs_mkdir(struct uk_vnode *dvn, const char *name, size_t len, mode_t mode)
{
	struct p9fs_node *dir = N(dvn);
	neg_clear(N(dvn)->fs);
	if (dir->synthetic)
		return -EACCES;
	int rc = p9_mkdir(&dir->fs->c, dir->fid, name, len, mode & 07777, new_gid(dvn),
			  NULL);
	if (!rc) {
		dvn->nlink++;
		changed(dir);
	}
	return rc;
}

static int p9fs_mknod(struct uk_vnode *dvn, const char *name, size_t len,
		      mode_t mode, dev_t rdev)
{
	struct p9fs_node *dir = N(dvn);
	neg_clear(N(dvn)->fs);
	if (dir->synthetic)
		return -EACCES;
	if (S_ISFIFO(mode) || S_ISSOCK(mode))
		return special_new(dvn, name, len, mode, rdev);
	int rc = p9_mknod(&dir->fs->c, dir->fid, name, len, mode, (rdev >> 8) & 0xfff,
			  (rdev & 0xff) | ((rdev >> 12) & 0xfff00), new_gid(dvn), NULL);
	if (!rc)
		changed(dir);
	return rc;
}

static int p9fs_symlink(struct uk_vnode *dvn, const char *name, size_t len,
			const char *target)
{
	struct p9fs_node *dir = N(dvn);
	neg_clear(N(dvn)->fs);
	if (dir->synthetic)
		return -EACCES;
	int rc = p9_symlink(&dir->fs->c, dir->fid, name, len, target, new_gid(dvn), NULL);
	if (!rc)
		changed(dir);
	return rc;
}

static int p9fs_link(struct uk_vnode *dvn, const char *name, size_t len,
		     struct uk_vnode *target)
{
	struct p9fs_node *dir = N(dvn), *t = N(target);
	neg_clear(N(dvn)->fs);
	if (target->mount != dvn->mount || t->synthetic)
		return -EXDEV;
	if (dir->synthetic)
		return -EACCES;
	int rc = p9_link(&dir->fs->c, dir->fid, t->fid, name, len);
	if (!rc) {
		target->nlink++;
		changed(dir);
		changed(t);
	}
	return rc;
}

static int p9fs_unlink(struct uk_vnode *dvn, const char *name, size_t len)
{
	struct p9fs_node *dir = N(dvn), *s = find_synth(dir, name, len);
	if (s && s->special) {
		changed(dir);
		special_remove(dvn, s);
		return 0;
	}
	if (dir->synthetic || s)
		return -EBUSY;
	int rc = p9_unlinkat(&dir->fs->c, dir->fid, name, len, 0);
	if (rc)
		return rc;
	changed(dir);
	struct p9fs_node *n = find_name(dir, name, len);
	if (n)
		name_gone(n, 0);
	return 0;
}

static int p9fs_rmdir(struct uk_vnode *dvn, const char *name, size_t len)
{
	struct p9fs_node *dir = N(dvn);
	if (dir->synthetic || find_synth(dir, name, len))
		return -EBUSY;
	if (has_special(find_name(dir, name, len)))
		return -ENOTEMPTY;	/* the host would see it empty */
	int rc = p9_unlinkat(&dir->fs->c, dir->fid, name, len, P9_AT_REMOVEDIR);
	if (rc)
		return rc;
	changed(dir);
	if (dvn->nlink > 2)
		dvn->nlink--;
	struct p9fs_node *n = find_name(dir, name, len);
	if (n)
		name_gone(n, 1);
	return 0;
}

static int p9fs_rename(struct uk_vnode *odvn, const char *oname, size_t olen,
		       struct uk_vnode *ndvn, const char *nname, size_t nlen,
		       unsigned int flags)
{
	struct p9fs_node *odir = N(odvn), *ndir = N(ndvn);
	neg_clear(odir->fs);
	if (flags & 2 /* RENAME_EXCHANGE: 9P2000.L has no such request */)
		return -EINVAL;
	struct p9fs_node *os = find_synth(odir, oname, olen);
	struct p9fs_node *ns = find_synth(ndir, nname, nlen);
	if (odir->synthetic || ndir->synthetic || (os && !os->special) ||
	    (ns && !ns->special))
		return -EBUSY;
	if (os)
		return special_rename(odvn, os, ndvn, nname, nlen, ns);
	if (has_special(find_name(ndir, nname, nlen)))
		return -ENOTEMPTY;	/* a directory the host would see empty */
	int rc = p9_renameat(&odir->fs->c, odir->fid, oname, olen, ndir->fid, nname, nlen);
	if (rc)
		return rc;
	changed(odir);
	changed(ndir);
	if (ns)
		special_remove(ndvn, ns);
	struct p9fs_node *src = find_name(odir, oname, olen);
	struct p9fs_node *victim = find_name(ndir, nname, nlen);
	if (victim && victim != src) {
		int isdir = S_ISDIR(victim->h.mode);
		if (isdir && ndvn->nlink > 2)
			ndvn->nlink--;
		name_gone(victim, isdir);
	}
	if (src) {
		name_insert(src, ndir, nname, nlen);
		changed(src);
		struct uk_vnode *vn = src->vn;
		if (vn && S_ISDIR(vn->mode)) {
			if (vn->parent != ndvn) {
				uk_vnode_get(ndvn);
				if (vn->parent)
					uk_vnode_put(vn->parent);
				vn->parent = ndvn;
			}
			free(vn->name);
			vn->name = strndup(nname, nlen);
		}
	}
	if (odvn != ndvn && src && S_ISDIR(src->h.mode)) {
		odvn->nlink--;
		ndvn->nlink++;
	}
	return 0;
}

struct readdir_ctx {
	uk_filldir_t fill;
	void *ctx;
	uint64_t *pos;
};

static int dirent_cb(void *arg, const struct p9_qid *qid, uint64_t next,
		     uint8_t type, const char *name, size_t len)
{
	struct readdir_ctx *r = arg;
	if (r->fill(r->ctx, name, len, qid->path, type))
		return 1;
	*r->pos = next;
	return 0;
}

static int p9fs_readdir(struct uk_vnode *dvn, uint64_t *pos, uk_filldir_t fill,
			void *ctx)
{
	struct p9fs_node *dir = N(dvn);
	if (*pos < SYNTH_COOKIE) {
		int rc = open_fid(dir, 1);
		if (rc)
			return rc;
		struct readdir_ctx r = { fill, ctx, pos };
		for (;;) {
			rc = p9_readdir(&dir->fs->c, dir->rfid, *pos, READDIR_COUNT,
					dirent_cb, &r);
			if (rc < 0 || rc == 1)
				return rc;
			if (rc == 0)
				break;
			if (*pos >= SYNTH_COOKIE)
				return -EIO;	/* a cookie we cannot tell apart */
		}
		*pos = SYNTH_COOKIE;
	}
	struct p9fs_node *s = dir->synth;
	for (uint64_t k = SYNTH_COOKIE; s && k < *pos; k++)
		s = s->synth_next;
	for (; s; s = s->synth_next) {
		/* DT_* are S_IFMT >> 12 */
		if (fill(ctx, s->dname, strlen(s->dname), s->vn->ino,
			 (s->vn->mode & S_IFMT) >> 12))
			return 1;
		(*pos)++;
	}
	return 0;
}

/* Guest-only directories: empty, covered by a mount. */
static int synth_readdir(struct uk_vnode *dvn, uint64_t *pos, uk_filldir_t fill,
			 void *ctx)
{
	for (;;) {
		int stop;
		if (*pos == 0)
			stop = fill(ctx, ".", 1, dvn->ino, DT_DIR);
		else if (*pos == 1)
			stop = fill(ctx, "..", 2, dvn->parent ? dvn->parent->ino : dvn->ino,
				    DT_DIR);
		else
			return 0;
		if (stop)
			return 1;
		(*pos)++;
	}
}

static int synth_lookup(struct uk_vnode *dvn, const char *name, size_t len,
			struct uk_vnode **out)
{
	(void)dvn, (void)name, (void)len, (void)out;
	return -ENOENT;
}

/* --- files ------------------------------------------------------------- */

static int p9fs_open(struct uk_vnode *vn, struct uk_file *f)
{
	struct p9fs_node *n = N(vn);
	if (!S_ISREG(vn->mode))
		return 0;	/* directories open on their first readdir */
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY:
		return open_fid(n, 1);
	case O_WRONLY:
		return open_fid(n, 2);
	default:
		return open_fid(n, 3);
	}
}

static ssize_t p9fs_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			 size_t len, off_t off)
{
	(void)f;
	struct p9fs_node *n = N(vn);
	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	int rc = open_fid(n, 1);
	if (rc)
		return rc;
	long got = p9_read(&n->fs->c, n->rfid, n->riounit, off, buf, len);
	/* What shared mappings wrote and have not yet written back. */
	if (got > 0)
		p9fs_pages_read(&n->pages, buf, off, got);
	return got;
}

static ssize_t p9fs_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			  size_t len, off_t off)
{
	(void)f;
	struct p9fs_node *n = N(vn);
	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	int rc = open_fid(n, 2);
	if (rc)
		return rc;
	long w = p9_write(&n->fs->c, n->wfid, n->wiounit, off, buf, len);
	if (w > 0) {
		p9fs_pages_write(&n->pages, buf, off, w);
		if (off + w > vn->size)
			vn->size = off + w;
		uk_vnode_touch(vn, 0, 1, 1);
		n->h.mtime = vn->mtime;
		changed(n);
	}
	return w;
}

/* A Tsetattr on the walked fid, or on an opened one when the name is
 * gone (the host resolves the walked one by its path). */
static int setattr_fid(struct p9fs_node *n, const struct p9_iattr *a)
{
	int rc = p9_setattr(&n->fs->c, n->fid, a);
	if (rc == -ENOENT && n->fid != io_fid(n))
		rc = p9_setattr(&n->fs->c, io_fid(n), a);
	return rc;
}

static int p9fs_setattr(struct uk_vnode *vn, const struct uk_vattr *va)
{
	struct p9fs_node *n = N(vn);
	struct p9_iattr a;
	if (n->synthetic)
		return 0;	/* a guest-only directory: the vnode is all */
	memset(&a, 0, sizeof(a));
	if (va->mask & UK_ATTR_MODE) {
		a.valid |= P9_SETATTR_MODE;
		a.mode = va->mode & 07777;
	}
	if (va->mask & UK_ATTR_UID) {
		a.valid |= P9_SETATTR_UID;
		a.uid = va->uid;
	}
	if (va->mask & UK_ATTR_GID) {
		a.valid |= P9_SETATTR_GID;
		a.gid = va->gid;
	}
	if (va->mask & UK_ATTR_SIZE) {
		a.valid |= P9_SETATTR_SIZE;
		a.size = va->size;
	}
	if (va->mask & UK_ATTR_ATIME) {
		a.valid |= P9_SETATTR_ATIME;
		if (va->mask & UK_ATTR_ATIME_SET) {
			a.valid |= P9_SETATTR_ATIME_SET;
			a.atime_sec = va->atime.sec;
			a.atime_nsec = va->atime.nsec;
		}
	}
	if (va->mask & UK_ATTR_MTIME) {
		a.valid |= P9_SETATTR_MTIME;
		if (va->mask & UK_ATTR_MTIME_SET) {
			a.valid |= P9_SETATTR_MTIME_SET;
			a.mtime_sec = va->mtime.sec;
			a.mtime_nsec = va->mtime.nsec;
		}
	}
	if (!a.valid)
		return 0;	/* only ctime: nothing the host can be told */
	int rc = setattr_fid(n, &a);
	if (rc)
		return rc;
	if (va->mask & UK_ATTR_SIZE) {
		p9fs_pages_truncate(&n->pages, vn->size, va->size);
		if (va->size < vn->size && vn->shared_maps)
			uk_mm_file_truncated(vn, va->size);
	}
	/* The host now has what the vnode is about to hold. */
	if (va->mask & UK_ATTR_MODE)
		n->h.mode = (n->h.mode & S_IFMT) | (va->mode & 07777);
	if (va->mask & UK_ATTR_UID)
		n->h.uid = va->uid;
	if (va->mask & UK_ATTR_GID)
		n->h.gid = va->gid;
	if (va->mask & UK_ATTR_SIZE)
		n->h.size = va->size;
	if (va->mask & UK_ATTR_ATIME)
		n->h.atime = va->atime;
	if (va->mask & UK_ATTR_MTIME)
		n->h.mtime = va->mtime;
	changed(n);
	return 0;
}

/* The host's numbers for the file system holding the node (its root's
 * for a guest-only directory, or when the name is gone). */
static int p9fs_statfs(struct uk_vnode *vn, struct statfs *st)
{
	struct p9fs_node *n = N(vn);
	struct p9fs *fs = n->fs;
	uint32_t root = N(fs->m->root)->fid;
	struct p9_statfs s;
	int rc = p9_statfs(&fs->c, n->fid != P9_NOFID ? n->fid : root, &s);
	if (rc == -ENOENT && n->fid != root)
		rc = p9_statfs(&fs->c, root, &s);
	if (rc)
		return rc;
	st->f_type = s.type;
	st->f_bsize = st->f_frsize = s.bsize;
	st->f_blocks = s.blocks;
	st->f_bfree = s.bfree;
	st->f_bavail = s.bavail;
	st->f_files = s.files;
	st->f_ffree = s.ffree;
	st->f_fsid.val[0] = (uint32_t)s.fsid;
	st->f_fsid.val[1] = (uint32_t)(s.fsid >> 32);
	st->f_namelen = s.namelen;
	return 0;
}

static ssize_t p9fs_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	struct p9fs_node *n = N(vn);
	if (!n->link) {
		char *t = malloc(PATH_MAX + 1);
		if (!t)
			return -ENOMEM;
		long l = p9_readlink(&n->fs->c, n->fid, t, PATH_MAX);
		if (l < 0) {
			free(t);
			return l;
		}
		t[l] = 0;
		n->link = t;
	}
	size_t l = strlen(n->link);
	if (l > len)
		l = len;
	memcpy(buf, n->link, l);
	return l;
}

static int p9fs_fsync(struct uk_vnode *vn)
{
	struct p9fs_node *n = N(vn);
	flush_attrs(n);
	uint32_t fid = n->wfid != P9_NOFID ? n->wfid : n->rfid;
	if (fid == P9_NOFID)
		return 0;
	return p9_fsync(&n->fs->c, fid, 0);
}

int p9fs_xattr_target(struct uk_vnode *vn, struct p9_client **c, uint32_t *fid)
{
	struct p9fs_node *n = N(vn);
	*c = &n->fs->c;
	*fid = io_fid(n);
	return *fid == P9_NOFID ? -EOPNOTSUPP : 0;
}

/* --- shared mappings: pages cached while mapped (9pfs_pages.c) ---------- */

static void *p9fs_get_page(struct uk_vnode *vn, off_t off)
{
	struct p9fs_node *n = N(vn);
	if (off < 0 || off >= vn->size)
		return NULL;	/* past the end: SIGBUS */
	char *pg = p9fs_pages_find(&n->pages, off / PAGE_SIZE);
	if (pg)
		return pg;
	pg = uk_palloc(1);
	if (!pg)
		return NULL;
	memset(pg, 0, PAGE_SIZE);
	size_t len = vn->size - off < PAGE_SIZE ? vn->size - off : PAGE_SIZE;
	long got = open_fid(n, 1);
	if (!got)
		got = p9_read(&n->fs->c, n->rfid, n->riounit, off, pg, len);
	if (got < 0) {
		uk_pfree(pg, 1);
		return NULL;
	}
	/* Another fault may have cached it while this one read. */
	return p9fs_pages_add(&n->pages, off / PAGE_SIZE, pg);
}

/* Every cached page of the range goes back whole (up to the end of the
 * file): whether a mapping wrote it is not tracked. */
static int p9fs_sync_pages(struct uk_vnode *vn, off_t off, off_t len, int datasync)
{
	struct p9fs_node *n = N(vn);
	int rc = 0, wrote = 0;
	for (off_t at = off & ~(off_t)(PAGE_SIZE - 1); at < off + len && at < vn->size;
	     at += PAGE_SIZE) {
		char *pg = p9fs_pages_find(&n->pages, at / PAGE_SIZE);
		if (!pg)
			continue;
		if (!rc)
			rc = open_fid(n, 2);
		if (rc)
			break;
		size_t c = vn->size - at < PAGE_SIZE ? vn->size - at : PAGE_SIZE;
		long w = p9_write(&n->fs->c, n->wfid, n->wiounit, at, pg, c);
		if (w < 0) {
			rc = w;
			break;
		}
		wrote = 1;
	}
	if (wrote) {
		uk_vnode_touch(vn, 0, 1, 1);
		n->h.mtime = vn->mtime;
		changed(n);
	}
	if (!rc && datasync && n->wfid != P9_NOFID)
		rc = p9_fsync(&n->fs->c, n->wfid, 1);
	return rc;
}

static void p9fs_unmapped(struct uk_vnode *vn)
{
	p9fs_pages_free(&N(vn)->pages);
}

static void p9fs_refresh(struct uk_vnode *vn)
{
	flush_attrs(N(vn));
}

static const struct uk_vnode_ops p9fs_dir_ops = {
	.lookup = p9fs_lookup,
	.create = p9fs_create,
	.mkdir = p9fs_mkdir,
	.mknod = p9fs_mknod,
	.symlink = p9fs_symlink,
	.link = p9fs_link,
	.unlink = p9fs_unlink,
	.rmdir = p9fs_rmdir,
	.rename = p9fs_rename,
	.readdir = p9fs_readdir,
	.fsync = p9fs_fsync,
	.refresh = p9fs_refresh,
	.setattr = p9fs_setattr,
	.statfs = p9fs_statfs,
	.xattr = p9fs_xattr,
	.release = p9fs_release,
};

static const struct uk_vnode_ops p9fs_file_ops = {
	.open = p9fs_open,
	.read = p9fs_read,
	.write = p9fs_write,
	.setattr = p9fs_setattr,
	.fsync = p9fs_fsync,
	.get_page = p9fs_get_page,
	.sync_pages = p9fs_sync_pages,
	.unmapped = p9fs_unmapped,
	.seekable = 1,
	.refresh = p9fs_refresh,
	.statfs = p9fs_statfs,
	.xattr = p9fs_xattr,
	.release = p9fs_release,
};

static const struct uk_vnode_ops p9fs_link_ops = {
	.readlink = p9fs_readlink,
	.refresh = p9fs_refresh,
	.setattr = p9fs_setattr,
	.statfs = p9fs_statfs,
	.xattr = p9fs_xattr,
	.release = p9fs_release,
};

/* Sockets and device nodes of the host: names and attributes only. */
static const struct uk_vnode_ops p9fs_node_ops = {
	.refresh = p9fs_refresh,
	.setattr = p9fs_setattr,
	.statfs = p9fs_statfs,
	.xattr = p9fs_xattr,
	.release = p9fs_release,
};

/* FIFOs, the host's and the guest's own, open as guest pipes. */
static const struct uk_vnode_ops p9fs_fifo_ops = {
	UK_FIFO_OPS,
	.refresh = p9fs_refresh,
	.setattr = p9fs_setattr,
	.statfs = p9fs_statfs,
	.release = p9fs_release,
};

static const struct uk_vnode_ops p9fs_synth_ops = {
	.lookup = synth_lookup,
	.readdir = synth_readdir,
	.setattr = p9fs_setattr,
	.statfs = p9fs_statfs,
	.release = p9fs_release,
};

/* --- mounting ---------------------------------------------------------- */

struct uk_mount *uk_9pfs_new(const char *tag, int *err)
{
	struct p9_trans *t = p9_virtio_open(tag);
	if (!t) {
		printf("9pfs: no virtio-9p device with mount tag \"%s\"\n", tag);
		*err = -ENODEV;
		return NULL;
	}
	struct p9fs *fs = calloc(1, sizeof(*fs));
	if (!fs) {
		*err = -ENOMEM;
		return NULL;
	}
	int rc = p9_client_init(&fs->c, t, DEFAULT_MSIZE);
	if (rc) {
		printf("9pfs (%s): version negotiation failed (%d)\n", t->name, rc);
		*err = rc;
		return NULL;	/* fs stays: the device may hold its buffers */
	}
	uint32_t fid = p9_fid_alloc(&fs->c);
	rc = p9_attach(&fs->c, fid, "root", "", 0, NULL);
	if (rc) {
		printf("9pfs (%s): attach failed (%d)\n", t->name, rc);
		*err = rc;
		return NULL;
	}
	fs->m = uk_mount_new("9p", V9FS_MAGIC);
	if (!fs->m) {
		*err = -ENOMEM;
		return NULL;
	}
	struct uk_vnode *root;
	struct p9fs_node *n = node_new(fs, fid, &rc);
	if (n)
		rc = node_vnode(n, NULL, NULL, 0, &root);
	if (rc) {
		printf("9pfs (%s): the root's attributes: %d\n", t->name, rc);
		*err = rc;
		return NULL;
	}
	fs->m->root = root;
	fs->next_synth_ino = ~0ULL;
	return fs->m;
}

int uk_9pfs_mountpoint(struct uk_mount *m, const char *name, mode_t mode)
{
	struct uk_vnode *root = m->root, *vn;
	struct p9fs_node *dir = N(root);
	size_t len = strlen(name);
	int rc = p9fs_lookup(root, name, len, &vn);
	if (rc == 0) {
		uk_vnode_put(vn);
		return 0;
	}
	if (rc != -ENOENT)
		return rc;
	vn = uk_vnode_alloc(m, &p9fs_synth_ops, S_IFDIR | (mode & 07777));
	struct p9fs_node *n = calloc(1, sizeof(*n));
	if (!vn || !n || !(n->dname = strdup(name))) {
		free(vn);
		if (n)
			free(n->dname);
		free(n);
		return -ENOMEM;
	}
	vn->priv = n;
	vn->ino = dir->fs->next_synth_ino--;
	vn->name = strdup(name);
	vn->parent = root;
	uk_vnode_get(root);
	n->vn = vn;
	n->fs = dir->fs;
	n->synthetic = 1;
	n->fid = n->rfid = n->wfid = P9_NOFID;
	n->synth_next = dir->synth;
	dir->synth = n;
	root->nlink++;
	return 1;	/* the list keeps the allocation's reference */
}

int uk_9pfs_overlay(struct uk_vnode *dvn, const char *name, struct uk_vnode *vn)
{
	struct uk_vnode *found;
	size_t len = strlen(name);
	if (dvn->ops != &p9fs_dir_ops || N(dvn)->synthetic || !len || len > NAME_MAX ||
	    strchr(name, '/'))
		return -EINVAL;
	int rc = p9fs_lookup(dvn, name, len, &found);
	if (rc == 0) {
		uk_vnode_put(found);
		return 0;
	}
	if (rc != -ENOENT)
		return rc;
	struct p9fs_node *dir = N(dvn), *n = calloc(1, sizeof(*n));
	if (!n || !(n->dname = strdup(name))) {
		free(n);
		return -ENOMEM;
	}
	/* The entry keeps vn, and the directory's vnode keeps its node (and
	 * so the list) for good. */
	uk_vnode_get(vn);
	uk_vnode_get(dvn);
	n->vn = vn;
	n->fs = dir->fs;
	n->synthetic = 1;
	n->fid = n->rfid = n->wfid = P9_NOFID;
	n->synth_next = dir->synth;
	dir->synth = n;
	return 1;
}
