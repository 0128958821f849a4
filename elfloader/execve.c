/* execve and execveat: the arguments copied in from the program, the new
 * image built (elfloader/exec.c), then the point of no return: the other
 * threads gone, the old address space dropped (or handed back to the
 * parent of a vfork), close-on-exec descriptors closed, handlers reset,
 * and the calling thread starts the new program. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libelf.h>
#include <linux/fcntl.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include <uk/signal.h>
#include <uk/vfs.h>
#include <uk/mm.h>
#include "loader.h"

/* Linux's limits: one string at most 32 pages (MAX_ARG_STRLEN); all of
 * them at most a quarter of the stack limit, and never less than 32
 * pages. */
#define MAX_ARG_STRLEN (32 * 4096)
#define MIN_ARG_TOTAL (32 * 4096)
#define SIGKILL 9

/* A vector of strings copied in: one block of pointers and strings. */
struct strvec {
	char **v;
	int n;
	size_t bytes;	/* the strings and pointers, as Linux counts them */
};

/* Copies the NULL-terminated vector uvec (NULL: empty) into vec, strings
 * and pointers counted against *left. */
static int copy_vector(char *const *uvec, struct strvec *vec, size_t *left)
{
	size_t cap = 64, used = 0, ncap = 16;
	char *strs = malloc(cap);
	size_t *offs = malloc(ncap * sizeof(size_t));
	int n = 0, rc = 0;
	if (!strs || !offs) {
		rc = -ENOMEM;
		goto out;
	}
	for (; uvec; n++) {
		char *up;
		if (uk_get_user(up, &uvec[n])) {
			rc = -EFAULT;
			goto out;
		}
		if (!up)
			break;
		for (;;) {
			long len = cap - used < 2 ? -ENAMETOOLONG :
				   uk_strncpy_from_user(strs + used, up, cap - used);
			if (len >= 0) {
				if ((size_t)len + 1 > MAX_ARG_STRLEN || len + 1 + 8 > (long)*left) {
					rc = -E2BIG;
					goto out;
				}
				*left -= len + 1 + 8;
				if ((size_t)n == ncap) {
					size_t *o = realloc(offs, 2 * ncap * sizeof(size_t));
					if (!o) {
						rc = -ENOMEM;
						goto out;
					}
					offs = o;
					ncap *= 2;
				}
				offs[n] = used;
				used += len + 1;
				break;
			}
			if (len != -ENAMETOOLONG) {
				rc = len;
				goto out;
			}
			if (cap - used > MAX_ARG_STRLEN) {
				rc = -E2BIG;
				goto out;
			}
			char *s = realloc(strs, cap * 2);
			if (!s) {
				rc = -ENOMEM;
				goto out;
			}
			strs = s;
			cap *= 2;
		}
	}
	vec->v = malloc((n + 1) * sizeof(char *) + used);
	if (!vec->v) {
		rc = -ENOMEM;
		goto out;
	}
	char *s = (char *)(vec->v + n + 1);
	memcpy(s, strs, used);
	for (int i = 0; i < n; i++)
		vec->v[i] = s + offs[i];
	vec->v[n] = NULL;
	vec->n = n;
out:
	free(strs);
	free(offs);
	return rc;
}

/* Every other thread of the process ends before the image changes under
 * it (Linux's de_thread). */
static void end_other_threads(struct uk_process *p)
{
	if (p->nthreads == 1)
		return;
	p->execing = uk_current;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		if (t != uk_current)
			uk_signal_send_thread(t, SIGKILL, 0x80, 0);
	while (p->nthreads > 1) {
		uk_sched_yield();
		if (p->nthreads > 1)
			uk_sleep_until(ukplat_monotonic_ns() + 1000000);
	}
	p->execing = NULL;
}

/* /proc/self/exe as Linux gives it: the file's own path from the root,
 * whatever path exec was given (relative, or through symlinks). The
 * folder part is walked and named by the VFS; a symlink as the last part
 * is followed (40 at most, as the walk does). NULL: use the path as
 * given. Freed by the caller. */
char *uk_exec_exe_path(const char *path)
{
	char *buf = malloc(3 * PATH_MAX);
	if (!buf)
		return NULL;
	char *link = buf + PATH_MAX, *t = link + PATH_MAX;
	strlcpy(link, path, PATH_MAX);
	for (int hops = 0; hops < 40; hops++) {
		struct uk_vnode *dir, *vn;
		const char *name;
		size_t nlen;
		if (uk_vfs_lookup_parent(AT_FDCWD, link, &dir, &name, &nlen) < 0)
			break;
		int rc = uk_vfs_dir_path(dir, buf, PATH_MAX);
		size_t n = rc < 0 ? 0 : strlen(buf);
		if (rc < 0 || !nlen || !dir->ops->lookup ||
		    dir->ops->lookup(dir, name, nlen, &vn) < 0) {
			uk_vnode_put(dir);
			break;
		}
		uk_vnode_put(dir);
		if (S_ISLNK(vn->mode) && vn->ops->readlink) {
			ssize_t tl = vn->ops->readlink(vn, t, PATH_MAX - 1);
			uk_vnode_put(vn);
			if (tl <= 0)
				break;
			t[tl] = 0;
			/* A relative target is relative to the link's folder. */
			if (t[0] != '/' && n + 1 + tl < PATH_MAX)
				snprintf(link, PATH_MAX, "%s%s%s", buf, n > 1 ? "/" : "", t);
			else
				strlcpy(link, t, PATH_MAX);
			continue;
		}
		uk_vnode_put(vn);
		if (n + 1 + nlen >= PATH_MAX)
			break;
		if (n > 1)
			buf[n++] = '/';
		memcpy(buf + n, name, nlen);
		buf[n + nlen] = 0;
		return buf;
	}
	free(buf);
	return NULL;
}

/* After the point of no return: what the new program must not inherit. */
static void begin_new_program(struct uk_process *p, struct uk_exec_args *a,
			      const char *filename, struct uk_exec_result *res)
{
	struct uk_thread *t = uk_current;
	uk_mm_put(res->old_mm);
	uk_process_vfork_release(p);
	p->did_exec = 1;
	uk_process_caps_exec(p);
	if (uk_fdtable_unshare(&p->files) == 0)
		uk_fdtable_close_on_exec(p->files);
	uk_sighand_unshare(&p->sighand);
	uk_sighand_reset_for_exec(p->sighand);
	uk_signal_exec(p);
	char *exe = uk_exec_exe_path(a->path);
	uk_process_set_exe(exe ? exe : a->path, a->argv);
	free(exe);
	/* The name is the file exec was given (a script's, not its
	 * interpreter's), as Linux sets it. */
	const char *base = strrchr(filename, '/');
	strlcpy(p->comm, base ? base + 1 : filename, sizeof(p->comm));
	memcpy(t->name, p->comm, sizeof(t->name));
	uk_process_set_image_base(res->prog.bias);
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	t->clear_child_tid = NULL;
	t->robust_list = NULL;
	t->fs_base = t->gs_base = 0;
	ukplat_set_fs_base(0);
	ukplat_set_gs_base(0);
	ukplat_fpu_reset();
}

/* Linux's bprm_fill_uid and commit_creds for exec: a set-user-ID file runs
 * as its owner, a set-group-ID one (group-executable) as its group; then
 * the saved ids take the effective ones. A change of identity clears the
 * parent-death signal, as Linux does. (The #! case is the interpreter's
 * file: a script's own bits do nothing, as on Linux.) */
static void exec_credentials(struct uk_process *p, const struct uk_vnode *vn)
{
	struct uk_cred *c = &p->cred;
	unsigned euid = c->euid, egid = c->egid;
	if (vn->mode & S_ISUID)
		c->euid = vn->uid;
	if ((vn->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		c->egid = vn->gid;
	if (c->euid != euid || c->egid != egid)
		p->pdeath_signal = 0;
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
}

static long do_execveat(int dirfd, const char *upath, char *const *uargv,
			char *const *uenvp, int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	struct uk_process *p = uk_proc();
	char *path = malloc(UK_PATH_MAX);
	if (!path)
		return -ENOMEM;
	long rc = uk_strncpy_from_user(path, upath, UK_PATH_MAX);
	if (rc == 0 && !(flags & AT_EMPTY_PATH))
		rc = -ENOENT;
	if (rc < 0) {
		free(path);
		return rc;
	}
	size_t limit = p->limits[RLIMIT_STACK].rlim_cur / 4;
	if (limit < MIN_ARG_TOTAL)
		limit = MIN_ARG_TOTAL;
	if (limit > 6UL << 20)
		limit = 6UL << 20;	/* 3/4 of Linux's 8 MiB default stack */
	struct strvec argv = { 0 }, envp = { 0 };
	struct uk_exec_args a;
	memset(&a, 0, sizeof(a));
	rc = copy_vector(uargv, &argv, &limit);
	if (!rc)
		rc = copy_vector(uenvp, &envp, &limit);
	if (!rc && !argv.n) {
		/* Linux (5.18 on) gives a program called without arguments
		 * an empty argv[0]. */
		free(argv.v);
		argv.v = calloc(2, sizeof(char *) + 1);
		if (argv.v) {
			argv.v[0] = (char *)(argv.v + 2);
			argv.n = 1;
		} else {
			rc = -ENOMEM;
		}
	}
	if (rc)
		goto out;
	a.argv = argv.v;
	a.argc = argv.n;
	a.envp = envp.v;
	a.envc = envp.n;
	a.path = path;
	struct uk_exec_prep prep;
	char err[256];
	elf_version(EV_CURRENT);
	rc = uk_exec_prepare(dirfd, flags, &a, &prep, err, sizeof(err));
	if (rc)
		goto out;
	end_other_threads(p);
	struct uk_cred old_cred = p->cred;	/* its groups stay as they are */
	exec_credentials(p, prep.prog.file->vn);
	struct uk_exec_result res;
	rc = uk_exec_build(&a, &prep, &res, err, sizeof(err));
	uk_exec_prep_free(&prep);
	if (rc) {
		p->cred = old_cred;
		goto out;
	}
	begin_new_program(p, &a, path, &res);
	uk_exec_args_free(&a);
	free(argv.v);
	free(envp.v);
	free(path);
	uk_fd_release_held();	/* this call never returns to the handler */
	struct __regs *r = uk_syscall_regs;
	unsigned long cs = r->cs, ss = r->ss;
	memset(r, 0, sizeof(*r));
	r->rip = res.entry;
	r->rsp = res.sp;
	r->cs = cs;
	r->ss = ss;
	r->rflags = 0x202;
	uk_app_return_work(r);
	ukplat_regs_restore(r);
out:
	uk_exec_args_free(&a);
	free(argv.v);
	free(envp.v);
	free(path);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, execve, const char *, path, char *const *, argv,
		    char *const *, envp)
{
	return do_execveat(AT_FDCWD, path, argv, envp, 0);
}

UK_SYSCALL_R_DEFINE(int, execveat, int, dirfd, const char *, path,
		    char *const *, argv, char *const *, envp, int, flags)
{
	return do_execveat(dirfd, path, argv, envp, flags);
}
