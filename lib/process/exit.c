/* The end of the process: the status goes out to the host. */
#include <stdio.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/process.h>

/* Network stacks deliver what the program sent before it ended. */
void __attribute__((weak)) uk_net_flush_before_exit(void)
{
}

void uk_process_exit(int status)
{
	uk_net_flush_before_exit();
	ukplat_halt(status & 0xff);
}
