/* Host unit tests for uk_elf_validate(): real binaries must pass with sensible
 * info, every malformed variant (in memory and mkbad's files) must fail with
 * its expected message. Prints "ok - ..." / "not ok - ..." lines.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/elf_validate.h>
#include "mkbad.h"

static int passed, failed;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

static unsigned char *read_file(const char *path, size_t *lenp)
{
	unsigned char *b = NULL, *nb;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(b, cap);
			if (nb == NULL) {
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
		}
		n = fread(b + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	*lenp = len;
	return b;
}

/* Raw (not libelf) view of a good input, to compare info against. */
static const Elf64_Ehdr *EH(const unsigned char *b)
{
	return (const Elf64_Ehdr *)b;
}

static const Elf64_Phdr *PH(const unsigned char *b, int i)
{
	return (const Elf64_Phdr *)(b + EH(b)->e_phoff) + i;
}

static int find(const unsigned char *b, uint32_t type, int n)
{
	for (int i = 0; i < EH(b)->e_phnum; i++)
		if (PH(b, i)->p_type == type && n-- == 0)
			return i;
	return -1;
}

/* Runs the validator on a copy (so reads past len trip ASan). */
static int run(const unsigned char *b, size_t len, struct uk_elf_info *info,
	       char *err, size_t errlen)
{
	unsigned char *copy = xmalloc(len);
	int rc;

	memcpy(copy, b, len);
	rc = uk_elf_validate(copy, len, info, err, errlen);
	/* interp points into the copy; re-point it into b for the caller. */
	if (rc == 0 && info != NULL && info->interp != NULL)
		info->interp = (const char *)b +
			       (info->interp - (const char *)copy);
	free(copy);
	return rc;
}

static void expect_fail(const char *what, const unsigned char *b, size_t len,
			const char *expect)
{
	char err[256];
	int rc = run(b, len, NULL, err, sizeof(err));

	if (rc == -ENOEXEC && strstr(err, expect) != NULL)
		check(1, "%s: \"%s\"", what, err);
	else
		check(0, "%s: expected -ENOEXEC \"%s\", got rc %d \"%s\"",
		      what, expect, rc, rc ? err : "");
}

static void expect_ok(const char *what, const unsigned char *b, size_t len)
{
	char err[256];
	int rc = run(b, len, NULL, err, sizeof(err));

	check(rc == 0, "%s: accepted%s%s", what, rc ? ", got " : "",
	      rc ? err : "");
}

/* Largest file offset any checked header points to, for truncation tests. */
static size_t needed_len(const unsigned char *b)
{
	size_t need = EH(b)->e_phoff + EH(b)->e_phnum * sizeof(Elf64_Phdr);

	for (int i = 0; i < EH(b)->e_phnum; i++) {
		const Elf64_Phdr *p = PH(b, i);

		if ((p->p_type == PT_LOAD || p->p_type == PT_INTERP ||
		     p->p_type == PT_TLS) &&
		    p->p_offset + p->p_filesz > need)
			need = p->p_offset + p->p_filesz;
	}
	return need;
}

static void test_good(const char *label, const unsigned char *b, size_t len)
{
	struct uk_elf_info in;
	char err[256] = "";
	int rc, i, n, is_exec = strstr(label, "-static-pie") == NULL &&
				strstr(label, "-static") != NULL;
	int dynamic = strstr(label, "-dynamic") != NULL;
	const char *want_interp = NULL;
	uint64_t want_phdr = 0, lo, hi;

	if (dynamic)
		want_interp = strncmp(label, "musl", 4) == 0 ?
			      "/lib/ld-musl-x86_64.so.1" :
			      "/lib64/ld-linux-x86-64.so.2";
	rc = run(b, len, &in, err, sizeof(err));
	check(rc == 0 && err[0] == '\0', "%s: accepted (rc %d%s%s)", label,
	      rc, rc ? ", " : "", err);
	if (rc != 0)
		return;
	check(in.type == (is_exec ? ET_EXEC : ET_DYN), "%s: type %s", label,
	      is_exec ? "ET_EXEC" : "ET_DYN");
	check(in.entry == EH(b)->e_entry, "%s: entry 0x%llx", label,
	      (unsigned long long)in.entry);
	check(in.phoff == EH(b)->e_phoff && in.phnum == EH(b)->e_phnum &&
	      in.phentsize == sizeof(Elf64_Phdr),
	      "%s: phoff %llu phnum %u phentsize %u", label,
	      (unsigned long long)in.phoff, in.phnum, in.phentsize);
	for (n = 0; find(b, PT_LOAD, n) >= 0; n++)
		;
	check(in.nload == n && n >= 2, "%s: nload %d", label, in.nload);
	lo = PH(b, find(b, PT_LOAD, 0))->p_vaddr & ~0xfffULL;
	i = find(b, PT_LOAD, n - 1);
	hi = (PH(b, i)->p_vaddr + PH(b, i)->p_memsz + 0xfff) & ~0xfffULL;
	check(in.vaddr_min == lo && in.vaddr_max == hi &&
	      in.vaddr_min <= in.entry && in.entry < in.vaddr_max,
	      "%s: vaddr 0x%llx-0x%llx", label,
	      (unsigned long long)in.vaddr_min,
	      (unsigned long long)in.vaddr_max);
	if (is_exec)
		check(in.vaddr_min == 0x400000, "%s: ET_EXEC linked at 0x400000",
		      label);
	else
		check(in.vaddr_min == 0, "%s: ET_DYN linked at 0", label);
	i = find(b, PT_PHDR, 0);
	if (i >= 0)
		want_phdr = PH(b, i)->p_vaddr;
	else /* glibc and musl map the headers with the first PT_LOAD */
		want_phdr = PH(b, find(b, PT_LOAD, 0))->p_vaddr +
			    EH(b)->e_phoff - PH(b, find(b, PT_LOAD, 0))->p_offset;
	check(in.phdr_vaddr == want_phdr && in.phdr_vaddr != 0,
	      "%s: phdr_vaddr 0x%llx", label,
	      (unsigned long long)in.phdr_vaddr);
	if (want_interp != NULL)
		check(in.interp != NULL && strcmp(in.interp, want_interp) == 0,
		      "%s: interp \"%s\"", label,
		      in.interp ? in.interp : "(null)");
	else
		check(in.interp == NULL, "%s: no interp", label);
	check(in.exec_stack == 0, "%s: non-executable stack", label);
	i = find(b, PT_TLS, 0);
	check(i >= 0 && in.tls_memsz == PH(b, i)->p_memsz &&
	      in.tls_memsz > 0 && in.tls_align == PH(b, i)->p_align,
	      "%s: PT_TLS memsz %llu align %llu", label,
	      (unsigned long long)in.tls_memsz,
	      (unsigned long long)in.tls_align);
	check(in.max_align >= 4096 && (in.max_align & (in.max_align - 1)) == 0,
	      "%s: max_align 0x%llx", label,
	      (unsigned long long)in.max_align);
}

/* Valid edge cases derived from a good input. */
static void test_good_variants(const char *label, const unsigned char *b,
			       size_t len)
{
	unsigned char *m = xmalloc(len + 4096 + 1);
	size_t need = needed_len(b);
	char what[160], err[16];
	struct uk_elf_info in;
	int i, rc;

	/* Section headers are not needed: cut right after the last segment. */
	snprintf(what, sizeof(what), "%s: truncated to the last segment end",
		 label);
	expect_ok(what, b, need);
	snprintf(what, sizeof(what), "%s: one byte short of it", label);
	expect_fail(what, b, need - 1, "the end of the file");
	/* Trailing junk is harmless. */
	memcpy(m, b, len);
	memset(m + len, 0xa5, 4096);
	snprintf(what, sizeof(what), "%s: 4 KiB of trailing junk", label);
	expect_ok(what, m, len + 4096);
	/* libelf copes with a buffer that is not 8-byte aligned. */
	memcpy(m + 1, b, len);
	rc = uk_elf_validate(m + 1, len, &in, NULL, 0);
	check(rc == 0, "%s: unaligned buffer accepted (rc %d)", label, rc);
	/* NULL info and err are allowed; small err buffers are truncated. */
	memcpy(m, b, len);
	m[EI_CLASS] = ELFCLASS32;
	rc = uk_elf_validate(m, len, NULL, NULL, 0);
	check(rc == -ENOEXEC, "%s: NULL info/err rejected (rc %d)", label, rc);
	memset(err, 'x', sizeof(err));
	rc = uk_elf_validate(m, len, NULL, err, 8);
	check(rc == -ENOEXEC && strlen(err) == 7 && err[8] == 'x',
	      "%s: message truncated to errlen", label);
	/* An executable stack is reported. */
	memcpy(m, b, len);
	i = find(m, PT_GNU_STACK, 0);
	if (i >= 0) {
		((Elf64_Phdr *)PH(m, i))->p_flags |= PF_X;
		rc = uk_elf_validate(m, len, &in, NULL, 0);
		check(rc == 0 && in.exec_stack == 1,
		      "%s: PF_X PT_GNU_STACK gives exec_stack", label);
	}
	free(m);
}

/* Defects not covered by the mkbad table. */
static void test_more_bad(const char *label, const unsigned char *b,
			  size_t len)
{
	unsigned char *m = xmalloc(len);
	Elf64_Ehdr *e = (Elf64_Ehdr *)m;
	Elf64_Phdr *p;
	char what[160];
	int i, last;

#define BAD(name, mutate, expect)					\
	do {								\
		memcpy(m, b, len);					\
		mutate;							\
		snprintf(what, sizeof(what), "%s: %s", label, name);	\
		expect_fail(what, m, len, expect);			\
	} while (0)

	for (last = 0; find(b, PT_LOAD, last + 1) >= 0; last++)
		;
	BAD("EI_CLASS 7", m[EI_CLASS] = 7,
	    "e_ident[EI_CLASS]: 7 is not ELFCLASS64");
	BAD("EI_DATA 0", m[EI_DATA] = 0, "e_ident[EI_DATA]: 0 is not");
	BAD("e_version 0", e->e_version = 0, "e_version: 0 is not EV_CURRENT");
	BAD("e_type 7", e->e_type = 7, "e_type: 7 is not ET_EXEC or ET_DYN");
	BAD("e_type ET_NONE", e->e_type = ET_NONE,
	    "e_type: ET_NONE is not an executable");
	BAD("e_phoff past EOF", e->e_phoff = len - 8,
	    "e_phoff+e_phnum*e_phentsize: program headers run past");
	BAD("e_phoff overflow", e->e_phoff = UINT64_MAX - 8,
	    "program headers run past the end of the file");
	snprintf(what, sizeof(what), "%s: 1-byte file", label);
	expect_fail(what, b, 1, "bad magic");
	snprintf(what, sizeof(what), "%s: 15-byte file", label);
	expect_fail(what, b, 15, "e_ident: truncated");
	snprintf(what, sizeof(what), "%s: 63-byte file", label);
	expect_fail(what, b, 63, "ELF header truncated");
	BAD("PT_LOAD p_align 2^40",
	    ((Elf64_Phdr *)PH(m, find(m, PT_LOAD, 0)))->p_align = 1ULL << 40,
	    "p_align 0x10000000000 larger than");
	BAD("PT_LOAD p_vaddr+p_memsz rounding overflows",
	    p = (Elf64_Phdr *)PH(m, find(m, PT_LOAD, last));
	    p->p_memsz = UINT64_MAX - p->p_vaddr - 10,
	    "p_vaddr+p_memsz overflows");
	BAD("ET_DYN span beyond user space",
	    p = (Elf64_Phdr *)PH(m, find(m, PT_LOAD, last));
	    p->p_vaddr += 0x900000000000ULL; p->p_paddr = p->p_vaddr;
	    e->e_type = ET_DYN,
	    "does not fit in user space");
	BAD("PT_INTERP longer than PATH_MAX",
	    i = find(m, PT_INTERP, 0) >= 0 ? find(m, PT_INTERP, 0) :
		find(m, PT_GNU_STACK, 0);
	    p = (Elf64_Phdr *)PH(m, i); p->p_type = PT_INTERP;
	    p->p_offset = 0x1000; p->p_filesz = 5000; m[0x1000] = '/',
	    "longer than PATH_MAX");
	i = find(b, PT_TLS, 0);
	if (i >= 0) {
		BAD("PT_TLS p_filesz > p_memsz",
		    p = (Elf64_Phdr *)PH(m, i); p->p_filesz = p->p_memsz + 1,
		    "PT_TLS: p_filesz > p_memsz");
		BAD("PT_TLS p_align 24",
		    ((Elf64_Phdr *)PH(m, i))->p_align = 24,
		    "PT_TLS: p_align not a power of two");
		BAD("PT_TLS outside the file",
		    ((Elf64_Phdr *)PH(m, i))->p_offset = len,
		    "PT_TLS: p_offset+p_filesz outside the file");
		BAD("PT_TLS p_vaddr+p_memsz overflows",
		    ((Elf64_Phdr *)PH(m, i))->p_vaddr = UINT64_MAX,
		    "PT_TLS: p_vaddr+p_memsz overflows");
	}
#undef BAD
	free(m);
}

/* Every mkbad variant, made in memory from this input. */
static void test_variants(const char *label, const unsigned char *b,
			  size_t len)
{
	unsigned char *m = xmalloc(len + 1);
	char what[160];

	for (size_t v = 0; v < mkbad_nvariants; v++) {
		const struct mkbad_variant *mv = &mkbad_variants[v];
		struct mkbad_img img = { m, len };

		memcpy(m, b, len);
		snprintf(what, sizeof(what), "%s: %s", label, mv->name);
		if (mv->make(&img) != 0) {
			check(0, "%s: mkbad cannot make this variant", what);
			continue;
		}
		expect_fail(what, img.b, img.len, mv->expect);
	}
	free(m);
}

/* Every prefix of a small binary: accepted exactly when long enough. */
static void test_prefixes(const char *label, const unsigned char *b,
			  size_t len)
{
	size_t need = needed_len(b), bad = 0, first_bad = 0;
	char err[256];

	for (size_t l = 0; l <= len; l++) {
		int rc = run(b, l, NULL, err, sizeof(err));
		int ok = l >= need ? rc == 0 :
			 rc == -ENOEXEC && err[0] != '\0';

		if (!ok && bad++ == 0)
			first_bad = l;
	}
	check(bad == 0, "%s: all %llu prefixes, accepted iff >= %llu bytes "
	      "(%llu wrong, first at %llu)", label, (unsigned long long)len + 1,
	      (unsigned long long)need, (unsigned long long)bad,
	      (unsigned long long)first_bad);
}

/* The files mkbad wrote: each must be rejected with its .expect text. */
static void test_bad_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096], expect[256];
	unsigned char *b, *x;
	size_t len, xlen;
	int count = 0;

	if (d == NULL) {
		check(0, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (nl < 8 || strcmp(de->d_name + nl - 7, ".expect") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		x = read_file(path, &xlen);
		while (x != NULL && xlen > 0 &&
		       (x[xlen - 1] == '\n' || x[xlen - 1] == '\r'))
			xlen--;
		path[strlen(path) - 7] = '\0';
		b = read_file(path, &len);
		if (x == NULL || b == NULL || xlen == 0 ||
		    xlen >= sizeof(expect)) {
			check(0, "%s: cannot read variant or .expect", path);
		} else {
			memcpy(expect, x, xlen);
			expect[xlen] = '\0';
			expect_fail(path, b, len, expect);
			count++;
		}
		free(x);
		free(b);
	}
	closedir(d);
	check(count >= 10, "%s: %d variants (at least 10)", dir, count);
}

/*
 * test_elf_validate [-s SUMMARY] [-b BADDIR] LABEL=PATH...
 * LABEL (glibc-static-pie, glibc-static, glibc-dynamic, musl-static-pie,
 * ...) picks the expectations for PATH; -b checks mkbad's files in BADDIR;
 * -s writes "passed failed" to SUMMARY. Exits 1 if any check failed.
 */
int main(int argc, char **argv)
{
	const char *summary = NULL;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		unsigned char *b;
		size_t len;

		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			summary = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
			test_bad_dir(argv[++i]);
			continue;
		}
		if (eq == NULL) {
			fprintf(stderr, "usage: %s [-s SUMMARY] [-b BADDIR] "
				"LABEL=PATH...\n", argv[0]);
			return 2;
		}
		*eq = '\0';
		b = read_file(eq + 1, &len);
		if (b == NULL || mkbad_usable(b, len) != 0) {
			check(0, "%s: cannot read %s as an ELF64 file", argv[i],
			      eq + 1);
			free(b);
			continue;
		}
		test_good(argv[i], b, len);
		test_good_variants(argv[i], b, len);
		test_more_bad(argv[i], b, len);
		test_variants(argv[i], b, len);
		if (len <= 64 * 1024)
			test_prefixes(argv[i], b, len);
		free(b);
	}
	printf("# %d passed, %d failed\n", passed, failed);
	if (summary != NULL) {
		FILE *f = fopen(summary, "w");

		if (f == NULL || fprintf(f, "%d %d\n", passed, failed) < 0 ||
		    fclose(f) != 0) {
			fprintf(stderr, "%s: cannot write summary\n", summary);
			return 1;
		}
	}
	return failed != 0;
}
