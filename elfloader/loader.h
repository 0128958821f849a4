/* Internal interfaces of the ELF loader. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <gelf.h>
#include <uk/elf_validate.h>

#define UK_EXEC_MAX_OWNED 16

struct uk_exec_args {
	int argc, envc;
	char **argv;		/* NULL-terminated */
	char **envp;		/* NULL-terminated */
	const char *path;	/* the program, as named on the command line */
	const char *cwd;	/* the boot argument cwd=: its working directory */
	int verbose;
	void *owned[UK_EXEC_MAX_OWNED];	/* what uk_exec_args_free frees */
	int nowned;
};
void uk_exec_args_free(struct uk_exec_args *a);

/* Parses "[options] -- program args..." from the boot command line;
 * options env=NAME=VALUE add to the environment, cwd=DIR sets the working
 * directory; %XX decodes any byte. */
int uk_exec_parse_cmdline(const char *cmdline, struct uk_exec_args *a);

struct uk_loaded {
	unsigned long bias;	/* added to the file's addresses */
	unsigned long entry;	/* relocated entry point */
	unsigned long phdr;	/* relocated address of the program headers */
	unsigned long end;	/* end of the highest segment */
	uint16_t phnum;
};


/* Builds the initial stack; returns the stack pointer for _start, or 0
 * when out of memory. */
unsigned long uk_exec_build_stack(const struct uk_exec_args *a,
				  const struct uk_loaded *prog,
				  unsigned long interp_base);

/* One checked ELF object: its open file, what the checks found and its
 * program headers (info.interp points at interp). */
struct uk_file;
struct uk_exec_image {
	struct uk_file *file;
	struct uk_elf_info info;
	GElf_Phdr *ph;
	size_t nph;
	char *interp;
};
void uk_exec_image_free(struct uk_exec_image *im);
/* Maps the PT_LOAD segments of a checked object (an ET_DYN at base) into
 * the running process's space. 0 or -errno with a message in err. */
int uk_elf_map(struct uk_exec_image *im, unsigned long base, struct uk_loaded *out,
	       char *err, size_t errlen);

/* What exec has read and checked before touching the address space. */
struct uk_exec_prep {
	struct uk_exec_image prog, interp;
	char *interp_path;	/* the program's PT_INTERP, or NULL */
	const char *what;	/* "interpreter " when the error is the interpreter's */
};

/* Reads the program a->path names (relative to dirfd; flags: execveat's
 * AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW), following #! lines (a's
 * arguments rewritten as Linux does), and its ELF interpreter; checks
 * them. 0, or -errno with the reason in err. */
int uk_exec_prepare(int dirfd, int flags, struct uk_exec_args *a,
		    struct uk_exec_prep *prep, char *err, size_t errlen);
void uk_exec_prep_free(struct uk_exec_prep *prep);

struct uk_mm;
struct uk_exec_result {
	struct uk_mm *old_mm;	/* the caller's previous space, to drop */
	unsigned long entry, sp, interp_base;
	struct uk_loaded prog;
};

/* Builds the program's image in a new address space and makes it the
 * running process's; on failure the old one stays (-errno, err). */
int uk_exec_build(struct uk_exec_args *a, struct uk_exec_prep *prep,
		  struct uk_exec_result *res, char *err, size_t errlen);
const char *uk_exec_strerror(int err);
/* /proc/self/exe's path for the program exec was given PATH: the file's
 * own path from the root (malloc'd), or NULL. */
char *uk_exec_exe_path(const char *path);
