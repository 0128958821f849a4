/* TLB shootdowns. When kernel code changes or drops a translation that
 * another CPU may have cached (a page of an address space that CPU has
 * loaded, a kernel stack's page), it asks that CPU to flush and waits
 * until it has, before the page can serve anyone else. Only the holder
 * of the big kernel lock asks, and a CPU asked is in the program (the
 * IPI brings it in), halted (the IPI wakes it) or waiting for the lock:
 * it serves the request while it waits (ukplat_bkl_wait; a waiter that
 * halted is woken by an NMI), so a request never waits for the lock its
 * asker holds. */
#include <stdint.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/smp.h>
#include <uk/plat/paging.h>
#include "x86.h"

enum { FLUSH_SPACE = 1, DROP_SPACE, KERNEL_PAGES };

/* The one request in flight (its asker holds the lock). */
static struct {
	int kind;
	uint64_t space;		/* physical address of a top-level table */
	unsigned long va, npages;
} req;
static volatile int pending[UKPLAT_MAX_CPUS];
volatile int x86_tlb_requests;		/* any CPU's pending: the waiters look */
/* Each CPU's loaded top-level table (0: the boot one, or none yet). */
static volatile uint64_t loaded[UKPLAT_MAX_CPUS];
/* A translation of the live space changed here and others may hold it. */
static int dirty;

void x86_tlb_loaded(uint64_t space)
{
	loaded[ukplat_cpu_id()] = space;
}

void x86_tlb_serve(void)
{
	int cpu = ukplat_cpu_id();
	if (!__atomic_load_n(&pending[cpu], __ATOMIC_ACQUIRE))
		return;
	uint64_t cr3 = read_cr3() & PTE_ADDR_MASK;
	switch (req.kind) {
	case FLUSH_SPACE:
		if (cr3 == req.space)
			write_cr3(read_cr3());
		break;
	case DROP_SPACE:
		/* An idle CPU kept a space that is going away. */
		if (cr3 == req.space) {
			x86_pt_load_boot();
			loaded[cpu] = 0;
		}
		break;
	case KERNEL_PAGES:
		for (unsigned long i = 0; i < req.npages; i++)
			invlpg(req.va + i * PAGE_SIZE);
		break;
	}
	__atomic_fetch_sub(&x86_tlb_requests, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&pending[cpu], 0, __ATOMIC_RELEASE);
}

/* Asks every other running CPU that may hold the translations, then
 * waits for all of them. */
static void shoot(int kind, uint64_t space, unsigned long va, unsigned long npages)
{
	int n = ukplat_cpu_count();
	if (n == 1)
		return;
	int self = ukplat_cpu_id(), asked = 0;
	req.kind = kind;
	req.space = space;
	req.va = va;
	req.npages = npages;
	for (int c = 0; c < n; c++) {
		if (c == self || !x86_cpu_running(c))
			continue;
		if (kind != KERNEL_PAGES && loaded[c] != space)
			continue;
		__atomic_fetch_add(&x86_tlb_requests, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&pending[c], 1, __ATOMIC_SEQ_CST);
		ukplat_ipi_send(c, UKPLAT_IPI_CALL_VECTOR);
		x86_bkl_kick(c);	/* a lock waiter halted with interrupts off */
		asked = 1;
	}
	if (!asked)
		return;
	for (int c = 0; c < n; c++)
		while (__atomic_load_n(&pending[c], __ATOMIC_ACQUIRE))
			cpu_pause();
}

void x86_tlb_changed(void)
{
	dirty = 1;
}

void x86_tlb_flush_space(uint64_t space)
{
	shoot(FLUSH_SPACE, space, 0, 0);
}

void ukplat_tlb_sync(void)
{
	if (!dirty)
		return;
	dirty = 0;
	x86_tlb_flush_space(read_cr3() & PTE_ADDR_MASK);
}

void x86_tlb_drop_space(uint64_t space)
{
	shoot(DROP_SPACE, space, 0, 0);
}

void x86_tlb_kernel_pages(unsigned long va, unsigned long npages)
{
	shoot(KERNEL_PAGES, 0, va, npages);
}
