/* The loader's main: runs the program named on the boot command line as
 * PID 1, through the same steps as execve (elfloader/exec.c). Failures
 * print one line naming the problem and end with a shell-like status:
 * 127 not found, 126 not executable, 125 no memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libelf.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/process.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include <linux/fcntl.h>
#include "loader.h"

static int status_for(int err)
{
	return err == -ENOENT || err == -ENOTDIR ? 127 : err == -ENOMEM ? 125 : 126;
}

int uk_app_main(void)
{
	struct uk_exec_args args;
	struct uk_exec_prep prep;
	struct uk_exec_result res;
	char err[256];

	int rc = uk_exec_parse_cmdline(ukplat_cmdline(), &args);
	if (rc) {
		printf("elfloader: no program given (boot arguments: \"%s\"); "
		       "expected \"-- /path/to/program [args...]\"\n", ukplat_cmdline());
		return 125;
	}
	if (args.cwd && (rc = uk_vfs_chdir(args.cwd))) {
		printf("elfloader: cwd=%s: %s\n", args.cwd, uk_exec_strerror(rc));
		return status_for(rc);
	}
	elf_version(EV_CURRENT);
	const char *path = args.path;
	rc = uk_exec_prepare(AT_FDCWD, 0, &args, &prep, err, sizeof(err));
	if (rc) {
		const char *which = prep.what ? prep.interp_path : args.path;
		printf("elfloader: %s%s: %s%s\n", prep.what ? prep.what : "",
		       which ? which : path, rc == -ENOEXEC ? "cannot execute: " : "", err);
		return status_for(rc);
	}
	rc = uk_exec_build(&args, &prep, &res, err, sizeof(err));
	if (rc) {
		printf("elfloader: %s%s: %s\n", prep.what ? prep.what : "",
		       prep.what ? prep.interp_path : args.path, err);
		return status_for(rc);
	}
	uk_mm_put(res.old_mm);
	char *exe = uk_exec_exe_path(args.path);
	uk_process_set_exe(exe ? exe : args.path, args.argv);
	free(exe);
	uk_process_set_image_base(res.prog.bias);
#if CONFIG_ELFLOADER_VERBOSE
	args.verbose = 1;
#endif
	if (args.verbose) {
		printf("elfloader: boot arguments: %s\n", ukplat_cmdline());
		printf("elfloader: %s loaded at base %#lx, entry %#lx\n", args.path,
		       res.prog.bias, res.prog.entry);
		if (prep.interp_path)
			printf("elfloader: %s loaded at base %#lx, entry %#lx\n",
			       prep.interp_path, res.interp_base, res.entry);
	}
	uk_exec_prep_free(&prep);
	ukplat_enter_app(res.entry, res.sp);
}
