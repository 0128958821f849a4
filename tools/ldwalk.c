/* ldwalk: prints the shared-library closure of an x86-64 ELF program (the
 * program, its interpreter and every library the dynamic loader would map),
 * resolved the way glibc's or musl's ld.so does, without running anything,
 * on this machine or inside a root folder (-R). Built with -DLDWALK_NO_MAIN
 * it is the walk alone, for a fuzz target (tests/hostfuzz/fuzz_ldwalk.c)
 * that includes it and runs walk() inside a sandbox folder (root_fd). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libelf.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What glibc's ld.so on Debian 12 substitutes for $LIB and $PLATFORM (seen
 * with LD_DEBUG=libs: Debian builds $LIB from the multiarch slibdir), and its
 * system search path, in order (`ld.so --help`; no /lib64 there). */
#define DST_LIB "lib/x86_64-linux-gnu"
#define DST_PLATFORM "x86_64"
static const char *const glibc_default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
};
#define LD_SO_CACHE "/etc/ld.so.cache"
#define LD_SO_CONF "/etc/ld.so.conf"
/* musl's built-in search path when no ld-musl-x86_64.path file exists. */
#define MUSL_DEFAULT_PATH "/lib:/usr/local/lib:/usr/lib"

/* Kinds of lines printed; "libconf" marks a library that only a loader
 * configuration file (ld.so.cache, ld-musl-*.path) makes findable outside
 * the loader's built-in directories, so a rootfs needs that file too. */
enum kind { K_EXE, K_INTERP, K_LIB, K_LIBCONF };
static const char *const kind_name[] = { "exe", "interp", "lib", "libconf" };

/* One loaded object, like glibc's struct link_map: the names it answers to
 * matter as much as its file, since ld.so reuses an object by name. */
struct obj {
	char *path;		/* as opened (glibc's l_name); "" never */
	char **names;		/* names it was requested by (l_libname) */
	size_t nnames;
	char *soname;		/* DT_SONAME or NULL */
	char *rpath, *runpath;	/* raw DT_RPATH / DT_RUNPATH (rpath dropped if runpath) */
	bool nodeflib;		/* DF_1_NODEFLIB: skip the cache's system entries and default dirs */
	char **deps;		/* DT_NEEDED / DT_FILTER / DT_AUXILIARY, in file order */
	bool *dep_optional;	/* DT_AUXILIARY: a missing one is no error */
	size_t ndeps;
	struct obj *loader;	/* first object that needed it (RPATH inheritance) */
	enum kind kind;
	bool queued;		/* in the breadth-first list (its deps walked) */
	dev_t dev;
	ino_t ino;
};

static struct obj **objs;	/* every object, in load order */
static size_t nobjs;
static struct obj **queue;	/* breadth-first order of dependency walking */
static size_t nqueue;
static bool musl;		/* the interpreter is musl's (libc is the loader) */
static bool use_conf;		/* -C: ld.so.conf directories instead of ld.so.cache */
static bool verbose;
static int errors;
static struct obj *interp_obj;
static const char *interp_path;
static const char *conf_used;	/* loader config file a libconf result relied on */

/* glibc-hwcaps and legacy hwcap subdirectories ld.so tries inside every
 * search directory before the directory itself (LD_DEBUG=libs shows the same
 * list on Debian 12's glibc 2.36). The glibc-hwcaps levels depend on the CPU,
 * here the host's: a guest CPU of a lower level would pick another file, but
 * Debian ships no such subdirectories, so the choice rarely matters. */
static const char *subdirs[12];
static size_t nsubdirs;

/* When >= 0, a folder every path is resolved inside, ".." and symbolic
 * links included (openat2's RESOLVE_IN_ROOT), the current directory being
 * its top, as for a program chrooted there: -R's, or the fuzz target's
 * sandbox, so that no input reaches the machine's own files. */
static int root_fd = -1;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "ldwalk: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "ldwalk: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void push_str(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error(const char *fmt, ...)
{
	va_list ap;

	fputs("ldwalk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errors++;
}

/* ---- files, inside the root folder when there is one --------------- */

static int open_path(const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

	if (root_fd < 0)
		return open(path, flags | O_CLOEXEC);
	return (int)syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

static FILE *fopen_path(const char *path)
{
	int fd = open_path(path, O_RDONLY);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");

	if (fd >= 0 && !f)
		close(fd);
	return f;
}

static char *cwd(void)
{
	return root_fd < 0 ? getcwd(NULL, 0) : xstrdup("/");
}

/* realpath() inside the root folder: the path the kernel sees for the
 * file, less the folder's own. */
static char *real_path(const char *path)
{
	char in[64], top[4096], file[4096];
	ssize_t nt, nf;
	int fd;

	if (root_fd < 0)
		return realpath(path, NULL);
	fd = open_path(path, O_PATH);
	if (fd < 0)
		return NULL;
	snprintf(in, sizeof in, "/proc/self/fd/%d", fd);
	nf = readlink(in, file, sizeof file - 1);
	close(fd);
	snprintf(in, sizeof in, "/proc/self/fd/%d", root_fd);
	nt = readlink(in, top, sizeof top - 1);
	if (nf <= 0 || nt <= 0)
		return NULL;
	file[nf] = top[nt] = 0;
	if (nt == 1)	/* the root folder is / */
		nt = 0;
	if (strncmp(file, top, (size_t)nt) != 0 || file[nt] != '/')
		return NULL;
	return xstrdup(file + nt);
}

/* glob()'s access to directories (GLOB_ALTDIRFUNC), through open_path. */
static void *glob_opendir(const char *path)
{
	int fd = open_path(*path ? path : ".", O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (fd >= 0 && !d)
		close(fd);
	return d;
}

static struct dirent *glob_readdir(void *d)
{
	return readdir(d);
}

static void glob_closedir(void *d)
{
	closedir(d);
}

static int glob_stat_flags(const char *path, struct stat *st, int flags)
{
	int fd = open_path(path, O_PATH | flags), rc;

	if (fd < 0)
		return -1;
	rc = fstat(fd, st);
	close(fd);
	return rc;
}

static int glob_stat(const char *path, struct stat *st)
{
	return glob_stat_flags(path, st, 0);
}

static int glob_lstat(const char *path, struct stat *st)
{
	return glob_stat_flags(path, st, O_NOFOLLOW);
}

static int glob_path(const char *pattern, glob_t *g)
{
	memset(g, 0, sizeof *g);
	g->gl_opendir = glob_opendir;
	g->gl_readdir = glob_readdir;
	g->gl_closedir = glob_closedir;
	g->gl_stat = glob_stat;
	g->gl_lstat = glob_lstat;
	return glob(pattern, GLOB_ALTDIRFUNC, NULL, g);
}

static void init_subdirs(void)
{
	nsubdirs = 0;
	if (!musl) {
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
		if (__builtin_cpu_supports("x86-64-v4"))
			subdirs[nsubdirs++] = "glibc-hwcaps/x86-64-v4/";
		if (__builtin_cpu_supports("x86-64-v3"))
			subdirs[nsubdirs++] = "glibc-hwcaps/x86-64-v3/";
		if (__builtin_cpu_supports("x86-64-v2"))
			subdirs[nsubdirs++] = "glibc-hwcaps/x86-64-v2/";
#endif
		subdirs[nsubdirs++] = "tls/x86_64/x86_64/";
		subdirs[nsubdirs++] = "tls/x86_64/";
		subdirs[nsubdirs++] = "tls/";
		subdirs[nsubdirs++] = "x86_64/x86_64/";
		subdirs[nsubdirs++] = "x86_64/";
	}
	subdirs[nsubdirs++] = "";
}

/* ---- reading one ELF file ------------------------------------------- */

/* Outcome of checking a candidate file, as glibc's open_verify sorts them:
 * a missing file or one of another class or machine lets the search go on,
 * anything else wrong with a file that exists stops the load. */
enum verdict { V_OK, V_MISSING, V_OTHER, V_BAD, V_NOTELF };

/* Maps a virtual address range to its file offset through the PT_LOAD
 * segments, as the loader sees DT_STRTAB (an address, not an offset). */
static bool vaddr_to_off(Elf *e, size_t phnum, GElf_Addr addr, GElf_Xword len, GElf_Off *off)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr <= ph.p_filesz &&
		    len <= ph.p_filesz - (addr - ph.p_vaddr)) {
			*off = ph.p_offset + (addr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

/* Reads the dynamic section through PT_DYNAMIC, which is what ld.so uses:
 * section headers may be stripped or disagree, and the loader ignores them. */
static bool read_dynamic(Elf *e, size_t phnum, const GElf_Phdr *dynph, struct obj *o,
			 char *why, size_t whylen)
{
	Elf_Data *dd = elf_getdata_rawchunk(e, (int64_t)dynph->p_offset, dynph->p_filesz, ELF_T_DYN);
	GElf_Addr strtab = 0;
	GElf_Xword strsz = 0;
	size_t n;
	bool have_strtab = false;

	if (!dd) {
		snprintf(why, whylen, "PT_DYNAMIC outside the file (%s)", elf_errmsg(-1));
		return false;
	}
	n = dynph->p_filesz / sizeof(Elf64_Dyn);
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;

		if (!gelf_getdyn(dd, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB) {
			strtab = d.d_un.d_ptr;
			have_strtab = true;
		} else if (d.d_tag == DT_STRSZ) {
			strsz = d.d_un.d_val;
		} else if (d.d_tag == DT_FLAGS_1 && (d.d_un.d_val & DF_1_NODEFLIB)) {
			o->nodeflib = true;
		}
	}
	if (!have_strtab) {
		/* No strings: nothing can name a dependency or a path. */
		return true;
	}
	GElf_Off stroff;
	if (!vaddr_to_off(e, phnum, strtab, strsz, &stroff)) {
		snprintf(why, whylen, "DT_STRTAB outside the loadable segments");
		return false;
	}
	Elf_Data *sd = elf_getdata_rawchunk(e, (int64_t)stroff, strsz, ELF_T_BYTE);
	if (!sd || sd->d_size < strsz) {
		snprintf(why, whylen, "dynamic string table outside the file");
		return false;
	}
	const char *str = sd->d_buf;

	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;
		const char *s;

		if (!gelf_getdyn(dd, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag != DT_NEEDED && d.d_tag != DT_FILTER && d.d_tag != DT_AUXILIARY &&
		    d.d_tag != DT_SONAME && d.d_tag != DT_RPATH && d.d_tag != DT_RUNPATH)
			continue;
		/* Strings must end inside the table: the file is untrusted. */
		if (d.d_un.d_val >= strsz || !memchr(str + d.d_un.d_val, 0, strsz - d.d_un.d_val)) {
			snprintf(why, whylen, "dynamic entry %zu points outside the string table", i);
			return false;
		}
		s = str + d.d_un.d_val;
		switch (d.d_tag) {
		case DT_NEEDED:
		case DT_FILTER:
		case DT_AUXILIARY:
			o->deps = xrealloc(o->deps, (o->ndeps + 1) * sizeof *o->deps);
			o->dep_optional = xrealloc(o->dep_optional, (o->ndeps + 1) * sizeof *o->dep_optional);
			o->deps[o->ndeps] = xstrdup(s);
			o->dep_optional[o->ndeps++] = d.d_tag == DT_AUXILIARY;
			break;
		case DT_SONAME:
			o->soname = xstrdup(s);
			break;
		case DT_RPATH:
			o->rpath = xstrdup(s);
			break;
		case DT_RUNPATH:
			o->runpath = xstrdup(s);
			break;
		}
	}
	/* glibc (get-dynamic-info.h) ignores DT_RPATH when DT_RUNPATH is there,
	 * also when this object is an ancestor in someone else's search. */
	if (o->runpath && o->rpath && !musl) {
		free(o->rpath);
		o->rpath = NULL;
	}
	return true;
}

/* Frees what load_elf and resolve gave o (not its path) and clears it. */
static void free_fields(struct obj *o)
{
	for (size_t i = 0; i < o->nnames; i++)
		free(o->names[i]);
	for (size_t i = 0; i < o->ndeps; i++)
		free(o->deps[i]);
	free(o->names);
	free(o->deps);
	free(o->dep_optional);
	free(o->soname);
	free(o->rpath);
	free(o->runpath);
	o->names = o->deps = NULL;
	o->dep_optional = NULL;
	o->nnames = o->ndeps = 0;
	o->soname = o->rpath = o->runpath = NULL;
}

/* Opens and checks a candidate, and on V_OK fills *o from its headers.
 * `interp` receives PT_INTERP when asked (for the program itself). */
static enum verdict load_elf(const char *path, struct obj *o, char **interp, char *why, size_t whylen)
{
	unsigned char id[sizeof(Elf64_Ehdr)];
	struct stat st;
	ssize_t got;
	int fd;
	enum verdict v = V_BAD;

	/* Only a regular file is opened: a DT_NEEDED or PT_INTERP path may
	 * name a FIFO, which would block the walk, or a device, which the open
	 * itself may act on. O_PATH tells the type without opening anything. */
	fd = open_path(path, O_PATH);
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		close(fd);
		return V_BAD;
	}
	if (fd >= 0)
		close(fd);
	fd = open_path(path, O_RDONLY);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return V_MISSING;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return V_BAD;
	}
	/* The header checks come in glibc's order (open_verify), since that order
	 * decides which problems end the search and which skip a candidate. */
	got = pread(fd, id, sizeof id, 0);
	if (got < 0) {
		snprintf(why, whylen, "cannot read file data: %s", strerror(errno));
		goto out;
	}
	if ((size_t)got < sizeof(Elf64_Ehdr)) {
		snprintf(why, whylen, "file too short");
		if ((size_t)got < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
			v = V_NOTELF;
		goto out;
	}
	if (memcmp(id, ELFMAG, SELFMAG) != 0) {
		snprintf(why, whylen, "invalid ELF header");
		v = V_NOTELF;
		goto out;
	}
	if (id[EI_CLASS] != ELFCLASS64) {
		snprintf(why, whylen, "wrong ELF class (%s)", id[EI_CLASS] == ELFCLASS32 ? "32-bit" : "unknown");
		v = V_OTHER;
		goto out;
	}
	if (id[EI_DATA] != ELFDATA2LSB) {
		snprintf(why, whylen, "ELF file data encoding not little-endian");
		goto out;
	}
	if (id[EI_VERSION] != EV_CURRENT) {
		snprintf(why, whylen, "ELF file version ident does not match current one");
		goto out;
	}
	if (id[EI_OSABI] != ELFOSABI_SYSV && id[EI_OSABI] != ELFOSABI_GNU) {
		snprintf(why, whylen, "ELF file OS ABI invalid");
		goto out;
	}

	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	size_t phnum;

	if (!e || !gelf_getehdr(e, &eh)) {
		snprintf(why, whylen, "unreadable ELF header (%s)", elf_errmsg(-1));
		if (e)
			elf_end(e);
		goto out;
	}
	if (eh.e_machine != EM_X86_64) {
		snprintf(why, whylen, "ELF machine %u is not x86-64", (unsigned)eh.e_machine);
		v = V_OTHER;
		goto out_elf;
	}
	if (eh.e_type != ET_DYN && eh.e_type != ET_EXEC) {
		snprintf(why, whylen, "only ET_DYN and ET_EXEC can be loaded (e_type %u)", (unsigned)eh.e_type);
		goto out_elf;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || elf_getphdrnum(e, &phnum) != 0) {
		snprintf(why, whylen, "ELF file's phentsize not the expected size");
		goto out_elf;
	}
	GElf_Phdr dynph;
	bool have_dyn = false;

	memset(&dynph, 0, sizeof dynph);

	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			snprintf(why, whylen, "program header %zu unreadable (%s)", i, elf_errmsg(-1));
			goto out_elf;
		}
		if (ph.p_type == PT_DYNAMIC && !have_dyn) {
			dynph = ph;
			have_dyn = true;
		} else if (ph.p_type == PT_INTERP && interp && !*interp) {
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_BYTE);

			if (!d || ph.p_filesz == 0 || !memchr(d->d_buf, 0, d->d_size)) {
				snprintf(why, whylen, "PT_INTERP is not a string inside the file");
				goto out_elf;
			}
			*interp = xstrdup(d->d_buf);
		}
	}
	if (have_dyn && !read_dynamic(e, phnum, &dynph, o, why, whylen))
		goto out_elf;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	v = V_OK;
out_elf:
	elf_end(e);
out:
	close(fd);
	if (v != V_OK)
		free_fields(o);
	return v;
}

/* ---- objects and names ---------------------------------------------- */

static struct obj *new_obj(const char *path, enum kind kind, struct obj *loader)
{
	struct obj *o = xmalloc(sizeof *o);

	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	o->kind = kind;
	o->loader = loader;
	objs = xrealloc(objs, (nobjs + 1) * sizeof *objs);
	objs[nobjs++] = o;
	return o;
}

static void enqueue(struct obj *o)
{
	if (o->queued)
		return;
	o->queued = true;
	queue = xrealloc(queue, (nqueue + 1) * sizeof *queue);
	queue[nqueue++] = o;
}

/* musl's loader is its libc: it answers for libc and the libraries glibc
 * splits out of it (ldso/dynlink.c's "reserved" names), whatever follows. */
static bool musl_reserved(const char *name)
{
	static const char *const r[] = { "c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet." };

	if (strncmp(name, "lib", 3) != 0)
		return false;
	for (size_t i = 0; i < sizeof r / sizeof *r; i++)
		if (strncmp(name + 3, r[i], strlen(r[i])) == 0)
			return true;
	return false;
}

/* An already loaded object answering to `name`: glibc compares l_name, the
 * names it was requested by and its DT_SONAME; musl only the requested ones. */
static struct obj *find_loaded(const char *name)
{
	for (size_t i = 0; i < nobjs; i++) {
		struct obj *o = objs[i];

		if (!musl && o->kind != K_EXE && strcmp(o->path, name) == 0)
			return o;
		for (size_t j = 0; j < o->nnames; j++)
			if (strcmp(o->names[j], name) == 0)
				return o;
		if (!musl && o->soname && strcmp(o->soname, name) == 0)
			return o;
	}
	return NULL;
}

static struct obj *find_file(dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < nobjs; i++)
		if (objs[i]->dev == dev && objs[i]->ino == ino)
			return objs[i];
	return NULL;
}

/* ---- $ORIGIN and friends -------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash) {
		dir = cwd();
		return dir ? dir : xstrdup(".");
	}
	if (slash == path)
		return xstrdup("/");
	if (path[0] != '/') {
		/* Relative origins are made absolute, as ld.so does when it maps. */
		dir = cwd();
		char *r = xasprintf("%s/%.*s", dir ? dir : ".", (int)(slash - path), path);
		free(dir);
		return r;
	}
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* $ORIGIN: the program's comes from /proc/self/exe (symlinks resolved) when
 * the kernel starts it; a library's is the directory it was opened from. */
static char *origin_of(const struct obj *o)
{
	if (o->kind == K_EXE) {
		char *real = real_path(o->path);
		char *d = dir_of(real ? real : o->path);

		free(real);
		return d;
	}
	return dir_of(o->path);
}

/* glibc's is_dst(): $NAME must not run on into identifier characters,
 * ${NAME} must close. Returns the length consumed after '$', or 0. */
static size_t is_dst(const char *s, const char *ref)
{
	size_t len = strlen(ref);

	if (s[0] == '{') {
		if (strncmp(s + 1, ref, len) != 0 || s[1 + len] != '}')
			return 0;
		return len + 2;
	}
	if (strncmp(s, ref, len) != 0 || isalnum((unsigned char)s[len]) || s[len] == '_')
		return 0;
	return len;
}

/* Expands $ORIGIN, $LIB and $PLATFORM (glibc) or only $ORIGIN (musl, which
 * drops a whole path list holding any other '$'). Unknown glibc tokens stay
 * as written, as in _dl_dst_substitute. Returns NULL when musl gives up. */
static char *expand_dst(const struct obj *o, const char *s)
{
	size_t cap = strlen(s) + 1, len = 0;
	char *out = xmalloc(cap);
	char *origin = NULL;

	while (*s) {
		const char *repl = NULL;
		size_t skip = 0;

		if (*s == '$') {
			if ((skip = is_dst(s + 1, "ORIGIN"))) {
				if (!origin)
					origin = origin_of(o);
				repl = origin;
			} else if (!musl && (skip = is_dst(s + 1, "LIB"))) {
				repl = DST_LIB;
			} else if (!musl && (skip = is_dst(s + 1, "PLATFORM"))) {
				repl = DST_PLATFORM;
			} else if (musl) {
				free(out);
				free(origin);
				return NULL;
			}
		}
		if (repl) {
			size_t rl = strlen(repl);

			cap += rl;
			out = xrealloc(out, cap);
			memcpy(out + len, repl, rl);
			len += rl;
			s += 1 + skip;
		} else {
			out[len++] = *s++;
		}
	}
	out[len] = 0;
	free(origin);
	return out;
}

/* ---- the search ----------------------------------------------------- */

struct search {
	const char *name;	/* the requested name (no '/') */
	const struct obj *needer;
	char *found;		/* path of the accepted candidate */
	struct obj tmp;		/* its parsed headers */
	bool stop;		/* a fatal problem was reported */
	char *skipped;		/* first candidate skipped for class/machine */
};

/* Tries one path. Returns true when the search is over (found or fatal). */
static bool try_path(struct search *s, const char *path)
{
	char why[256];
	struct obj tmp;
	enum verdict v;

	memset(&tmp, 0, sizeof tmp);
	v = load_elf(path, &tmp, NULL, why, sizeof why);
	if (verbose)
		fprintf(stderr, "ldwalk:   trying %s%s%s\n", path, v == V_OK ? "" : ": ",
			v == V_OK ? "" : why);
	switch (v) {
	case V_OK:
		s->found = xstrdup(path);
		s->tmp = tmp;
		return true;
	case V_MISSING:
		return false;
	case V_OTHER:
		/* Another class or machine: ld.so skips it silently. */
		if (!s->skipped)
			s->skipped = xasprintf("%s (%s)", path, why);
		return false;
	case V_BAD:
	case V_NOTELF:
		break;
	}
	error("%s: %s (tried for %s, needed by %s)", path, why, s->name, s->needer->path);
	s->stop = true;
	return true;
}

/* Tries `dir`/[subdir/]name for every hwcap subdirectory, as ld.so does for
 * each directory of a search list. An empty dir means the current one. */
static bool try_dir(struct search *s, const char *dir)
{
	size_t dl = strlen(dir);

	/* Trailing slashes go, as in glibc's fillin_rpath (except for "/"). */
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (size_t i = 0; i < nsubdirs; i++) {
		char *p;

		if (dl == 0)
			p = xasprintf("%s%s", subdirs[i], s->name);
		else if (dl == 1 && dir[0] == '/')
			p = xasprintf("/%s%s", subdirs[i], s->name);
		else
			p = xasprintf("%.*s/%s%s", (int)dl, dir, subdirs[i], s->name);
		bool done = try_path(s, p);

		free(p);
		if (done)
			return true;
	}
	return false;
}

/* Searches a ':'-separated list (DT_RPATH / DT_RUNPATH) after expanding the
 * owner's tokens. glibc ignores an empty list but keeps an empty element of
 * a longer one as the current directory, and drops an element whose
 * expansion is empty (LD_DEBUG=libs shows both). */
static bool try_list(struct search *s, const struct obj *owner, const char *list, const char *what)
{
	char *copy, *rest, *el;
	bool done = false;

	if (!*list)
		return false;
	copy = rest = xstrdup(list);
	if (verbose)
		fprintf(stderr, "ldwalk:  %s of %s: %s\n", what, owner->path, list);
	while (!done && (el = strsep(&rest, ":")) != NULL) {
		char *dir;

		if (*el == 0) {
			done = try_dir(s, "");
			continue;
		}
		dir = expand_dst(owner, el);
		if (!dir)
			continue;
		if (*dir)
			done = try_dir(s, dir);
		free(dir);
	}
	free(copy);
	return done;
}

/* ---- glibc's ld.so.cache -------------------------------------------- */

static unsigned char *cache;
static size_t cache_size;
static bool cache_tried;
static const unsigned char *cache_new;	/* the "glibc-ld.so.cache1.1" header */
static uint32_t cache_nlibs;

#define CACHE_MAGIC_OLD "ld.so-1.7.0"
#define CACHE_MAGIC_NEW "glibc-ld.so.cache1.1"
#define CACHE_HDR_NEW 48	/* magic+version 20, nlibs, len_strings, flags+pad, ext, unused[3] */
#define CACHE_ENT_NEW 24	/* flags, key, value, osversion, hwcap (u64) */
#define CACHE_FLAGS_X8664 0x0303 /* FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
#define CACHE_HWCAP_EXTENSION (1ULL << 62)

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static void load_cache(void)
{
	FILE *f;
	size_t off = 0;

	cache_tried = true;
	f = fopen_path(LD_SO_CACHE);
	if (!f)
		return;
	for (;;) {
		cache = xrealloc(cache, cache_size + 65536);
		size_t n = fread(cache + cache_size, 1, 65536, f);

		cache_size += n;
		if (n == 0)
			break;
	}
	fclose(f);
	/* An old-format prefix (ldconfig --format=compat) comes before the new
	 * table, which starts at the next 8-byte boundary. */
	if (cache_size >= 16 && memcmp(cache, CACHE_MAGIC_OLD, strlen(CACHE_MAGIC_OLD)) == 0) {
		uint32_t n = rd32(cache + 12);

		off = (16 + (size_t)n * 12 + 7) & ~(size_t)7;
	}
	if (off + CACHE_HDR_NEW > cache_size ||
	    memcmp(cache + off, CACHE_MAGIC_NEW, strlen(CACHE_MAGIC_NEW)) != 0) {
		fprintf(stderr, "ldwalk: warning: %s: unknown format, ignored\n", LD_SO_CACHE);
		return;
	}
	cache_new = cache + off;
	cache_nlibs = rd32(cache_new + 20);
	if (cache_nlibs > (cache_size - off - CACHE_HDR_NEW) / CACHE_ENT_NEW) {
		fprintf(stderr, "ldwalk: warning: %s: truncated, ignored\n", LD_SO_CACHE);
		cache_new = NULL;
	}
}

/* A NUL-terminated string of the cache at `off` (relative to the new
 * header, as glibc's dl-cache.c reads them), or NULL if out of bounds. */
static const char *cache_str(uint32_t off)
{
	size_t base = (size_t)(cache_new - cache);

	if (base + off >= cache_size || !memchr(cache_new + off, 0, cache_size - base - off))
		return NULL;
	return (const char *)cache_new + off;
}

/* The first usable entry for `name`, in the cache's order, as glibc's
 * search_cache picks it. Entries for glibc-hwcaps subdirectories (hwcap
 * extension) are skipped: ldconfig writes them only when such directories
 * exist, and Debian ships none. */
static const char *cache_lookup(const char *name)
{
	if (!cache_tried)
		load_cache();
	if (!cache_new)
		return NULL;
	for (uint32_t i = 0; i < cache_nlibs; i++) {
		const unsigned char *e = cache_new + CACHE_HDR_NEW + (size_t)i * CACHE_ENT_NEW;
		int32_t flags = (int32_t)rd32(e);
		const char *key = cache_str(rd32(e + 4));

		if (!key || strcmp(key, name) != 0)
			continue;
		if (flags != 1 && flags != CACHE_FLAGS_X8664)
			continue;
		if (rd64(e + 16) != 0)
			continue;
		return cache_str(rd32(e + 8));
	}
	return NULL;
}

/* ---- ld.so.conf (used with -C instead of the cache) ------------------ */

static char **conf_dirs;
static size_t nconf_dirs;
/* The files parse_conf has read, by device and inode. */
static struct conf_file {
	dev_t dev;
	ino_t ino;
} *conf_files;
static size_t nconf_files;

static void add_conf_dir(const char *d)
{
	size_t l = strlen(d);

	while (l > 1 && d[l - 1] == '/')
		l--;
	char *c = xasprintf("%.*s", (int)l, d);

	for (size_t i = 0; i < nconf_dirs; i++)
		if (strcmp(conf_dirs[i], c) == 0) {
			free(c);
			return;
		}
	conf_dirs = xrealloc(conf_dirs, (nconf_dirs + 1) * sizeof *conf_dirs);
	conf_dirs[nconf_dirs++] = c;
}

/* Parses a file as ldconfig does: '#' comments, "include GLOB..." (relative
 * globs are relative to the including file's directory), obsolete "hwcap"
 * lines, and directories, possibly with an old "=TYPE" suffix. A file is
 * read once: a second time adds no directory (add_conf_dir keeps the
 * first), and files that include each other, or one file included twice
 * on every line, would make the reads loop or multiply without end. */
static void parse_conf(const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	struct stat st;

	f = fopen_path(path);
	if (!f)
		return;
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return;
	}
	for (size_t i = 0; i < nconf_files; i++)
		if (conf_files[i].dev == st.st_dev && conf_files[i].ino == st.st_ino) {
			fclose(f);
			return;
		}
	conf_files = xrealloc(conf_files, (nconf_files + 1) * sizeof *conf_files);
	conf_files[nconf_files++] = (struct conf_file){ st.st_dev, st.st_ino };
	while (getline(&line, &cap, f) > 0) {
		char *p = line, *hash = strchr(line, '#'), *end;

		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*p)
			continue;
		if (strncmp(p, "include", 7) == 0 && isblank((unsigned char)p[7])) {
			char *save = NULL, *pat;

			for (pat = strtok_r(p + 7, " \t", &save); pat; pat = strtok_r(NULL, " \t", &save)) {
				char *full, *dir = dir_of(path);
				glob_t g;

				full = pat[0] == '/' ? xstrdup(pat) : xasprintf("%s/%s", dir, pat);
				free(dir);
				if (glob_path(full, &g) == 0) {
					for (size_t i = 0; i < g.gl_pathc; i++)
						parse_conf(g.gl_pathv[i]);
					globfree(&g);
				}
				free(full);
			}
			continue;
		}
		if (strncmp(p, "hwcap", 5) == 0 && isblank((unsigned char)p[5]))
			continue;
		char *eq = strchr(p, '=');

		if (eq)
			*eq = 0;
		add_conf_dir(p);
	}
	free(line);
	fclose(f);
}

static bool is_default_dir(const char *path)
{
	for (size_t i = 0; i < sizeof glibc_default_dirs / sizeof *glibc_default_dirs; i++) {
		size_t l = strlen(glibc_default_dirs[i]);

		if (strncmp(path, glibc_default_dirs[i], l) == 0 && path[l] == '/' &&
		    !strchr(path + l + 1, '/'))
			return true;
	}
	return false;
}

/* ---- musl's path file ----------------------------------------------- */

static char *musl_sys_path;
static char *musl_path_file;

/* musl reads <prefix>/etc/ld-musl-x86_64.path, the prefix being the loader's
 * path minus its last two components ("" for /lib/ld-musl-x86_64.so.1). */
static void load_musl_path(void)
{
	const char *t = interp_path, *z = interp_path;
	FILE *f;

	for (const char *s = interp_path; *s; s++)
		if (*s == '/') {
			z = t;
			t = s;
		}
	musl_path_file = xasprintf("%.*s/etc/ld-musl-x86_64.path", (int)(z - interp_path), interp_path);
	f = fopen_path(musl_path_file);
	if (f) {
		size_t len = 0;
		char buf[4096];
		size_t n;

		musl_sys_path = xmalloc(1);
		while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
			musl_sys_path = xrealloc(musl_sys_path, len + n + 1);
			memcpy(musl_sys_path + len, buf, n);
			len += n;
		}
		musl_sys_path[len] = 0;
		fclose(f);
	} else {
		free(musl_path_file);
		musl_path_file = NULL;
		musl_sys_path = xstrdup(MUSL_DEFAULT_PATH);
	}
}

/* musl's path_open: elements split on ':' or newline, an empty element ends
 * the list, and the first file that opens is taken (checked only later). */
static bool musl_try_list(struct search *s, const char *list)
{
	const char *p = list;

	for (;;) {
		p += strspn(p, ":\n");
		size_t l = strcspn(p, ":\n");

		if (l == 0)
			return false;
		char *path = xasprintf("%.*s/%s", (int)l, p, s->name);
		char why[256];
		struct obj tmp;
		enum verdict v;

		memset(&tmp, 0, sizeof tmp);
		v = load_elf(path, &tmp, NULL, why, sizeof why);
		if (verbose)
			fprintf(stderr, "ldwalk:   trying %s%s%s\n", path, v == V_OK ? "" : ": ",
				v == V_OK ? "" : why);
		if (v == V_OK) {
			s->found = path;
			s->tmp = tmp;
			return true;
		}
		if (v != V_MISSING) {
			error("%s: %s (tried for %s, needed by %s)", path, why, s->name, s->needer->path);
			free(path);
			s->stop = true;
			return true;
		}
		free(path);
		p += l;
	}
}

static bool musl_default_dir(const char *path)
{
	const char *p = MUSL_DEFAULT_PATH;

	while (*p) {
		size_t l = strcspn(p, ":");

		if (strncmp(path, p, l) == 0 && path[l] == '/' && !strchr(path + l + 1, '/'))
			return true;
		p += l + (p[l] == ':');
	}
	return false;
}

/* ---- resolving one dependency --------------------------------------- */

/* Finds (or loads) the object `name` of `needer` resolves to, following the
 * loader's order. Returns NULL when not found (reported unless optional). */
static struct obj *resolve(const char *rawname, struct obj *needer, bool optional)
{
	struct search s;
	enum kind kind = K_LIB;
	char *name;
	struct obj *o;

	memset(&s, 0, sizeof s);
	if (musl) {
		if (musl_reserved(rawname))
			return interp_obj;
		name = xstrdup(rawname);
	} else {
		/* glibc expands tokens in DT_NEEDED names too. */
		name = expand_dst(needer, rawname);
		if (!*name) {
			error("%s: empty dynamic string token substitution (needed by %s)", rawname, needer->path);
			free(name);
			return NULL;
		}
	}
	s.name = name;
	s.needer = needer;

	if (!(musl && strchr(name, '/'))) {
		o = find_loaded(name);
		if (o) {
			free(name);
			return o;
		}
	}
	if (strchr(name, '/')) {
		try_path(&s, name);
	} else if (musl) {
		/* musl: rpath (RUNPATH over RPATH) of the needer and its whole
		 * chain of needers, then the system path. */
		for (const struct obj *p = needer; p && !s.found && !s.stop; p = p->loader) {
			const char *rp = p->runpath ? p->runpath : p->rpath;
			char *ex;

			if (!rp)
				continue;
			ex = expand_dst(p, rp);
			if (ex) {
				musl_try_list(&s, ex);
				free(ex);
			}
		}
		if (!s.found && !s.stop) {
			musl_try_list(&s, musl_sys_path);
			if (s.found && musl_path_file && !musl_default_dir(s.found)) {
				kind = K_LIBCONF;
				conf_used = musl_path_file;
			}
		}
	} else {
		/* DT_RPATH of the needer and its loaders, then of the program,
		 * unless the needer has DT_RUNPATH (glibc's _dl_map_object). */
		if (!needer->runpath) {
			const struct obj *p;
			bool main_seen = false;

			for (p = needer; p && !s.found && !s.stop; p = p->loader) {
				if (p->kind == K_EXE)
					main_seen = true;
				if (p->rpath)
					try_list(&s, p, p->rpath, "RPATH");
			}
			if (!main_seen && !s.found && !s.stop && objs[0]->rpath)
				try_list(&s, objs[0], objs[0]->rpath, "RPATH");
		}
		/* LD_LIBRARY_PATH would come here: a rootfs has none set. */
		if (!s.found && !s.stop && needer->runpath)
			try_list(&s, needer, needer->runpath, "RUNPATH");
		if (!s.found && !s.stop) {
			if (use_conf) {
				for (size_t i = 0; i < nconf_dirs && !s.found && !s.stop; i++) {
					if (needer->nodeflib && is_default_dir(conf_dirs[i]))
						continue;
					try_dir(&s, conf_dirs[i]);
				}
				if (s.found)
					kind = K_LIBCONF;
			} else {
				const char *c = cache_lookup(name);

				if (verbose && c)
					fprintf(stderr, "ldwalk:  %s: %s\n", LD_SO_CACHE, c);
				if (c && !(needer->nodeflib && is_default_dir(c))) {
					/* Only the cache's first entry is tried. */
					try_path(&s, c);
					if (s.found) {
						kind = K_LIBCONF;
						if (!is_default_dir(s.found))
							conf_used = LD_SO_CACHE;
					}
				}
			}
		}
		if (!s.found && !s.stop && !needer->nodeflib)
			for (size_t i = 0; i < sizeof glibc_default_dirs / sizeof *glibc_default_dirs &&
					   !s.found && !s.stop; i++)
				try_dir(&s, glibc_default_dirs[i]);
		/* A library found through the cache in a default directory is
		 * found there without the cache too. */
		if (kind == K_LIBCONF && s.found && is_default_dir(s.found))
			kind = K_LIB;
	}
	if (s.stop) {
		free(name);
		return NULL;
	}
	if (!s.found) {
		if (!optional)
			error("%s: not found (needed by %s)%s%s", name, needer->path,
			      s.skipped ? "; skipped incompatible " : "", s.skipped ? s.skipped : "");
		free(s.skipped);
		free(name);
		return NULL;
	}
	free(s.skipped);
	/* The same file under another name is the same object (ld.so compares
	 * device and inode after opening). */
	o = find_file(s.tmp.dev, s.tmp.ino);
	if (o) {
		push_str(&o->names, &o->nnames, name);
		free_fields(&s.tmp);
		free(s.found);
		free(name);
		return o;
	}
	o = new_obj(s.found, kind, needer);
	o->names = NULL;
	o->nnames = 0;
	push_str(&o->names, &o->nnames, name);
	o->soname = s.tmp.soname;
	o->rpath = s.tmp.rpath;
	o->runpath = s.tmp.runpath;
	o->nodeflib = s.tmp.nodeflib;
	o->deps = s.tmp.deps;
	o->dep_optional = s.tmp.dep_optional;
	o->ndeps = s.tmp.ndeps;
	o->dev = s.tmp.dev;
	o->ino = s.tmp.ino;
	free(s.found);
	free(name);
	return o;
}

/* Frees what a walk allocated and resets the state for another. */
static void walk_free(void)
{
	for (size_t i = 0; i < nobjs; i++) {
		free(objs[i]->path);
		free_fields(objs[i]);
		free(objs[i]);
	}
	for (size_t i = 0; i < nconf_dirs; i++)
		free(conf_dirs[i]);
	free(objs);
	free(queue);
	free(cache);
	free(conf_dirs);
	free(conf_files);
	free(musl_sys_path);
	free(musl_path_file);
	free((char *)interp_path);
	objs = queue = NULL;
	nobjs = nqueue = 0;
	musl = false;
	errors = 0;
	interp_obj = NULL;
	interp_path = conf_used = NULL;
	cache = NULL;
	cache_size = 0;
	cache_tried = false;
	cache_new = NULL;
	cache_nlibs = 0;
	conf_dirs = NULL;
	nconf_dirs = 0;
	conf_files = NULL;
	nconf_files = 0;
	musl_sys_path = musl_path_file = NULL;
}

/* Prints prog's closure on stdout; returns the exit status (usage says
 * which). use_conf and verbose are the options. */
static int walk(const char *prog)
{
	char why[256];
	char *interp = NULL;
	struct obj *exe;

	exe = new_obj(prog, K_EXE, NULL);
	enum verdict v = load_elf(prog, exe, &interp, why, sizeof why);

	interp_path = interp;
	switch (v) {
	case V_OK:
		break;
	case V_MISSING:
		fprintf(stderr, "ldwalk: %s: %s\n", prog, why);
		return 2;
	case V_NOTELF:
		fprintf(stderr, "ldwalk: %s: not an ELF file (%s)\n", prog, why);
		return 2;
	case V_OTHER:
	case V_BAD:
		fprintf(stderr, "ldwalk: %s: not an x86-64 ELF program: %s\n", prog, why);
		return 2;
	}
	printf("%s %s\n", kind_name[K_EXE], prog);

	if (interp) {
		struct obj tmp;

		musl = strstr(interp, "/ld-musl-") != NULL;
		memset(&tmp, 0, sizeof tmp);
		switch (load_elf(interp, &tmp, NULL, why, sizeof why)) {
		case V_OK:
			break;
		case V_MISSING:
			error("%s: interpreter not found: %s (needed by %s)", interp, why, prog);
			return 1;
		default:
			error("%s: unusable interpreter: %s (needed by %s)", interp, why, prog);
			return 1;
		}
		/* glibc's ld.so is on the list before any dependency, under its
		 * PT_INTERP path and its soname; it is walked only if needed. */
		interp_obj = new_obj(interp, K_INTERP, NULL);
		push_str(&interp_obj->names, &interp_obj->nnames, interp);
		interp_obj->soname = tmp.soname;
		interp_obj->rpath = tmp.rpath;
		interp_obj->runpath = tmp.runpath;
		interp_obj->deps = tmp.deps;
		interp_obj->dep_optional = tmp.dep_optional;
		interp_obj->ndeps = tmp.ndeps;
		interp_obj->dev = tmp.dev;
		interp_obj->ino = tmp.ino;
		printf("%s %s\n", kind_name[K_INTERP], interp);
	} else if (exe->ndeps && verbose) {
		fprintf(stderr, "ldwalk: %s has no PT_INTERP: a shared library or a "
			"program without loader; walking its DT_NEEDED anyway\n", prog);
	}
	init_subdirs();
	if (musl)
		load_musl_path();
	else if (use_conf)
		parse_conf(LD_SO_CONF);

	/* Breadth-first over DT_NEEDED, as _dl_map_object_deps and musl's
	 * load_deps do: the order decides each library's loader, hence which
	 * DT_RPATHs it inherits. */
	enqueue(exe);
	for (size_t qi = 0; qi < nqueue; qi++) {
		struct obj *o = queue[qi];

		for (size_t i = 0; i < o->ndeps; i++) {
			struct obj *d = resolve(o->deps[i], o, o->dep_optional[i]);

			if (verbose)
				fprintf(stderr, "ldwalk: %s => %s (needed by %s)\n", o->deps[i],
					d ? d->path : "not found", o->path);
			if (d)
				enqueue(d);
		}
	}
	for (size_t i = 0; i < nobjs; i++)
		if (objs[i]->kind == K_LIB || objs[i]->kind == K_LIBCONF)
			printf("%s %s\n", kind_name[objs[i]->kind], objs[i]->path);
	if (conf_used)
		printf("conf %s\n", conf_used);
	return errors ? 1 : 0;
}

#ifndef LDWALK_NO_MAIN
static void usage(void)
{
	fprintf(stderr,
		"usage: ldwalk [-C] [-v] [-R ROOT] PROGRAM\n"
		"Prints the files the dynamic loader would map for PROGRAM, one per line\n"
		"as KIND PATH (the path is the rest of the line), without running it:\n"
		"  exe PATH      the program itself (always the first line)\n"
		"  interp PATH   its PT_INTERP loader\n"
		"  lib PATH      a library found by path, DT_RPATH, DT_RUNPATH or a\n"
		"                default directory\n"
		"  libconf PATH  a library found through the loader's configuration\n"
		"                (ld.so.cache, ld.so.conf, ld-musl-x86_64.path)\n"
		"  conf PATH     a configuration file the loader needs to find a libconf\n"
		"                library outside its built-in directories\n"
		"  -C  search the /etc/ld.so.conf directories instead of /etc/ld.so.cache\n"
		"  -R ROOT  take PROGRAM and every path inside the folder ROOT (a rootfs:\n"
		"           \"..\" and symbolic links stay inside it), printing the paths\n"
		"           the program sees there\n"
		"  -v  explain the search on stderr\n"
		"Exits 1 (naming the library and who needs it) when something is missing\n"
		"or unusable, 2 on usage errors and inputs that are not x86-64 programs.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, st;

	while ((opt = getopt(argc, argv, "CR:vh")) != -1) {
		switch (opt) {
		case 'C':
			use_conf = true;
			break;
		case 'R':
			root_fd = open(optarg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (root_fd < 0) {
				fprintf(stderr, "ldwalk: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "ldwalk: libelf: %s\n", elf_errmsg(-1));
		return 1;
	}
	st = walk(argv[optind]);
	walk_free();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ldwalk: write error: %s\n", strerror(errno));
		return 1;
	}
	return st;
}
#endif /* LDWALK_NO_MAIN */
