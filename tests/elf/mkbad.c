/* mkbad: writes malformed variants of a good x86_64 ELF executable, one file
 * per defect plus <name>.expect holding the loader's expected message substring.
 * Usage: mkbad GOOD-ELF OUTDIR   (build with -DMKBAD_NO_MAIN for the table only)
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkbad.h"

/* The input was checked to be a sane ELF64 with its program headers in the
 * file (mkbad_usable); the helpers below rely on that. */
static Elf64_Ehdr *ehdr(struct mkbad_img *m)
{
	return (Elf64_Ehdr *)m->b;
}

static Elf64_Phdr *phdr(struct mkbad_img *m, size_t i)
{
	return (Elf64_Phdr *)(m->b + ehdr(m)->e_phoff) + i;
}

/* Index of the n-th program header of the given type, or -1. */
static int find(struct mkbad_img *m, uint32_t type, int n)
{
	for (int i = 0; i < ehdr(m)->e_phnum; i++)
		if (phdr(m, i)->p_type == type && n-- == 0)
			return i;
	return -1;
}

static int nload(struct mkbad_img *m)
{
	int n = 0;

	while (find(m, PT_LOAD, n) >= 0)
		n++;
	return n;
}

/* A program header nothing depends on, free to be rewritten. */
static int spare(struct mkbad_img *m, int n)
{
	for (int i = 0; i < ehdr(m)->e_phnum; i++) {
		switch (phdr(m, i)->p_type) {
		case PT_NULL:
		case PT_NOTE:
		case PT_GNU_STACK:
		case PT_GNU_RELRO:
		case PT_GNU_EH_FRAME:
		case PT_GNU_PROPERTY:
			if (n-- == 0)
				return i;
			break;
		default:
			break;
		}
	}
	return -1;
}

/* Offset and length (with NUL) of a printable NUL-terminated string past
 * the program headers, usable as an interpreter path. */
static int find_string(struct mkbad_img *m, uint64_t *off, uint64_t *len)
{
	size_t start = ehdr(m)->e_phoff +
		       (size_t)ehdr(m)->e_phnum * sizeof(Elf64_Phdr);
	size_t run = 0;

	for (size_t i = start; i < m->len; i++) {
		if (m->b[i] >= 0x21 && m->b[i] < 0x7f) {
			run++;
		} else if (m->b[i] == 0 && run >= 4) {
			*off = i - run;
			*len = run + 1;
			return 0;
		} else {
			run = 0;
		}
	}
	return -1;
}

/* Turns a spare program header into a PT_INTERP; returns its index. */
static int add_interp(struct mkbad_img *m, int n)
{
	int s = spare(m, n), i = find(m, PT_INTERP, 0);
	Elf64_Phdr *p;
	uint64_t off, len;

	if (s < 0)
		return -1;
	p = phdr(m, s);
	if (i >= 0) {
		*p = *phdr(m, i);
	} else {
		if (find_string(m, &off, &len) != 0)
			return -1;
		memset(p, 0, sizeof(*p));
		p->p_type = PT_INTERP;
		p->p_flags = PF_R;
		p->p_offset = off;
		p->p_filesz = len;
		p->p_align = 1;
	}
	return s;
}

/* The PT_INTERP to break: the existing one, else a new one. */
static Elf64_Phdr *some_interp(struct mkbad_img *m)
{
	int i = find(m, PT_INTERP, 0);

	if (i < 0)
		i = add_interp(m, 0);
	return i < 0 ? NULL : phdr(m, i);
}

/* Makes the image ET_EXEC with its lowest PT_LOAD page at base. */
static void rebase_exec(struct mkbad_img *m, uint64_t base)
{
	uint64_t lo = phdr(m, find(m, PT_LOAD, 0))->p_vaddr & ~0xfffULL;
	uint64_t d = base - lo;

	for (int i = 0; i < ehdr(m)->e_phnum; i++) {
		Elf64_Phdr *p = phdr(m, i);

		if (p->p_type == PT_LOAD || p->p_type == PT_PHDR ||
		    p->p_type == PT_TLS || p->p_type == PT_DYNAMIC ||
		    p->p_type == PT_GNU_RELRO || p->p_type == PT_GNU_EH_FRAME) {
			p->p_vaddr += d;
			p->p_paddr += d;
		}
	}
	ehdr(m)->e_entry += d;
	ehdr(m)->e_type = ET_EXEC;
}

static int not_elf(struct mkbad_img *m)
{
	static const char text[] = "echo this is not an ELF file and has no #! line\n";

	memcpy(m->b, text, sizeof(text) - 1);
	m->len = sizeof(text) - 1;
	return 0;
}

static int empty(struct mkbad_img *m)
{
	m->len = 0;
	return 0;
}

static int bad_magic(struct mkbad_img *m)
{
	m->b[EI_MAG1] = 'X';
	return 0;
}

static int bad_class(struct mkbad_img *m)
{
	m->b[EI_CLASS] = ELFCLASS32;
	return 0;
}

static int bad_data(struct mkbad_img *m)
{
	m->b[EI_DATA] = ELFDATA2MSB;
	return 0;
}

static int bad_version(struct mkbad_img *m)
{
	m->b[EI_VERSION] = EV_NONE;
	return 0;
}

static int bad_machine(struct mkbad_img *m)
{
	ehdr(m)->e_machine = EM_AARCH64;
	return 0;
}

static int type_rel(struct mkbad_img *m)
{
	ehdr(m)->e_type = ET_REL;
	return 0;
}

static int type_core(struct mkbad_img *m)
{
	ehdr(m)->e_type = ET_CORE;
	return 0;
}

static int truncated_ehdr(struct mkbad_img *m)
{
	m->len = 40;
	return 0;
}

static int truncated_phdrs(struct mkbad_img *m)
{
	m->len = ehdr(m)->e_phoff +
		 (size_t)ehdr(m)->e_phnum * sizeof(Elf64_Phdr) - 1;
	return 0;
}

static int bad_phentsize(struct mkbad_img *m)
{
	ehdr(m)->e_phentsize = 40;
	return 0;
}

static int zero_phnum(struct mkbad_img *m)
{
	ehdr(m)->e_phnum = 0;
	return 0;
}

static int huge_phnum(struct mkbad_img *m)
{
	ehdr(m)->e_phnum = 2000;
	return 0;
}

static int xnum_phnum(struct mkbad_img *m)
{
	ehdr(m)->e_phnum = PN_XNUM;
	return 0;
}

static int zero_phoff(struct mkbad_img *m)
{
	ehdr(m)->e_phoff = 0;
	return 0;
}

/* Extended section numbering (e_shnum 0) with an absurd count in section
 * header 0's sh_size: libelf's elf_memory() refuses the file. */
static int bad_shnum_ext(struct mkbad_img *m)
{
	Elf64_Ehdr *e = ehdr(m);
	Elf64_Shdr *sh;

	if (e->e_shoff == 0 || e->e_shnum == 0 || e->e_shoff % 8 != 0 ||
	    e->e_shoff > m->len || m->len - e->e_shoff < sizeof(*sh))
		return -1;
	sh = (Elf64_Shdr *)(m->b + e->e_shoff);
	sh->sh_size = UINT64_MAX;
	e->e_shnum = 0;
	return 0;
}

/* Cuts the file inside the PT_LOAD whose file image ends last. */
static int segment_past_eof(struct mkbad_img *m)
{
	uint64_t end = 0;

	for (int n = 0; find(m, PT_LOAD, n) >= 0; n++) {
		Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, n));

		if (p->p_offset + p->p_filesz > end)
			end = p->p_offset + p->p_filesz;
	}
	if (end <= ehdr(m)->e_phoff +
		   (uint64_t)ehdr(m)->e_phnum * sizeof(Elf64_Phdr) + 1)
		return -1;
	m->len = end - 1;
	return 0;
}

static int offset_overflow(struct mkbad_img *m)
{
	Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, 0));

	if (p->p_filesz < 16)
		return -1;
	p->p_offset = UINT64_MAX - 8;
	return 0;
}

static int filesz_gt_memsz(struct mkbad_img *m)
{
	Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, 0));

	if (p->p_filesz == 0)
		return -1;
	p->p_memsz = p->p_filesz - 1;
	return 0;
}

static int memsz_overflow(struct mkbad_img *m)
{
	Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, nload(m) - 1));

	if (p->p_vaddr == 0)
		return -1;
	p->p_memsz = UINT64_MAX;
	return 0;
}

static int overlapping_load(struct mkbad_img *m)
{
	Elf64_Phdr *a, *b;

	if (nload(m) < 2)
		return -1;
	a = phdr(m, find(m, PT_LOAD, 0));
	b = phdr(m, find(m, PT_LOAD, 1));
	a->p_memsz = b->p_vaddr - a->p_vaddr + 0x10;
	return 0;
}

static int descending_load(struct mkbad_img *m)
{
	Elf64_Phdr t;
	int i, j;

	if (nload(m) < 2)
		return -1;
	i = find(m, PT_LOAD, 0);
	j = find(m, PT_LOAD, 1);
	t = *phdr(m, i);
	*phdr(m, i) = *phdr(m, j);
	*phdr(m, j) = t;
	return 0;
}

static int align_not_pow2(struct mkbad_img *m)
{
	phdr(m, find(m, PT_LOAD, 0))->p_align = 0x3000;
	return 0;
}

static int offset_misaligned(struct mkbad_img *m)
{
	Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, nload(m) - 1));

	if (p->p_filesz < 16)
		return -1;
	p->p_offset += 8;
	p->p_filesz -= 8;
	return 0;
}

static int no_load(struct mkbad_img *m)
{
	int i;

	while ((i = find(m, PT_LOAD, 0)) >= 0)
		phdr(m, i)->p_type = PT_NULL;
	return 0;
}

static int two_interp(struct mkbad_img *m)
{
	if (find(m, PT_INTERP, 0) < 0 && add_interp(m, 0) < 0)
		return -1;
	return add_interp(m, 0) < 0 ? -1 : 0;
}

static int interp_unterminated(struct mkbad_img *m)
{
	Elf64_Phdr *p = some_interp(m);

	if (p == NULL || p->p_filesz < 2)
		return -1;
	p->p_filesz--;
	return 0;
}

static int interp_outside(struct mkbad_img *m)
{
	Elf64_Phdr *p = some_interp(m);

	if (p == NULL)
		return -1;
	p->p_offset = m->len - 1;
	return 0;
}

static int interp_empty(struct mkbad_img *m)
{
	Elf64_Phdr *p = some_interp(m);

	if (p == NULL)
		return -1;
	p->p_filesz = 0;
	return 0;
}

static int entry_outside(struct mkbad_img *m)
{
	Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, nload(m) - 1));

	ehdr(m)->e_entry = p->p_vaddr + p->p_memsz + 0x10000;
	return 0;
}

/* e_entry in the first non-executable PT_LOAD (data, not code). */
static int entry_not_exec(struct mkbad_img *m)
{
	for (int n = 0; find(m, PT_LOAD, n) >= 0; n++) {
		Elf64_Phdr *p = phdr(m, find(m, PT_LOAD, n));

		if (!(p->p_flags & PF_X) && p->p_memsz > 0) {
			ehdr(m)->e_entry = p->p_vaddr;
			return 0;
		}
	}
	return -1;
}

static int exec_high(struct mkbad_img *m)
{
	rebase_exec(m, 0x800000000000ULL - 0x1000);
	return 0;
}

static int exec_null(struct mkbad_img *m)
{
	rebase_exec(m, 0);
	return 0;
}

static int two_tls(struct mkbad_img *m)
{
	int s = spare(m, 0);

	if (s < 0)
		return -1;
	memset(phdr(m, s), 0, sizeof(Elf64_Phdr));
	phdr(m, s)->p_type = PT_TLS;
	phdr(m, s)->p_memsz = 16;
	phdr(m, s)->p_align = 8;
	if (find(m, PT_TLS, 1) >= 0)
		return 0;
	s = spare(m, 0);
	if (s < 0)
		return -1;
	*phdr(m, s) = *phdr(m, find(m, PT_TLS, 0));
	return 0;
}

static int phdr_unmapped(struct mkbad_img *m)
{
	int i = find(m, PT_PHDR, 0);

	if (i < 0) {
		i = spare(m, 0);
		if (i < 0)
			return -1;
		memset(phdr(m, i), 0, sizeof(Elf64_Phdr));
		phdr(m, i)->p_type = PT_PHDR;
		phdr(m, i)->p_offset = ehdr(m)->e_phoff;
		phdr(m, i)->p_filesz = phdr(m, i)->p_memsz =
			(uint64_t)ehdr(m)->e_phnum * sizeof(Elf64_Phdr);
	}
	phdr(m, i)->p_vaddr = 0x7ff000000000ULL;
	return 0;
}

const struct mkbad_variant mkbad_variants[] = {
	{ "not-elf", "not an ELF file", not_elf },
	{ "empty", "empty file", empty },
	{ "bad-magic", "bad magic", bad_magic },
	{ "bad-class", "e_ident[EI_CLASS]: not ELFCLASS64 (32-bit ELF)",
	  bad_class },
	{ "bad-data", "e_ident[EI_DATA]: not ELFDATA2LSB", bad_data },
	{ "bad-version", "e_ident[EI_VERSION]: 0 is not EV_CURRENT",
	  bad_version },
	{ "bad-machine", "e_machine: 183 is not EM_X86_64", bad_machine },
	{ "bad-type-rel", "e_type: ET_REL is not an executable", type_rel },
	{ "bad-type-core", "e_type: ET_CORE is not an executable", type_core },
	{ "truncated-ehdr", "ELF header truncated", truncated_ehdr },
	{ "truncated-phdrs", "program headers run past the end of the file",
	  truncated_phdrs },
	{ "bad-phentsize", "e_phentsize: 40, expected 56", bad_phentsize },
	{ "zero-phnum", "e_phnum: 0", zero_phnum },
	{ "huge-phnum", "e_phnum: 2000 program headers exceed", huge_phnum },
	{ "xnum-phnum", "e_phnum: PN_XNUM", xnum_phnum },
	{ "zero-phoff", "e_phoff: 0", zero_phoff },
	{ "bad-shnum-ext", "e_shnum: 0 with e_shoff", bad_shnum_ext },
	{ "segment-past-eof", "is past the end of the file", segment_past_eof },
	{ "offset-overflow", "p_offset+p_filesz overflows", offset_overflow },
	{ "filesz-gt-memsz", "p_filesz > p_memsz", filesz_gt_memsz },
	{ "memsz-overflow", "p_vaddr+p_memsz overflows", memsz_overflow },
	{ "overlapping-load", "below the previous segment's end",
	  overlapping_load },
	{ "descending-load", "(descending)", descending_load },
	{ "align-not-pow2", "p_align not a power of two", align_not_pow2 },
	{ "offset-misaligned", "differ modulo p_align/page size",
	  offset_misaligned },
	{ "no-load", "no PT_LOAD segment", no_load },
	{ "two-interp", "more than one PT_INTERP", two_interp },
	{ "interp-unterminated", "PT_INTERP: not NUL-terminated",
	  interp_unterminated },
	{ "interp-outside", "PT_INTERP: p_offset+p_filesz outside the file",
	  interp_outside },
	{ "interp-empty", "PT_INTERP: empty", interp_empty },
	{ "entry-outside", "is not inside an executable PT_LOAD",
	  entry_outside },
	{ "entry-not-exec", "is not inside an executable PT_LOAD",
	  entry_not_exec },
	{ "exec-high", "outside the lower half", exec_high },
	{ "exec-null", "(the NULL guard)", exec_null },
	{ "two-tls", "more than one PT_TLS", two_tls },
	{ "phdr-unmapped", "PT_PHDR: p_vaddr 0x7ff000000000 not inside a PT_LOAD",
	  phdr_unmapped },
};
const size_t mkbad_nvariants = sizeof(mkbad_variants) /
			       sizeof(mkbad_variants[0]);

/* The input must be an ELF64 x86_64 executable whose headers lie in the
 * file and which has at least one PT_LOAD, or the mutations make no sense. */
int mkbad_usable(const unsigned char *b, size_t len)
{
	const Elf64_Ehdr *e = (const Elf64_Ehdr *)b;

	if (len < sizeof(*e) || memcmp(b, ELFMAG, SELFMAG) != 0 ||
	    b[EI_CLASS] != ELFCLASS64 || e->e_machine != EM_X86_64 ||
	    e->e_phentsize != sizeof(Elf64_Phdr) || e->e_phnum == 0 ||
	    e->e_phnum == PN_XNUM || e->e_phoff > len ||
	    (len - e->e_phoff) / sizeof(Elf64_Phdr) < e->e_phnum ||
	    e->e_phoff % 8 != 0)
		return -1;
	for (int i = 0; i < e->e_phnum; i++)
		if (((const Elf64_Phdr *)(b + e->e_phoff))[i].p_type == PT_LOAD)
			return 0;
	return -1;
}

#ifndef MKBAD_NO_MAIN

static int write_file(const char *dir, const char *name, const char *suffix,
		      const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s%s", dir, name,
			     suffix) >= sizeof(path)) {
		fprintf(stderr, "mkbad: path too long: %s/%s%s\n", dir, name,
			suffix);
		return -1;
	}
	f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "mkbad: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "mkbad: %s: write failed\n", path);
	return ok ? 0 : -1;
}

static unsigned char *read_all(const char *path, size_t *lenp)
{
	unsigned char *b = NULL, *nb;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "mkbad: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			nb = realloc(b, cap);
			if (nb == NULL) {
				fprintf(stderr, "mkbad: out of memory\n");
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
		}
		n = fread(b + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	*lenp = len;
	return b;
}

int main(int argc, char **argv)
{
	unsigned char *orig, *work;
	size_t len;
	int failed = 0, made = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: mkbad GOOD-ELF OUTDIR\n");
		return 2;
	}
	orig = read_all(argv[1], &len);
	if (orig == NULL)
		return 1;
	if (mkbad_usable(orig, len) != 0) {
		fprintf(stderr, "mkbad: %s: not a usable x86_64 ELF64 "
			"executable\n", argv[1]);
		free(orig);
		return 1;
	}
	work = malloc(len);
	if (work == NULL) {
		fprintf(stderr, "mkbad: out of memory\n");
		free(orig);
		return 1;
	}
	for (size_t v = 0; v < mkbad_nvariants; v++) {
		const struct mkbad_variant *mv = &mkbad_variants[v];
		struct mkbad_img img = { work, len };

		memcpy(work, orig, len);
		if (mv->make(&img) != 0) {
			fprintf(stderr, "mkbad: %s: cannot make %s from this "
				"input\n", argv[1], mv->name);
			failed = 1;
			continue;
		}
		if (write_file(argv[2], mv->name, "", img.b, img.len) != 0 ||
		    write_file(argv[2], mv->name, ".expect", mv->expect,
			       strlen(mv->expect)) != 0) {
			failed = 1;
			continue;
		}
		made++;
	}
	printf("mkbad: wrote %d variants of %s to %s\n", made, argv[1],
	       argv[2]);
	free(orig);
	free(work);
	return failed;
}

#endif /* MKBAD_NO_MAIN */
