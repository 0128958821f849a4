/* tests/proc's caps case: capget and capset, prctl's keepcaps, bounding
 * and ambient sets, and how the sets follow setresuid, seteuid, setfsuid
 * and execve; the way setpriv and runuser drop root. Prints a few bits of
 * each set (those a container's root keeps too), not whole masks. */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proctest.h"

struct caps {
	unsigned long long eff, prm, inh;
};

static struct caps get_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };
	struct caps c = { 0, 0, 0 };
	if (syscall(SYS_capget, &h, d))
		say("capget: %s", strerror(errno));
	c.eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	c.prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	c.inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	return c;
}

static int set_caps(unsigned long long eff, unsigned long long prm, unsigned long long inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (unsigned)eff, (unsigned)prm, (unsigned)inh },
		{ (unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32) },
	};
	return syscall(SYS_capset, &h, d);
}

#define BIT(c) (1ULL << (c))
#define SOME (BIT(CAP_SETUID) | BIT(CAP_SETGID) | BIT(CAP_CHOWN) | \
	      BIT(CAP_DAC_OVERRIDE) | BIT(CAP_KILL))

/* The bits of SOME in m, by name. */
static const char *names(unsigned long long m)
{
	static char buf[4][80];
	static int n;
	char *b = buf[n++ % 4];
	static const struct { int cap; const char *name; } all[] = {
		{ CAP_SETUID, "setuid" }, { CAP_SETGID, "setgid" }, { CAP_CHOWN, "chown" },
		{ CAP_DAC_OVERRIDE, "dac_override" }, { CAP_KILL, "kill" },
	};
	b[0] = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (m & BIT(all[i].cap))
			snprintf(b + strlen(b), 80 - strlen(b), "%s%s", b[0] ? "," : "", all[i].name);
	return b[0] ? b : "-";
}

static void show(const char *when)
{
	struct caps c = get_caps();
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	say("%s: uid %u/%u/%u eff %s prm %s inh %s keepcaps %d ambient kill %d", when, r, e, s,
	    names(c.eff), names(c.prm), names(c.inh), prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0),
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
}

/* The program again, to show the sets execve gave it. */
static int exec_show(void)
{
	fflush(stdout);
	execl(self, self, "capshow", (char *)NULL);
	say("execl: %s", strerror(errno));
	return 99;
}

int t_capshow(void)
{
	show("after execve");
	return 0;
}

static int keep_then_drop(void *arg)
{
	(void)arg;
	result("PR_SET_KEEPCAPS 2", prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
	result("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	result("setresuid(1000, 1000, 1000)", setresuid(1000, 1000, 1000));
	show("kept");
	result("setresgid without CAP_SETGID", setresgid(1000, 1000, 1000));
	struct caps c = get_caps();
	result("capset effective = permitted", set_caps(c.prm, c.prm, 0));
	show("raised");
	result("setresgid(1000, 1000, 1000)", setresgid(1000, 1000, 1000));
	gid_t g[] = { 1000, 1001 };
	result("setgroups", setgroups(2, g));
	result("capset effective beyond permitted", set_caps(c.prm | BIT(CAP_SYS_ADMIN) | BIT(CAP_KILL),
							       c.prm & ~BIT(CAP_KILL), 0));
	result("capset dropping kill", set_caps(c.prm & ~BIT(CAP_KILL), c.prm & ~BIT(CAP_KILL), 0));
	result("capset raising kill again", set_caps(c.prm, c.prm, 0));
	show("kill dropped");
	return exec_show();
}

static int plain_drop(void *arg)
{
	(void)arg;
	struct caps c = get_caps();
	result("setresuid(1000, 1000, 1000)", setresuid(1000, 1000, 1000));
	show("dropped");
	result("capset back", set_caps(c.eff, c.prm, 0));
	result("setuid(0)", setuid(0));
	result("setgroups", setgroups(0, NULL));
	return exec_show();
}

static int effective_only(void *arg)
{
	(void)arg;
	result("seteuid(1000)", seteuid(1000));
	show("euid 1000");
	result("seteuid(0)", seteuid(0));
	show("euid 0");
	setfsuid(1000);
	show("fsuid 1000");
	setfsuid(0);
	show("fsuid 0");
	result("capset: kill only", set_caps(BIT(CAP_KILL), BIT(CAP_KILL), 0));
	show("root with kill only");
	return exec_show();
}

static int bounding(void *arg)
{
	(void)arg;
	result("PR_CAPBSET_READ setuid", prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0));
	result("PR_CAPBSET_READ 64", prctl(PR_CAPBSET_READ, 64, 0, 0, 0));
	result("PR_CAPBSET_DROP kill", prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
	result("PR_CAPBSET_READ kill", prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0));
	return exec_show();
}

static int ambient(void *arg)
{
	(void)arg;
	result("PR_CAP_AMBIENT_RAISE without inheritable",
	       prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	result("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	result("setresuid(1000, 1000, 1000)", setresuid(1000, 1000, 1000));
	struct caps c = get_caps();
	result("capset kill inheritable", set_caps(c.prm, c.prm, BIT(CAP_KILL)));
	result("PR_CAP_AMBIENT_RAISE kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	result("PR_CAP_AMBIENT_RAISE 64", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 64, 0, 0));
	show("ambient kill");
	return exec_show();
}

int t_caps(void)
{
	show("start");
	struct __user_cap_header_struct h = { 0, 0 };
	long r = syscall(SYS_capget, &h, NULL);
	say("capget version probe: %ld, version %#x", r, h.version);
	struct __user_cap_data_struct d[2];
	h.version = 1;
	r = syscall(SYS_capget, &h, d);
	say("capget bad version: %ld %s, version %#x", r, r ? strerror(errno) : "", h.version);
	h.pid = 999999;
	r = syscall(SYS_capget, &h, d);
	say("capget of no process: %ld %s", r, r ? strerror(errno) : "");
	h.pid = getpid() + 1000;
	r = syscall(SYS_capset, &h, d);
	say("capset of another pid: %ld %s", r, r ? strerror(errno) : "");
	say("keepcaps drop: %s", status_text(reap(child(keep_then_drop, NULL))));
	say("plain drop: %s", status_text(reap(child(plain_drop, NULL))));
	say("euid and fsuid: %s", status_text(reap(child(effective_only, NULL))));
	say("bounding set: %s", status_text(reap(child(bounding, NULL))));
	say("ambient set: %s", status_text(reap(child(ambient, NULL))));
	show("the parent is still");
	return 0;
}
