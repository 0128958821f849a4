/* ramfs: a fresh instance driven through its vnode operations: link
 * counts and directory sizes as tmpfs has them, sparse files and
 * truncation, hard links, rename (over a file, across directories,
 * RENAME_EXCHANGE), symlinks, listings, initrd-backed files that are
 * copied on first write, shared-mapping pages, and no pages lost. */
#include <errno.h>
#include <string.h>
#include <linux/magic.h>
#include <asm/statfs.h>
#include <uk/mm.h>
#include <uk/ramfs.h>
#include <uk/vfs.h>
#include <uk/test.h>

#define BOGO_DIRENT 20		/* tmpfs: a directory grows 20 per entry */
#define RENAME_EXCHANGE 2

static struct uk_vnode *root;

static struct uk_vnode *lookup(struct uk_vnode *dir, const char *name)
{
	struct uk_vnode *vn = NULL;
	if (dir->ops->lookup(dir, name, strlen(name), &vn))
		return NULL;
	uk_vnode_put(vn);	/* the directory keeps it alive */
	return vn;
}

static struct uk_vnode *create(struct uk_vnode *dir, const char *name)
{
	struct uk_vnode *vn = NULL;
	if (dir->ops->create(dir, name, strlen(name), S_IFREG | 0644, &vn))
		return NULL;
	uk_vnode_put(vn);
	return vn;
}

static ssize_t wr(struct uk_vnode *vn, const void *buf, size_t len, off_t off)
{
	return vn->ops->write(vn, NULL, buf, len, off);
}

static ssize_t rd(struct uk_vnode *vn, void *buf, size_t len, off_t off)
{
	return vn->ops->read(vn, NULL, buf, len, off);
}

/* truncate(2) as the VFS does it. */
static int set_size(struct uk_vnode *vn, off_t size)
{
	struct uk_vattr va = { .mask = UK_ATTR_SIZE, .size = size };
	return uk_vfs_setattr(vn, &va);
}

static int setup(void)
{
	if (!root) {
		struct uk_mount *m = uk_ramfs_new();
		root = m ? m->root : NULL;
	}
	return root != NULL;
}

UK_TESTCASE(ramfs, dirs_and_links)
{
	UK_TEST_EXPECT(setup());
	if (!root)
		return;
	struct uk_vnode *r = root;
	UK_TEST_EXPECT(S_ISDIR(r->mode));
	UK_TEST_EQ(r->nlink, 2);
	UK_TEST_EQ(r->size, 2 * BOGO_DIRENT);
	UK_TEST_EQ(r->ops->mkdir(r, "d", 1, S_IFDIR | 0755), 0);
	struct uk_vnode *d = lookup(r, "d");
	UK_TEST_EXPECT(d && S_ISDIR(d->mode));
	if (!d)
		return;
	/* A subdirectory's ".." counts in its parent's links. */
	UK_TEST_EQ(r->nlink, 3);
	UK_TEST_EQ(d->nlink, 2);
	UK_TEST_EQ(r->size, 3 * BOGO_DIRENT);
	struct uk_vnode *f = create(d, "f");
	UK_TEST_EXPECT(f && S_ISREG(f->mode));
	if (!f)
		return;
	UK_TEST_EQ(f->nlink, 1);
	UK_TEST_EQ(f->size, 0);
	UK_TEST_EQ(d->nlink, 2);	/* files do not add links */
	/* Hard links share the inode. */
	UK_TEST_EQ(r->ops->link(r, "hard", 4, f), 0);
	UK_TEST_EQ(f->nlink, 2);
	UK_TEST_EXPECT(lookup(r, "hard") == f);
	wr(f, "data", 4, 0);
	UK_TEST_EQ(d->ops->unlink(d, "f", 1), 0);
	UK_TEST_EQ(f->nlink, 1);
	char buf[8];
	UK_TEST_EQ(rd(lookup(r, "hard"), buf, sizeof(buf), 0), 4);
	UK_TEST_EXPECT(!memcmp(buf, "data", 4));
	UK_TEST_EQ(d->ops->unlink(d, "f", 1), -ENOENT);
	/* rmdir: only empty directories, only directories. */
	create(d, "g");
	UK_TEST_EQ(r->ops->rmdir(r, "d", 1), -ENOTEMPTY);
	UK_TEST_EQ(r->ops->rmdir(r, "hard", 4), -ENOTDIR);
	UK_TEST_EQ(d->ops->unlink(d, "g", 1), 0);
	UK_TEST_EQ(r->ops->rmdir(r, "d", 1), 0);
	UK_TEST_EQ(r->nlink, 2);
	UK_TEST_EQ(r->ops->unlink(r, "hard", 4), 0);
	UK_TEST_EQ(r->size, 2 * BOGO_DIRENT);
	/* Symlinks: the target verbatim, its length as size. */
	UK_TEST_EQ(r->ops->symlink(r, "sl", 2, "../some/where"), 0);
	struct uk_vnode *sl = lookup(r, "sl");
	UK_TEST_EXPECT(sl && S_ISLNK(sl->mode));
	if (sl) {
		char t[32];
		UK_TEST_EQ(sl->size, 13);
		UK_TEST_EQ(sl->ops->readlink(sl, t, sizeof(t)), 13);
		UK_TEST_EXPECT(!memcmp(t, "../some/where", 13));
	}
	r->ops->unlink(r, "sl", 2);
}

UK_TESTCASE(ramfs, file_data)
{
	static char big[3 * 4096 + 100];
	char buf[64];
	UK_TEST_EXPECT(setup());
	if (!root)
		return;
	struct uk_vnode *f = create(root, "data");
	if (!f)
		return;
	UK_TEST_EQ(wr(f, "hello", 5, 0), 5);
	UK_TEST_EQ(rd(f, buf, sizeof(buf), 0), 5);
	UK_TEST_EQ(rd(f, buf, sizeof(buf), 5), 0);	/* end of file */
	/* A write past the end leaves a hole that reads as zeroes. */
	UK_TEST_EQ(wr(f, "end", 3, 10000), 3);
	UK_TEST_EQ(f->size, 10003);
	memset(big, 0x55, sizeof(big));
	UK_TEST_EQ(rd(f, big, sizeof(big), 0), 10003);
	int hole_ok = 1;
	for (int i = 5; i < 10000; i++)
		hole_ok &= big[i] == 0;
	UK_TEST_EQ(hole_ok, 1);
	UK_TEST_EXPECT(!memcmp(big, "hello", 5) && !memcmp(big + 10000, "end", 3));
	/* Shrink, then grow: the cut bytes come back as zeroes. */
	UK_TEST_EQ(set_size(f, 2), 0);
	UK_TEST_EQ(f->size, 2);
	UK_TEST_EQ(set_size(f, 5), 0);
	memset(buf, 0x55, sizeof(buf));
	UK_TEST_EQ(rd(f, buf, sizeof(buf), 0), 5);
	UK_TEST_EXPECT(!memcmp(buf, "he\0\0\0", 5));
	/* Writes straddling pages. */
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	UK_TEST_EQ(wr(f, big, sizeof(big), 4000), sizeof(big));
	static char back[sizeof(big)];
	UK_TEST_EQ(rd(f, back, sizeof(back), 4000), sizeof(back));
	UK_TEST_EXPECT(!memcmp(big, back, sizeof(big)));
	UK_TEST_EQ(rd(f, buf, 4, -1), -EINVAL);
	UK_TEST_EQ(set_size(root, 0), -EISDIR);
	/* statfs: ramfs's magic. */
	struct statfs st;
	UK_TEST_EQ(uk_vfs_statfs(f, &st), 0);
	UK_TEST_EQ(st.f_type, RAMFS_MAGIC);
	root->ops->unlink(root, "data", 4);
}

UK_TESTCASE(ramfs, rename)
{
	char buf[8];
	UK_TEST_EXPECT(setup());
	if (!root)
		return;
	struct uk_vnode *r = root, *a = create(r, "a"), *b = create(r, "b");
	if (!a || !b)
		return;
	wr(a, "A", 1, 0);
	wr(b, "B", 1, 0);
	/* Over an existing file: the target name now means the source. */
	uk_vnode_get(b);
	UK_TEST_EQ(r->ops->rename(r, "a", 1, r, "b", 1, 0), 0);
	UK_TEST_EXPECT(lookup(r, "a") == NULL);
	UK_TEST_EXPECT(lookup(r, "b") == a);
	UK_TEST_EQ(b->nlink, 0);	/* the replaced file lost its name */
	uk_vnode_put(b);
	UK_TEST_EQ(r->size, 3 * BOGO_DIRENT);
	/* A directory moved into another: both parents' links change. */
	r->ops->mkdir(r, "d1", 2, S_IFDIR | 0755);
	r->ops->mkdir(r, "d2", 2, S_IFDIR | 0755);
	struct uk_vnode *d1 = lookup(r, "d1"), *d2 = lookup(r, "d2");
	if (!d1 || !d2)
		return;
	UK_TEST_EQ(r->nlink, 4);
	UK_TEST_EQ(r->ops->rename(r, "d2", 2, d1, "sub", 3, 0), 0);
	UK_TEST_EQ(r->nlink, 3);
	UK_TEST_EQ(d1->nlink, 3);
	UK_TEST_EXPECT(lookup(d1, "sub") == d2);
	UK_TEST_EXPECT(d2->parent == d1);
	/* RENAME_EXCHANGE swaps two names. */
	struct uk_vnode *c = create(r, "c");
	if (!c)
		return;
	UK_TEST_EQ(r->ops->rename(r, "b", 1, r, "c", 1, RENAME_EXCHANGE), 0);
	UK_TEST_EXPECT(lookup(r, "b") == c);
	UK_TEST_EXPECT(lookup(r, "c") == a);
	UK_TEST_EQ(rd(lookup(r, "c"), buf, 1, 0), 1);
	UK_TEST_EQ(buf[0], 'A');
	r->ops->rmdir(d1, "sub", 3);
	r->ops->rmdir(r, "d1", 2);
	r->ops->unlink(r, "b", 1);
	r->ops->unlink(r, "c", 1);
	UK_TEST_EQ(r->nlink, 2);
	UK_TEST_EQ(r->size, 2 * BOGO_DIRENT);
}

struct names {
	char seen[8][8];
	unsigned char type[8];
	int n;
};

static int fill(void *ctx, const char *name, size_t len, uint64_t ino, unsigned char type)
{
	struct names *l = ctx;
	(void)ino;
	if (l->n < 8 && len < 8) {
		memcpy(l->seen[l->n], name, len);
		l->seen[l->n][len] = 0;
		l->type[l->n] = type;
	}
	l->n++;
	return 0;
}

static int stop_after_one(void *ctx, const char *name, size_t len, uint64_t ino,
			  unsigned char type)
{
	int *calls = ctx;
	(void)name, (void)len, (void)ino, (void)type;
	return ++*calls > 1;	/* buffer full after one entry */
}

UK_TESTCASE(ramfs, readdir)
{
	UK_TEST_EXPECT(setup());
	if (!root)
		return;
	struct uk_vnode *r = root;
	create(r, "f");
	r->ops->mkdir(r, "d", 1, S_IFDIR | 0755);
	r->ops->symlink(r, "l", 1, "f");
	struct names l;
	memset(&l, 0, sizeof(l));
	uint64_t pos = 0;
	UK_TEST_EQ(r->ops->readdir(r, &pos, fill, &l), 0);
	UK_TEST_EQ(l.n, 5);
	UK_TEST_EXPECT(!strcmp(l.seen[0], ".") && !strcmp(l.seen[1], ".."));
	/* d_type: DT_DIR 4, DT_REG 8, DT_LNK 10; creation order. */
	UK_TEST_EXPECT(!strcmp(l.seen[2], "f") && l.type[2] == 8);
	UK_TEST_EXPECT(!strcmp(l.seen[3], "d") && l.type[3] == 4);
	UK_TEST_EXPECT(!strcmp(l.seen[4], "l") && l.type[4] == 10);
	/* A full buffer stops the listing; the next call resumes with the
	 * entry that did not fit. */
	int calls = 0;
	pos = 0;
	UK_TEST_EQ(r->ops->readdir(r, &pos, stop_after_one, &calls), 1);
	UK_TEST_EQ(pos, 1);
	memset(&l, 0, sizeof(l));
	UK_TEST_EQ(r->ops->readdir(r, &pos, fill, &l), 0);
	UK_TEST_EQ(l.n, 4);
	UK_TEST_EXPECT(!strcmp(l.seen[0], ".."));
	r->ops->unlink(r, "f", 1);
	r->ops->rmdir(r, "d", 1);
	r->ops->unlink(r, "l", 1);
}

UK_TESTCASE(ramfs, backing_and_pages)
{
	static const char initrd_bytes[] = "bytes from the initrd";
	char buf[64];
	UK_TEST_EXPECT(setup());
	if (!root)
		return;
	struct uk_vnode *f = create(root, "init");
	if (!f)
		return;
	size_t free0 = uk_pmem_free_pages();
	uk_ramfs_set_backing(f, initrd_bytes, sizeof(initrd_bytes) - 1);
	UK_TEST_EQ(f->size, sizeof(initrd_bytes) - 1);
	UK_TEST_EQ(rd(f, buf, sizeof(buf), 0), sizeof(initrd_bytes) - 1);
	UK_TEST_EXPECT(!memcmp(buf, initrd_bytes, sizeof(initrd_bytes) - 1));
	/* Read in place: no page used yet. Written: a copy, the initrd
	 * untouched. */
	UK_TEST_EQ(uk_pmem_free_pages(), free0);
	UK_TEST_EQ(wr(f, "BYTES", 5, 0), 5);
	UK_TEST_EXPECT(!memcmp(initrd_bytes, "bytes", 5));
	UK_TEST_EQ(rd(f, buf, sizeof(buf), 0), sizeof(initrd_bytes) - 1);
	UK_TEST_EXPECT(!memcmp(buf, "BYTES from the initrd", 21));
	/* The page a shared mapping maps holds the file's bytes, and a
	 * store there is what read returns. */
	char *pg = f->ops->get_page(f, 0);
	UK_TEST_EXPECT(pg != NULL);
	if (pg) {
		UK_TEST_EXPECT(!memcmp(pg, "BYTES", 5));
		pg[6] = 'F';
		UK_TEST_EQ(rd(f, buf, 8, 0), 8);
		UK_TEST_EXPECT(!memcmp(buf, "BYTES Fr", 8));
	}
	UK_TEST_EXPECT(f->ops->get_page(f, 4096) == NULL);	/* past the end */
	/* Pages come back when the last name goes (a page of slack for
	 * the heap, which may grow meanwhile and never shrinks). */
	static char blob[5 * 4096];
	size_t free1 = uk_pmem_free_pages();
	wr(f, blob, sizeof(blob), 8192);
	UK_TEST_EXPECT(uk_pmem_free_pages() <= free1 - 5);
	root->ops->unlink(root, "init", 4);
	UK_TEST_EXPECT(uk_pmem_free_pages() + 1 >= free0);
}
