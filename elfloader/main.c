/* The loader's main: finds the program named on the command line in the
 * initrd, validates and maps it, builds its stack and enters it. Failures
 * print one line naming the problem and end with a shell-like status:
 * 127 not found, 126 not executable, 125 no initrd or no memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libelf.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/cpio.h>
#include <uk/mm.h>
#include <uk/process.h>
#include "loader.h"

int uk_app_main(void)
{
	struct uk_exec_args args;
	struct ukplat_module rd;
	struct uk_cpio_entry file;
	struct uk_elf_info info;
	struct uk_loaded prog;
	char err[256];

	int rc = uk_exec_parse_cmdline(ukplat_cmdline(), &args);
	if (rc) {
		printf("elfloader: no program given (boot arguments: \"%s\"); "
		       "expected \"-- /path/to/program [args...]\"\n", ukplat_cmdline());
		return 125;
	}
	if (ukplat_initrd(&rd)) {
		printf("elfloader: no initrd: nothing to run %s from\n", args.path);
		return 125;
	}
	rc = uk_cpio_find(rd.data, rd.len, args.path, &file);
	if (rc < 0) {
		printf("elfloader: the initrd is not a valid newc cpio archive\n");
		return 125;
	}
	if (rc == 0) {
		printf("elfloader: %s: not found in the initrd\n", args.path);
		return 127;
	}
	if ((file.mode & 0170000) != 0100000) {
		printf("elfloader: %s: not a regular file\n", args.path);
		return 126;
	}
	elf_version(EV_CURRENT);
	if (uk_elf_validate(file.data, file.size, &info, err, sizeof(err))) {
		printf("elfloader: %s: cannot execute: %s\n", args.path, err);
		return 126;
	}
	if (info.interp) {
		printf("elfloader: %s: dynamically linked (interpreter %s): "
		       "not supported yet\n", args.path, info.interp);
		return 126;
	}
	rc = uk_elf_load(file.data, file.size, &info, CONFIG_ELFLOADER_PIE_BASE,
			 &prog, err, sizeof(err));
	if (rc) {
		printf("elfloader: %s: %s\n", args.path, err);
		return rc == -ENOMEM ? 125 : 126;
	}
	uk_mm_set_brk_base(prog.end);
	uk_process_set_exe(args.path);
	unsigned long sp = uk_exec_build_stack(&args, &prog, 0);
	if (!sp) {
		printf("elfloader: %s: out of memory for the stack\n", args.path);
		return 125;
	}
#if CONFIG_ELFLOADER_VERBOSE
	args.verbose = 1;
#endif
	if (args.verbose)
		printf("elfloader: %s loaded at base %#lx, entry %#lx\n", args.path,
		       prog.bias, prog.entry);
	ukplat_enter_app(prog.entry, sp);
}
