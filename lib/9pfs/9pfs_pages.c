/* 9pfs's page cache for MAP_SHARED: the pages of a file that shared
 * mappings map, one set per node, which read() and write() of the same
 * file look into. Only while a shared mapping exists: the cache is empty
 * otherwise, and reads and writes go to the host alone. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/uaccess.h>
#include "9pfs_internal.h"

char *p9fs_pages_find(const struct p9fs_pages *pc, uint64_t idx)
{
	return idx < pc->n ? pc->page[idx] : NULL;
}

char *p9fs_pages_add(struct p9fs_pages *pc, uint64_t idx, char *pg)
{
	char *had = p9fs_pages_find(pc, idx);
	if (had) {
		uk_pfree(pg, 1);
		return had;
	}
	if (idx >= pc->n) {
		size_t cap = pc->n ? pc->n : 16;
		while (cap <= idx)
			cap *= 2;
		char **p = realloc(pc->page, cap * sizeof(*p));
		if (!p)
			goto err_free;
		memset(p + pc->n, 0, (cap - pc->n) * sizeof(*p));
		pc->page = p;
		pc->n = cap;
	}
	pc->page[idx] = pg;
	return pg;
err_free:
	uk_pfree(pg, 1);
	return NULL;
}

/* Calls fn on each cached piece of [off, off + len): the page's bytes,
 * the position in the buffer, the length; stops when fn does less. The
 * cache is looked at afresh for each page (a copy may fault and sleep). */
static void each_piece(const struct p9fs_pages *pc, uint64_t off, size_t len,
		       size_t (*fn)(char *pg, size_t at, size_t c, void *arg),
		       void *arg)
{
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		size_t po = pos % PAGE_SIZE;
		size_t c = PAGE_SIZE - po < len - done ? PAGE_SIZE - po : len - done;
		char *pg = p9fs_pages_find(pc, pos / PAGE_SIZE);
		if (pg && fn(pg + po, done, c, arg) < c)
			return;
		done += c;
	}
}

static size_t out_piece(char *pg, size_t at, size_t c, void *buf)
{
	return uk_copy_out_part((char *)buf + at, pg, c);
}

static size_t in_piece(char *pg, size_t at, size_t c, void *buf)
{
	return uk_copy_in_part(pg, (const char *)buf + at, c);
}

void p9fs_pages_read(const struct p9fs_pages *pc, void *buf, uint64_t off,
		     size_t len)
{
	if (pc->page)
		each_piece(pc, off, len, out_piece, buf);
}

void p9fs_pages_write(const struct p9fs_pages *pc, const void *buf,
		      uint64_t off, size_t len)
{
	if (pc->page)
		each_piece(pc, off, len, in_piece, (void *)buf);
}

static void orphan(struct p9fs_pages *pc, char *pg)
{
	if (pc->norphan == pc->orphan_cap) {
		size_t cap = pc->orphan_cap ? 2 * pc->orphan_cap : 16;
		char **p = realloc(pc->orphan, cap * sizeof(*p));
		if (!p)
			return;	/* leaked rather than freed while mapped */
		pc->orphan = p;
		pc->orphan_cap = cap;
	}
	pc->orphan[pc->norphan++] = pg;
}

void p9fs_pages_truncate(struct p9fs_pages *pc, uint64_t old, uint64_t size)
{
	if (!pc->page)
		return;
	uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (uint64_t i = keep; i < pc->n; i++) {
		if (pc->page[i])
			orphan(pc, pc->page[i]);
		pc->page[i] = NULL;
	}
	/* The last page's bytes past the end (which a mapping may have
	 * written) read as zeroes when the file grows over them again. */
	uint64_t from = old < size ? old : size;
	char *last = from % PAGE_SIZE ? p9fs_pages_find(pc, from / PAGE_SIZE) : NULL;
	if (last)
		memset(last + from % PAGE_SIZE, 0, PAGE_SIZE - from % PAGE_SIZE);
}

void p9fs_pages_free(struct p9fs_pages *pc)
{
	for (size_t i = 0; i < pc->n; i++)
		if (pc->page[i])
			uk_pfree(pc->page[i], 1);
	for (size_t i = 0; i < pc->norphan; i++)
		uk_pfree(pc->orphan[i], 1);
	free(pc->page);
	free(pc->orphan);
	memset(pc, 0, sizeof(*pc));
}
