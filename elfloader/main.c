/* The loader's main: finds the program named on the command line in the
 * root file system, validates and maps it, builds its stack and enters it. Failures
 * print one line naming the problem and end with a shell-like status:
 * 127 not found, 126 not executable, 125 no memory. A program with
 * PT_INTERP gets its interpreter mapped beside it and starts there. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libelf.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <stdlib.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include <uk/mm.h>
#include <uk/process.h>
#include "loader.h"

/* Reads a whole file from the VFS into a new buffer. */
static int read_file(const char *path, char **out, size_t *len)
{
	struct uk_file *f;
	int rc = uk_vfs_open(AT_FDCWD, path, O_RDONLY, 0, &f);
	if (rc)
		return rc;
	if (!S_ISREG(f->vn->mode)) {
		uk_file_put(f);
		return -EACCES;
	}
	size_t size = f->vn->size;
	char *buf = malloc(size ? size : 1);
	if (!buf) {
		uk_file_put(f);
		return -ENOMEM;
	}
	ssize_t n = uk_file_read(f, buf, size, 0, 0);
	uk_file_put(f);
	if (n < 0 || (size_t)n != size) {
		free(buf);
		return n < 0 ? (int)n : -EIO;
	}
	*out = buf;
	*len = size;
	return 0;
}

static int status_for(int err)
{
	return err == -ENOENT || err == -ENOTDIR ? 127 : err == -ENOMEM ? 125 : 126;
}

static const char *errstr(int err)
{
	switch (-err) {
	case ENOENT: return "no such file or directory";
	case ENOTDIR: return "a path component is not a directory";
	case EACCES: return "not a regular file";
	case ELOOP: return "too many levels of symbolic links";
	case ENOMEM: return "out of memory";
	default: return "cannot read";
	}
}

/* Reads, validates and maps one ELF object; base is where an ET_DYN goes
 * (0: anywhere free in the mmap area). */
static int load_object(const char *path, const char *what, unsigned long base,
		       struct uk_elf_info *info, struct uk_loaded *out,
		       char **interp_copy)
{
	char *image = NULL, err[256];
	size_t len = 0;
	int rc = read_file(path, &image, &len);
	if (rc) {
		printf("elfloader: %s%s: %s\n", what, path, errstr(rc));
		return status_for(rc);
	}
	if (uk_elf_validate(image, len, info, err, sizeof(err))) {
		printf("elfloader: %s%s: cannot execute: %s\n", what, path, err);
		free(image);
		return 126;
	}
	if (info->type == ET_DYN && !base) {
		size_t span = info->vaddr_max - info->vaddr_min;
		base = uk_mm_find_gap(span, info->max_align, UK_MM_MMAP_TOP);
	}
	if (interp_copy)
		*interp_copy = info->interp ? strdup(info->interp) : NULL;
	rc = uk_elf_load(image, len, info, base, out, err, sizeof(err));
	free(image);
	if (rc) {
		printf("elfloader: %s%s: %s\n", what, path, err);
		return rc == -ENOMEM ? 125 : 126;
	}
	return 0;
}

int uk_app_main(void)
{
	struct uk_exec_args args;
	struct uk_elf_info info, iinfo;
	struct uk_loaded prog, interp;
	char *interp_path = NULL;

	int rc = uk_exec_parse_cmdline(ukplat_cmdline(), &args);
	if (rc) {
		printf("elfloader: no program given (boot arguments: \"%s\"); "
		       "expected \"-- /path/to/program [args...]\"\n", ukplat_cmdline());
		return 125;
	}
	elf_version(EV_CURRENT);
	rc = load_object(args.path, "", CONFIG_ELFLOADER_PIE_BASE, &info, &prog,
			 &interp_path);
	if (rc)
		return rc;
	unsigned long entry = prog.entry, interp_base = 0;
	if (interp_path) {
		rc = load_object(interp_path, "interpreter ", 0, &iinfo, &interp, NULL);
		if (rc)
			return rc;
		if (iinfo.type != ET_DYN || iinfo.interp) {
			printf("elfloader: interpreter %s: not a shared object\n", interp_path);
			return 126;
		}
		entry = interp.entry;
		interp_base = interp.bias;
	}
	uk_mm_set_brk_base(prog.end);
	uk_process_set_exe(args.path, args.argv);
	uk_process_set_image_base(prog.bias);
	unsigned long sp = uk_exec_build_stack(&args, &prog, interp_base);
	if (!sp) {
		printf("elfloader: %s: out of memory for the stack\n", args.path);
		return 125;
	}
#if CONFIG_ELFLOADER_VERBOSE
	args.verbose = 1;
#endif
	if (args.verbose) {
		printf("elfloader: boot arguments: %s\n", ukplat_cmdline());
		printf("elfloader: %s loaded at base %#lx, entry %#lx\n", args.path,
		       prog.bias, prog.entry);
		if (interp_path)
			printf("elfloader: %s loaded at base %#lx, entry %#lx\n",
			       interp_path, interp.bias, interp.entry);
	}
	ukplat_enter_app(entry, sp);
}
