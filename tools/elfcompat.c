/* elfcompat: tells which Linux system calls an x86-64 program can make and
 * which of them the unikernel does not provide. It reads the program and its
 * shared-library closure (as tools/ldwalk lists it), disassembles every
 * executable section with Zydis, and for each syscall instruction works out
 * the number in rax by walking the code backwards: through straight-line
 * code, branches, stack slots and, when the number arrives as an argument
 * (glibc's syscall(), musl's __syscall_cp, Go's Syscall6), into the direct
 * and PLT callers. Sites whose number it cannot pin down are listed.
 * Built with -DELFCOMPAT_NO_MAIN it is the analysis alone, for a fuzz
 * target (tests/hostfuzz/fuzz_elfcompat.c) that includes it and gives it
 * files in memory (load_object_mem). */
#define _GNU_SOURCE
#include <Zydis/Zydis.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNISTD_H "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
#define MAX_NR 1024		/* numbers at or above are no system calls */
#ifndef SITE_BUDGET		/* the fuzz target's is smaller, for speed */
#define SITE_BUDGET 400000	/* backward steps allowed per syscall site */
#endif
#define MAX_DEPTH 2500		/* recursion depth of one backward walk */
#define MAX_VALUES 2048		/* a number set larger than this is "unknown" */

/* ---- small helpers --------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "elfcompat: out of memory\n");
		exit(2);
	}
	return p;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		fprintf(stderr, "elfcompat: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

#define PUSH(arr, n, cap, val)                                          \
	do {                                                            \
		if ((n) == (cap)) {                                     \
			(cap) = (cap) ? 2 * (cap) : 16;                 \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr)); \
		}                                                       \
		(arr)[(n)++] = (val);                                   \
	} while (0)

/* qsort and bsearch, which take no NULL array even when it is empty (an
 * object without symbols, relocations or calls has such arrays). */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(base, n, size, cmp);
}

static void *find(const void *key, const void *base, size_t n, size_t size,
		  int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, base, n, size, cmp) : NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- the objects ------------------------------------------------------ */

struct sym {
	uint64_t addr, size;
	const char *name;
	int rank;		/* lower is a better name for the address */
};

struct named {			/* a GOT slot's or an export's name */
	uint64_t addr;
	const char *name;
};

enum ekind { K_FALL, K_JUMP, K_CALL };

struct edge {			/* a direct branch: from -> to */
	uint64_t to, from;
	uint8_t kind;		/* K_JUMP (jmp, jcc) or K_CALL */
};

struct impcall {		/* a call or jump through a named GOT slot */
	const char *name;
	uint64_t from;
	uint8_t kind;
};

enum { IF_NOFALL = 1, IF_SYSCALL = 2, IF_INT80 = 4, IF_NOP = 8, IF_TRAP = 16 };

struct xsec {			/* an executable section, decoded linearly */
	uint64_t addr, size;
	const uint8_t *data;
	uint32_t *off;		/* instruction offsets, ascending */
	uint8_t *fl;		/* IF_* per instruction */
	size_t n;
};

struct dsec {			/* a section with initialized data */
	uint64_t addr, size;
	const uint8_t *data;
	bool writable;
};

struct object {
	char *path;
	const char *base;	/* file name part of path */
	int fd;
	Elf *elf;
	bool go;		/* a Go program: calls clobber every register */
	struct xsec *sec;
	size_t nsec;
	struct dsec *dsec;
	size_t ndsec;
	struct sym *sym;	/* FUNC symbols by address */
	size_t nsym;
	struct named *slot;	/* GOT slots of imported symbols, by address */
	size_t nslot;
	struct named *exp;	/* exported functions, by name */
	size_t nexp;
	struct named *expa;	/* the same, by address */
	struct edge *edge;	/* by target */
	size_t nedge;
	struct impcall *imp;	/* by name */
	size_t nimp;
	uint64_t *entry;	/* function entries: symbols and call targets */
	size_t nentry;
	uint64_t *site;		/* syscall instructions */
	size_t nsite;
	uint64_t *int80;	/* int 0x80 instructions (32-bit system calls) */
	size_t nint80;
};

static struct object *objs;
static size_t nobjs;
static ZydisDecoder decoder;

static const char *const regname[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
enum { R_AX = 0, R_CX = 1, R_DX = 2, R_SP = 4, R_SI = 6, R_DI = 7, R_11 = 11, LOC_SLOT = 16 };

/* The 64-bit general purpose register holding reg (0..15), or -1. */
static int gpr_of(ZydisRegister reg)
{
	ZydisRegister r = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);

	if (r >= ZYDIS_REGISTER_RAX && r <= ZYDIS_REGISTER_R15)
		return (int)(r - ZYDIS_REGISTER_RAX);
	return -1;
}

static struct xsec *sec_of(struct object *o, uint64_t a)
{
	for (size_t i = 0; i < o->nsec; i++)
		if (a >= o->sec[i].addr && a - o->sec[i].addr < o->sec[i].size)
			return &o->sec[i];
	return NULL;
}

/* Index of the instruction starting at a, or -1. */
static long insn_index(struct xsec *s, uint64_t a)
{
	uint32_t off = (uint32_t)(a - s->addr);
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->off[lo] == off ? (long)lo : -1;
}

static bool decode_at(struct object *o, uint64_t a, ZydisDecodedInstruction *in,
		      ZydisDecodedOperand *ops)
{
	struct xsec *s = sec_of(o, a);

	if (!s)
		return false;
	return ZYAN_SUCCESS(ZydisDecoderDecodeFull(&decoder, s->data + (a - s->addr),
						   s->size - (a - s->addr), in, ops));
}

static bool is_entry(struct object *o, uint64_t a)
{
	return find(&a, o->entry, o->nentry, sizeof *o->entry, cmp_u64) != NULL;
}

/* "name+0x12" for an address inside a known function, else "0x1234". */
static const char *where(struct object *o, uint64_t a)
{
	static char buf[8][160];
	static int k;
	char *b = buf[k++ & 7];
	size_t lo = 0, hi = o->nsym;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (o->sym[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo-1 is the last symbol at or below a; walk back over aliases and
	 * symbols without size to find one that covers a. */
	for (size_t i = lo; i-- > 0;) {
		struct sym *s = &o->sym[i];

		if (a - s->addr > (1u << 20))
			break;
		if (a < s->addr + (s->size ? s->size : 1)) {
			if (a == s->addr)
				snprintf(b, 160, "%s", s->name);
			else
				snprintf(b, 160, "%s+0x%llx", s->name,
					 (unsigned long long)(a - s->addr));
			return b;
		}
	}
	snprintf(b, 160, "0x%llx", (unsigned long long)a);
	return b;
}

/* "0x1234 name+0x12 (libc.so.6)" */
static const char *describe(int oi, uint64_t a)
{
	static char buf[8][320];
	static int k;
	char *b = buf[k++ & 7];
	const char *w = where(&objs[oi], a);

	if (w[0] == '0' && w[1] == 'x')
		snprintf(b, 320, "%s (%s)", w, objs[oi].base);
	else
		snprintf(b, 320, "0x%llx %s (%s)", (unsigned long long)a, w, objs[oi].base);
	return b;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->name, y->name);
}

static int cmp_named_addr(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_named_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

static int cmp_imp(const void *a, const void *b)
{
	const struct impcall *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* A name's rank: plain public names first, then _x, then __x, then local
 * labels; a shorter name wins among equals (see cmp_sym). */
static int name_rank(const char *n, bool global)
{
	int r = n[0] == '_' ? (n[1] == '_' ? 2 : 1) : 0;

	return r * 2 + !global;
}

static void read_symbols(struct object *o, Elf_Scn *scn, GElf_Shdr *sh, bool dynamic,
			 size_t *cap_sym, size_t *cap_exp)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	if (!d)
		return;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		const char *name;
		int type;

		if (!gelf_getsym(d, (int)i, &s))
			break;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF ||
		    !s.st_value)
			continue;
		name = elf_strptr(o->elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		bool global = GELF_ST_BIND(s.st_info) != STB_LOCAL;
		struct sym sy = { s.st_value, s.st_size, name, name_rank(name, global) };

		PUSH(o->sym, o->nsym, *cap_sym, sy);
		if (dynamic && global && GELF_ST_VISIBILITY(s.st_other) == STV_DEFAULT) {
			struct named e = { s.st_value, name };

			PUSH(o->exp, o->nexp, *cap_exp, e);
		}
	}
}

static void read_relocs(struct object *o, Elf_Scn *scn, GElf_Shdr *sh, size_t *cap)
{
	Elf_Data *d = elf_getdata(scn, NULL), *sd;
	Elf_Scn *symscn = elf_getscn(o->elf, sh->sh_link);
	GElf_Shdr ssh;
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	if (!d || !symscn || !gelf_getshdr(symscn, &ssh) || !(sd = elf_getdata(symscn, NULL)))
		return;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		GElf_Sym s;
		const char *name;
		unsigned type;

		if (!gelf_getrela(d, (int)i, &r))
			break;
		type = GELF_R_TYPE(r.r_info);
		if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT)
			continue;
		if (!GELF_R_SYM(r.r_info) || !gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &s))
			continue;
		name = elf_strptr(o->elf, ssh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		struct named e = { r.r_offset, name };

		PUSH(o->slot, o->nslot, *cap, e);
	}
}

static const char *slot_name(struct object *o, uint64_t a)
{
	struct named key = { a, NULL }, *f;

	f = find(&key, o->slot, o->nslot, sizeof *o->slot, cmp_named_addr);
	return f ? f->name : NULL;
}

static void add_xsec(struct object *o, uint64_t addr, uint64_t size, const uint8_t *data,
		     size_t *cap)
{
	struct xsec s = { addr, size, data, NULL, NULL, 0 };

	if (size >= UINT32_MAX)
		return;
	PUSH(o->sec, o->nsec, *cap, s);
}

/* Linear disassembly of every executable section: instruction boundaries,
 * direct branches, calls through GOT slots, syscall sites. */
static void scan_code(struct object *o)
{
	size_t cap_edge = 0, cap_imp = 0, cap_entry = 0, cap_site = 0, cap_80 = 0;

	for (size_t si = 0; si < o->nsec; si++) {
		struct xsec *s = &o->sec[si];
		size_t cap = 0;
		uint64_t off = 0;
		bool after_end = false;

		while (off < s->size) {
			ZydisDecoderContext ctx;
			ZydisDecodedInstruction in;
			ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
			uint64_t a = s->addr + off;
			uint8_t fl = 0;
			unsigned len = 1;

			if (s->n == cap) {
				cap = cap ? 2 * cap : 4096;
				s->off = xrealloc(s->off, cap * sizeof *s->off);
				s->fl = xrealloc(s->fl, cap * sizeof *s->fl);
			}
			/* Zero bytes after a ret or jmp are padding (Free Pascal
			 * pads so): decoded, they would swallow the next
			 * function's first bytes. */
			if (after_end && !s->data[off]) {
				s->off[s->n] = (uint32_t)off;
				s->fl[s->n++] = IF_NOFALL | IF_NOP;
				off++;
				continue;
			}
			after_end = false;
			if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder, &ctx, s->data + off,
									s->size - off, &in))) {
				s->off[s->n] = (uint32_t)off;
				s->fl[s->n++] = IF_NOFALL;
				off++;
				continue;
			}
			len = in.length;
			switch (in.meta.category) {
			case ZYDIS_CATEGORY_RET:
				fl |= IF_NOFALL;
				break;
			case ZYDIS_CATEGORY_UNCOND_BR:
				fl |= IF_NOFALL;
				/* fall through */
			case ZYDIS_CATEGORY_COND_BR:
			case ZYDIS_CATEGORY_CALL: {
				uint8_t kind = in.meta.category == ZYDIS_CATEGORY_CALL ? K_CALL : K_JUMP;
				uint64_t t;

				if (!ZYAN_SUCCESS(ZydisDecoderDecodeOperands(&decoder, &ctx, &in, ops,
									     in.operand_count)))
					break;
				if (ops[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
				    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&in, &ops[0], a, &t))) {
					struct edge e = { t, a, kind };

					PUSH(o->edge, o->nedge, cap_edge, e);
					if (kind == K_CALL)
						PUSH(o->entry, o->nentry, cap_entry, t);
				} else if (ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY &&
					   ops[0].mem.base == ZYDIS_REGISTER_RIP &&
					   ops[0].mem.index == ZYDIS_REGISTER_NONE &&
					   ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&in, &ops[0], a, &t))) {
					const char *name = slot_name(o, t);

					if (name) {
						struct impcall ic = { name, a, kind };

						PUSH(o->imp, o->nimp, cap_imp, ic);
					}
				}
				break;
			}
			default:
				break;
			}
			switch (in.mnemonic) {
			case ZYDIS_MNEMONIC_UD0:
			case ZYDIS_MNEMONIC_UD1:
			case ZYDIS_MNEMONIC_UD2:
			case ZYDIS_MNEMONIC_HLT:
			case ZYDIS_MNEMONIC_INT3:
				fl |= IF_NOFALL | IF_TRAP;
				break;
			case ZYDIS_MNEMONIC_NOP:
				fl |= IF_NOP;
				break;
			case ZYDIS_MNEMONIC_SYSCALL:
				fl |= IF_SYSCALL;
				PUSH(o->site, o->nsite, cap_site, a);
				break;
			case ZYDIS_MNEMONIC_INT:
				if (in.raw.imm[0].value.u == 0x80) {
					fl |= IF_INT80;
					PUSH(o->int80, o->nint80, cap_80, a);
				}
				break;
			default:
				break;
			}
			s->off[s->n] = (uint32_t)off;
			s->fl[s->n++] = fl;
			off += len;
			after_end = (fl & IF_NOFALL) && !(fl & IF_TRAP);
		}
	}
	for (size_t i = 0; i < o->nsym; i++)
		PUSH(o->entry, o->nentry, cap_entry, o->sym[i].addr);
	sort(o->entry, o->nentry, sizeof *o->entry, cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < o->nentry; i++)
		if (!k || o->entry[k - 1] != o->entry[i])
			o->entry[k++] = o->entry[i];
	o->nentry = k;
	sort(o->edge, o->nedge, sizeof *o->edge, cmp_edge);
	sort(o->imp, o->nimp, sizeof *o->imp, cmp_imp);
}

static void free_object(struct object *o)
{
	for (size_t i = 0; i < o->nsec; i++) {
		free(o->sec[i].off);
		free(o->sec[i].fl);
	}
	free(o->sec);
	free(o->dsec);
	free(o->sym);
	free(o->slot);
	free(o->exp);
	free(o->expa);
	free(o->edge);
	free(o->imp);
	free(o->entry);
	free(o->site);
	free(o->int80);
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
	free(o->path);
}

/* Adds the object path names, read by libelf from o.elf (and o.fd, -1
 * for one in memory): its index in objs, or -1 (and o freed). */
static int add_object(struct object o)
{
	GElf_Ehdr eh;
	size_t shstrndx, cap_dsec = 0, cap_sec = 0, cap_sym = 0, cap_exp = 0, cap_slot = 0;
	Elf_Scn *scn = NULL;

	o.base = strrchr(o.path, '/') ? strrchr(o.path, '/') + 1 : o.path;
	if (!o.elf || elf_kind(o.elf) != ELF_K_ELF) {
		fprintf(stderr, "elfcompat: %s: not an ELF file\n", o.path);
		free_object(&o);
		return -1;
	}
	if (!gelf_getehdr(o.elf, &eh) || gelf_getclass(o.elf) != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64) {
		fprintf(stderr, "elfcompat: %s: not an x86-64 ELF file\n", o.path);
		free_object(&o);
		return -1;
	}
	if (elf_getshdrstrndx(o.elf, &shstrndx) != 0)
		shstrndx = 0;
	while ((scn = elf_nextscn(o.elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = shstrndx ? elf_strptr(o.elf, shstrndx, sh.sh_name) : NULL;
		if (name && (!strcmp(name, ".go.buildinfo") || !strcmp(name, ".note.go.buildid")))
			o.go = true;
		switch (sh.sh_type) {
		case SHT_PROGBITS:
			if ((sh.sh_flags & SHF_ALLOC) && sh.sh_size) {
				Elf_Data *d = elf_getdata(scn, NULL);
				struct dsec ds = { sh.sh_addr, sh.sh_size, d ? d->d_buf : NULL,
						   (sh.sh_flags & SHF_WRITE) != 0 };

				if (d && d->d_buf && d->d_size == sh.sh_size)
					PUSH(o.dsec, o.ndsec, cap_dsec, ds);
			}
			if ((sh.sh_flags & SHF_EXECINSTR) && (sh.sh_flags & SHF_ALLOC) && sh.sh_size) {
				Elf_Data *d = elf_getdata(scn, NULL);

				if (d && d->d_buf && d->d_size == sh.sh_size)
					add_xsec(&o, sh.sh_addr, sh.sh_size, d->d_buf, &cap_sec);
			}
			break;
		case SHT_SYMTAB:
		case SHT_DYNSYM:
			read_symbols(&o, scn, &sh, sh.sh_type == SHT_DYNSYM, &cap_sym, &cap_exp);
			break;
		case SHT_RELA:
			read_relocs(&o, scn, &sh, &cap_slot);
			break;
		default:
			break;
		}
	}
	if (!o.nsec) {
		/* No section headers (or no code in them): the executable
		 * segments instead. */
		size_t nph, size;
		const uint8_t *raw = (const uint8_t *)elf_rawfile(o.elf, &size);

		if (raw && elf_getphdrnum(o.elf, &nph) == 0)
			for (size_t i = 0; i < nph; i++) {
				GElf_Phdr ph;

				if (gelf_getphdr(o.elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
				    (ph.p_flags & PF_X) && ph.p_filesz && ph.p_offset <= size &&
				    ph.p_filesz <= size - ph.p_offset)
					add_xsec(&o, ph.p_vaddr, ph.p_filesz, raw + ph.p_offset,
						 &cap_sec);
			}
	}
	sort(o.sym, o.nsym, sizeof *o.sym, cmp_sym);
	sort(o.slot, o.nslot, sizeof *o.slot, cmp_named_addr);
	o.expa = xrealloc(NULL, (o.nexp ? o.nexp : 1) * sizeof *o.expa);
	if (o.nexp)
		memcpy(o.expa, o.exp, o.nexp * sizeof *o.exp);
	sort(o.exp, o.nexp, sizeof *o.exp, cmp_named_name);
	sort(o.expa, o.nexp, sizeof *o.expa, cmp_named_addr);
	scan_code(&o);
	objs = xrealloc(objs, (nobjs + 1) * sizeof *objs);
	objs[nobjs] = o;
	return (int)nobjs++;
}

#ifndef ELFCOMPAT_NO_MAIN
static int load_object(const char *path)
{
	struct object o;

	memset(&o, 0, sizeof o);
	o.path = xstrdup(path);
	o.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o.fd < 0) {
		fprintf(stderr, "elfcompat: %s: %s\n", path, strerror(errno));
		free(o.path);
		return -1;
	}
	o.elf = elf_begin(o.fd, ELF_C_READ_MMAP, NULL);
	return add_object(o);
}
#endif

/* The object a reference to name binds to: the first one in load order
 * that exports it (ld.so's global scope), or -1. */
static int binding(const char *name)
{
	for (size_t i = 0; i < nobjs; i++) {
		struct named key = { 0, name };

		if (find(&key, objs[i].exp, objs[i].nexp, sizeof *objs[i].exp, cmp_named_name))
			return (int)i;
	}
	return -1;
}

/* ---- sets of possible values ------------------------------------------ */

struct vset {
	uint64_t *v;
	uint32_t n, cap;
	int why;		/* -1, or the reason (index) some path is unknown */
};

static char **reasons;
static size_t nreasons, cap_reasons;

static int reason(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("?");
	va_end(ap);
	PUSH(reasons, nreasons, cap_reasons, s);
	return (int)nreasons - 1;
}

static void vs_unknown(struct vset *s, int why)
{
	if (s->why < 0)
		s->why = why;
}

static void vs_add(struct vset *s, uint64_t v)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->n >= MAX_VALUES) {
		vs_unknown(s, reason("more than %d possible values", MAX_VALUES));
		return;
	}
	PUSH(s->v, s->n, s->cap, v);
}

static void vs_union(struct vset *d, const struct vset *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		vs_add(d, s->v[i]);
	if (s->why >= 0)
		vs_unknown(d, s->why);
}

static void vs_free(struct vset *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ---- locations and the effect of one instruction on them --------------- */

typedef struct {
	int8_t reg;		/* 0..15, or LOC_SLOT */
	int32_t off;		/* LOC_SLOT: offset from rsp */
} loc_t;

static const char *loc_name(loc_t L)
{
	static char buf[4][32];
	static int k;
	char *b = buf[k++ & 3];

	if (L.reg != LOC_SLOT)
		return regname[L.reg];
	snprintf(b, 32, "[rsp%s0x%x]", L.off < 0 ? "-" : "+",
		 L.off < 0 ? -(unsigned)L.off : (unsigned)L.off);
	return b;
}

enum effkind { E_NONE, E_CONST, E_INIT, E_OP, E_CMOV, E_UNKNOWN, E_DEAD };
enum opkind { OP_ADD, OP_OR, OP_AND };

struct effect {
	enum effkind k;
	loc_t src;		/* E_NONE: the location before; E_OP/E_CMOV: source */
	enum opkind op;
	uint64_t imm, mask;
	int why;		/* E_UNKNOWN, E_INIT */
};

/* Reads a little-endian value of size bytes at address a from the file's
 * initialized sections. */
static bool read_mem(struct object *o, uint64_t a, unsigned size, uint64_t *v, bool *writable)
{
	for (size_t i = 0; i < o->ndsec; i++) {
		struct dsec *d = &o->dsec[i];

		if (a >= d->addr && a - d->addr < d->size && size <= d->size - (a - d->addr)) {
			uint64_t x = 0;

			for (unsigned b = 0; b < size; b++)
				x |= (uint64_t)d->data[a - d->addr + b] << (8 * b);
			*v = x;
			*writable = d->writable;
			return true;
		}
	}
	return false;
}

static bool caller_saved(int r)
{
	return r == 0 || r == 1 || r == 2 || r == 6 || r == 7 || (r >= 8 && r <= 11);
}

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* The value an explicit source operand gives (a register, an immediate or
 * a stack slot). */
static void source(int oi, uint64_t p, const ZydisDecodedInstruction *in,
		   const ZydisDecodedOperand *op, struct effect *e)
{
	switch (op->type) {
	case ZYDIS_OPERAND_TYPE_REGISTER: {
		int r = gpr_of(op->reg.value);
		unsigned w = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, op->reg.value);

		if (r < 0 || (op->reg.value >= ZYDIS_REGISTER_AH && op->reg.value <= ZYDIS_REGISTER_BH)) {
			e->k = E_UNKNOWN;
			e->why = reason("number copied from %s at %s",
					ZydisRegisterGetString(op->reg.value), describe(oi, p));
			return;
		}
		e->k = E_OP;
		e->op = OP_ADD;
		e->imm = 0;
		e->src = (loc_t){ (int8_t)r, 0 };
		e->mask &= width_mask(w);
		return;
	}
	case ZYDIS_OPERAND_TYPE_IMMEDIATE:
		e->k = E_CONST;
		e->imm = op->imm.value.u;
		return;
	case ZYDIS_OPERAND_TYPE_MEMORY:
		if (op->mem.type == ZYDIS_MEMOP_TYPE_MEM && op->mem.base == ZYDIS_REGISTER_RSP &&
		    op->mem.index == ZYDIS_REGISTER_NONE &&
		    (op->mem.segment == ZYDIS_REGISTER_SS || op->mem.segment == ZYDIS_REGISTER_DS ||
		     op->mem.segment == ZYDIS_REGISTER_NONE) &&
		    op->mem.disp.value > INT32_MIN / 2 && op->mem.disp.value < INT32_MAX / 2) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = 0;
			e->src = (loc_t){ LOC_SLOT, (int32_t)op->mem.disp.value };
			e->mask &= width_mask(op->size);
			return;
		}
		if (op->mem.type == ZYDIS_MEMOP_TYPE_MEM && op->mem.base == ZYDIS_REGISTER_RIP &&
		    op->mem.index == ZYDIS_REGISTER_NONE && (op->size == 32 || op->size == 64)) {
			uint64_t a = p + in->length + (uint64_t)op->mem.disp.value, v;
			bool writable;

			if (read_mem(&objs[oi], a, op->size / 8, &v, &writable)) {
				e->imm = v;
				e->mask &= width_mask(op->size);
				if (!writable) {
					e->k = E_CONST;
					return;
				}
				e->k = E_INIT;
				e->why = reason("number loaded from the variable at 0x%llx (initially %llu) by %s at %s",
						(unsigned long long)a, (unsigned long long)(v & e->mask),
						ZydisMnemonicGetString(in->mnemonic), describe(oi, p));
				return;
			}
		}
		e->k = E_UNKNOWN;
		e->why = reason("number loaded from memory by %s at %s",
				ZydisMnemonicGetString(in->mnemonic), describe(oi, p));
		return;
	default:
		e->k = E_UNKNOWN;
		e->why = reason("number set by %s at %s", ZydisMnemonicGetString(in->mnemonic),
				describe(oi, p));
		return;
	}
}

/* The name of a call's target, when it has one. */
static const char *callee_name(int oi, uint64_t p, const ZydisDecodedInstruction *in,
			       const ZydisDecodedOperand *op)
{
	struct object *o = &objs[oi];
	ZydisDecodedInstruction t;
	ZydisDecodedOperand top[ZYDIS_MAX_OPERAND_COUNT];
	uint64_t a;
	const char *w;

	if (!ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, &op[0], p, &a)))
		return NULL;
	if (op[0].type == ZYDIS_OPERAND_TYPE_MEMORY)
		return slot_name(o, a);
	if (op[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE)
		return NULL;
	w = where(o, a);
	if (!(w[0] == '0' && w[1] == 'x') && !strchr(w, '+'))
		return w;
	/* A PLT stub: [endbr64;] jmp [rip+slot]. */
	if (!decode_at(o, a, &t, top))
		return NULL;
	if (t.mnemonic == ZYDIS_MNEMONIC_ENDBR64) {
		a += t.length;
		if (!decode_at(o, a, &t, top))
			return NULL;
	}
	if (t.mnemonic == ZYDIS_MNEMONIC_JMP && top[0].type == ZYDIS_OPERAND_TYPE_MEMORY &&
	    top[0].mem.base == ZYDIS_REGISTER_RIP &&
	    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&t, &top[0], a, &a)))
		return slot_name(o, a);
	return NULL;
}

/* Calls that do not come back: to a function known not to return, or
 * followed by padding (what compilers put after such calls). */
static bool noreturn_call(int oi, uint64_t p, const ZydisDecodedInstruction *in,
			  const ZydisDecodedOperand *op)
{
	static const char *const names[] = {
		"abort", "exit", "_exit", "_Exit", "quick_exit", "__stack_chk_fail",
		"__assert_fail", "__assert_perror_fail", "__libc_assert_fail", "__libc_fatal",
		"__libc_message", "__fortify_fail", "__chk_fail", "__malloc_assert",
		"pthread_exit", "__pthread_unwind", "__pthread_unwind_next", "err", "errx",
		"verr", "verrx", "longjmp", "_longjmp", "siglongjmp", "__longjmp_chk",
		"__cxa_throw", "__cxa_rethrow", "_Unwind_Resume", "__cxa_bad_cast",
		"_dl_signal_error", "_dl_fatal_printf", "_dl_signal_exception",
		"Py_FatalError", "_Py_FatalErrorFunc", "_Py_FatalErrorFormat",
		"runtime.throw", "runtime.fatal", "runtime.gopanic", "runtime.fatalthrow",
		"runtime.fatalpanic", "runtime.abort",
	};
	struct object *o = &objs[oi];
	struct xsec *s = sec_of(o, p);
	long i = s ? insn_index(s, p) : -1;
	const char *name;

	if (i >= 0 && (size_t)i + 1 < s->n && (s->fl[i + 1] & (IF_NOP | IF_TRAP)))
		return true;
	name = callee_name(oi, p, in, op);
	if (!name)
		return false;
	if (!strncmp(name, "runtime.panic", 13) || !strncmp(name, "runtime.goPanic", 15))
		return true;
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (!strcmp(name, names[k]))
			return true;
	return false;
}

static bool is_rsp(const ZydisDecodedOperand *op)
{
	return op->type == ZYDIS_OPERAND_TYPE_REGISTER && gpr_of(op->reg.value) == R_SP;
}

/* What instruction p does to location L (L as seen right after p). */
static void effect(int oi, uint64_t p, loc_t L, struct effect *e)
{
	struct object *o = &objs[oi];
	ZydisDecodedInstruction in;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
	ZydisMnemonic m;

	memset(e, 0, sizeof *e);
	e->k = E_NONE;
	e->src = L;
	e->mask = ~0ULL;
	if (!decode_at(o, p, &in, op)) {
		e->k = E_UNKNOWN;
		e->why = reason("undecodable instruction at %s", describe(oi, p));
		return;
	}
	m = in.mnemonic;

	if (L.reg == LOC_SLOT) {
		bool rsp_written = false;

		if (m == ZYDIS_MNEMONIC_CALL) {
			if (noreturn_call(oi, p, &in, op))
				e->k = E_DEAD;
			return;	/* a call that returned leaves our frame */
		}
		for (unsigned i = 0; i < in.operand_count; i++)
			if (is_rsp(&op[i]) && (op[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
				rsp_written = true;
		if (m == ZYDIS_MNEMONIC_PUSH) {
			if (L.off == 0) {
				e->mask = ~0ULL;
				source(oi, p, &in, &op[0], e);
				if (e->k == E_CONST && op[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
					e->imm = (uint64_t)op[0].imm.value.s;
				return;
			}
			if (L.off > -8 && L.off < 8)
				goto slot_unknown;
			e->src.off = L.off - 8;
			return;
		}
		if (rsp_written) {
			int64_t delta;	/* rsp after = rsp before + delta */

			if (m == ZYDIS_MNEMONIC_POP)
				delta = 8;
			else if ((m == ZYDIS_MNEMONIC_SUB || m == ZYDIS_MNEMONIC_ADD) && is_rsp(&op[0]) &&
				 op[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
				delta = m == ZYDIS_MNEMONIC_ADD ? op[1].imm.value.s : -op[1].imm.value.s;
			else if (m == ZYDIS_MNEMONIC_LEA && is_rsp(&op[0]) &&
				 op[1].mem.base == ZYDIS_REGISTER_RSP &&
				 op[1].mem.index == ZYDIS_REGISTER_NONE)
				delta = op[1].mem.disp.value;
			else {
				e->k = E_UNKNOWN;
				e->why = reason("stack pointer changed by %s at %s (tracking %s)",
						ZydisMnemonicGetString(m), describe(oi, p), loc_name(L));
				return;
			}
			/* Slots stay within half the int32 range, as source()
			 * makes them: thousands of large adjustments in a row
			 * would otherwise wrap the offset (and a push after it
			 * overflow it). */
			if (delta > 1 << 20 || delta < -(1 << 20) ||
			    L.off + delta > INT32_MAX / 2 || L.off + delta < INT32_MIN / 2)
				goto slot_unknown;
			e->src.off = (int32_t)(L.off + delta);
			if (m != ZYDIS_MNEMONIC_POP)
				return;
		}
		for (unsigned i = 0; i < in.operand_count; i++) {
			const ZydisDecodedOperand *w = &op[i];
			int64_t d;
			unsigned size;

			if (w->type != ZYDIS_OPERAND_TYPE_MEMORY || w->mem.type != ZYDIS_MEMOP_TYPE_MEM ||
			    !(w->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) ||
			    w->mem.base != ZYDIS_REGISTER_RSP)
				continue;	/* other memory is assumed not to alias */
			if (w->mem.index != ZYDIS_REGISTER_NONE)
				goto slot_unknown;
			d = w->mem.disp.value;
			size = w->size / 8;
			if (d + (int64_t)size <= L.off || d >= (int64_t)L.off + 4)
				continue;
			if (d == L.off && size >= 4 && m == ZYDIS_MNEMONIC_MOV && i == 0) {
				e->mask = width_mask(w->size);
				source(oi, p, &in, &op[1], e);
				return;
			}
			goto slot_unknown;
		}
		return;
slot_unknown:
		e->k = E_UNKNOWN;
		e->why = reason("stack slot %s written by %s at %s", loc_name(L),
				ZydisMnemonicGetString(m), describe(oi, p));
		return;
	}

	/* L is a register. */
	if (m == ZYDIS_MNEMONIC_CALL) {
		if (noreturn_call(oi, p, &in, op)) {
			e->k = E_DEAD;
			return;
		}
		if (!o->go && !caller_saved(L.reg))
			return;	/* preserved by the callee */
		/* Compilers never read a clobbered register after a call
		 * without setting it again, so reaching a call backwards
		 * means a call that does not return, unless L holds what
		 * the call returns. */
		if (!o->go && L.reg != R_AX && L.reg != R_DX) {
			e->k = E_DEAD;
			return;
		}
		e->k = E_UNKNOWN;
		e->why = reason("%s: the return value of the call at %s", regname[L.reg],
				describe(oi, p));
		return;
	}
	if (m == ZYDIS_MNEMONIC_SYSCALL && (L.reg == R_AX || L.reg == R_CX || L.reg == R_11)) {
		e->k = E_UNKNOWN;
		e->why = reason("%s set by the syscall at %s", regname[L.reg], describe(oi, p));
		return;
	}
	int w = -1;
	for (unsigned i = 0; i < in.operand_count; i++)
		if (op[i].type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    (op[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) && gpr_of(op[i].reg.value) == L.reg) {
			w = (int)i;
			break;
		}
	if (w < 0)
		return;
	unsigned width = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, op[w].reg.value);
	bool self_xchg = m == ZYDIS_MNEMONIC_XCHG && op[0].type == ZYDIS_OPERAND_TYPE_REGISTER &&
			 op[1].type == ZYDIS_OPERAND_TYPE_REGISTER &&
			 gpr_of(op[0].reg.value) == gpr_of(op[1].reg.value);

	if (width < 32 && !self_xchg) {
		e->k = E_UNKNOWN;
		e->why = reason("%s partly set by %s at %s", regname[L.reg],
				ZydisMnemonicGetString(m), describe(oi, p));
		return;
	}
	e->mask = width_mask(width);
	bool imm1 = in.operand_count_visible >= 2 && op[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE;
	bool same = in.operand_count_visible >= 2 && op[1].type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    op[0].type == ZYDIS_OPERAND_TYPE_REGISTER && op[0].reg.value == op[1].reg.value;

	if (w == 0 && in.meta.category == ZYDIS_CATEGORY_CMOV) {
		source(oi, p, &in, &op[1], e);
		if (e->k == E_OP) {
			e->k = E_CMOV;
		} else if (e->k != E_UNKNOWN) {
			e->k = E_UNKNOWN;
			e->why = reason("%s conditionally loaded from memory at %s", regname[L.reg],
					describe(oi, p));
		}
		return;
	}
	switch (m) {
	case ZYDIS_MNEMONIC_MOV:
	case ZYDIS_MNEMONIC_MOVZX:
	case ZYDIS_MNEMONIC_MOVSX:
	case ZYDIS_MNEMONIC_MOVSXD:
		if (w != 0)
			break;
		source(oi, p, &in, &op[1], e);
		return;
	case ZYDIS_MNEMONIC_XOR:
	case ZYDIS_MNEMONIC_SUB:
		if (w == 0 && same) {
			e->k = E_CONST;
			e->imm = 0;
			return;
		}
		if (m == ZYDIS_MNEMONIC_SUB && w == 0 && imm1) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = (uint64_t)-op[1].imm.value.s;
			e->src = L;
			return;
		}
		break;
	case ZYDIS_MNEMONIC_ADD:
		if (w == 0 && imm1) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = op[1].imm.value.u;
			e->src = L;
			return;
		}
		break;
	case ZYDIS_MNEMONIC_INC:
	case ZYDIS_MNEMONIC_DEC:
		if (w == 0) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = m == ZYDIS_MNEMONIC_INC ? 1 : ~0ULL;
			e->src = L;
			return;
		}
		break;
	case ZYDIS_MNEMONIC_OR:
	case ZYDIS_MNEMONIC_AND:
		if (w == 0 && imm1) {
			uint64_t v = op[1].imm.value.u & e->mask;

			if (m == ZYDIS_MNEMONIC_OR && v == e->mask) {
				e->k = E_CONST;
				e->imm = v;
			} else if (m == ZYDIS_MNEMONIC_AND && v == 0) {
				e->k = E_CONST;
				e->imm = 0;
			} else {
				e->k = E_OP;
				e->op = m == ZYDIS_MNEMONIC_OR ? OP_OR : OP_AND;
				e->imm = op[1].imm.value.u;
				e->src = L;
			}
			return;
		}
		if (w == 0 && same) {	/* or eax, eax / and eax, eax */
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = 0;
			e->src = L;
			return;
		}
		break;
	case ZYDIS_MNEMONIC_LEA:
		if (w == 0 && op[1].mem.index == ZYDIS_REGISTER_NONE && gpr_of(op[1].mem.base) >= 0 &&
		    gpr_of(op[1].mem.base) != R_SP) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = (uint64_t)op[1].mem.disp.value;
			e->src = (loc_t){ (int8_t)gpr_of(op[1].mem.base), 0 };
			return;
		}
		break;
	case ZYDIS_MNEMONIC_XCHG:
		if (op[0].type == ZYDIS_OPERAND_TYPE_REGISTER && op[1].type == ZYDIS_OPERAND_TYPE_REGISTER) {
			if (same || gpr_of(op[0].reg.value) == gpr_of(op[1].reg.value)) {
				e->k = E_NONE;	/* a nop */
				return;
			}
			source(oi, p, &in, &op[w == 0 ? 1 : 0], e);
			return;
		}
		break;
	case ZYDIS_MNEMONIC_POP:
		if (w == 0) {
			e->k = E_OP;
			e->op = OP_ADD;
			e->imm = 0;
			e->src = (loc_t){ LOC_SLOT, 0 };
			return;
		}
		break;
	default:
		break;
	}
	e->k = E_UNKNOWN;
	e->why = reason("%s set by %s at %s", regname[L.reg], ZydisMnemonicGetString(m),
			describe(oi, p));
}

/* ---- the backward walk ------------------------------------------------- */

struct memo {
	uint64_t addr;
	int32_t off;
	int16_t oi;
	int8_t reg;
	uint8_t done;
	int arith;		/* arithmetic depth when the walk entered here */
	unsigned gen;		/* site that computed it */
	struct vset vs;
};

static struct memo **mtab;
static size_t mcap, mcount;
static unsigned cur_gen;
static bool *bad_gen;		/* sites that ran out of budget */
static long steps;
static int depth, arith;

static size_t mhash(int oi, uint64_t a, loc_t L)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)oi << 40) ^
		     ((uint64_t)(uint8_t)L.reg << 32) ^ (uint32_t)L.off;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h;
}

static struct memo *mlookup(int oi, uint64_t a, loc_t L, bool *created)
{
	size_t i;

	if (2 * (mcount + 1) > mcap) {
		size_t ncap = mcap ? 2 * mcap : 1 << 10;
		struct memo **n = xcalloc(ncap, sizeof *n);

		for (size_t j = 0; j < mcap; j++)
			if (mtab[j]) {
				struct memo *m = mtab[j];
				size_t k = mhash(m->oi, m->addr, (loc_t){ m->reg, m->off }) & (ncap - 1);

				while (n[k])
					k = (k + 1) & (ncap - 1);
				n[k] = m;
			}
		free(mtab);
		mtab = n;
		mcap = ncap;
	}
	for (i = mhash(oi, a, L) & (mcap - 1); mtab[i]; i = (i + 1) & (mcap - 1)) {
		struct memo *m = mtab[i];

		if (m->addr == a && m->oi == oi && m->reg == L.reg && m->off == L.off) {
			if (m->done && bad_gen[m->gen]) {
				/* computed by a walk that gave up: redo */
				vs_free(&m->vs);
				m->vs.why = -1;
				m->done = 0;
				m->gen = cur_gen;
				m->arith = arith;
				*created = true;
				return m;
			}
			*created = false;
			return m;
		}
	}
	struct memo *m = xcalloc(1, sizeof *m);

	m->addr = a;
	m->oi = (int16_t)oi;
	m->reg = L.reg;
	m->off = L.off;
	m->gen = cur_gen;
	m->arith = arith;
	m->vs.why = -1;
	mtab[i] = m;
	mcount++;
	*created = true;
	return m;
}

struct pred {
	int oi;
	uint64_t addr;
	uint8_t kind;
};

/* The places control can come to a (in object oi) from. */
static size_t preds(int oi, uint64_t a, struct pred **out, bool *entry)
{
	struct object *o = &objs[oi];
	struct pred *p = NULL;
	size_t n = 0, cap = 0;
	struct xsec *s = sec_of(o, a);
	long i = s ? insn_index(s, a) : -1;

	*entry = is_entry(o, a);
	if (!*entry && i > 0 && !(s->fl[i - 1] & IF_NOFALL)) {
		struct pred f = { oi, s->addr + s->off[i - 1], K_FALL };

		PUSH(p, n, cap, f);
	}
	struct edge key = { a, 0, 0 };
	size_t lo = 0, hi = o->nedge;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cmp_edge(&o->edge[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < o->nedge && o->edge[lo].to == a; lo++) {
		struct pred f = { oi, o->edge[lo].from, o->edge[lo].kind };

		PUSH(p, n, cap, f);
	}
	if (*entry && o->nexp) {
		/* Callers in other objects (or this one) through GOT slots. */
		struct named k2 = { a, NULL };
		struct named *e = find(&k2, o->expa, o->nexp, sizeof *o->expa, cmp_named_addr);

		while (e && e > o->expa && e[-1].addr == a)
			e--;
		for (; e && e < o->expa + o->nexp && e->addr == a; e++) {
			if (binding(e->name) != oi)
				continue;
			for (size_t j = 0; j < nobjs; j++) {
				struct object *c = &objs[j];
				struct impcall ik = { e->name, 0, 0 };
				struct impcall *ic = find(&ik, c->imp, c->nimp, sizeof *c->imp, cmp_imp);

				if (!ic)
					continue;
				while (ic > c->imp && !strcmp(ic[-1].name, e->name))
					ic--;
				for (; ic < c->imp + c->nimp && !strcmp(ic->name, e->name); ic++) {
					struct pred f = { (int)j, ic->from, ic->kind };

					PUSH(p, n, cap, f);
				}
			}
		}
	}
	*out = p;
	return n;
}

static void query(int oi, uint64_t a, loc_t L, struct vset *out);

/* Adds to out the values L has right after instruction p (effect e). */
static void apply(int oi, uint64_t p, loc_t L, const struct effect *e, struct vset *out)
{
	struct vset t = { NULL, 0, 0, -1 };

	switch (e->k) {
	case E_NONE:
		query(oi, p, e->src, out);
		return;
	case E_CONST:
		vs_add(out, e->imm & e->mask);
		return;
	case E_UNKNOWN:
		vs_unknown(out, e->why);
		return;
	case E_INIT:
		vs_add(out, e->imm & e->mask);
		vs_unknown(out, e->why);
		return;
	case E_DEAD:
		return;
	case E_CMOV:
		query(oi, p, e->src, &t);
		query(oi, p, L, &t);
		break;
	case E_OP: {
		bool ar = e->op != OP_ADD || e->imm != 0;

		arith += ar;
		query(oi, p, e->src, &t);
		arith -= ar;
		break;
	}
	}
	for (uint32_t i = 0; i < t.n; i++) {
		uint64_t v = t.v[i];

		if (e->k == E_OP)
			v = e->op == OP_ADD ? v + e->imm : e->op == OP_OR ? v | e->imm : v & e->imm;
		vs_add(out, v & e->mask);
	}
	if (t.why >= 0)
		vs_unknown(out, t.why);
	vs_free(&t);
}

/* Adds to out the values location L can hold just before instruction a of
 * object oi executes. */
static void query(int oi, uint64_t a, loc_t L, struct vset *out)
{
	if (depth >= MAX_DEPTH) {
		vs_unknown(out, reason("walk too deep at %s", describe(oi, a)));
		bad_gen[cur_gen] = true;
		return;
	}
	depth++;
	for (;;) {
		struct pred *pl;
		bool entry, created;
		size_t np;

		if (++steps > SITE_BUDGET) {
			if (!bad_gen[cur_gen])
				vs_unknown(out, reason("analysis budget exceeded at %s", describe(oi, a)));
			else
				vs_unknown(out, reason("analysis budget exceeded"));
			bad_gen[cur_gen] = true;
			break;
		}
		np = preds(oi, a, &pl, &entry);
		if (np == 1 && pl[0].kind == K_FALL) {
			struct effect e;
			uint64_t p = pl[0].addr;

			free(pl);
			effect(oi, p, L, &e);
			if (e.k == E_NONE) {
				a = p;
				L = e.src;
				continue;
			}
			apply(oi, p, L, &e, out);
			break;
		}
		/* A join (or a dead end): memoized. */
		struct memo *m = mlookup(oi, a, L, &created);

		if (!created) {
			if (m->done)
				vs_union(out, &m->vs);
			else if (arith > m->arith)
				vs_unknown(out, reason("number computed in a loop at %s", describe(oi, a)));
			free(pl);
			break;
		}
		struct vset r = { NULL, 0, 0, -1 };

		if (!np) {
			struct xsec *s = sec_of(&objs[oi], a);
			long ix = s ? insn_index(s, a) : -1;

			if (!entry && ix >= 0 && (s->fl[ix] & IF_NOP))
				;	/* alignment padding after a jump: never runs */
			else if (entry)
				vs_unknown(&r, reason("%s at the entry of %s: no callers found", loc_name(L),
						      describe(oi, a)));
			else
				vs_unknown(&r, reason("%s at %s: no known way there (indirect jump target?)",
						      loc_name(L), describe(oi, a)));
		}
		for (size_t i = 0; i < np; i++) {
			struct effect e;

			switch (pl[i].kind) {
			case K_FALL:
			case K_JUMP:
				effect(pl[i].oi, pl[i].addr, L, &e);
				apply(pl[i].oi, pl[i].addr, L, &e, &r);
				break;
			case K_CALL:
				if (L.reg == LOC_SLOT) {
					if (L.off < 8) {
						vs_unknown(&r, reason("%s at the entry of %s is the return address",
								      loc_name(L), describe(oi, a)));
						break;
					}
					query(pl[i].oi, pl[i].addr, (loc_t){ LOC_SLOT, L.off - 8 }, &r);
				} else {
					query(pl[i].oi, pl[i].addr, L, &r);
				}
				break;
			}
		}
		free(pl);
		/* m stays valid: entries are never freed or moved. */
		m->vs = r;
		m->done = 1;
		vs_union(out, &m->vs);
		break;
	}
	depth--;
}

/* ---- results ------------------------------------------------------------- */

struct site {
	int oi;
	uint64_t addr;
	struct vset vs;
	int why;		/* -1 when the number is fully known */
};

static int cmp_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	if (x->oi != y->oi)
		return x->oi - y->oi;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Every site of every object, resolved, in object and address order. */
static struct site *analyze(size_t *nsitesp)
{
	size_t nsites = 0;

	for (size_t i = 0; i < nobjs; i++)
		nsites += objs[i].nsite + objs[i].nint80;
	struct site *sites = xcalloc(nsites, sizeof *sites);

	bad_gen = xcalloc(nsites + 1, sizeof *bad_gen);
	size_t k = 0;
	for (size_t i = 0; i < nobjs; i++) {
		for (size_t j = 0; j < objs[i].nsite; j++, k++) {
			struct site *s = &sites[k];

			s->oi = (int)i;
			s->addr = objs[i].site[j];
			s->vs.why = -1;
			cur_gen = (unsigned)k + 1;
			steps = 0;
			depth = arith = 0;
			query((int)i, s->addr, (loc_t){ R_AX, 0 }, &s->vs);
			s->why = s->vs.why;
			for (uint32_t v = 0; v < s->vs.n; v++)
				if (s->vs.v[v] >= MAX_NR && s->why < 0)
					s->why = reason("computed number 0x%llx is no system call",
							(unsigned long long)s->vs.v[v]);
		}
		for (size_t j = 0; j < objs[i].nint80; j++, k++) {
			struct site *s = &sites[k];

			s->oi = (int)i;
			s->addr = objs[i].int80[j];
			s->vs.why = -1;
			s->why = reason("int 0x80: a 32-bit system call (not checked)");
		}
	}
	sort(sites, nsites, sizeof *sites, cmp_site);
	*nsitesp = nsites;
	return sites;
}

/* Frees the objects, the analysis and the sites, for another run. */
static void free_all(struct site *sites, size_t nsites)
{
	for (size_t i = 0; i < nsites; i++)
		vs_free(&sites[i].vs);
	free(sites);
	for (size_t i = 0; i < nobjs; i++)
		free_object(&objs[i]);
	free(objs);
	objs = NULL;
	nobjs = 0;
	for (size_t i = 0; i < mcap; i++)
		if (mtab[i]) {
			vs_free(&mtab[i]->vs);
			free(mtab[i]);
		}
	free(mtab);
	mtab = NULL;
	mcap = mcount = 0;
	for (size_t i = 0; i < nreasons; i++)
		free(reasons[i]);
	free(reasons);
	reasons = NULL;
	nreasons = cap_reasons = 0;
	free(bad_gen);
	bad_gen = NULL;
}

#ifndef ELFCOMPAT_NO_MAIN
/* ---- system call names and the provided list ---------------------------- */

static char *nr_name[MAX_NR];
static bool provided[MAX_NR];

static void load_names(void)
{
	FILE *f = fopen(UNISTD_H, "r");
	char line[256], name[128];
	int nr;

	if (!f)
		return;		/* numbers only */
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "#define __NR_%127s %d", name, &nr) == 2 && nr >= 0 && nr < MAX_NR &&
		    !nr_name[nr])
			nr_name[nr] = xstrdup(name);
	fclose(f);
}

static const char *nrname(unsigned nr)
{
	return nr < MAX_NR && nr_name[nr] ? nr_name[nr] : "?";
}

static int load_provided(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int n = 0;

	if (!f) {
		fprintf(stderr, "elfcompat: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *dash = strrchr(line, '-'), *end;
		long nr;

		if (!dash)
			continue;
		nr = strtol(dash + 1, &end, 10);
		if (end == dash + 1 || (*end && *end != '\n') || nr < 0 || nr >= MAX_NR) {
			fprintf(stderr, "elfcompat: %s: bad line: %s", path, line);
			fclose(f);
			return -1;
		}
		provided[nr] = true;
		n++;
	}
	fclose(f);
	return n;
}

/* ---- the closure, through ldwalk ---------------------------------------- */

static char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = 0;
	*strrchr(buf, '/') = 0;
	return xstrdup(buf);
}

/* Runs ldwalk on prog; fills paths with the ELF files of the closure. */
static int walk_closure(const char *prog, char ***paths, size_t *npaths)
{
	const char *ldwalk = getenv("LDWALK");
	char *dir = self_dir(), *tool = NULL;
	int fds[2], st;
	pid_t pid;
	FILE *f;
	char *line = NULL;
	size_t lcap = 0, cap = 0;
	ssize_t len;

	if (!ldwalk) {
		if (!dir || asprintf(&tool, "%s/ldwalk", dir) < 0) {
			fprintf(stderr, "elfcompat: cannot locate ldwalk\n");
			return -1;
		}
		ldwalk = tool;
	}
	if (access(ldwalk, X_OK) != 0) {
		fprintf(stderr, "elfcompat: %s: %s (build it with `make tools`, set LDWALK, or use -n)\n",
			ldwalk, strerror(errno));
		return -1;
	}
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(ldwalk, "ldwalk", prog, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while ((len = getline(&line, &lcap, f)) > 0) {
		char *sp;

		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = 0;
		if (!strcmp(line, "exe") || !strcmp(line, "interp") || !strcmp(line, "lib") ||
		    !strcmp(line, "libconf")) {
			char *p = xstrdup(sp + 1);

			PUSH(*paths, *npaths, cap, p);
		}
	}
	free(line);
	fclose(f);
	free(tool);
	free(dir);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "elfcompat: %s: the library walk failed (see above)\n", prog);
		return -1;
	}
	return 0;
}

/* The default list: <build>/obj/syscalls.checked for the build this tool
 * sits in (<build>/tools/elfcompat), made with `make` when missing. */
static char *default_list(void)
{
	char *dir = self_dir(), *build, *list, *top, *mk, *cmd;
	char *slash;
	int rc;

	if (!dir)
		return NULL;
	slash = strrchr(dir, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	build = dir;
	if (asprintf(&list, "%s/obj/syscalls.checked", build) < 0)
		return NULL;
	if (access(list, R_OK) == 0)
		return list;
	top = xstrdup(build);
	slash = strrchr(top, '/');
	if (slash)
		*slash = 0;
	if (asprintf(&mk, "%s/scripts/check-syscalls.sh", top) < 0 || access(mk, R_OK) != 0)
		return list;
	fprintf(stderr, "elfcompat: %s missing; making it\n", list);
	if (asprintf(&cmd, "make -s -C '%s' BUILD='%s' '%s' >&2", top, build, list) < 0)
		return list;
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "elfcompat: make failed\n");
	return list;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: elfcompat [-q] [--all-sites] [-k LISTFILE] BINARY\n"
		"       elfcompat [-q] [--all-sites] [-k LISTFILE] -n ELF-FILE...\n"
		"Finds the system call numbers BINARY and its shared-library closure (from\n"
		"ldwalk) load before their syscall instructions, and checks them against\n"
		"the unikernel's provided system calls.\n"
		"  -k LISTFILE  provided calls, one name-number a line (default: the\n"
		"               build's obj/syscalls.checked next to this tool)\n"
		"  -n           no closure walk: check exactly the files named\n"
		"  -q           print only the missing calls (and a count of unresolved sites)\n"
		"  -a, --all-sites  list every site of every number\n"
		"Exit status: 0 nothing missing, 1 something missing, 2 usage or ELF error.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "all-sites", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *list = NULL;
	bool quiet = false, all_sites = false, no_closure = false;
	char **paths = NULL;
	size_t npaths = 0, cap_paths = 0;
	int c;

	while ((c = getopt_long(argc, argv, "ak:nqh", lopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all_sites = true;
			break;
		case 'k':
			list = optarg;
			break;
		case 'n':
			no_closure = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || (!no_closure && argc - optind != 1))
		usage();
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "elfcompat: libelf: %s\n", elf_errmsg(-1));
		return 2;
	}
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
		return 2;
	if (!list && !(list = default_list())) {
		fprintf(stderr, "elfcompat: no list of provided system calls (use -k)\n");
		return 2;
	}
	if (load_provided(list) < 0)
		return 2;
	load_names();

	if (no_closure) {
		for (int i = optind; i < argc; i++)
			PUSH(paths, npaths, cap_paths, argv[i]);
	} else {
		struct stat sb;

		if (stat(argv[optind], &sb) != 0) {
			fprintf(stderr, "elfcompat: %s: %s\n", argv[optind], strerror(errno));
			return 2;
		}
		if (walk_closure(argv[optind], &paths, &npaths) != 0)
			return 2;
	}
	for (size_t i = 0; i < npaths; i++) {
		bool dup = false;
		char *rp = realpath(paths[i], NULL);

		for (size_t j = 0; rp && j < nobjs; j++) {
			char *rq = realpath(objs[j].path, NULL);

			dup |= rq && !strcmp(rp, rq);
			free(rq);
		}
		free(rp);
		if (!dup && load_object(paths[i]) < 0)
			return 2;
	}

	size_t nsites;
	struct site *sites = analyze(&nsites);

	/* Per number. */
	unsigned count[MAX_NR] = { 0 };
	size_t nunres = 0, nnums = 0, nmissing = 0;

	for (size_t i = 0; i < nsites; i++) {
		for (uint32_t v = 0; v < sites[i].vs.n; v++)
			if (sites[i].vs.v[v] < MAX_NR)
				count[sites[i].vs.v[v]]++;
		nunres += sites[i].why >= 0;
	}
	for (unsigned nr = 0; nr < MAX_NR; nr++) {
		if (!count[nr])
			continue;
		nnums++;
		nmissing += !provided[nr];
		if (quiet && provided[nr])
			continue;
		printf("%-9s %3u %s", provided[nr] ? "provided" : "MISSING", nr, nrname(nr));
		if (!provided[nr] || all_sites)
			printf(" (%u site%s)", count[nr], count[nr] == 1 ? "" : "s");
		printf("\n");
		if (!all_sites)
			continue;
		for (size_t i = 0; i < nsites; i++)
			for (uint32_t v = 0; v < sites[i].vs.n; v++)
				if (sites[i].vs.v[v] == nr)
					printf("    %s%s\n", describe(sites[i].oi, sites[i].addr),
					       sites[i].why >= 0 ? " (also unresolved)" : "");
	}
	if (quiet) {
		if (nunres)
			printf("%zu syscall site%s with a number not determined (run elfcompat without -q to list them)\n",
			       nunres, nunres == 1 ? "" : "s");
	} else {
		for (size_t i = 0; i < nsites; i++) {
			struct site *s = &sites[i];

			if (s->why < 0)
				continue;
			printf("unresolved %s: %s", describe(s->oi, s->addr), reasons[s->why]);
			if (s->vs.n) {
				printf(" (known values:");
				for (uint32_t v = 0; v < s->vs.n; v++)
					printf(" %llu", (unsigned long long)s->vs.v[v]);
				printf(")");
			}
			printf("\n");
		}
		printf("%zu files, %zu syscall sites (%zu unresolved): %zu system calls, %zu provided, %zu missing\n",
		       nobjs, nsites, nunres, nnums, nnums - nmissing, nmissing);
	}
	free_all(sites, nsites);
	for (size_t i = 0; i < npaths && !no_closure; i++)
		free(paths[i]);
	free(paths);
	return nmissing ? 1 : 0;
}
#endif /* ELFCOMPAT_NO_MAIN */
