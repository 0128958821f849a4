/* Building a program's image: the first program at boot and every execve.
 * First everything that can fail for the caller's reasons (the file, its
 * #! interpreter chain, the ELF checks, the dynamic loader); then the new
 * address space, built beside the old one, which the caller keeps if
 * building fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libelf.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include <uk/mm.h>
#include <uk/process.h>
#include "loader.h"

/* Linux's limits: four levels of #! (BINPRM_MAX_RECURSION), and the
 * interpreter line within the first 256 bytes (BINPRM_BUF_SIZE). */
#define MAX_SCRIPT_DEPTH 4
#define SHEBANG_MAX 256

/* Opens an executable: a regular file with an execute bit. */
static int open_exec(int dirfd, const char *path, int flags, struct uk_file **out)
{
	struct uk_file *f;
	int oflags = O_RDONLY | UK_O_EXEC | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	if ((flags & AT_EMPTY_PATH) && !*path) {
		/* execveat(fd, "", ..., AT_EMPTY_PATH): the file fd names. */
		if (!(f = uk_fd_get(dirfd)))
			return -EBADF;
		uk_file_get(f);
	} else {
		int rc = uk_vfs_open(dirfd, path, oflags, 0, &f);
		if (rc)
			return rc;
	}
	/* A regular file the caller may execute (some x bit even for root). */
	int rc = S_ISREG(f->vn->mode) ? uk_vfs_permission(f->vn, UK_MAY_EXEC) : -EACCES;
	if (rc) {
		uk_file_put(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* Reads up to len bytes from the start of f into a new buffer. */
static int read_head(struct uk_file *f, size_t len, char **out, size_t *got)
{
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	ssize_t n = uk_file_read(f, buf, len, 0, 0);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	*out = buf;
	*got = n;
	return 0;
}

/* "#!interp [arg]": the interpreter and its one optional argument, as
 * Linux splits the line (spaces and tabs around them, the argument kept
 * whole). ENOEXEC when there is no interpreter. */
static int parse_shebang(const char *img, size_t len, char **interp, char **arg)
{
	size_t n = len < SHEBANG_MAX ? len : SHEBANG_MAX;
	const char *end = memchr(img, '\n', n);
	if (!end)
		end = img + n;
	const char *p = img + 2;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *i0 = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	if (p == i0)
		return -ENOEXEC;
	const char *i1 = p;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *a0 = p, *a1 = end;
	while (a1 > a0 && (a1[-1] == ' ' || a1[-1] == '\t' || a1[-1] == '\r'))
		a1--;
	*interp = strndup(i0, i1 - i0);
	*arg = a1 > a0 ? strndup(a0, a1 - a0) : NULL;
	if (!*interp || (a1 > a0 && !*arg)) {
		free(*interp);
		free(*arg);
		return -ENOMEM;
	}
	return 0;
}

/* Memory the arguments hold, freed with them. */
static int own(struct uk_exec_args *a, void *p)
{
	if (!p || a->nowned == UK_EXEC_MAX_OWNED) {
		free(p);
		return -ENOMEM;
	}
	a->owned[a->nowned++] = p;
	return 0;
}

void uk_exec_args_free(struct uk_exec_args *a)
{
	while (a->nowned)
		free(a->owned[--a->nowned]);
}

/* The script's argv: interpreter, its argument, the script's path, then
 * the original arguments after argv[0]; one block that a owns. */
static int script_args(struct uk_exec_args *a, const char *interp, const char *arg)
{
	int rest = a->argc > 1 ? a->argc - 1 : 0;
	size_t strs = strlen(interp) + 1 + (arg ? strlen(arg) + 1 : 0) + strlen(a->path) + 1;
	char **v = malloc((3 + rest + 1) * sizeof(char *) + strs);
	if (own(a, v))
		return -ENOMEM;
	char *s = (char *)(v + 3 + rest + 1);
	int n = 0;
	v[n++] = s;
	s = stpcpy(s, interp) + 1;
	if (arg) {
		v[n++] = s;
		s = stpcpy(s, arg) + 1;
	}
	v[n++] = s;
	strcpy(s, a->path);
	memmove(v + n, a->argv + 1, rest * sizeof(char *));
	v[n + rest] = NULL;
	a->argv = v;
	a->argc = n + rest;
	a->path = v[0];
	return 0;
}

void uk_exec_image_free(struct uk_exec_image *im)
{
	if (im->file)
		uk_file_put(im->file);
	free(im->ph);
	free(im->interp);
	memset(im, 0, sizeof(*im));
}

/* What checking a file found, kept for the files executed last: a shell
 * runs the same few programs over and over, and the checks read the
 * whole file. Keyed by the file's identity and its size and times. */
struct checked {
	dev_t dev;
	uint64_t ino;
	off_t size;
	struct timespec_ns mtime, ctime;
	struct uk_elf_info info;
	GElf_Phdr *ph;
	size_t nph;
	char *interp;
	unsigned long used;
};
#define CHECKED_MAX 16
static struct checked checked[CHECKED_MAX];
static unsigned long checked_clock;

static int same_file(const struct checked *c, const struct uk_vnode *vn)
{
	return c->ph && c->dev == vn->mount->dev && c->ino == vn->ino && c->size == vn->size &&
	       c->mtime.sec == vn->mtime.sec && c->mtime.nsec == vn->mtime.nsec &&
	       c->ctime.sec == vn->ctime.sec && c->ctime.nsec == vn->ctime.nsec;
}

/* Fills im from a cache entry (copies: the entry may be reused). */
static int from_checked(const struct checked *c, struct uk_exec_image *im)
{
	im->info = c->info;
	im->nph = c->nph;
	im->ph = malloc(c->nph * sizeof(GElf_Phdr));
	im->interp = c->interp ? strdup(c->interp) : NULL;
	if (!im->ph || (c->interp && !im->interp))
		return -ENOMEM;
	memcpy(im->ph, c->ph, c->nph * sizeof(GElf_Phdr));
	im->info.interp = im->interp;
	return 0;
}

/* Reads the whole file and checks it; its program headers and interpreter
 * go into a cache entry. */
static int check_file(struct uk_file *f, struct checked *c, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = read_head(f, f->vn->size, &buf, &len);
	if (rc) {
		snprintf(err, errlen, "%s", uk_exec_strerror(rc));
		return rc;
	}
	rc = -ENOEXEC;
	if (uk_elf_validate(buf, len, &c->info, err, errlen))
		goto out;
	Elf *e = elf_memory(buf, len);
	c->nph = c->info.phnum;
	c->ph = e ? malloc(c->nph * sizeof(GElf_Phdr)) : NULL;
	c->interp = c->info.interp ? strdup(c->info.interp) : NULL;
	if (!c->ph || (c->info.interp && !c->interp)) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	} else {
		rc = 0;
		for (size_t i = 0; i < c->nph && !rc; i++)
			if (!gelf_getphdr(e, i, &c->ph[i]))
				rc = -ENOEXEC;
	}
	if (e)
		elf_end(e);
	c->info.interp = c->interp;
out:
	free(buf);
	return rc;
}

/* Opens and checks an ELF object (the program or its interpreter). */
static int read_elf(int dirfd, const char *path, int flags, struct uk_exec_image *im,
		    char *err, size_t errlen)
{
	memset(im, 0, sizeof(*im));
	int rc = open_exec(dirfd, path, flags, &im->file);
	if (rc) {
		snprintf(err, errlen, "%s", uk_exec_strerror(rc));
		return rc;
	}
	struct uk_vnode *vn = im->file->vn;
	struct checked *c = NULL, *victim = &checked[0];
	for (int i = 0; i < CHECKED_MAX && !c; i++) {
		if (same_file(&checked[i], vn))
			c = &checked[i];
		else if (checked[i].used < victim->used)
			victim = &checked[i];
	}
	if (!c) {
		free(victim->ph);
		free(victim->interp);
		memset(victim, 0, sizeof(*victim));
		rc = check_file(im->file, victim, err, errlen);
		if (rc) {
			free(victim->ph);
			free(victim->interp);
			memset(victim, 0, sizeof(*victim));
			uk_exec_image_free(im);
			return rc;
		}
		c = victim;
		c->dev = vn->mount->dev;
		c->ino = vn->ino;
		c->size = vn->size;
		c->mtime = vn->mtime;
		c->ctime = vn->ctime;
	}
	c->used = ++checked_clock;
	rc = from_checked(c, im);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		uk_exec_image_free(im);
	}
	return rc;
}

int uk_exec_prepare(int dirfd, int flags, struct uk_exec_args *a, struct uk_exec_prep *prep,
		    char *err, size_t errlen)
{
	memset(prep, 0, sizeof(*prep));
	for (int depth = 0;; depth++) {
		struct uk_file *f;
		char *img = NULL;
		size_t len = 0;
		int rc = open_exec(dirfd, a->path, flags, &f);
		if (!rc) {
			rc = read_head(f, SHEBANG_MAX, &img, &len);
			uk_file_put(f);
		}
		if (rc) {
			snprintf(err, errlen, "%s", uk_exec_strerror(rc));
			return rc;
		}
		if (len < 2 || img[0] != '#' || img[1] != '!') {
			free(img);
			break;
		}
		if (depth == MAX_SCRIPT_DEPTH) {
			free(img);
			snprintf(err, errlen, "too many levels of #! interpreters");
			return -ELOOP;
		}
		char *interp, *arg;
		rc = parse_shebang(img, len, &interp, &arg);
		free(img);
		if (!rc) {
			rc = script_args(a, interp, arg);
			free(interp);
			free(arg);
		}
		if (rc) {
			snprintf(err, errlen, "%s", rc == -ENOEXEC ? "a #! line without an interpreter" :
				 "out of memory");
			return rc;
		}
		dirfd = AT_FDCWD;	/* the interpreter's path is its own */
		flags = 0;
	}
	int rc = read_elf(dirfd, a->path, flags, &prep->prog, err, errlen);
	if (rc)
		return rc;
	if (prep->prog.info.interp) {
		prep->what = "interpreter ";
		prep->interp_path = strdup(prep->prog.info.interp);
		if (!prep->interp_path)
			rc = -ENOMEM;
		else
			rc = read_elf(AT_FDCWD, prep->interp_path, 0, &prep->interp, err, errlen);
		if (!rc && (prep->interp.info.type != ET_DYN || prep->interp.info.interp)) {
			snprintf(err, errlen, "not a shared object");
			rc = -ELIBBAD;
		}
		if (rc) {
			uk_exec_prep_free(prep);
			return rc;
		}
		prep->what = NULL;
	}
	return 0;
}

void uk_exec_prep_free(struct uk_exec_prep *prep)
{
	uk_exec_image_free(&prep->prog);
	uk_exec_image_free(&prep->interp);
	free(prep->interp_path);
	prep->interp_path = NULL;
}

/* Maps one checked object; an ET_DYN goes to base, or (0) anywhere free. */
static int map_object(struct uk_exec_image *im, unsigned long base, struct uk_loaded *out,
		      char *err, size_t errlen)
{
	if (im->info.type == ET_DYN && !base) {
		size_t span = im->info.vaddr_max - im->info.vaddr_min;
		base = uk_mm_find_gap(span, im->info.max_align, UK_MM_MMAP_TOP);
		if (!base) {
			snprintf(err, errlen, "no room in the address space");
			return -ENOMEM;
		}
	}
	return uk_elf_map(im, base, out, err, errlen);
}

int uk_exec_build(struct uk_exec_args *a, struct uk_exec_prep *prep,
		  struct uk_exec_result *res, char *err, size_t errlen)
{
	struct uk_process *p = uk_proc();
	struct uk_mm *old = p->mm, *mm = uk_mm_new();
	if (!mm) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->mm = mm;
	uk_mm_switch(mm);
	struct uk_loaded prog, interp;
	int rc = map_object(&prep->prog, CONFIG_ELFLOADER_PIE_BASE, &prog, err, errlen);
	unsigned long entry = prog.entry, interp_base = 0;
	if (!rc && prep->interp_path) {
		rc = map_object(&prep->interp, 0, &interp, err, errlen);
		if (rc)
			prep->what = "interpreter ";
		entry = interp.entry;
		interp_base = interp.bias;
	}
	unsigned long sp = 0;
	if (!rc) {
		uk_mm_set_brk_base(prog.end);
		sp = uk_exec_build_stack(a, &prog, interp_base);
		if (!sp) {
			snprintf(err, errlen, "out of memory for the stack");
			rc = -ENOMEM;
		}
	}
	if (rc) {
		p->mm = old;
		uk_mm_switch(old);
		uk_mm_put(mm);
		return rc < 0 ? rc : -ENOEXEC;
	}
	res->old_mm = old;
	res->entry = entry;
	res->sp = sp;
	res->prog = prog;
	res->interp_base = interp_base;
	return 0;
}

const char *uk_exec_strerror(int err)
{
	switch (-err) {
	case ENOENT: return "no such file or directory";
	case ENOTDIR: return "a path component is not a directory";
	case EACCES: return "not a regular file with an execute bit";
	case ELOOP: return "too many levels of symbolic links";
	case ENOMEM: return "out of memory";
	case ENAMETOOLONG: return "file name too long";
	default: return "cannot read";
	}
}
