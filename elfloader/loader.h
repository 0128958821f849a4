/* Internal interfaces of the ELF loader. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <uk/elf_validate.h>

struct uk_exec_args {
	int argc, envc;
	char **argv;		/* NULL-terminated */
	char **envp;		/* NULL-terminated */
	const char *path;	/* the program, as named on the command line */
	int verbose;
};

/* Parses "[options] -- program args..." from the boot command line;
 * options env=NAME=VALUE add to the environment; %XX decodes any byte. */
int uk_exec_parse_cmdline(const char *cmdline, struct uk_exec_args *a);

struct uk_loaded {
	unsigned long bias;	/* added to the file's addresses */
	unsigned long entry;	/* relocated entry point */
	unsigned long phdr;	/* relocated address of the program headers */
	unsigned long end;	/* end of the highest segment */
	uint16_t phnum;
};

/* Maps the PT_LOAD segments of a validated ELF image. Returns 0 or -errno
 * with a message in err. */
int uk_elf_load(const void *image, size_t len, const struct uk_elf_info *info,
		unsigned long base, struct uk_loaded *out, char *err, size_t errlen);

/* Builds the initial stack; returns the stack pointer for _start, or 0
 * when out of memory. */
unsigned long uk_exec_build_stack(const struct uk_exec_args *a,
				  const struct uk_loaded *prog,
				  unsigned long interp_base);
