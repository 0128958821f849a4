/* libelf: the guest's libelf subset (elf_memory and gelf) on a tiny
 * ELF built here field by field: headers, program headers, sections and
 * their names, symbols, data; a 32-bit and a big-endian header through
 * gelf's conversions; and images it must refuse. */
#include <stddef.h>
#include <string.h>
#include <gelf.h>
#include <uk/test.h>

#define BASE 0x400000UL

struct tiny {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	unsigned char text[16];
	Elf64_Sym sym[3];
	char strtab[16];
	char shstrtab[40];
	Elf64_Shdr sh[5];
};
#define OFF(f) offsetof(struct tiny, f)

static struct tiny img;
static const unsigned char code[16] = { 0x55, 0x48, 0x89, 0xe5, 0x31, 0xc0, 0x5d, 0xc3 };
static const char strtab[] = "\0helper\0main";		/* 1, 8 */
static const char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab";	/* 1, 7, 15, 23 */

static void section(int i, Elf64_Word name, Elf64_Word type, Elf64_Xword flags,
		    Elf64_Off off, Elf64_Xword size, Elf64_Word link, Elf64_Word info,
		    Elf64_Xword entsize)
{
	Elf64_Shdr *s = &img.sh[i];
	s->sh_name = name;
	s->sh_type = type;
	s->sh_flags = flags;
	s->sh_addr = (flags & SHF_ALLOC) ? BASE + off : 0;
	s->sh_offset = off;
	s->sh_size = size;
	s->sh_link = link;
	s->sh_info = info;
	s->sh_addralign = type == SHT_SYMTAB ? 8 : 1;
	s->sh_entsize = entsize;
}

static void build(void)
{
	memset(&img, 0, sizeof(img));
	Elf64_Ehdr *e = &img.eh;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = BASE + OFF(text);
	e->e_phoff = OFF(ph);
	e->e_shoff = OFF(sh);
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = 2;
	e->e_shentsize = sizeof(Elf64_Shdr);
	e->e_shnum = 5;
	e->e_shstrndx = 4;
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
				  .p_vaddr = BASE, .p_paddr = BASE, .p_filesz = sizeof(img),
				  .p_memsz = sizeof(img) + 0x1000, .p_align = 0x1000 };
	img.ph[1] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W,
				  .p_align = 16 };
	memcpy(img.text, code, sizeof(code));
	img.sym[1] = (Elf64_Sym){ .st_name = 1, .st_info = ELF64_ST_INFO(STB_LOCAL, STT_FUNC),
				  .st_shndx = 1, .st_value = BASE + OFF(text) + 6, .st_size = 2 };
	img.sym[2] = (Elf64_Sym){ .st_name = 8, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
				  .st_shndx = 1, .st_value = BASE + OFF(text), .st_size = 8 };
	memcpy(img.strtab, strtab, sizeof(strtab));
	memcpy(img.shstrtab, shstrtab, sizeof(shstrtab));
	section(1, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, OFF(text), sizeof(img.text), 0, 0, 0);
	section(2, 7, SHT_SYMTAB, 0, OFF(sym), sizeof(img.sym), 3, 2, sizeof(Elf64_Sym));
	section(3, 15, SHT_STRTAB, 0, OFF(strtab), sizeof(strtab), 0, 0, 0);
	section(4, 23, SHT_STRTAB, 0, OFF(shstrtab), sizeof(shstrtab), 0, 0, 0);
}

UK_TESTCASE(libelf, headers)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t n = 0;
	build();
	UK_TEST_EXPECT(elf_version(EV_CURRENT) != EV_NONE);
	Elf *e = elf_memory((char *)&img, sizeof(img));
	UK_TEST_EXPECT(e != NULL);
	if (!e)
		return;
	UK_TEST_EQ(elf_kind(e), ELF_K_ELF);
	UK_TEST_EQ(gelf_getclass(e), ELFCLASS64);
	UK_TEST_EXPECT(gelf_getehdr(e, &eh) != NULL);
	UK_TEST_EQ(eh.e_type, ET_EXEC);
	UK_TEST_EQ(eh.e_machine, EM_X86_64);
	UK_TEST_EQ(eh.e_entry, BASE + OFF(text));
	UK_TEST_EQ(elf_getphdrnum(e, &n), 0);
	UK_TEST_EQ(n, 2);
	UK_TEST_EXPECT(gelf_getphdr(e, 0, &ph) != NULL);
	UK_TEST_EQ(ph.p_type, PT_LOAD);
	UK_TEST_EQ(ph.p_flags, PF_R | PF_X);
	UK_TEST_EQ(ph.p_vaddr, BASE);
	UK_TEST_EQ(ph.p_memsz, sizeof(img) + 0x1000);
	UK_TEST_EXPECT(gelf_getphdr(e, 1, &ph) != NULL);
	UK_TEST_EQ(ph.p_type, PT_GNU_STACK);
	UK_TEST_EXPECT(gelf_getphdr(e, 2, &ph) == NULL);	/* out of range */
	elf_end(e);
}

UK_TESTCASE(libelf, sections_symbols)
{
	static const char *const names[] = { "", ".text", ".symtab", ".strtab", ".shstrtab" };
	size_t n = 0, shstrndx = 0;
	build();
	elf_version(EV_CURRENT);
	Elf *e = elf_memory((char *)&img, sizeof(img));
	if (!e) {
		UK_TEST_EXPECT(e != NULL);
		return;
	}
	UK_TEST_EQ(elf_getshdrnum(e, &n), 0);
	UK_TEST_EQ(n, 5);
	UK_TEST_EQ(elf_getshdrstrndx(e, &shstrndx), 0);
	UK_TEST_EQ(shstrndx, 4);
	Elf_Scn *scn = NULL, *symtab = NULL, *text = NULL;
	int count = 0;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		count++;
		UK_TEST_EXPECT(gelf_getshdr(scn, &sh) != NULL);
		size_t i = count;	/* sections come in index order */
		const char *name = elf_strptr(e, shstrndx, sh.sh_name);
		UK_TEST_EXPECT(i < 5 && name && !strcmp(name, names[i]));
		if (sh.sh_type == SHT_SYMTAB)
			symtab = scn;
		if (sh.sh_type == SHT_PROGBITS)
			text = scn;
	}
	UK_TEST_EQ(count, 4);		/* elf_nextscn skips section 0 */
	UK_TEST_EXPECT(text && symtab);
	if (!text || !symtab)
		return;
	Elf_Data *d = elf_getdata(text, NULL);
	UK_TEST_EXPECT(d && d->d_size == 16 && !memcmp(d->d_buf, code, 16));
	GElf_Shdr sh;
	gelf_getshdr(symtab, &sh);
	d = elf_getdata(symtab, NULL);
	UK_TEST_EXPECT(d && d->d_size == 3 * sizeof(Elf64_Sym));
	GElf_Sym sym;
	UK_TEST_EXPECT(gelf_getsym(d, 2, &sym) != NULL);
	const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
	UK_TEST_EXPECT(name && !strcmp(name, "main"));
	UK_TEST_EQ(GELF_ST_BIND(sym.st_info), STB_GLOBAL);
	UK_TEST_EQ(GELF_ST_TYPE(sym.st_info), STT_FUNC);
	UK_TEST_EQ(sym.st_value, BASE + OFF(text));
	UK_TEST_EQ(sym.st_size, 8);
	UK_TEST_EXPECT(gelf_getsym(d, 1, &sym) != NULL);
	UK_TEST_EQ(GELF_ST_BIND(sym.st_info), STB_LOCAL);
	name = elf_strptr(e, sh.sh_link, sym.st_name);
	UK_TEST_EXPECT(name && !strcmp(name, "helper"));
	UK_TEST_EXPECT(gelf_getsym(d, 3, &sym) == NULL);
	/* A string offset past the table. */
	UK_TEST_EXPECT(elf_strptr(e, sh.sh_link, 1000) == NULL);
	elf_end(e);
}

UK_TESTCASE(libelf, conversions)
{
	/* A 32-bit header: gelf widens it. */
	static Elf32_Ehdr e32;
	GElf_Ehdr eh;
	memset(&e32, 0, sizeof(e32));
	memcpy(e32.e_ident, ELFMAG, SELFMAG);
	e32.e_ident[EI_CLASS] = ELFCLASS32;
	e32.e_ident[EI_DATA] = ELFDATA2LSB;
	e32.e_ident[EI_VERSION] = EV_CURRENT;
	e32.e_type = ET_DYN;
	e32.e_machine = EM_386;
	e32.e_version = EV_CURRENT;
	e32.e_entry = 0x8048000;
	e32.e_ehsize = sizeof(e32);
	elf_version(EV_CURRENT);
	Elf *e = elf_memory((char *)&e32, sizeof(e32));
	UK_TEST_EXPECT(e != NULL);
	if (e) {
		UK_TEST_EQ(gelf_getclass(e), ELFCLASS32);
		UK_TEST_EXPECT(gelf_getehdr(e, &eh) != NULL);
		UK_TEST_EQ(eh.e_type, ET_DYN);
		UK_TEST_EQ(eh.e_machine, EM_386);
		UK_TEST_EQ(eh.e_entry, 0x8048000);
		UK_TEST_EQ(eh.e_ehsize, 52);
		elf_end(e);
	}
	/* A big-endian 64-bit header: gelf swaps the bytes. */
	static unsigned char be[sizeof(Elf64_Ehdr)];
	memset(be, 0, sizeof(be));
	memcpy(be, ELFMAG, SELFMAG);
	be[EI_CLASS] = ELFCLASS64;
	be[EI_DATA] = ELFDATA2MSB;
	be[EI_VERSION] = EV_CURRENT;
	be[17] = ET_EXEC;		/* e_type, big-endian */
	be[19] = EM_PPC64;		/* e_machine */
	be[23] = EV_CURRENT;		/* e_version */
	be[24] = 0x10;			/* e_entry 0x1000000000000000 */
	be[31] = 0x08;			/*  + 8 */
	be[53] = sizeof(Elf64_Ehdr);	/* e_ehsize */
	e = elf_memory((char *)be, sizeof(be));
	UK_TEST_EXPECT(e != NULL);
	if (e) {
		UK_TEST_EXPECT(gelf_getehdr(e, &eh) != NULL);
		UK_TEST_EQ(eh.e_type, ET_EXEC);
		UK_TEST_EQ(eh.e_machine, EM_PPC64);
		UK_TEST_EQ(eh.e_entry, 0x1000000000000008UL);
		UK_TEST_EQ(eh.e_ehsize, 64);
		elf_end(e);
	}
}

UK_TESTCASE(libelf, refusals)
{
	GElf_Ehdr eh;
	size_t n;
	elf_version(EV_CURRENT);
	/* Shorter than an ELF header. */
	build();
	UK_TEST_EXPECT(elf_memory((char *)&img, 40) == NULL);
	/* Not ELF at all: no header to get. */
	img.eh.e_ident[EI_MAG1] = 'X';
	Elf *e = elf_memory((char *)&img, sizeof(img));
	UK_TEST_EXPECT(e != NULL);
	if (e) {
		UK_TEST_EQ(elf_kind(e), ELF_K_NONE);
		UK_TEST_EXPECT(gelf_getehdr(e, &eh) == NULL);
		elf_end(e);
	}
	/* Section headers beyond the end of the image: none read. */
	build();
	img.eh.e_shoff = sizeof(img) + 4096;
	e = elf_memory((char *)&img, sizeof(img));
	if (e) {
		UK_TEST_EXPECT(elf_nextscn(e, NULL) == NULL);
		elf_end(e);
	}
	/* Program headers running past the end: refused. */
	build();
	img.eh.e_phnum = 200;
	e = elf_memory((char *)&img, sizeof(img));
	UK_TEST_EXPECT(e != NULL);
	if (e) {
		GElf_Phdr ph;
		UK_TEST_EXPECT(elf_getphdrnum(e, &n) != 0 || gelf_getphdr(e, 150, &ph) == NULL);
		elf_end(e);
	}
	/* A 64-bit class byte that is neither 1 nor 2. */
	build();
	img.eh.e_ident[EI_CLASS] = 3;
	e = elf_memory((char *)&img, sizeof(img));
	UK_TEST_EXPECT(e == NULL || gelf_getehdr(e, &eh) == NULL);
	if (e)
		elf_end(e);
}
