/* Internal interfaces of lib/9pfs. */
#pragma once
#include "9p.h"

/* Extended attributes over Txattrwalk and Txattrcreate (9pfs_xattr.c): a
 * vnode op; the client and the fid a node's ones are asked through
 * (-EOPNOTSUPP for a guest-only node). */
struct uk_vnode;
int p9fs_xattr(struct uk_vnode *vn, int op, const char *name, void *buf, size_t size,
	       int flags);
int p9fs_xattr_target(struct uk_vnode *vn, struct p9_client **c, uint32_t *fid);

/* The transport of the virtio-9p device with this mount tag (the device
 * is set up on first use); NULL when there is none. */
struct p9_trans *p9_virtio_open(const char *tag);

/* The pages of a regular file that MAP_SHARED mappings map
 * (9pfs_pages.c): made when a mapping first touches them, shared by every
 * mapping of the file, seen by read() and kept up to date by write(),
 * written back to the host by msync, munmap and the end of a process,
 * and freed when the last shared mapping goes. */
struct p9fs_pages {
	char **page;		/* by page index; NULL: not cached */
	size_t n;		/* entries in page */
	/* Pages a truncate cut off while a mapping may still map them:
	 * freed with the rest, never written back. */
	char **orphan;
	size_t norphan, orphan_cap;
};

/* The cached page of index idx, or NULL. */
char *p9fs_pages_find(const struct p9fs_pages *pc, uint64_t idx);
/* Caches pg (a page from uk_palloc) at idx and returns it, or the page
 * cached there meanwhile (pg is then freed); NULL: out of memory. */
char *p9fs_pages_add(struct p9fs_pages *pc, uint64_t idx, char *pg);
/* The cached pages' bytes of [off, off + len) over what a read from the
 * host put in buf (the program's or the kernel's). */
void p9fs_pages_read(const struct p9fs_pages *pc, void *buf, uint64_t off,
		     size_t len);
/* A write of buf's len bytes at off, done on the host, into the cached
 * pages too. */
void p9fs_pages_write(const struct p9fs_pages *pc, const void *buf,
		      uint64_t off, size_t len);
/* The file's size changes from old to size: pages past the end leave
 * the cache, the tail of the last one reads as zeroes. */
void p9fs_pages_truncate(struct p9fs_pages *pc, uint64_t old, uint64_t size);
/* Frees every page (no mapping maps them any more). */
void p9fs_pages_free(struct p9fs_pages *pc);
