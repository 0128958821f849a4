/* Physical page allocator: one bit per page of RAM (set = in use), with a
 * next-fit cursor; contiguous runs serve the kernel heap's large blocks.
 * Pages mapped into programs also carry a count of the address spaces
 * that map them (fork shares them copy-on-write). The bitmap and the
 * counts sit together after the kernel image. */
#include <stdint.h>
#include <string.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/plat/bkl.h>

static uint64_t *bitmap;
static uint32_t *mapcount;
static uint64_t npages, free_pages, total_pages, cursor;

static size_t bitmap_only_bytes(void)
{
	return ((npages + 63) / 64) * 8;
}

void uk_pmem_init(uint64_t ram_top, void *bm)
{
	bitmap = bm;
	npages = ram_top >> PAGE_SHIFT;
	mapcount = (uint32_t *)((char *)bm + bitmap_only_bytes());
	memset(bitmap, 0xff, bitmap_only_bytes());
	memset(mapcount, 0, npages * sizeof(*mapcount));
}

void *uk_pmem_bitmap(void)
{
	return bitmap;
}

size_t uk_pmem_bitmap_bytes(void)
{
	return bitmap_only_bytes() + npages * sizeof(*mapcount);
}

static int used(uint64_t pfn)
{
	return (bitmap[pfn / 64] >> (pfn % 64)) & 1;
}

static void set_range(uint64_t pfn, uint64_t n, int in_use)
{
	for (uint64_t p = pfn; p < pfn + n && p < npages; p++) {
		if (used(p) == in_use)
			continue;
		if (in_use) {
			bitmap[p / 64] |= 1ULL << (p % 64);
			free_pages--;
		} else {
			bitmap[p / 64] &= ~(1ULL << (p % 64));
			free_pages++;
		}
	}
}

void uk_pmem_add(uint64_t start, uint64_t len)
{
	uint64_t first = (start + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t last = (start + len) >> PAGE_SHIFT;
	if (last > first) {
		set_range(first, last - first, 0);
		total_pages += last - first;
	}
}

void uk_pmem_reserve(uint64_t start, uint64_t len)
{
	uint64_t first = start >> PAGE_SHIFT;
	uint64_t last = (start + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	set_range(first, last - first, 1);
}

static int64_t find_run(uint64_t from, uint64_t to, size_t n)
{
	uint64_t run = 0;
	for (uint64_t p = from; p < to; p++) {
		if ((p % 64) == 0 && run == 0 && bitmap[p / 64] == ~0ULL) {
			p += 63;	/* whole word in use */
			continue;
		}
		if (used(p)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return p + 1 - n;
	}
	return -1;
}

void *uk_palloc(size_t n)
{
	UKPLAT_BKL_HELD();
	if (!n || n > free_pages)
		return NULL;
	int64_t pfn = find_run(cursor, npages, n);
	if (pfn < 0)
		pfn = find_run(0, npages, n);
	if (pfn < 0)
		return NULL;
	set_range(pfn, n, 1);
	cursor = pfn + n;
	return KVA((uint64_t)pfn << PAGE_SHIFT);
}

void uk_pfree(void *p, size_t n)
{
	UKPLAT_BKL_HELD();
	uint64_t pfn = KPA(p) >> PAGE_SHIFT;
	set_range(pfn, n, 0);
}

uint64_t uk_pmem_free_pages(void)
{
	return free_pages;
}

uint64_t uk_pmem_total_pages(void)
{
	return total_pages;
}

uint64_t uk_pmem_ram_bytes(void)
{
	return npages << PAGE_SHIFT;
}

void *uk_upage_alloc(void)
{
	void *p = uk_palloc(1);
	if (p)
		mapcount[KPA(p) >> PAGE_SHIFT] = 1;
	return p;
}

/* A page not from uk_upage_alloc (a file's own) is not counted. */
void uk_upage_get(unsigned long pa)
{
	UKPLAT_BKL_HELD();
	uint32_t *c = &mapcount[pa >> PAGE_SHIFT];
	if (*c)
		++*c;
}

void uk_upage_put(unsigned long pa)
{
	UKPLAT_BKL_HELD();
	uint32_t *c = &mapcount[pa >> PAGE_SHIFT];
	if (*c && --*c == 0)
		uk_pfree(KVA(pa & ~(unsigned long)(PAGE_SIZE - 1)), 1);
}

unsigned int uk_upage_count(unsigned long pa)
{
	return mapcount[pa >> PAGE_SHIFT];
}

/* The count of a page that is not a program's: a page table that fork
 * shares keeps there how many address spaces hold it. */
uint32_t *uk_pmem_count(unsigned long pa)
{
	UKPLAT_BKL_HELD();
	return &mapcount[pa >> PAGE_SHIFT];
}
