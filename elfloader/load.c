/* Maps a checked ELF object's PT_LOAD segments into the running process's
 * new address space as Linux does: each segment's file bytes as a private
 * mapping of the file itself (pages read on first touch, so a program
 * costs what it uses), the rest of its memory anonymous, and the bytes of
 * the last file page past p_filesz zeroed when the segment has a .bss. A
 * page two segments share keeps the first's mapping with the second's
 * bytes copied in and both protections. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gelf.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include "loader.h"

#define PAGE_MASK (PAGE_SIZE - 1UL)
#define PAGE_UP(x) (((x) + PAGE_MASK) & ~PAGE_MASK)

static int seg_prot(GElf_Word flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Zeroes [va, end) of pages already in the space. */
static int zero_range(unsigned long va, unsigned long end)
{
	while (va < end) {
		unsigned long page = va & ~PAGE_MASK, stop = page + PAGE_SIZE;
		char *kva = uk_mm_page_for_kernel(page);
		if (!kva)
			return -ENOMEM;
		if (stop > end)
			stop = end;
		memset(kva + (va - page), 0, stop - va);
		va = stop;
	}
	return 0;
}

/* The segment's bytes that fall in the page it shares with the previous
 * one: read into that page, whose mapping stays the previous segment's. */
static int fill_shared_page(struct uk_file *f, const GElf_Phdr *ph, unsigned long va,
			    unsigned long page_end)
{
	char *kva = uk_mm_page_for_kernel(va);
	if (!kva)
		return -ENOMEM;
	unsigned long n = page_end - va;
	unsigned long nfile = ph->p_filesz < n ? ph->p_filesz : n;
	char *at = kva + (va & PAGE_MASK);
	if (nfile && uk_file_read(f, at, nfile, ph->p_offset, 0) != (ssize_t)nfile)
		return -EIO;
	unsigned long nmem = ph->p_memsz < n ? ph->p_memsz : n;
	memset(at + nfile, 0, nmem - nfile);
	return 0;
}

int uk_elf_map(struct uk_exec_image *im, unsigned long base, struct uk_loaded *out,
	       char *err, size_t errlen)
{
	const struct uk_elf_info *info = &im->info;
	unsigned long bias = info->type == ET_DYN ? base - info->vaddr_min : 0;
	unsigned long prev_end = 0;
	int prev_prot = 0, rc = 0;
	for (size_t i = 0; i < im->nph && !rc; i++) {
		const GElf_Phdr *ph = &im->ph[i];
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		unsigned long va = bias + ph->p_vaddr, start = va & ~PAGE_MASK;
		unsigned long end = PAGE_UP(va + ph->p_memsz);
		unsigned long fend = ph->p_filesz ? PAGE_UP(va + ph->p_filesz) : start;
		int prot = seg_prot(ph->p_flags);
		if (start < prev_end) {
			rc = fill_shared_page(im->file, ph, va, prev_end);
			if (!rc)
				rc = (int)uk_mm_mprotect(start, PAGE_SIZE, prot | prev_prot);
			start = prev_end;
		}
		if (!rc && fend > start) {
			long at = uk_mm_map_file(start, fend - start, prot, MAP_PRIVATE | MAP_FIXED,
						 im->file, (long)(ph->p_offset + (start - va)));
			rc = at < 0 ? (int)at : 0;
		}
		unsigned long anon = fend > start ? fend : start;
		if (!rc && end > anon)
			rc = uk_mm_map_fixed(anon, end - anon, prot, UK_VMA_ANON, NULL);
		if (!rc && ph->p_memsz > ph->p_filesz && ph->p_filesz &&
		    va + ph->p_filesz >= start && fend > va + ph->p_filesz)
			rc = zero_range(va + ph->p_filesz, fend < end ? fend : end);
		if (rc)
			snprintf(err, errlen, "cannot map PT_LOAD[%zu] at %#lx: error %d", i, start, -rc);
		prev_end = end;
		prev_prot = prot;
	}
	if (rc)
		return rc;
	out->bias = bias;
	out->entry = bias + info->entry;
	out->phdr = info->phdr_vaddr ? bias + info->phdr_vaddr : 0;
	out->phnum = info->phnum;
	out->end = bias + info->vaddr_max;
	return 0;
}
