/* The extra part of a crash report: the code bytes at the faulting rip
 * and the program's frame-pointer chain, read only where the program has
 * memory (a report must not fault). */
#include <stdio.h>
#include <linux/mman.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include "signal_internal.h"

static int readable(unsigned long a, unsigned long len)
{
	for (unsigned long end = a + len; a < end;) {
		struct uk_vma *v = uk_mm_find(a);
		if (!v || !(v->prot & (PROT_READ | PROT_EXEC)))
			return 0;
		a = v->end;
	}
	return 1;
}

void __attribute__((weak)) uk_crash_report_extra(struct __regs *r)
{
	if (r->rip < USER_TOP && readable(r->rip, 16)) {
		const unsigned char *p = (const unsigned char *)r->rip;
		printf("code at rip:");
		for (int i = 0; i < 16; i++)
			printf(" %02x", p[i]);
		printf("\n");
	}
	unsigned long bp = r->rbp;
	printf("program frames:\n  #0 %016lx\n", r->rip);
	for (int depth = 1; depth < 16 && bp < USER_TOP && !(bp & 7) &&
	     readable(bp, 16); depth++) {
		unsigned long ret = ((unsigned long *)bp)[1];
		if (!ret || ret >= USER_TOP)
			break;
		printf("  #%d %016lx\n", depth, ret);
		bp = ((unsigned long *)bp)[0];
	}
}
