/* The end of the process: the status goes out to the host. */
#include <stdio.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/process.h>

void uk_process_exit(int status)
{
	ukplat_halt(status & 0xff);
}
