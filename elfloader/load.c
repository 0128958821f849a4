/* Maps a validated ELF image's PT_LOAD segments into the application's
 * address space through libelf's gelf API: one VMA per segment with the
 * segment's protection (a page two segments share gets both), the file
 * bytes copied in and the rest zero. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gelf.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include "loader.h"

#define PAGE_MASK (PAGE_SIZE - 1UL)

static int seg_prot(GElf_Word flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

int uk_elf_load(const void *image, size_t len, const struct uk_elf_info *info,
		unsigned long base, struct uk_loaded *out, char *err, size_t errlen)
{
	Elf *elf = elf_memory((char *)image, len);
	int rc = 0;
	if (!elf) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	unsigned long bias = info->type == ET_DYN ? base - info->vaddr_min : 0;
	unsigned long prev_end = 0;
	int prev_prot = 0;

	/* First the VMAs, so that filling never frees a shared page. */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		for (size_t i = 0; i < info->phnum; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(elf, i, &ph)) {
				snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
				rc = -ENOEXEC;
				break;
			}
			if (ph.p_type != PT_LOAD || !ph.p_memsz)
				continue;
			unsigned long va = bias + ph.p_vaddr;
			if (pass == 1) {
				rc = uk_mm_fill(va, (const char *)image + ph.p_offset,
						ph.p_filesz);
				if (rc) {
					snprintf(err, errlen, "out of memory loading PT_LOAD[%zu]", i);
					break;
				}
				continue;
			}
			unsigned long start = va & ~PAGE_MASK;
			unsigned long end = (va + ph.p_memsz + PAGE_MASK) & ~PAGE_MASK;
			int prot = seg_prot(ph.p_flags);
			if (start < prev_end) {
				/* Shares its first page with the previous segment. */
				uk_mm_mprotect(start, PAGE_SIZE, prot | prev_prot);
				start = prev_end;
			}
			if (start < end)
				rc = uk_mm_map_fixed(start, end - start, prot, 0, NULL);
			if (rc) {
				snprintf(err, errlen, "cannot map PT_LOAD[%zu] at %#lx: error %d",
					 i, start, -rc);
				break;
			}
			prev_end = end;
			prev_prot = prot;
		}
	}
	elf_end(elf);
	if (rc)
		return rc;
	out->bias = bias;
	out->entry = bias + info->entry;
	out->phdr = info->phdr_vaddr ? bias + info->phdr_vaddr : 0;
	out->phnum = info->phnum;
	out->end = bias + info->vaddr_max;
	return 0;
}
