/* Out of memory: a page a program needs (a first touch, a copy-on-write
 * break, a page table) cannot be had. The process that needed it gets
 * SIGKILL, as Linux's OOM killer ends a task (status 137), and the console
 * says why and what to do. Linux picks the largest task instead; here the
 * faulting one goes, which is predictable and, in a guest without swap,
 * usually the one that grew. The first kills are told; a fork bomb's
 * hundreds are not. */
#include <stdio.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/process.h>

#define SIGKILL 9
#define TOLD_MAX 3

void uk_app_out_of_memory(void)
{
	static int told;
	struct uk_process *p = uk_proc();
	if (told < TOLD_MAX || p->pid == 1) {
		unsigned long mib = (uk_pmem_ram_bytes() + (1 << 20) - 1) >> 20;
		printf("out of memory: killed %s (pid %d); the guest has %lu MiB "
		       "(run.sh -m gives it more)\n",
		       p->pid == 1 ? "the program" : p->comm, p->pid, mib);
		if (++told == TOLD_MAX)
			printf("out of memory: further kills are not reported\n");
	}
	uk_process_exit_signal(SIGKILL, 0);
}
