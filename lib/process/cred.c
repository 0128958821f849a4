/* Credentials: the real, effective, saved and file-system user and group
 * ids and the supplementary groups of a process, with Linux's rules for
 * changing them. Being privileged is holding CAP_SETUID (user ids) or
 * CAP_SETGID (group ids, groups) in the effective set (lib/process/caps.c
 * keeps the sets). */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include "process_internal.h"

#define NGROUPS_MAX 65536
#define KEEP ((unsigned)-1)

static struct uk_cred *cred(void)
{
	return &uk_proc()->cred;
}


UK_SYSCALL_R_DEFINE(int, getuid) { return cred()->ruid; }
UK_SYSCALL_R_DEFINE(int, geteuid) { return cred()->euid; }
UK_SYSCALL_R_DEFINE(int, getgid) { return cred()->rgid; }
UK_SYSCALL_R_DEFINE(int, getegid) { return cred()->egid; }

static int put3(unsigned a, unsigned b, unsigned c, unsigned *ua, unsigned *ub, unsigned *uc)
{
	if (uk_put_user(a, ua) || uk_put_user(b, ub) || uk_put_user(c, uc))
		return -EFAULT;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getresuid, unsigned *, r, unsigned *, e, unsigned *, s)
{
	return put3(cred()->ruid, cred()->euid, cred()->suid, r, e, s);
}

UK_SYSCALL_R_DEFINE(int, getresgid, unsigned *, r, unsigned *, e, unsigned *, s)
{
	return put3(cred()->rgid, cred()->egid, cred()->sgid, r, e, s);
}

/* The three ids of one kind (user or group), the file-system one, and
 * the capability that lets any value be set. */
struct ids {
	unsigned *r, *e, *s, *fs;
	int cap;
};

static struct ids user_ids(void)
{
	struct uk_cred *c = cred();
	return (struct ids){ &c->ruid, &c->euid, &c->suid, &c->fsuid, CAP_SETUID };
}

static struct ids group_ids(void)
{
	struct uk_cred *c = cred();
	return (struct ids){ &c->rgid, &c->egid, &c->sgid, &c->fsgid, CAP_SETGID };
}

static int privileged(const struct ids *i)
{
	return uk_cred_capable(cred(), i->cap);
}

/* A change of the user ids moves the capability sets, as on Linux; old:
 * the credentials before it. */
static int user_changed(int rc, const struct uk_cred *old)
{
	if (rc == 0)
		proc_caps_setuid(cred(), old->ruid, old->euid, old->suid);
	return rc;
}

static int is_one_of(const struct ids *i, unsigned v)
{
	return v == *i->r || v == *i->e || v == *i->s;
}

/* setresuid's rule, which setuid and setreuid follow too: unprivileged,
 * each new id must be one of the three current ones. */
static int set_res(struct ids i, unsigned r, unsigned e, unsigned s)
{
	if (!privileged(&i) && ((r != KEEP && !is_one_of(&i, r)) ||
			      (e != KEEP && !is_one_of(&i, e)) ||
			      (s != KEEP && !is_one_of(&i, s))))
		return -EPERM;
	if (r != KEEP)
		*i.r = r;
	if (e != KEEP)
		*i.e = e;
	if (s != KEEP)
		*i.s = s;
	*i.fs = *i.e;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setresuid, unsigned, r, unsigned, e, unsigned, s)
{
	struct uk_cred old = *cred();
	return user_changed(set_res(user_ids(), r, e, s), &old);
}

UK_SYSCALL_R_DEFINE(int, setresgid, unsigned, r, unsigned, e, unsigned, s)
{
	return set_res(group_ids(), r, e, s);
}

/* setuid: privileged, all three; else the effective one, to the real or
 * the saved id. */
static int set_one(struct ids i, unsigned v)
{
	if (privileged(&i))
		return set_res(i, v, v, v);
	if (v != *i.r && v != *i.s)
		return -EPERM;
	*i.e = *i.fs = v;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setuid, unsigned, uid)
{
	struct uk_cred old = *cred();
	return user_changed(set_one(user_ids(), uid), &old);
}

UK_SYSCALL_R_DEFINE(int, setgid, unsigned, gid)
{
	return set_one(group_ids(), gid);
}

/* setreuid: unprivileged, the real id to the real or effective one, the
 * effective to any of the three; the saved id follows the new effective
 * one when the real id is set or the effective one leaves the real. */
static int set_re(struct ids i, unsigned r, unsigned e)
{
	if (!privileged(&i)) {
		if (r != KEEP && r != *i.r && r != *i.e)
			return -EPERM;
		if (e != KEEP && !is_one_of(&i, e))
			return -EPERM;
	}
	unsigned old_r = *i.r;
	if (r != KEEP)
		*i.r = r;
	if (e != KEEP)
		*i.e = e;
	if (r != KEEP || (e != KEEP && e != old_r))
		*i.s = *i.e;
	*i.fs = *i.e;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setreuid, unsigned, r, unsigned, e)
{
	struct uk_cred old = *cred();
	return user_changed(set_re(user_ids(), r, e), &old);
}

UK_SYSCALL_R_DEFINE(int, setregid, unsigned, r, unsigned, e)
{
	return set_re(group_ids(), r, e);
}

/* setfsuid: the old value, always; the new one taken when privileged or
 * one of the process's ids. */
static int set_fs(struct ids i, unsigned v)
{
	unsigned old = *i.fs;
	if (v != KEEP && (privileged(&i) || is_one_of(&i, v) || v == *i.fs))
		*i.fs = v;
	return old;
}

UK_SYSCALL_R_DEFINE(int, setfsuid, unsigned, uid)
{
	unsigned old = set_fs(user_ids(), uid);
	proc_caps_setfsuid(cred(), old);
	return old;
}

UK_SYSCALL_R_DEFINE(int, setfsgid, unsigned, gid)
{
	return set_fs(group_ids(), gid);
}

UK_SYSCALL_R_DEFINE(int, getgroups, int, size, unsigned *, list)
{
	struct uk_cred *c = cred();
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (uk_copy_to_user(list, c->groups, c->ngroups * sizeof(unsigned)))
		return -EFAULT;
	return c->ngroups;
}

UK_SYSCALL_R_DEFINE(int, setgroups, int, size, const unsigned *, list)
{
	if (!uk_cred_capable(cred(), CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	unsigned *g = NULL;
	if (size) {
		g = malloc(size * sizeof(unsigned));
		if (!g)
			return -ENOMEM;
		if (uk_copy_from_user(g, list, size * sizeof(unsigned))) {
			free(g);
			return -EFAULT;
		}
	}
	struct uk_cred *c = cred();
	free(c->groups);
	c->groups = g;
	c->ngroups = size;
	return 0;
}

int proc_cred_copy(struct uk_cred *to, const struct uk_cred *from)
{
	*to = *from;
	to->groups = NULL;
	if (from->ngroups) {
		to->groups = malloc(from->ngroups * sizeof(unsigned));
		if (!to->groups)
			return -ENOMEM;
		memcpy(to->groups, from->groups, from->ngroups * sizeof(unsigned));
	}
	return 0;
}

void proc_cred_free(struct uk_cred *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}
