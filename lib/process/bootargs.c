/* What a container runtime sets for the guest's program through boot
 * arguments: hostname=NAME (uname, /proc/sys/kernel/hostname and the
 * generated /etc files; letters, digits, '-' and '.' only, as a host
 * name has) and rlimit=NAME:SOFT:HARD (repeatable: PID 1's initial
 * limits, e.g. rlimit=NOFILE:1024:1024, as runc sets them before exec). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/resource.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/process.h>

static char hostname[65] = CONFIG_LIBPROCESS_HOSTNAME;
static int hostname_read;

char *uk_process_hostname_buf(void)
{
	uk_process_hostname();	/* the boot argument's first */
	return hostname;
}

const char *uk_process_hostname(void)
{
	size_t len;
	if (hostname_read)
		return hostname;
	hostname_read = 1;
	const char *v = ukplat_bootarg("hostname", &len);
	if (!v)
		return hostname;
	if (!len || len >= sizeof(hostname) ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") < len) {
		printf("hostname=%.*s: not a host name; keeping %s\n", (int)len, v, hostname);
		return hostname;
	}
	memcpy(hostname, v, len);
	hostname[len] = 0;
	return hostname;
}

static const char *const rlimit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = "CPU", [RLIMIT_FSIZE] = "FSIZE", [RLIMIT_DATA] = "DATA",
	[RLIMIT_STACK] = "STACK", [RLIMIT_CORE] = "CORE", [RLIMIT_RSS] = "RSS",
	[RLIMIT_NPROC] = "NPROC", [RLIMIT_NOFILE] = "NOFILE",
	[RLIMIT_MEMLOCK] = "MEMLOCK", [RLIMIT_AS] = "AS", [RLIMIT_LOCKS] = "LOCKS",
	[RLIMIT_SIGPENDING] = "SIGPENDING", [RLIMIT_MSGQUEUE] = "MSGQUEUE",
	[RLIMIT_NICE] = "NICE", [RLIMIT_RTPRIO] = "RTPRIO", [RLIMIT_RTTIME] = "RTTIME",
};

/* One rlimit= value; 0, or -1 when it is not NAME:SOFT:HARD. */
static int set_rlimit(const char *v, size_t len)
{
	char buf[96], *soft, *hard, *end1, *end2;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, v, len);
	buf[len] = 0;
	if (!(soft = strchr(buf, ':')) || !(hard = strchr(soft + 1, ':')))
		return -1;
	*soft++ = 0;
	*hard++ = 0;
	unsigned long long s = strtoull(soft, &end1, 10), h = strtoull(hard, &end2, 10);
	if (*end1 || *end2 || soft == end1 || hard == end2 || s > h)
		return -1;
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		if (strcmp(buf, rlimit_names[r]))
			continue;
		uk_init_process.limits[r].rlim_cur = s;
		uk_init_process.limits[r].rlim_max = h;
		return 0;
	}
	return -1;
}

static int rlimits_init(void)
{
	size_t len;
	for (const char *v = ukplat_bootarg("rlimit", &len); v;
	     v = ukplat_bootarg_from(v + len, "rlimit", &len))
		if (set_rlimit(v, len))
			printf("rlimit=%.*s: expected NAME:SOFT:HARD (NOFILE:1024:1024)\n",
			       (int)len, v);
	return 0;
}
UK_INIT_AT(rlimits_init, UK_INIT_LEVEL_EARLY);
