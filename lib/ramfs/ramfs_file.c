/* ramfs regular files: sparse page arrays (a missing page reads as
 * zeroes), or initrd bytes read in place until the first write. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/statfs.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/uaccess.h>
#include <uk/ramfs.h>
#include "ramfs_internal.h"

#define MAX_FILE_SIZE (1L << 40)

/* Pages come from the page allocator, page aligned, so that MAP_SHARED
 * can map them. While a shared mapping may still point at them they are
 * not freed (a leak rather than a stale mapping). */
static char *page_new(void)
{
	char *p = uk_palloc(1);
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

static void page_free(struct uk_vnode *vn, char *p)
{
	if (p && (!vn || !vn->shared_maps))
		uk_pfree(p, 1);
}

void ramfs_free_data(struct ramfs_node *n)
{
	for (size_t i = 0; i < n->npages; i++)
		page_free(n->owner, n->pages[i]);
	free(n->pages);
	n->pages = NULL;
	n->npages = 0;
	n->backing = NULL;
}

static int grow_pages(struct ramfs_node *n, size_t npages)
{
	if (npages <= n->npages)
		return 0;
	size_t cap = n->npages ? n->npages : 4;
	while (cap < npages)
		cap *= 2;
	char **p = realloc(n->pages, cap * sizeof(char *));
	if (!p)
		return -ENOMEM;
	memset(p + n->npages, 0, (cap - n->npages) * sizeof(char *));
	n->pages = p;
	n->npages = cap;
	return 0;
}

/* Copies initrd bytes into pages before the first change. */
static int materialize(struct uk_vnode *vn)
{
	struct ramfs_node *n = vn->priv;
	if (!n->backing)
		return 0;
	const char *src = n->backing;
	size_t size = vn->size;
	n->backing = NULL;
	int rc = grow_pages(n, (size + PAGE_SIZE - 1) / PAGE_SIZE);
	if (rc)
		return rc;
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		char *pg = page_new();
		if (!pg)
			return -ENOMEM;
		size_t c = size - off < PAGE_SIZE ? size - off : PAGE_SIZE;
		memcpy(pg, src + off, c);
		n->pages[off / PAGE_SIZE] = pg;
	}
	return 0;
}

void uk_ramfs_set_backing(struct uk_vnode *vn, const void *data, size_t len)
{
	struct ramfs_node *n = vn->priv;
	ramfs_free_data(n);
	n->backing = data;
	vn->size = len;
}

ssize_t ramfs_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
		   size_t len, off_t off)
{
	(void)f;
	struct ramfs_node *n = vn->priv;
	if (off < 0)
		return -EINVAL;
	if (off >= vn->size)
		return 0;
	if (len > (size_t)(vn->size - off))
		len = vn->size - off;
	size_t done = 0;
	if (n->backing) {
		done = uk_copy_out_part(buf, n->backing + off, len);
	} else {
		while (done < len) {
			size_t pos = off + done, pi = pos / PAGE_SIZE, po = pos % PAGE_SIZE;
			size_t c = PAGE_SIZE - po < len - done ? PAGE_SIZE - po : len - done;
			size_t got = pi < n->npages && n->pages[pi] ?
				uk_copy_out_part((char *)buf + done, n->pages[pi] + po, c) :
				uk_clear_out_part((char *)buf + done, c);
			done += got;
			if (got < c)
				break;
		}
	}
	if (!done && len)
		return -EFAULT;
	uk_vnode_touch(vn, 1, 0, 0);
	return done;
}

ssize_t ramfs_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
		    size_t len, off_t off)
{
	(void)f;
	struct ramfs_node *n = vn->priv;
	if (off < 0 || off > MAX_FILE_SIZE || len > (size_t)(MAX_FILE_SIZE - off))
		return -EFBIG;
	if (!len)
		return 0;
	int rc = materialize(vn);
	if (!rc)
		rc = grow_pages(n, (off + len + PAGE_SIZE - 1) / PAGE_SIZE);
	if (rc)
		return rc;
	size_t done = 0;
	while (done < len) {
		size_t pos = off + done, pi = pos / PAGE_SIZE, po = pos % PAGE_SIZE;
		size_t c = PAGE_SIZE - po < len - done ? PAGE_SIZE - po : len - done;
		if (!n->pages[pi]) {
			n->pages[pi] = page_new();
			if (!n->pages[pi])
				return done ? (ssize_t)done : -ENOSPC;
		}
		size_t got = uk_copy_in_part(n->pages[pi] + po, (const char *)buf + done, c);
		done += got;
		if (got < c)
			break;
	}
	if (!done)
		return -EFAULT;
	if (off + (off_t)done > vn->size)
		vn->size = off + done;
	uk_vnode_touch(vn, 0, 1, 1);
	return done;
}

void *ramfs_get_page(struct uk_vnode *vn, off_t off)
{
	struct ramfs_node *n = vn->priv;
	if (off < 0 || off >= vn->size || materialize(vn))
		return NULL;
	size_t pi = off / PAGE_SIZE;
	if (grow_pages(n, pi + 1))
		return NULL;
	if (!n->pages[pi])
		n->pages[pi] = page_new();
	return n->pages[pi];
}

int ramfs_truncate(struct uk_vnode *vn, off_t len)
{
	struct ramfs_node *n = vn->priv;
	if (len > MAX_FILE_SIZE)
		return -EFBIG;
	if (len == 0) {
		ramfs_free_data(n);
		vn->size = 0;
		return 0;
	}
	int rc = materialize(vn);
	if (rc)
		return rc;
	if (len < vn->size) {
		size_t keep = (len + PAGE_SIZE - 1) / PAGE_SIZE;
		for (size_t i = keep; i < n->npages; i++) {
			page_free(vn, n->pages[i]);
			n->pages[i] = NULL;
		}
		/* Zero the tail of the last kept page: a later grow reads 0. */
		if ((len % PAGE_SIZE) && keep - 1 < n->npages && n->pages[keep - 1])
			memset(n->pages[keep - 1] + len % PAGE_SIZE, 0,
			       PAGE_SIZE - len % PAGE_SIZE);
	}
	vn->size = len;
	return 0;
}

/* Sizes change in the pages; everything else lives in the vnode, which
 * the VFS updates. */
int ramfs_setattr(struct uk_vnode *vn, const struct uk_vattr *va)
{
	if (va->mask & UK_ATTR_SIZE)
		return ramfs_truncate(vn, va->size);
	return 0;
}

/* A tmpfs without a size limit: the page allocator's pages are the
 * blocks, and each could hold a file. */
int ramfs_statfs(struct uk_vnode *vn, struct statfs *st)
{
	(void)vn;
	st->f_bsize = st->f_frsize = PAGE_SIZE;
	st->f_blocks = st->f_files = uk_pmem_total_pages();
	st->f_bfree = st->f_bavail = st->f_ffree = uk_pmem_free_pages();
	return 0;
}
