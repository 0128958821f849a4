/* Validation of an x86_64 Linux ELF executable held in memory, before loading.
 * A pure function of (buffer, length); shared by the guest loader and host tests.
 */
#ifndef UK_ELF_VALIDATE_H
#define UK_ELF_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Page size assumed for PT_LOAD alignment checks and vaddr_min/vaddr_max. */
#define UK_ELF_PAGE_SIZE	4096UL
/* End of the x86_64 user half; ET_EXEC segments must lie below it. */
#define UK_ELF_USER_END		0x800000000000ULL
/* ET_EXEC segments must not start below this (keeps the NULL page unmapped). */
#define UK_ELF_MIN_ADDR		0x10000ULL
/* Largest accepted program header table, as Linux (load_elf_phdrs). */
#define UK_ELF_MAX_PHDRS_SIZE	65536UL
/* Longest accepted PT_INTERP string, including its NUL (PATH_MAX). */
#define UK_ELF_MAX_INTERP	4096UL

struct uk_elf_info {
	int type;                 /* ET_EXEC or ET_DYN */
	uint64_t entry;           /* e_entry (unrelocated) */
	uint64_t vaddr_min;       /* lowest PT_LOAD p_vaddr, rounded down to 4096 */
	uint64_t vaddr_max;       /* highest p_vaddr+p_memsz, rounded up to 4096 */
	uint64_t phoff;           /* e_phoff */
	uint16_t phnum, phentsize;
	uint64_t phdr_vaddr;      /* PT_PHDR's p_vaddr, else inside the PT_LOAD
				   * covering e_phoff in the file; 0 if none */
	const char *interp;       /* PT_INTERP path inside the buffer
				   * (NUL-terminated, checked), or NULL */
	int exec_stack;           /* PT_GNU_STACK has PF_X */
	uint64_t tls_memsz, tls_align; /* PT_TLS, 0 if none */
	int nload;                /* number of PT_LOAD */
	uint64_t max_align;       /* largest PT_LOAD p_align (at least 4096) */
};

/*
 * Checks that buf[0..len) is a loadable x86_64 ELF executable (ET_EXEC or
 * ET_DYN) and fills *info (may be NULL). Returns 0, or -ENOEXEC with a
 * NUL-terminated message in err (may be NULL) naming the field that is
 * wrong. On success info->interp points into buf. Uses libelf; does not
 * modify buf.
 */
int uk_elf_validate(const void *buf, size_t len, struct uk_elf_info *info,
		    char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* UK_ELF_VALIDATE_H */
