/* The extra part of a crash report, after the registers: where rip is (the
 * nearest symbol in the ELF symbol table of the program or library that
 * holds it), the instructions around rip disassembled (lib/zydis), and the
 * program's frame-pointer chain.
 *
 * The symbols come from the ELF file itself, read through the VFS: a
 * library that ld.so mapped has its file on the VMA, while the program's
 * own segments are anonymous (the loader copies them in), so for those the
 * program's path and load bias come from lib/process. Program memory is
 * read where a VMA allows it, through the user-memory helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/uaccess.h>
#if CONFIG_LIBLIBELF
#include <gelf.h>
#endif
#if CONFIG_LIBZYDIS
#include <uk/disasm.h>
#endif
#include "signal_internal.h"

/* How many bytes from a are readable program memory (at most len). */
static unsigned long readable_len(unsigned long a, unsigned long len)
{
	unsigned long end = a + len, p = a;
	if (a >= USER_TOP || end > USER_TOP || end < a)
		return 0;
	while (p < end) {
		struct uk_vma *v = uk_mm_find(p);
		if (!v || !(v->prot & (PROT_READ | PROT_EXEC)))
			break;
		unsigned long vend = v->end;
		/* A shared file mapping has no page past the file's end. */
		if (v->shared && v->file && v->file->vn) {
			unsigned long fend = v->start + ((unsigned long)v->file->vn->size > v->pgoff ?
				(unsigned long)v->file->vn->size - v->pgoff : 0);
			if (fend < vend)
				vend = fend;
			if (p >= vend)
				break;
		}
		p = vend;
	}
	return (p < end ? p : end) - a;
}

/* --- symbols ------------------------------------------------------------ */

struct sym {
	const char *path;	/* the object's file, "" if unknown */
	unsigned long bias;	/* the object's load bias */
	char name[96];		/* "" if no symbol */
	unsigned long start;	/* the symbol's run-time address */
	unsigned long size;	/* 0: unknown extent */
};

/* Whether s covers address a: inside its extent, or anywhere past its
 * start when its size is unknown. */
static int covers(const struct sym *s, unsigned long a)
{
	return s->name[0] && a >= s->start &&
	       (!s->size || a - s->start < s->size);
}

#if CONFIG_LIBLIBELF
/* An ELF object read from the VFS, with the bias its addresses get. */
struct object {
	void *key;		/* the vnode: one load per file */
	const char *path;
	char *image;
	Elf *elf;
	unsigned long bias;
};

#define MAX_OBJECTS 4
static struct object objects[MAX_OBJECTS];
static int nobjects;

static int read_elf(struct uk_file *f, struct object *o)
{
	if (!f->vn || !S_ISREG(f->vn->mode) || f->vn->size < 64)
		return -1;
	size_t size = f->vn->size;
	o->image = malloc(size);
	if (!o->image)
		return -1;
	if (uk_file_read(f, o->image, size, 0, 0) != (ssize_t)size)
		goto fail;
	elf_version(EV_CURRENT);
	o->elf = elf_memory(o->image, size);
	if (!o->elf || elf_kind(o->elf) != ELF_K_ELF ||
	    gelf_getclass(o->elf) != ELFCLASS64) {
		if (o->elf)
			elf_end(o->elf);
		goto fail;
	}
	return 0;
fail:
	free(o->image);
	o->image = NULL;
	o->elf = NULL;
	return -1;
}

/* The PT_LOAD of o that holds file offset off (vaddr 0: any); 0 if none. */
static int find_load(Elf *elf, unsigned long off, unsigned long vaddr,
		     GElf_Phdr *out)
{
	size_t n;
	if (elf_getphdrnum(elf, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr ? vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_memsz
			  : off >= (ph.p_offset & ~(PAGE_SIZE - 1)) &&
			    off < ph.p_offset + ph.p_filesz) {
			*out = ph;
			return 1;
		}
	}
	return 0;
}

/* The object that holds address a, loaded (and kept for the rest of the
 * report) on first use; NULL if none can be read. */
static struct object *object_at(unsigned long a)
{
	struct uk_vma *v = uk_mm_find(a);
	if (!v)
		return NULL;
	/* A file mapping (a library ld.so mapped) names its file; anonymous
	 * memory may be the program's own image (key NULL). */
	void *key = v->file ? (void *)v->file->vn : NULL;
	struct object *o = NULL;
	for (int i = 0; i < nobjects && !o; i++)
		if (objects[i].key == key)
			o = &objects[i];
	if (!o) {
		if (nobjects == MAX_OBJECTS)
			return NULL;
		o = &objects[nobjects++];
		memset(o, 0, sizeof(*o));
		o->key = key;
		if (v->file) {
			o->path = v->file->path ? v->file->path : "";
			read_elf(v->file, o);
		} else {
			struct uk_file *f;
			o->path = uk_process_exe();
			if (o->path && *o->path &&
			    !uk_vfs_open(AT_FDCWD, o->path, O_RDONLY, 0, &f)) {
				read_elf(f, o);
				uk_file_put(f);
			}
		}
	}
	if (!o->elf)
		return NULL;
	GElf_Phdr ph;
	if (v->file) {
		if (!find_load(o->elf, v->pgoff, 0, &ph))
			return NULL;
		o->bias = v->start - v->pgoff - (ph.p_vaddr - ph.p_offset);
	} else {
		o->bias = uk_process_image_base();
	}
	/* The address must be inside one of the object's segments. */
	if (!find_load(o->elf, 0, a - o->bias, &ph))
		return NULL;
	return o;
}

/* Which sections hold code (libelf's subset here has no elf_getscn):
 * a malloc'ed array indexed by section number, or NULL. */
static unsigned char *exec_sections(Elf *elf, size_t *n)
{
	if (elf_getshdrnum(elf, n) || !*n)
		return NULL;
	unsigned char *x = calloc(*n, 1);
	if (!x)
		return NULL;
	Elf_Scn *scn = NULL;
	for (size_t i = 1; i < *n && (scn = elf_nextscn(elf, scn)); i++) {
		GElf_Shdr sh;
		x[i] = gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR);
	}
	return x;
}

/* The nearest code symbol at or below a (in .symtab and .dynsym),
 * preferring one whose extent holds a. */
static int lookup(unsigned long a, struct sym *s)
{
	struct object *o = object_at(a);
	if (!o)
		return 0;
	s->path = o->path;
	s->bias = o->bias;
	size_t nsec;
	unsigned char *exec = exec_sections(o->elf, &nsec);
	unsigned long fa = a - o->bias, best = 0, best_size = 0;
	int found = 0, best_holds = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(o->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(d, (int)i, &sym) || !sym.st_name ||
			    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
			    !sym.st_value || sym.st_value > fa)
				continue;
			int type = GELF_ST_TYPE(sym.st_info);
			if (type != STT_FUNC && type != STT_GNU_IFUNC &&
			    !(type == STT_NOTYPE && exec && sym.st_shndx < nsec &&
			      exec[sym.st_shndx]))
				continue;
			int holds = fa < sym.st_value + sym.st_size;
			if (found && (holds < best_holds ||
				      (holds == best_holds && sym.st_value <= best)))
				continue;
			const char *name = elf_strptr(o->elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			found = 1;
			best = sym.st_value;
			best_size = sym.st_size;
			best_holds = holds;
			strncpy(s->name, name, sizeof(s->name) - 1);
			s->name[sizeof(s->name) - 1] = '\0';
		}
	}
	free(exec);
	if (found) {
		s->start = best + o->bias;
		s->size = best_size;
	}
	return found;
}

static void forget_objects(void)
{
	for (int i = 0; i < nobjects; i++) {
		if (objects[i].elf)
			elf_end(objects[i].elf);
		free(objects[i].image);
	}
	nobjects = 0;
}
#else
static int lookup(unsigned long a, struct sym *s)
{
	(void)a, (void)s;
	return 0;
}

static void forget_objects(void)
{
}
#endif

/* " in main+0x10 (/bin/prog)" for address a; in an object's file but
 * past the extent of the nearest symbol below (a stripped library),
 * " in /lib/libc.so.6+0x17e219 (after strrchr+0x41d9)" with the file's own
 * address; "" when no ELF object holds a. */
static void print_where(unsigned long a, struct sym *s)
{
	memset(s, 0, sizeof(*s));
	s->path = "";
	int found = lookup(a, s);
	if (found && covers(s, a)) {
		printf(" in %s+0x%lx (%s)", s->name, a - s->start, s->path);
	} else if (*s->path) {
		printf(" in %s+0x%lx", s->path, a - s->bias);
		if (found)
			printf(" (after %s+0x%lx)", s->name, a - s->start);
		s->name[0] = '\0';
	}
}

/* --- disassembly -------------------------------------------------------- */

#if CONFIG_LIBZYDIS
#define BEFORE_MAX 4096	/* decoded from a symbol's start, at most this far */
#define AFTER 64		/* bytes decoded from rip on */
#define NBEFORE 3
#define NAFTER 3

static unsigned char code[BEFORE_MAX + AFTER];

/* Whether s names address a in a listing: inside its extent, or at its
 * start when its size is unknown. */
static int names(const struct sym *s, unsigned long a)
{
	return s->name[0] && a >= s->start &&
	       (s->size ? a - s->start < s->size : a == s->start);
}

/* One line "  => 0x... <sym+off>: insn <target>", with the symbol of the
 * line kept in *cur between lines. */
static void print_insn(const unsigned char *bytes, unsigned long avail,
		       unsigned long a, struct sym *cur, int mark)
{
	char text[128];
	unsigned long target;
	int n = uk_disasm(bytes, avail, a, text, sizeof(text), &target);
	if (!n)
		snprintf(text, sizeof(text), "(bad) %02x", bytes[0]);
	if (!names(cur, a)) {
		struct sym s = { .path = "" };
		if (lookup(a, &s))
			*cur = s;
	}
	printf("  %s 0x%lx", mark ? "=>" : "  ", a);
	if (names(cur, a))
		printf(" <%s+%lu>", cur->name, a - cur->start);
	printf(": %s", text);
	struct sym t = { .path = "" };
	if (target && lookup(target, &t) && names(&t, target)) {
		if (target == t.start)
			printf(" <%s>", t.name);
		else
			printf(" <%s+%lu>", t.name, target - t.start);
	}
	printf("\n");
}

static void disassemble(unsigned long rip, const struct sym *s)
{
	char text[128];
	unsigned long start = rip;
	if (s->name[0] && s->start <= rip && rip - s->start <= BEFORE_MAX &&
	    readable_len(s->start, rip - s->start) == rip - s->start)
		start = s->start;
	unsigned long len = readable_len(start, rip - start + AFTER);
	if (len <= rip - start || uk_copy_from_user(code, (const void *)start, len)) {
		printf("no code at rip 0x%lx (not mapped)\n", rip);
		return;
	}

	/* Instruction boundaries up to rip: decoding from a symbol's start
	 * stays in step; if it does not land on rip, the lines before rip
	 * are left out rather than shown wrong. */
	unsigned long prev[NBEFORE];
	int nprev = 0;
	unsigned long a = start;
	while (a < rip) {
		int n = uk_disasm(code + (a - start), len - (a - start), a, text,
				  sizeof(text), NULL);
		prev[nprev % NBEFORE] = a;
		nprev++;
		a += n ? n : 1;
	}
	if (a != rip)
		nprev = 0;
	struct sym cur = *s;
	printf("code:\n");
	for (int i = nprev > NBEFORE ? nprev - NBEFORE : 0; i < nprev; i++) {
		unsigned long p = prev[i % NBEFORE];
		print_insn(code + (p - start), len - (p - start), p, &cur, 0);
	}
	a = rip;
	for (int i = 0; i <= NAFTER && a < start + len; i++) {
		int n = uk_disasm(code + (a - start), start + len - a, a, text,
				  sizeof(text), NULL);
		print_insn(code + (a - start), start + len - a, a, &cur, a == rip);
		if (!n)
			break;
		a += n;
	}
}
#else
static void disassemble(unsigned long rip, const struct sym *s)
{
	(void)s;
	unsigned char p[16];
	unsigned long len = readable_len(rip, sizeof(p));
	if (!len || uk_copy_from_user(p, (const void *)rip, len))
		return;
	printf("code at rip:");
	for (unsigned long i = 0; i < len; i++)
		printf(" %02x", p[i]);
	printf("\n");
}
#endif

void uk_crash_report_extra(struct __regs *r)
{
	struct sym s;
	unsigned long rip = r->rip, sp = r->rsp, bp = r->rbp;
	printf("rip 0x%lx", rip);
	print_where(rip, &s);
	printf("\n");
	if (readable_len(rip, 1)) {
		disassemble(rip, &s);
	} else {
		/* A call through a bad pointer: the caller is at [rsp]. */
		printf("no code at rip 0x%lx (not mapped)\n", rip);
		unsigned long ret;
		if (readable_len(sp, 8) == 8 && !uk_get_user(ret, (unsigned long *)sp) &&
		    ret && readable_len(ret, 1)) {
			printf("return address at [rsp]: 0x%lx", ret);
			print_where(ret, &s);
			printf("\n");
		}
	}

	/* The frame-pointer chain, as far as it stays on the stack rsp is on
	 * and goes up it (code built without frame pointers ends it early). */
	struct uk_vma *stack = sp < USER_TOP ? uk_mm_find(sp) : NULL;
	printf("program frames:\n  #0 0x%lx", rip);
	print_where(rip, &s);
	printf("\n");
	unsigned long frame[2];		/* saved rbp, return address */
	for (int depth = 1; depth < 16 && stack && bp >= sp && !(bp & 7) &&
	     bp + 16 <= stack->end && readable_len(bp, 16) == 16 &&
	     !uk_copy_from_user(frame, (const void *)bp, sizeof(frame)); depth++) {
		unsigned long ret = frame[1];
		if (!ret || ret >= USER_TOP)
			break;
		printf("  #%d 0x%lx", depth, ret);
		print_where(ret, &s);
		printf("\n");
		sp = bp + 16;
		bp = frame[0];
	}
	forget_objects();
}
