/* nolibc: the kernel heap. Power-of-two size classes carved from pages for
 * small blocks, whole page runs for large ones; every block carries a
 * 16-byte header naming its class, so free() needs no size. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <uk/mm.h>
#include <uk/plat/bkl.h>

#define HDR_SIZE	16
#define MIN_SHIFT	5	/* 32-byte blocks, header included */
#define MAX_SHIFT	11	/* 2048 */
#define NCLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define KIND_SMALL	0x534d414cU
#define KIND_LARGE	0x4c415247U

struct hdr {
	uint32_t kind;
	uint32_t class_or_pages;
	uint64_t offset;	/* from the block's start to this header */
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[NCLASSES];

static int size_class(size_t total)
{
	int shift = MIN_SHIFT;
	while (((size_t)1 << shift) < total)
		shift++;
	return shift - MIN_SHIFT;
}

static void *alloc_small(int cls)
{
	if (!free_lists[cls]) {
		char *page = uk_palloc(1);
		if (!page)
			return NULL;
		size_t bsize = (size_t)1 << (cls + MIN_SHIFT);
		for (size_t off = 0; off + bsize <= PAGE_SIZE; off += bsize) {
			struct free_block *b = (void *)(page + off);
			b->next = free_lists[cls];
			free_lists[cls] = b;
		}
	}
	struct free_block *b = free_lists[cls];
	free_lists[cls] = b->next;
	struct hdr *h = (void *)b;
	h->kind = KIND_SMALL;
	h->class_or_pages = cls;
	h->offset = 0;
	return (char *)h + HDR_SIZE;
}

static void *alloc_large(size_t total)
{
	size_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	struct hdr *h = uk_palloc(pages);
	if (!h)
		return NULL;
	h->kind = KIND_LARGE;
	h->class_or_pages = pages;
	h->offset = 0;
	return (char *)h + HDR_SIZE;
}

void *malloc(size_t size)
{
	UKPLAT_BKL_HELD();
	if (size > ((size_t)1 << 40))
		return NULL;
	size_t total = size + HDR_SIZE;
	if (total <= ((size_t)1 << MAX_SHIFT))
		return alloc_small(size_class(total));
	return alloc_large(total);
}

static struct hdr *hdr_of(void *p)
{
	struct hdr *h = (struct hdr *)((char *)p - HDR_SIZE);
	if (h->kind != KIND_SMALL && h->kind != KIND_LARGE)
		abort();
	return h;
}

static size_t usable_size(struct hdr *h)
{
	if (h->kind == KIND_SMALL)
		return ((size_t)1 << (h->class_or_pages + MIN_SHIFT)) - HDR_SIZE -
		       h->offset;
	return (size_t)h->class_or_pages * PAGE_SIZE - HDR_SIZE - h->offset;
}

void free(void *p)
{
	if (!p)
		return;
	UKPLAT_BKL_HELD();
	struct hdr *h = hdr_of(p);
	void *base = (char *)h - h->offset;
	if (h->kind == KIND_SMALL) {
		struct free_block *b = base;
		int cls = h->class_or_pages;
		h->kind = 0;
		b->next = free_lists[cls];
		free_lists[cls] = b;
	} else {
		h->kind = 0;
		uk_pfree(base, h->class_or_pages);
	}
}

void *calloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	void *p = malloc(total);
	if (p)
		memset(p, 0, total);
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	if (!size) {
		free(p);
		return NULL;
	}
	size_t old = usable_size(hdr_of(p));
	if (size <= old)
		return p;
	void *n = malloc(size);
	if (n) {
		memcpy(n, p, old);
		free(p);
	}
	return n;
}

void *aligned_alloc(size_t align, size_t size)
{
	if (align <= HDR_SIZE)
		return malloc(size);
	if (align & (align - 1))
		return NULL;
	char *raw = malloc(size + align + HDR_SIZE);
	if (!raw)
		return NULL;
	struct hdr *rh = hdr_of(raw);
	uintptr_t user = ((uintptr_t)raw + HDR_SIZE + align - 1) & ~(align - 1);
	struct hdr *h = (struct hdr *)(user - HDR_SIZE);
	uint64_t offset = (uintptr_t)h - ((uintptr_t)rh - rh->offset);
	uint32_t kind = rh->kind, cop = rh->class_or_pages;
	h->kind = kind;
	h->class_or_pages = cop;
	h->offset = offset;
	return (void *)user;
}
