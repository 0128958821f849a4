/* Validation of an x86_64 Linux ELF executable in memory before loading it:
 * every header field the loader relies on is checked, with overflow-checked
 * arithmetic, and each rejection names the offending field.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <elf.h>
#include <libelf.h>
#include <gelf.h>

#include <uk/elf_validate.h>

/* Largest p_align accepted for PT_LOAD and PT_TLS (keeps loader math sane). */
#define MAX_ALIGN	0x40000000ULL

typedef unsigned long long ull;

/* libelf's message for its last error. */
static const char *elferr(void)
{
	const char *m = elf_errmsg(-1);

	return m != NULL ? m : "unknown libelf error";
}

/* Format the message into err and return -ENOEXEC from the current function. */
#define REJECT(...)							\
	do {								\
		if (err != NULL && errlen > 0)				\
			snprintf(err, errlen, __VA_ARGS__);		\
		return -ENOEXEC;					\
	} while (0)

static int is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static const char *type_name(unsigned int t)
{
	switch (t) {
	case ET_NONE:
		return "ET_NONE";
	case ET_REL:
		return "ET_REL";
	case ET_CORE:
		return "ET_CORE";
	default:
		return NULL;
	}
}

/*
 * The raw e_ident and header size, checked before libelf sees the buffer so
 * that the messages are precise (libelf would only say "invalid file").
 */
static int ident_check(const unsigned char *id, size_t len,
		       char *err, size_t errlen)
{
	if (id == NULL || len == 0)
		REJECT("empty file: not an ELF file");
	if (len < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
		REJECT("e_ident[EI_MAG0..EI_MAG3]: bad magic, not an ELF file");
	if (len < EI_NIDENT)
		REJECT("e_ident: truncated, file is %llu bytes, "
		       "e_ident needs %d", (ull)len, EI_NIDENT);
	if (id[EI_CLASS] == ELFCLASS32)
		REJECT("e_ident[EI_CLASS]: not ELFCLASS64 (32-bit ELF)");
	if (id[EI_CLASS] != ELFCLASS64)
		REJECT("e_ident[EI_CLASS]: %u is not ELFCLASS64",
		       (unsigned int)id[EI_CLASS]);
	if (id[EI_DATA] == ELFDATA2MSB)
		REJECT("e_ident[EI_DATA]: not ELFDATA2LSB (big-endian ELF)");
	if (id[EI_DATA] != ELFDATA2LSB)
		REJECT("e_ident[EI_DATA]: %u is not ELFDATA2LSB",
		       (unsigned int)id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		REJECT("e_ident[EI_VERSION]: %u is not EV_CURRENT",
		       (unsigned int)id[EI_VERSION]);
	if (len < sizeof(Elf64_Ehdr))
		REJECT("ELF header truncated: file is %llu bytes, "
		       "Elf64_Ehdr needs %u", (ull)len,
		       (unsigned int)sizeof(Elf64_Ehdr));
	return 0;
}

/* ELF header fields, as read by libelf. */
static int ehdr_check(const GElf_Ehdr *eh, size_t len,
		      char *err, size_t errlen)
{
	uint64_t size, end;
	const char *tn;

	if (eh->e_version != EV_CURRENT)
		REJECT("e_version: %u is not EV_CURRENT",
		       (unsigned int)eh->e_version);
	if (eh->e_machine != EM_X86_64)
		REJECT("e_machine: %u is not EM_X86_64",
		       (unsigned int)eh->e_machine);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
		tn = type_name(eh->e_type);
		if (tn != NULL)
			REJECT("e_type: %s is not an executable", tn);
		REJECT("e_type: %u is not ET_EXEC or ET_DYN",
		       (unsigned int)eh->e_type);
	}
	if (eh->e_phnum == 0)
		REJECT("e_phnum: 0, no program headers");
	if (eh->e_phnum == PN_XNUM)
		REJECT("e_phnum: PN_XNUM (extended numbering) not supported");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		REJECT("e_phentsize: %u, expected %u",
		       (unsigned int)eh->e_phentsize,
		       (unsigned int)sizeof(Elf64_Phdr));
	size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (size > UK_ELF_MAX_PHDRS_SIZE)
		REJECT("e_phnum: %u program headers exceed %llu bytes",
		       (unsigned int)eh->e_phnum, (ull)UK_ELF_MAX_PHDRS_SIZE);
	if (eh->e_phoff == 0)
		REJECT("e_phoff: 0, no program header table");
	if (__builtin_add_overflow(eh->e_phoff, size, &end) || end > len)
		REJECT("e_phoff+e_phnum*e_phentsize: program headers run "
		       "past the end of the file (0x%llx+%u*%u > 0x%llx)",
		       (ull)eh->e_phoff, (unsigned int)eh->e_phnum,
		       (unsigned int)eh->e_phentsize, (ull)len);
	return 0;
}

/* Running state of the program header walk. */
struct walk {
	struct uk_elf_info info;
	uint64_t prev_start;   /* p_vaddr of the previous PT_LOAD */
	uint64_t prev_end;     /* p_vaddr+p_memsz of the previous PT_LOAD */
	int entry_ok;          /* e_entry inside an executable PT_LOAD */
	int have_phdr;         /* PT_PHDR seen */
	int phdr_found;        /* phdr_vaddr set from a PT_LOAD */
	int have_interp, have_tls;
};

static int load_check(struct walk *w, const GElf_Phdr *ph, size_t i,
		      size_t len, char *err, size_t errlen)
{
	struct uk_elf_info *in = &w->info;
	int k = in->nload;
	uint64_t fend, mend, mend_up, start;

	if (ph->p_filesz > ph->p_memsz)
		REJECT("PT_LOAD[%d] (phdr %llu): p_filesz > p_memsz "
		       "(0x%llx > 0x%llx)", k, (ull)i,
		       (ull)ph->p_filesz, (ull)ph->p_memsz);
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &fend))
		REJECT("PT_LOAD[%d] (phdr %llu): p_offset+p_filesz overflows",
		       k, (ull)i);
	if (fend > len)
		REJECT("PT_LOAD[%d] (phdr %llu): p_offset+p_filesz 0x%llx is "
		       "past the end of the file (0x%llx)", k, (ull)i,
		       (ull)fend, (ull)len);
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &mend) ||
	    __builtin_add_overflow(mend, UK_ELF_PAGE_SIZE - 1, &mend_up))
		REJECT("PT_LOAD[%d] (phdr %llu): p_vaddr+p_memsz overflows",
		       k, (ull)i);
	mend_up &= ~(uint64_t)(UK_ELF_PAGE_SIZE - 1);
	if (ph->p_align > 1 && !is_pow2(ph->p_align))
		REJECT("PT_LOAD[%d] (phdr %llu): p_align not a power of two "
		       "(0x%llx)", k, (ull)i, (ull)ph->p_align);
	if (ph->p_align > MAX_ALIGN)
		REJECT("PT_LOAD[%d] (phdr %llu): p_align 0x%llx larger than "
		       "0x%llx", k, (ull)i, (ull)ph->p_align, MAX_ALIGN);
	/* Linux maps file pages, so file-backed segments must agree mod 4K. */
	if (ph->p_filesz > 0 &&
	    ((ph->p_offset ^ ph->p_vaddr) & (UK_ELF_PAGE_SIZE - 1)) != 0)
		REJECT("PT_LOAD[%d] (phdr %llu): p_offset 0x%llx and p_vaddr "
		       "0x%llx differ modulo p_align/page size", k, (ull)i,
		       (ull)ph->p_offset, (ull)ph->p_vaddr);
	if (k > 0 && ph->p_vaddr < w->prev_end)
		REJECT("PT_LOAD[%d] (phdr %llu): p_vaddr 0x%llx below the "
		       "previous segment's end 0x%llx (%s)", k, (ull)i,
		       (ull)ph->p_vaddr, (ull)w->prev_end,
		       ph->p_vaddr < w->prev_start ? "descending" :
		       "overlapping");
	start = ph->p_vaddr & ~(uint64_t)(UK_ELF_PAGE_SIZE - 1);
	if (in->type == ET_EXEC) {
		if (mend_up > UK_ELF_USER_END)
			REJECT("ET_EXEC: segment at 0x%llx (PT_LOAD[%d]) "
			       "outside the lower half (user space ends at "
			       "0x%llx)", (ull)ph->p_vaddr, k,
			       (ull)UK_ELF_USER_END);
		if (start < UK_ELF_MIN_ADDR)
			REJECT("ET_EXEC: segment at 0x%llx (PT_LOAD[%d]) "
			       "below 0x%llx (the NULL guard)",
			       (ull)ph->p_vaddr, k, (ull)UK_ELF_MIN_ADDR);
	}

	if (k == 0)
		in->vaddr_min = start;
	in->vaddr_max = mend_up;
	w->prev_start = ph->p_vaddr;
	w->prev_end = mend;
	if (ph->p_align > in->max_align)
		in->max_align = ph->p_align;
	if ((ph->p_flags & PF_X) && in->entry >= ph->p_vaddr &&
	    in->entry < mend)
		w->entry_ok = 1;
	/* Program headers mapped by this segment (AT_PHDR without PT_PHDR). */
	if (!w->have_phdr && !w->phdr_found && in->phoff >= ph->p_offset &&
	    in->phoff + (uint64_t)in->phnum * in->phentsize <= fend) {
		in->phdr_vaddr = ph->p_vaddr + (in->phoff - ph->p_offset);
		w->phdr_found = 1;
	}
	in->nload++;
	return 0;
}

static int interp_check(struct walk *w, const GElf_Phdr *ph,
			const unsigned char *b, size_t len,
			char *err, size_t errlen)
{
	uint64_t end;

	if (w->have_interp)
		REJECT("more than one PT_INTERP");
	w->have_interp = 1;
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end) ||
	    end > len)
		REJECT("PT_INTERP: p_offset+p_filesz outside the file "
		       "(0x%llx+0x%llx > 0x%llx)", (ull)ph->p_offset,
		       (ull)ph->p_filesz, (ull)len);
	if (ph->p_filesz == 0 || b[ph->p_offset] == '\0')
		REJECT("PT_INTERP: empty interpreter path");
	if (ph->p_filesz > UK_ELF_MAX_INTERP)
		REJECT("PT_INTERP: p_filesz %llu longer than PATH_MAX (%llu)",
		       (ull)ph->p_filesz, (ull)UK_ELF_MAX_INTERP);
	if (b[end - 1] != '\0')
		REJECT("PT_INTERP: not NUL-terminated");
	w->info.interp = (const char *)b + ph->p_offset;
	return 0;
}

static int tls_check(struct walk *w, const GElf_Phdr *ph, size_t len,
		     char *err, size_t errlen)
{
	uint64_t end;

	if (w->have_tls)
		REJECT("more than one PT_TLS");
	w->have_tls = 1;
	if (ph->p_filesz > ph->p_memsz)
		REJECT("PT_TLS: p_filesz > p_memsz (0x%llx > 0x%llx)",
		       (ull)ph->p_filesz, (ull)ph->p_memsz);
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end) ||
	    end > len)
		REJECT("PT_TLS: p_offset+p_filesz outside the file "
		       "(0x%llx+0x%llx > 0x%llx)", (ull)ph->p_offset,
		       (ull)ph->p_filesz, (ull)len);
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &end))
		REJECT("PT_TLS: p_vaddr+p_memsz overflows");
	if (ph->p_align > 1 && !is_pow2(ph->p_align))
		REJECT("PT_TLS: p_align not a power of two (0x%llx)",
		       (ull)ph->p_align);
	if (ph->p_align > MAX_ALIGN)
		REJECT("PT_TLS: p_align 0x%llx larger than 0x%llx",
		       (ull)ph->p_align, MAX_ALIGN);
	/* The loader sizes the TLS block as memsz rounded up to align. */
	if (__builtin_add_overflow(ph->p_memsz, ph->p_align, &end))
		REJECT("PT_TLS: p_memsz+p_align overflows");
	w->info.tls_memsz = ph->p_memsz;
	w->info.tls_align = ph->p_align > 1 ? ph->p_align : 1;
	return 0;
}

/* PT_PHDR must describe memory that some PT_LOAD maps. */
static int phdr_mapped(Elf *e, size_t phnum, uint64_t vaddr, uint64_t size)
{
	GElf_Phdr ph;
	uint64_t end;
	size_t i;

	if (__builtin_add_overflow(vaddr, size, &end))
		return 0;
	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(e, (int)i, &ph) == NULL)
			return 0;
		if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr &&
		    end - ph.p_vaddr <= ph.p_memsz)
			return 1;
	}
	return 0;
}

static int validate_elf(Elf *e, const unsigned char *b, size_t len,
			struct walk *w, char *err, size_t errlen)
{
	struct uk_elf_info *in = &w->info;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t phnum, i;
	int rc;

	if (elf_kind(e) != ELF_K_ELF)
		REJECT("libelf: elf_kind: not an ELF object");
	if (gelf_getclass(e) != ELFCLASS64)
		REJECT("libelf: gelf_getclass: not ELFCLASS64");
	if (gelf_getehdr(e, &eh) == NULL)
		REJECT("libelf: gelf_getehdr: %s", elferr());
	rc = ehdr_check(&eh, len, err, errlen);
	if (rc != 0)
		return rc;
	/* libelf clamps the count to what fits; the header was checked. */
	if (elf_getphdrnum(e, &phnum) != 0)
		REJECT("libelf: elf_getphdrnum: %s", elferr());
	if (phnum != eh.e_phnum)
		REJECT("e_phnum: %u, but libelf sees %llu program headers",
		       (unsigned int)eh.e_phnum, (ull)phnum);

	in->type = eh.e_type;
	in->entry = eh.e_entry;
	in->phoff = eh.e_phoff;
	in->phnum = eh.e_phnum;
	in->phentsize = eh.e_phentsize;
	in->max_align = UK_ELF_PAGE_SIZE;

	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(e, (int)i, &ph) == NULL)
			REJECT("phdr[%llu]: libelf: gelf_getphdr: %s",
			       (ull)i, elferr());
		rc = 0;
		switch (ph.p_type) {
		case PT_LOAD:
			rc = load_check(w, &ph, i, len, err, errlen);
			break;
		case PT_INTERP:
			rc = interp_check(w, &ph, b, len, err, errlen);
			break;
		case PT_TLS:
			rc = tls_check(w, &ph, len, err, errlen);
			break;
		case PT_PHDR:
			if (!w->have_phdr) {
				w->have_phdr = 1;
				in->phdr_vaddr = ph.p_vaddr;
			}
			break;
		case PT_GNU_STACK:
			in->exec_stack = (ph.p_flags & PF_X) != 0;
			break;
		default:
			break;
		}
		if (rc != 0)
			return rc;
	}

	if (in->nload == 0)
		REJECT("no PT_LOAD segment");
	if (!w->entry_ok)
		REJECT("e_entry 0x%llx is not inside an executable PT_LOAD",
		       (ull)in->entry);
	if (in->type == ET_DYN &&
	    in->vaddr_max - in->vaddr_min > UK_ELF_USER_END)
		REJECT("ET_DYN: PT_LOAD span 0x%llx-0x%llx does not fit in "
		       "user space (0x%llx)", (ull)in->vaddr_min,
		       (ull)in->vaddr_max, (ull)UK_ELF_USER_END);
	if (w->have_phdr &&
	    !phdr_mapped(e, phnum, in->phdr_vaddr,
			 (uint64_t)in->phnum * in->phentsize))
		REJECT("PT_PHDR: p_vaddr 0x%llx not inside a PT_LOAD",
		       (ull)in->phdr_vaddr);
	return 0;
}

/*
 * elf_memory() fails on a sane Elf64_Ehdr only when e_shnum is 0 and
 * e_shoff != 0 (extended numbering) with a bogus sh_size in section header
 * 0, or when out of memory. Name the fields in the first case.
 */
static int memory_failed(const unsigned char *b, char *err, size_t errlen)
{
	uint64_t shoff;
	uint16_t shnum;

	memcpy(&shoff, b + offsetof(Elf64_Ehdr, e_shoff), sizeof(shoff));
	memcpy(&shnum, b + offsetof(Elf64_Ehdr, e_shnum), sizeof(shnum));
	if (shnum == 0 && shoff != 0)
		REJECT("e_shnum: 0 with e_shoff 0x%llx: section header 0 "
		       "gives an invalid section count (libelf: %s)",
		       (ull)shoff, elferr());
	REJECT("libelf: elf_memory: %s", elferr());
}

int uk_elf_validate(const void *buf, size_t len, struct uk_elf_info *info,
		    char *err, size_t errlen)
{
	struct walk w;
	Elf *e;
	int rc;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	rc = ident_check(buf, len, err, errlen);
	if (rc != 0)
		return rc;
	if (elf_version(EV_CURRENT) == EV_NONE)
		REJECT("libelf: elf_version: %s", elferr());
	/* libelf takes a char * but never writes to an elf_memory image. */
	e = elf_memory((char *)(uintptr_t)buf, len);
	if (e == NULL)
		return memory_failed(buf, err, errlen);
	memset(&w, 0, sizeof(w));
	rc = validate_elf(e, buf, len, &w, err, errlen);
	elf_end(e);
	if (rc == 0 && info != NULL)
		*info = w.info;
	return rc;
}
