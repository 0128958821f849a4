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
#include <uk/vfs.h>
#include <uk/uaccess.h>
#include "process_internal.h"

/* Linux's do_prlimit, on kernel copies. */
static int do_prlimit(unsigned int resource, const struct rlimit64 *new_limit,
		      struct rlimit64 *old_limit)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit && new_limit->rlim_cur > new_limit->rlim_max)
		return -EINVAL;
	/* No more descriptors than a table holds (Linux: fs.nr_open). */
	if (new_limit && resource == RLIMIT_NOFILE && new_limit->rlim_max > UK_VFS_MAX_FDS)
		return -EPERM;
	if (old_limit)
		*old_limit = uk_proc()->limits[resource];
	if (new_limit)
		uk_proc()->limits[resource] = *new_limit;
	return 0;
}

/* The new limit comes in before anything is checked, the old one goes
 * out after the change (as on Linux). */
UK_SYSCALL_R_DEFINE(int, prlimit64, int, pid, unsigned int, resource,
		    const struct rlimit64 *, new_limit, struct rlimit64 *, old_limit)
{
	struct rlimit64 knew, kold;
	if (new_limit && uk_copy_from_user(&knew, new_limit, sizeof(knew)))
		return -EFAULT;
	if (pid && pid != uk_proc()->pid)
		return -ESRCH;
	int rc = do_prlimit(resource, new_limit ? &knew : NULL, &kold);
	if (!rc && old_limit)
		rc = uk_copy_to_user(old_limit, &kold, sizeof(kold));
	return rc;
}

int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl)
{
	return do_prlimit(resource, NULL, rl);
}

UK_SYSCALL_R_DEFINE(int, getrlimit, unsigned int, resource,
		    struct rlimit64 *, rlim)
{
	struct rlimit64 k;
	int rc = do_prlimit(resource, NULL, &k);
	return rc ? rc : uk_copy_to_user(rlim, &k, sizeof(k));
}

UK_SYSCALL_R_DEFINE(int, setrlimit, unsigned int, resource,
		    const struct rlimit64 *, rlim)
{
	struct rlimit64 k;
	if (uk_copy_from_user(&k, rlim, sizeof(k)))
		return -EFAULT;
	return do_prlimit(resource, &k, NULL);
}

UK_SYSCALL_R_DEFINE(int, uname, struct new_utsname *, uu)
{
	struct new_utsname k, *u = &k;
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strlcpy(u->nodename, uk_process_hostname(), sizeof(u->nodename));
	/* A recent release: glibc and others gate features on it. */
	strcpy(u->release, "6.1.0-unikernel");
	strcpy(u->version, "#1 SMP");
	strcpy(u->machine, "x86_64");
	strlcpy(u->domainname, uk_process_domainname(), sizeof(u->domainname));
	return uk_copy_to_user(uu, u, sizeof(*u));
}

UK_SYSCALL_R_DEFINE(int, sysinfo, struct sysinfo *, uinfo)
{
	struct sysinfo k, *info = &k;
	memset(info, 0, sizeof(*info));
	info->uptime = ukplat_monotonic_ns() / 1000000000ULL;
	info->totalram = uk_pmem_total_pages();
	info->freeram = uk_pmem_free_pages();
	info->procs = 1;
	info->mem_unit = PAGE_SIZE;
	return uk_copy_to_user(uinfo, info, sizeof(*info));
}

const char *uk_process_comm(void)
{
	return uk_proc()->comm;
}

UK_SYSCALL_R_DEFINE(int, prctl, int, option, unsigned long, arg2,
		    unsigned long, arg3, unsigned long, arg4, unsigned long, arg5)
{
	switch (option) {
	case PR_SET_NAME: {
		/* At most 15 bytes are read: a longer name is cut there. */
		char name[sizeof(uk_proc()->comm)];
		long n = uk_strncpy_from_user(name, (const char *)arg2, sizeof(name) - 1);
		if (n == -EFAULT)
			return -EFAULT;
		name[n < 0 ? (long)sizeof(name) - 1 : n] = 0;
		memcpy(uk_proc()->comm, name, sizeof(name));
		return 0;
	}
	case PR_GET_NAME:
		return uk_copy_to_user((char *)arg2, uk_proc()->comm, sizeof(uk_proc()->comm));
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
	default: {
		long rc = proc_prctl_caps(option, arg2, arg3, arg4, arg5);
		return rc == -ENOSYS ? -EINVAL : rc;
	}
	}
}
