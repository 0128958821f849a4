/* Capabilities: capget and capset, prctl's capability options (keepcaps,
 * securebits, the bounding and ambient sets), and Linux's changes of the
 * sets when the user ids change and at execve. The kernel checks only
 * CAP_SETUID and CAP_SETGID (the set*id calls), but a program that drops
 * root as setpriv does (keep the capabilities across setresuid, then set
 * the groups) needs the sets to move as on Linux. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/prctl.h>
#include <linux/securebits.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include "process_internal.h"

/* What a change of fsuid from or to 0 takes from or gives back to the
 * effective set (Linux's CAP_FS_SET). */
#define FS_CAPS ((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | \
		 (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) | \
		 (1ULL << CAP_FSETID) | (1ULL << CAP_LINUX_IMMUTABLE) | \
		 (1ULL << CAP_MAC_OVERRIDE))

static struct uk_cred *cred(void)
{
	return &uk_proc()->cred;
}

static int secure(const struct uk_cred *c, int bit)
{
	return (c->securebits >> bit) & 1;
}

static int cap_ok(unsigned long cap)
{
	return cap <= CAP_LAST_CAP;
}

void proc_caps_setuid(struct uk_cred *c, unsigned old_r, unsigned old_e, unsigned old_s)
{
	if (secure(c, SECURE_NO_SETUID_FIXUP))
		return;
	/* Losing every root id loses the capabilities, unless kept. */
	if ((old_r == 0 || old_e == 0 || old_s == 0) &&
	    c->ruid && c->euid && c->suid) {
		if (!secure(c, SECURE_KEEP_CAPS))
			c->cap_prm = c->cap_eff = 0;
		c->cap_amb = 0;
	}
	if (old_e == 0 && c->euid != 0)
		c->cap_eff = 0;
	if (old_e != 0 && c->euid == 0)
		c->cap_eff = c->cap_prm;
}

void proc_caps_setfsuid(struct uk_cred *c, unsigned old_fs)
{
	if (secure(c, SECURE_NO_SETUID_FIXUP))
		return;
	if (old_fs == 0 && c->fsuid != 0)
		c->cap_eff &= ~FS_CAPS;
	if (old_fs != 0 && c->fsuid == 0)
		c->cap_eff |= c->cap_prm & FS_CAPS;
}

void uk_process_caps_exec(struct uk_process *p)
{
	struct uk_cred *c = &p->cred;
	int root = !secure(c, SECURE_NOROOT) && (c->ruid == 0 || c->euid == 0);
	/* No file capabilities: root gets the bounding set, others what
	 * the ambient set holds. */
	c->cap_prm = root ? (c->cap_bnd | c->cap_inh) : c->cap_amb;
	c->cap_eff = root && c->euid == 0 ? c->cap_prm : c->cap_amb;
	if (root)
		c->cap_amb = 0;
	c->securebits &= ~(1U << SECURE_KEEP_CAPS);
}

/* The header's version: how many 32-bit words each set takes; an unknown
 * one is answered with the version this kernel prefers. */
static int words_of(struct __user_cap_header_struct *uh, int *words)
{
	uint32_t v;
	if (uk_get_user(v, &uh->version))
		return -EFAULT;
	switch (v) {
	case _LINUX_CAPABILITY_VERSION_1:
		*words = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*words = 2;
		return 0;
	default:
		if (uk_put_user((uint32_t)_LINUX_CAPABILITY_VERSION_3, &uh->version))
			return -EFAULT;
		return -EINVAL;
	}
}

UK_SYSCALL_R_DEFINE(int, capget, struct __user_cap_header_struct *, uh,
		    struct __user_cap_data_struct *, ud)
{
	int words, pid;
	int rc = words_of(uh, &words);
	/* A version probe: no data pointer and an unknown version is 0. */
	if (!ud || rc)
		return !ud && rc == -EINVAL ? 0 : rc;
	if (uk_get_user(pid, &uh->pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	struct uk_process *p = pid ? uk_process_find(pid) : uk_proc();
	if (!p)
		return -ESRCH;
	struct __user_cap_data_struct d[2];
	for (int i = 0; i < 2; i++) {
		d[i].effective = p->cred.cap_eff >> (32 * i);
		d[i].permitted = p->cred.cap_prm >> (32 * i);
		d[i].inheritable = p->cred.cap_inh >> (32 * i);
	}
	return uk_copy_to_user(ud, d, words * sizeof(d[0]));
}

static int subset(uint64_t a, uint64_t b)
{
	return (a & ~b) == 0;
}

UK_SYSCALL_R_DEFINE(int, capset, struct __user_cap_header_struct *, uh,
		    const struct __user_cap_data_struct *, ud)
{
	int words, pid;
	int rc = words_of(uh, &words);
	if (rc)
		return rc;
	if (uk_get_user(pid, &uh->pid))
		return -EFAULT;
	/* Only one's own sets can change. */
	if (pid && pid != uk_proc()->pid)
		return -EPERM;
	struct __user_cap_data_struct d[2] = { 0 };
	if (uk_copy_from_user(d, ud, words * sizeof(d[0])))
		return -EFAULT;
	uint64_t eff = d[0].effective | (uint64_t)d[1].effective << 32;
	uint64_t prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	uint64_t inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	struct uk_cred *c = cred();
	if (!uk_cred_capable(c, CAP_SETPCAP) && !subset(inh, c->cap_inh | c->cap_prm))
		return -EPERM;
	if (!subset(inh, c->cap_inh | c->cap_bnd) || !subset(prm, c->cap_prm) ||
	    !subset(eff, prm))
		return -EPERM;
	c->cap_eff = eff;
	c->cap_prm = prm;
	c->cap_inh = inh;
	c->cap_amb &= prm & inh;
	return 0;
}

/* The locks (odd bits) pin the bits below them; SETPCAP changes them. */
static int set_securebits(struct uk_cred *c, unsigned long bits)
{
	unsigned locks = c->securebits & SECURE_ALL_LOCKS;
	if (((locks >> 1) & (c->securebits ^ bits)) || (locks & ~bits) ||
	    (bits & ~(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) ||
	    !uk_cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = bits;
	return 0;
}

static int ambient(struct uk_cred *c, unsigned long op, unsigned long cap,
		   unsigned long a4, unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap || a4 || a5)
			return -EINVAL;
		c->cap_amb = 0;
		return 0;
	}
	if (a4 || a5 || !cap_ok(cap))
		return -EINVAL;
	uint64_t bit = 1ULL << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(c->cap_amb & bit);
	case PR_CAP_AMBIENT_RAISE:
		if (!(c->cap_prm & c->cap_inh & bit) ||
		    secure(c, SECURE_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		c->cap_amb |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_amb &= ~bit;
		return 0;
	default:
		return -EINVAL;
	}
}

long proc_prctl_caps(int option, unsigned long a2, unsigned long a3,
		     unsigned long a4, unsigned long a5)
{
	struct uk_cred *c = cred();
	switch (option) {
	case PR_CAPBSET_READ:
		return cap_ok(a2) ? (long)((c->cap_bnd >> a2) & 1) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!uk_cred_capable(c, CAP_SETPCAP))
			return -EPERM;
		if (!cap_ok(a2))
			return -EINVAL;
		c->cap_bnd &= ~(1ULL << a2);
		return 0;
	case PR_GET_KEEPCAPS:
		return secure(c, SECURE_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		if (secure(c, SECURE_KEEP_CAPS_LOCKED))
			return -EPERM;
		c->securebits = (c->securebits & ~(1U << SECURE_KEEP_CAPS)) |
				(unsigned)a2 << SECURE_KEEP_CAPS;
		return 0;
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_SET_SECUREBITS:
		return set_securebits(c, a2);
	case PR_CAP_AMBIENT:
		return ambient(c, a2, a3, a4, a5);
	default:
		return -ENOSYS;	/* not a capability option */
	}
}
