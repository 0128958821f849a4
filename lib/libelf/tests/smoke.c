/* Host-side smoke test of the guest's libelf subset: reads this program's
 * own image through elf_memory() and checks headers, sections, string
 * tables and symbols against the raw bytes and against the running code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gelf.h>

/* The libelf objects are compiled against nolibc's headers, which declare
 * a plain `int errno` and nolibc's assert hook; the host provides both. */
int errno;

void __uk_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "assertion failed: %s at %s:%d\n", expr, file, line);
	abort();
}

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s (%s)\n", what, elf_errmsg(-1));
	}
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc(n);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

int main(void)
{
	size_t size;
	char *image = read_file("/proc/self/exe", &size);
	if (!image) {
		perror("/proc/self/exe");
		return 1;
	}
	const Elf64_Ehdr *raw = (const Elf64_Ehdr *)image;

	check(elf_version(EV_CURRENT) != EV_NONE, "elf_version");

	/* The descriptor paths are stubbed out in the guest: they must fail
	 * cleanly rather than touch a file. */
	check(elf_begin(0, ELF_C_READ, NULL) == NULL, "elf_begin(fd) fails");

	Elf *elf = elf_memory(image, size);
	check(elf != NULL, "elf_memory");
	if (!elf)
		goto out;
	check(elf_kind(elf) == ELF_K_ELF, "elf_kind");

	GElf_Ehdr eh;
	check(gelf_getehdr(elf, &eh) != NULL && eh.e_type == raw->e_type &&
		      eh.e_machine == EM_X86_64 && eh.e_entry == raw->e_entry,
	      "gelf_getehdr");

	size_t phnum = 0, shnum = 0, shstrndx = 0;
	check(elf_getphdrnum(elf, &phnum) == 0 && phnum == raw->e_phnum,
	      "elf_getphdrnum");
	check(elf_getshdrnum(elf, &shnum) == 0 && shnum == raw->e_shnum,
	      "elf_getshdrnum");
	check(elf_getshdrstrndx(elf, &shstrndx) == 0 &&
		      shstrndx == raw->e_shstrndx,
	      "elf_getshdrstrndx");

	const Elf64_Phdr *rph = (const Elf64_Phdr *)(image + raw->e_phoff);
	int ph_ok = 1;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != rph[i].p_type ||
		    ph.p_vaddr != rph[i].p_vaddr ||
		    ph.p_filesz != rph[i].p_filesz)
			ph_ok = 0;
	}
	check(ph_ok, "gelf_getphdr");

	/* Walk the sections; find .text by name and the symbol table. */
	Elf_Scn *scn = NULL, *symtab = NULL;
	size_t nscn = 0;
	int text = 0;
	GElf_Shdr sh, symsh;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		nscn++;
		if (!gelf_getshdr(scn, &sh))
			break;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && strcmp(name, ".text") == 0)
			text = 1;
		if (sh.sh_type == SHT_SYMTAB) {
			symtab = scn;
			symsh = sh;
		}
	}
	check(nscn == shnum - 1, "elf_nextscn visits every section");
	check(text, "elf_strptr finds .text");
	check(symtab != NULL, "symbol table present (built with -g, unstripped)");

	/* main's symbol must give main's address: the binary is not PIE. */
	int found = 0;
	if (symtab) {
		Elf_Data *data = elf_getdata(symtab, NULL);
		check(data != NULL, "elf_getdata");
		size_t n = data ? data->d_size / symsh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			const char *name =
				elf_strptr(elf, symsh.sh_link, sym.st_name);
			if (name && strcmp(name, "main") == 0 &&
			    sym.st_value == (uintptr_t)&main)
				found = 1;
		}
	}
	check(found, "gelf_getsym finds main at its address");

	check(elf_strptr(elf, shstrndx, size) == NULL, "elf_strptr bounds");
	check(elf_end(elf) == 0, "elf_end");
out:
	free(image);
	printf("smoke: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
