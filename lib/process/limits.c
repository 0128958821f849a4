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
#include <uk/uaccess.h>

UK_SYSCALL_R_DEFINE(int, prlimit64, int, pid, unsigned int, resource,
		    const struct rlimit64 *, new_limit, struct rlimit64 *, old_limit)
{
	if (pid && pid != uk_proc()->pid)
		return -ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit && new_limit->rlim_cur > new_limit->rlim_max)
		return -EINVAL;
	if (old_limit)
		*old_limit = uk_proc()->limits[resource];
	if (new_limit)
		uk_proc()->limits[resource] = *new_limit;
	return 0;
}

int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	*rl = uk_proc()->limits[resource];
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
	uk_proc()->limits[resource] = *rlim;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, uname, struct new_utsname *, u)
{
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strlcpy(u->nodename, uk_process_hostname(), sizeof(u->nodename));
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

const char *uk_process_comm(void)
{
	return uk_proc()->comm;
}

UK_SYSCALL_R_DEFINE(int, prctl, int, option, unsigned long, arg2,
		    unsigned long, arg3, unsigned long, arg4, unsigned long, arg5)
{
	(void)arg3, (void)arg4, (void)arg5;
	switch (option) {
	case PR_SET_NAME:
		strlcpy(uk_proc()->comm, (const char *)arg2, sizeof(uk_proc()->comm));
		return 0;
	case PR_GET_NAME:
		memcpy((char *)arg2, uk_proc()->comm, sizeof(uk_proc()->comm));
		return 0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_PDEATHSIG:
		if (arg2 > 64)
			return -EINVAL;
		uk_proc()->pdeath_signal = arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return uk_put_user(uk_proc()->pdeath_signal, (int *)arg2);
	case PR_SET_CHILD_SUBREAPER:
		uk_proc()->subreaper = !!arg2;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return uk_put_user(uk_proc()->subreaper, (int *)arg2);
	case PR_SET_DUMPABLE:
	case PR_SET_NO_NEW_PRIVS:
		return 0;
	default:
		return -EINVAL;
	}
}
