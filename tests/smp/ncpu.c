/* How many CPUs a program sees, four ways: sysconf's online and
 * configured counts (glibc reads /sys or /proc/stat), the affinity mask,
 * and the processor lines of /proc/cpuinfo. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	cpu_set_t s;
	int aff = sched_getaffinity(0, sizeof(s), &s) ? -1 : CPU_COUNT(&s), info = 0;
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		info += !strncmp(line, "processor", 9);
	printf("cpus %ld %ld %d %d\n", sysconf(_SC_NPROCESSORS_ONLN),
	       sysconf(_SC_NPROCESSORS_CONF), aff, info);
	return 0;
}
