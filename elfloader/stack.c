/* The Linux initial stack: argc, argv, envp and the auxiliary vector at
 * the stack pointer, the strings and AT_RANDOM's bytes above them. Built
 * in a kernel buffer, then copied to the top of the stack VMA with the
 * user-memory helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/auxvec.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/process.h>
#include <uk/random.h>
#include <uk/uaccess.h>
#include "loader.h"

#define PLATFORM "x86_64"
#define NAUX 24

unsigned long uk_exec_build_stack(const struct uk_exec_args *a,
				  const struct uk_loaded *prog,
				  unsigned long interp_base)
{
	unsigned long top = UK_MM_STACK_TOP;
	if (uk_mm_map_fixed(top - UK_MM_STACK_SIZE, UK_MM_STACK_SIZE,
			    PROT_READ | PROT_WRITE, UK_VMA_ANON | UK_VMA_STACK,
			    "[stack]"))
		return 0;

	/* Sizes: strings (execfn, env, args, platform), random bytes. */
	size_t strings = strlen(a->path) + 1 + sizeof(PLATFORM) + 16;
	for (int i = 0; i < a->argc; i++)
		strings += strlen(a->argv[i]) + 1;
	for (int i = 0; i < a->envc; i++)
		strings += strlen(a->envp[i]) + 1;
	size_t words = 1 + a->argc + 1 + a->envc + 1 + 2 * NAUX;
	size_t total = ((strings + 15) & ~15UL) + words * 8;
	total = (total + 15) & ~15UL;
	if (total > UK_MM_STACK_SIZE / 4)
		return 0;	/* E2BIG, as Linux's quarter-of-the-stack rule */

	char *buf = calloc(1, total);
	if (!buf)
		return 0;
	unsigned long sp = top - total;
	/* Strings fill the buffer from its end down. */
	size_t s_off = total;
#define PUT_STR(str) ({ size_t __l = strlen(str) + 1; s_off -= __l; \
		memcpy(buf + s_off, str, __l); sp + s_off; })
	unsigned long execfn = PUT_STR(a->path);
	unsigned long platform = PUT_STR(PLATFORM);
	unsigned long *envs = calloc(a->envc + 1, sizeof(long));
	unsigned long *args = calloc(a->argc + 1, sizeof(long));
	if (!envs || !args) {
		free(buf), free(envs), free(args);
		return 0;
	}
	for (int i = a->envc - 1; i >= 0; i--)
		envs[i] = PUT_STR(a->envp[i]);
	for (int i = a->argc - 1; i >= 0; i--)
		args[i] = PUT_STR(a->argv[i]);
#undef PUT_STR
	s_off -= 16;
	uk_random_fill(buf + s_off, 16);
	unsigned long random = sp + s_off;

	unsigned long *w = (unsigned long *)buf;
	size_t n = 0;
	w[n++] = a->argc;
	for (int i = 0; i < a->argc; i++)
		w[n++] = args[i];
	w[n++] = 0;
	for (int i = 0; i < a->envc; i++)
		w[n++] = envs[i];
	w[n++] = 0;
#define AUX(k, v) (w[n++] = (k), w[n++] = (unsigned long)(v))
	/* No AT_SYSINFO_EHDR: without a vDSO, libcs make real clock syscalls. */
	AUX(AT_HWCAP, ukplat_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, prog->phdr);
	AUX(AT_PHENT, 56);
	AUX(AT_PHNUM, prog->phnum);
	AUX(AT_BASE, interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, prog->entry);
	const struct uk_cred *c = &uk_proc()->cred;
	AUX(AT_UID, c->ruid);
	AUX(AT_EUID, c->euid);
	AUX(AT_GID, c->rgid);
	AUX(AT_EGID, c->egid);
	/* A set-ID program: its libc distrusts the environment. */
	AUX(AT_SECURE, c->euid != c->ruid || c->egid != c->rgid);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, ukplat_hwcap2());
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_NULL, 0);
#undef AUX
	free(envs);
	free(args);
	/* The stack VMA is the program's writable memory: the pages come on
	 * demand, as for any program write. */
	int rc = uk_copy_to_user((void *)sp, buf, total);
	free(buf);
	return rc ? 0 : sp;
}
