/* Split virtqueues: a descriptor table, the available ring (driver to
 * device) and the used ring (device to driver), in one physically
 * contiguous block of pages from the page allocator. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/virtio.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define barrier() __asm__ volatile("" ::: "memory")

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

struct uk_virtq *uk_virtq_new(struct uk_virtio_dev *d, unsigned idx,
			      unsigned max_size)
{
	unsigned dmax = d->ops->queue_max(d, idx);
	if (!dmax) {
		printf("virtio %s: no queue %u\n", d->where, idx);
		return NULL;
	}
	unsigned size = 1;
	while (size * 2 <= dmax && size * 2 <= max_size && size < 32768)
		size *= 2;
	struct uk_virtq *vq = calloc(1, sizeof(*vq));
	if (!vq)
		return NULL;
	size_t avail_off = 16 * (size_t)size;
	size_t used_off = align_up(avail_off + 6 + 2 * (size_t)size, UK_VIRTQ_ALIGN);
	size_t total = used_off + align_up(6 + 8 * (size_t)size, UK_VIRTQ_ALIGN);
	vq->mem_pages = total / PAGE_SIZE;
	vq->mem = uk_palloc(vq->mem_pages);
	vq->tokens = calloc(size, sizeof(void *));
	if (!vq->mem || !vq->tokens) {
		if (vq->mem)
			uk_pfree(vq->mem, vq->mem_pages);
		free(vq->tokens);
		free(vq);
		return NULL;
	}
	memset(vq->mem, 0, total);
	vq->dev = d;
	vq->index = idx;
	vq->size = size;
	vq->desc = vq->mem;
	vq->avail = (void *)((char *)vq->mem + avail_off);
	vq->used = (void *)((char *)vq->mem + used_off);
	vq->desc_pa = KPA(vq->desc);
	vq->avail_pa = KPA(vq->avail);
	vq->used_pa = KPA(vq->used);
	/* Polled until the driver asks for interrupts. */
	vq->avail->flags = UK_VRING_AVAIL_F_NO_INTERRUPT;
	for (unsigned i = 0; i < size; i++)
		vq->desc[i].next = i + 1 < size ? i + 1 : 0;
	vq->free_head = 0;
	vq->num_free = size;
	int rc = d->ops->queue_setup(d, vq);
	if (rc) {
		printf("virtio %s: queue %u setup failed (%d)\n", d->where, idx, rc);
		uk_pfree(vq->mem, vq->mem_pages);
		free(vq->tokens);
		free(vq);
		return NULL;
	}
	return vq;
}

int uk_virtq_add(struct uk_virtq *vq, const struct uk_virtq_sg *sg,
		 unsigned nout, unsigned nin, void *token)
{
	unsigned n = nout + nin;
	if (!n || !token)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	uint16_t head = vq->free_head, i = head, last = head;
	for (unsigned k = 0; k < n; k++) {
		struct uk_vring_desc *d = &vq->desc[i];
		d->addr = sg[k].paddr;
		d->len = sg[k].len;
		d->flags = (k >= nout ? UK_VRING_DESC_F_WRITE : 0) |
			   (k + 1 < n ? UK_VRING_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->tokens[head] = token;
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	/* The entry before the index that publishes it (x86 keeps stores in
	 * order; the compiler must too). */
	barrier();
	*(volatile uint16_t *)&vq->avail->idx = vq->avail_idx;
	return 0;
}

void uk_virtq_intr(struct uk_virtq *vq, int on)
{
	*(volatile uint16_t *)&vq->avail->flags = on ? 0 : UK_VRING_AVAIL_F_NO_INTERRUPT;
	mb();
}

int uk_virtq_pending(struct uk_virtq *vq)
{
	return *(volatile uint16_t *)&vq->used->idx != vq->last_used;
}

void uk_virtq_kick(struct uk_virtq *vq)
{
	/* The index store must be visible before we read the device's
	 * notification suppression flag. */
	mb();
	if (!(*(volatile uint16_t *)&vq->used->flags & UK_VRING_USED_F_NO_NOTIFY))
		vq->dev->ops->notify(vq->dev, vq);
}

void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len)
{
	uint16_t used_idx = *(volatile uint16_t *)&vq->used->idx;
	if (used_idx == vq->last_used)
		return NULL;
	barrier();	/* the element after the index that announced it */
	struct uk_vring_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
	uint32_t id = *(volatile uint32_t *)&e->id;
	uint32_t l = *(volatile uint32_t *)&e->len;
	vq->last_used++;
	if (id >= vq->size) {
		printf("virtio %s: queue %u: bad used id %u\n", vq->dev->where,
		       vq->index, id);
		return NULL;
	}
	void *token = vq->tokens[id];
	vq->tokens[id] = NULL;
	/* Return the chain to the free list. */
	uint16_t i = id, n = 1;
	while (vq->desc[i].flags & UK_VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = id;
	vq->num_free += n;
	if (len)
		*len = l;
	return token;
}

int uk_virtq_wait(struct uk_virtq *vq, void *token, uint32_t *len,
		  uint64_t timeout_ns)
{
	uint64_t deadline = 0;
	for (unsigned spins = 0;; spins++) {
		void *t = uk_virtq_get(vq, len);
		if (t == token)
			return 0;
		if (t)
			continue;
		if ((spins & 1023) == 0) {
			uint64_t now = ukplat_monotonic_ns();
			if (!deadline)
				deadline = now + timeout_ns;
			else if (now >= deadline)
				return -ETIMEDOUT;
		}
		__asm__ volatile("pause");
	}
}
