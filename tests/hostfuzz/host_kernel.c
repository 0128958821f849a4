/* The few kernel services lib/9pfs's message code calls, for building it
 * on the host under the fuzzer: page allocation from the C heap (tracked,
 * so that buffers the client keeps on purpose, as it does after a dead
 * transport, are still freed between inputs), user-memory copies that
 * cannot fault, and a "physical" address that KVA() maps back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/mm.h>
#include <uk/uaccess.h>
#include <uk/plat/paging.h>
#include "host_kernel.h"

struct block {
	void *p;
	struct block *next;
};
static struct block *blocks;

void *uk_palloc(size_t npages)
{
	struct block *b = malloc(sizeof(*b));
	void *p = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);

	if (!b || !p) {
		free(b);
		free(p);
		return NULL;
	}
	/* Not zeroed in the kernel either: stale bytes, never zeros. */
	memset(p, 0xa5, npages * PAGE_SIZE);
	b->p = p;
	b->next = blocks;
	blocks = b;
	return p;
}

void uk_pfree(void *p, size_t npages)
{
	(void)npages;
	for (struct block **b = &blocks; *b; b = &(*b)->next)
		if ((*b)->p == p) {
			struct block *dead = *b;

			*b = dead->next;
			free(dead->p);
			free(dead);
			return;
		}
	__builtin_trap();	/* not from uk_palloc, or freed twice */
}

void host_pfree_all(void)
{
	while (blocks)
		uk_pfree(blocks->p, 0);
}

size_t ukplat_uaccess_copy(void *dst, const void *src, size_t n)
{
	memmove(dst, src, n);
	return 0;
}

int ukplat_page_lookup(unsigned long va, unsigned long *pa)
{
	*pa = va - DIRECTMAP_BASE;
	return 1;
}
