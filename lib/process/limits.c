/* Resource limits, uname, sysinfo and prctl. Limits are recorded and
 * reported; the stack limit matches the stack the loader reserves. */
#include <errno.h>
#include <string.h>
#include <linux/resource.h>
#include <linux/utsname.h>
#include <linux/kernel.h>
#include <linux/prctl.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/syscall.h>
#include <uk/process.h>

#define RLIM_INF (~0UL)

static struct rlimit64 limits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INF, RLIM_INF },
	[RLIMIT_FSIZE] = { RLIM_INF, RLIM_INF },
	[RLIMIT_DATA] = { RLIM_INF, RLIM_INF },
	[RLIMIT_STACK] = { UK_MM_STACK_SIZE, RLIM_INF },
	[RLIMIT_CORE] = { 0, RLIM_INF },
	[RLIMIT_RSS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_NPROC] = { 4096, 4096 },
	[RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_LOCKS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_SIGPENDING] = { 4096, 4096 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INF, RLIM_INF },
};

UK_SYSCALL_R_DEFINE(int, prlimit64, int, pid, unsigned int, resource,
		    const struct rlimit64 *, new_limit, struct rlimit64 *, old_limit)
{
	if (pid && pid != UK_PROCESS_PID)
		return -ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit && new_limit->rlim_cur > new_limit->rlim_max)
		return -EINVAL;
	if (old_limit)
		*old_limit = limits[resource];
	if (new_limit)
		limits[resource] = *new_limit;
	return 0;
}

int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	*rl = limits[resource];
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getrlimit, unsigned int, resource,
		    struct rlimit64 *, rlim)
{
	return uk_process_getrlimit(resource, rlim);
}

UK_SYSCALL_R_DEFINE(int, setrlimit, unsigned int, resource,
		    const struct rlimit64 *, rlim)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (rlim->rlim_cur > rlim->rlim_max)
		return -EINVAL;
	limits[resource] = *rlim;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, uname, struct new_utsname *, u)
{
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strlcpy(u->nodename, CONFIG_LIBPROCESS_HOSTNAME, sizeof(u->nodename));
	/* A recent release: glibc and others gate features on it. */
	strcpy(u->release, "6.1.0-unikernel");
	strcpy(u->version, "#1 SMP");
	strcpy(u->machine, "x86_64");
	strcpy(u->domainname, "(none)");
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sysinfo, struct sysinfo *, info)
{
	memset(info, 0, sizeof(*info));
	info->uptime = ukplat_monotonic_ns() / 1000000000ULL;
	info->totalram = uk_pmem_total_pages();
	info->freeram = uk_pmem_free_pages();
	info->procs = 1;
	info->mem_unit = PAGE_SIZE;
	return 0;
}

static char task_name[16] = "main";

const char *uk_process_comm(void)
{
	return task_name;
}

UK_SYSCALL_R_DEFINE(int, prctl, int, option, unsigned long, arg2,
		    unsigned long, arg3, unsigned long, arg4, unsigned long, arg5)
{
	(void)arg3, (void)arg4, (void)arg5;
	switch (option) {
	case PR_SET_NAME:
		strlcpy(task_name, (const char *)arg2, sizeof(task_name));
		return 0;
	case PR_GET_NAME:
		memcpy((char *)arg2, task_name, sizeof(task_name));
		return 0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
	case PR_SET_PDEATHSIG:
	case PR_SET_NO_NEW_PRIVS:
		return 0;
	default:
		return -EINVAL;
	}
}
