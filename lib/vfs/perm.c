/* File permissions as Linux checks them: mode bits for the owner, the
 * group (the file-system gid or a supplementary group) and the others,
 * by the file-system ids, with root's powers being capabilities
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_CHOWN,
 * CAP_FSETID), the sticky bit of a directory, the protected hard links of
 * fs.protected_hardlinks=1, and the owner of a new file. access() checks
 * with the real ids through an override of the credentials. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/fcntl.h>
#include <uk/process.h>
#include <uk/vfs.h>
#include "vfs_internal.h"

/* access's credentials while it looks: the thread's (another CPU's
 * thread may check meanwhile, and a 9p reply is waited for). */
static const struct uk_cred *cred(void)
{
	const struct uk_cred *c = uk_current->vfs_cred;
	return c ? c : &uk_proc()->cred;
}

void uk_vfs_cred_override(const struct uk_cred *c)
{
	uk_current->vfs_cred = c;
}

static int capable(int cap)
{
	return uk_cred_capable(cred(), cap);
}

int uk_vfs_in_group(gid_t gid)
{
	const struct uk_cred *c = cred();
	if (c->fsgid == gid)
		return 1;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

uid_t uk_vfs_fsuid(void)
{
	return cred()->fsuid;
}

int uk_vfs_capable(int cap)
{
	return capable(cap);
}

/* Linux's generic_permission. */
int uk_vfs_permission(struct uk_vnode *vn, int mask)
{
	mode_t mode = vn->mode;
	mask &= UK_MAY_READ | UK_MAY_WRITE | UK_MAY_EXEC;
	if ((mask & UK_MAY_WRITE) && vn->mount && vn->mount->readonly &&
	    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
		return -EROFS;
	if (cred()->fsuid == vn->uid)
		mode >>= 6;
	else if (uk_vfs_in_group(vn->gid))
		mode >>= 3;
	if (!(mask & ~mode & 7))
		return 0;
	if (S_ISDIR(vn->mode)) {
		/* Reading and searching a directory: CAP_DAC_READ_SEARCH;
		 * anything: CAP_DAC_OVERRIDE. */
		if (!(mask & UK_MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == UK_MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	/* Running a file takes some execute bit, even for root. */
	if (!(mask & UK_MAY_EXEC) || (vn->mode & 0111))
		if (capable(CAP_DAC_OVERRIDE))
			return 0;
	return -EACCES;
}

int uk_vfs_owner_or_capable(struct uk_vnode *vn)
{
	return cred()->fsuid == vn->uid || capable(CAP_FOWNER);
}

int uk_vfs_may_create(struct uk_vnode *dir)
{
	return uk_vfs_permission(dir, UK_MAY_WRITE | UK_MAY_EXEC);
}

/* Linux's may_delete: write and search on the directory; in a sticky
 * one, only the file's owner, the directory's owner or CAP_FOWNER. */
int uk_vfs_may_delete(struct uk_vnode *dir, struct uk_vnode *vn)
{
	int rc = uk_vfs_permission(dir, UK_MAY_WRITE | UK_MAY_EXEC);
	if (rc)
		return rc;
	if ((dir->mode & S_ISVTX) && vn->uid != cred()->fsuid &&
	    dir->uid != cred()->fsuid && !capable(CAP_FOWNER))
		return -EPERM;
	return 0;
}

/* fs.protected_hardlinks (Linux's default, and Debian's): a link to a
 * file one does not own takes a regular file one may read and write,
 * without set-user-ID and group-executable set-group-ID bits, or
 * CAP_FOWNER. */
int uk_vfs_may_link(struct uk_vnode *vn)
{
	if (cred()->fsuid == vn->uid || capable(CAP_FOWNER))
		return 0;
	if (S_ISREG(vn->mode) && !(vn->mode & S_ISUID) &&
	    (vn->mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    !uk_vfs_permission(vn, UK_MAY_READ | UK_MAY_WRITE))
		return 0;
	return -EPERM;
}

/* open's check of an existing file (Linux's may_open). */
int uk_vfs_may_open(struct uk_vnode *vn, int flags)
{
	int acc = flags & O_ACCMODE, mask = 0;
	if (flags & O_PATH)
		return 0;
	if (flags & UK_O_EXEC)
		mask = UK_MAY_EXEC;
	else
		mask = (acc == O_RDONLY ? UK_MAY_READ : acc == O_WRONLY ? UK_MAY_WRITE :
			UK_MAY_READ | UK_MAY_WRITE) | (flags & O_TRUNC ? UK_MAY_WRITE : 0);
	if (!S_ISREG(vn->mode) && (mask & UK_MAY_EXEC))
		return -EACCES;
	int rc = uk_vfs_permission(vn, mask);
	if (rc)
		return rc;
	if ((flags & O_NOATIME) && !uk_vfs_owner_or_capable(vn))
		return -EPERM;
	return 0;
}

/* The owner of a file just made in dir: the creator's file-system ids,
 * or the directory's group when it is set-group-ID (Linux's
 * inode_init_owner). The file system made it as root's. */
int uk_vfs_new_owner(struct uk_vnode *dir, struct uk_vnode *vn)
{
	struct uk_vattr va = {
		.mask = UK_ATTR_UID | UK_ATTR_GID,
		.uid = cred()->fsuid,
		.gid = dir->mode & S_ISGID ? dir->gid : cred()->fsgid,
	};
	if (vn->uid == va.uid && vn->gid == va.gid)
		return 0;
	int rc = vn->ops->setattr ? vn->ops->setattr(vn, &va) : 0;
	if (rc)
		return rc;
	vn->uid = va.uid;
	vn->gid = va.gid;
	return 0;
}

void uk_vfs_own(struct uk_vnode *vn)
{
	vn->uid = cred()->fsuid;
	vn->gid = cred()->fsgid;
}

/* chmod: the owner or CAP_FOWNER; the set-group-ID bit goes unless the
 * caller is in the file's group or has CAP_FSETID. */
int uk_vfs_may_chmod(struct uk_vnode *vn, mode_t *mode)
{
	if (vn->mount && vn->mount->readonly)
		return -EROFS;
	if (!uk_vfs_owner_or_capable(vn))
		return -EPERM;
	if ((*mode & S_ISGID) && !uk_vfs_in_group(vn->gid) && !capable(CAP_FSETID))
		*mode &= ~S_ISGID;
	return 0;
}

/* chown: another owner takes CAP_CHOWN; another group, being the owner
 * and a member of it, or CAP_CHOWN. -1 is no change. */
int uk_vfs_may_chown(struct uk_vnode *vn, uid_t uid, gid_t gid)
{
	if (vn->mount && vn->mount->readonly)
		return -EROFS;
	if (capable(CAP_CHOWN))
		return 0;
	int owner = cred()->fsuid == vn->uid;
	if (uid != (uid_t)-1 && (!owner || uid != vn->uid))
		return -EPERM;
	if (gid != (gid_t)-1 && (!owner || (gid != vn->gid && !uk_vfs_in_group(gid))))
		return -EPERM;
	return 0;
}

/* utimensat: times given take the owner or CAP_FOWNER (EPERM); "now"
 * takes that or write permission (EACCES). */
int uk_vfs_may_utimes(struct uk_vnode *vn, int times_set)
{
	if (vn->mount && vn->mount->readonly)
		return -EROFS;
	if (uk_vfs_owner_or_capable(vn))
		return 0;
	if (times_set)
		return -EPERM;
	return uk_vfs_permission(vn, UK_MAY_WRITE);
}
