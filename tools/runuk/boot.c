/* run.sh's command line for a container's process: the root over 9p, the
 * memory limit as guest memory, exactly the container's environment, the
 * working directory, hostname and rlimits as boot arguments, directory
 * bind mounts as extra 9p shares, and the program found on the
 * container's PATH as runc would. What the guest cannot do is logged. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runuk.h"

#ifndef RUNUK_TOP
#error "RUNUK_TOP: the source tree (run.sh's folder) is set by the build"
#endif

int argv_add(struct argv_buf *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(char *));
		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	if (!(a->v[a->n] = strdup(s)))
		return -1;
	a->v[++a->n] = NULL;
	return 0;
}

int argv_addf(struct argv_buf *a, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	int rc = argv_add(a, s);
	free(s);
	return rc;
}

/* A boot argument's value, %XX-encoded as run.sh encodes words, so that
 * spaces and any byte survive the kernel's command line. */
static char *encode(const char *s)
{
	char *out = malloc(strlen(s) * 3 + 4), *o = out;
	if (!out)
		return NULL;
	if (!*s)
		return strcpy(out, "%00");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("._/,:+@-", ch))
			*o++ = (char)ch;
		else
			o += sprintf(o, "%%%02X", ch);
	}
	*o = 0;
	return out;
}

static int add_bootarg(struct argv_buf *a, const char *key, const char *value)
{
	char *e = encode(value);
	int rc = !e || argv_add(a, "-a") || argv_addf(a, "%s=%s", key, e) ? -1 : 0;
	free(e);
	return rc;
}

/* The kernel beside this binary's build folder (build/tools/runuk). */
static int kernel_path(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	snprintf(buf, len, "%s/../elfloader_kvm-x86_64", exe);
	return access(buf, R_OK);
}

static const char *env_value(const struct oci_config *c, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < c->nenv; i++)
		if (!strncmp(c->env[i], name, n) && c->env[i][n] == '=')
			return c->env[i] + n + 1;
	return NULL;
}

/* A program named without a slash, looked up on the container's PATH in
 * its root (runc does the same before exec). A symbolic link counts as
 * found: it points inside the root, which only the guest resolves. */
static char *find_program(const struct oci_config *c, const char *name)
{
	if (strchr(name, '/'))
		return strdup(name);
	const char *path = env_value(c, "PATH");
	char *dirs = strdup(path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL, *found = NULL, full[PATH_MAX * 2];
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		struct stat st;
		snprintf(full, sizeof(full), "%s/%s/%s", c->root, d, name);
		if (lstat(full, &st) || !(S_ISLNK(st.st_mode) ||
					  (S_ISREG(st.st_mode) && (st.st_mode & 0111))))
			continue;
		if (asprintf(&found, "%s/%s", d, name) < 0)
			found = NULL;
	}
	free(dirs);
	if (!found)
		log_error("%s: executable file not found in $PATH", name);
	return found;
}

/* resolv.conf's nameservers (a bind mount's source) as dns=A,B,C. */
static int add_dns(struct argv_buf *a, const char *src)
{
	FILE *f = fopen(src, "r");
	char line[512], list[256] = "";
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char addr[64];
		if (sscanf(line, " nameserver %63s", addr) == 1 &&
		    strlen(list) + strlen(addr) + 2 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 *list ? "," : "", addr);
	}
	fclose(f);
	return *list ? add_bootarg(a, "dns", list) : 0;
}

/* The guest has its own /proc, /dev (with /dev/pts and /dev/shm), /sys
 * and none of cgroups or mqueue: those mounts are the guest's business. */
static int guest_provides(const struct oci_mount *m)
{
	static const char *const dests[] = {
		"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
	};
	for (size_t i = 0; i < sizeof(dests) / sizeof(dests[0]); i++)
		if (!strcmp(m->dest, dests[i]))
			return 1;
	return 0;
}

/* A bind mount's mountpoint in the root, made as runc makes it (mkdir -p,
 * 0755), one component at a time: a component that is a symbolic link
 * would lead outside the root on the host, so that is refused. */
static int make_mountpoint(const char *root, const char *dest)
{
	char path[PATH_MAX];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/", root);
	for (const char *p = dest; *p && n < (int)sizeof(path);) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (!len)
			break;
		if ((len == 2 && !strncmp(p, "..", 2)) || n + len + 2 > sizeof(path))
			return -1;
		n += snprintf(path + n, sizeof(path) - n, "%.*s/", (int)len, p);
		p += len;
		path[n - 1] = 0;
		if (lstat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return -1;
		} else if (errno != ENOENT || mkdir(path, 0755)) {
			return -1;
		}
		path[n - 1] = '/';
	}
	return 0;
}

static int add_mounts(const struct oci_config *c, struct argv_buf *a)
{
	for (size_t i = 0; i < c->nmounts; i++) {
		const struct oci_mount *m = &c->mounts[i];
		struct stat st;
		if (guest_provides(m)) {
			log_debug("mount %s (%s): the guest has its own", m->dest,
				  m->type ? m->type : "?");
		} else if (!m->bind) {
			log_warn("mount %s (%s): not mounted in the guest (only bind mounts of "
				 "directories are)", m->dest, m->type ? m->type : "no type");
		} else if (!strcmp(m->dest, "/etc/resolv.conf")) {
			if (add_dns(a, m->src))
				return -1;
		} else if (!strcmp(m->dest, "/etc/hostname") || !strcmp(m->dest, "/etc/hosts") ||
			   !strcmp(m->dest, "/run/.containerenv")) {
			log_debug("mount %s: the guest makes its own", m->dest);
		} else if (!m->src || stat(m->src, &st)) {
			log_error("mount %s: source %s: %s", m->dest, m->src ? m->src : "(none)",
				  strerror(errno));
			return -1;
		} else if (!S_ISDIR(st.st_mode)) {
			log_warn("mount %s: a bind mount of a file is not supported in the guest "
				 "(only directories)", m->dest);
		} else if (strchr(m->src, ':') ||
			   strspn(m->dest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789._/+@-") != strlen(m->dest)) {
			log_warn("mount %s: a source with ':' or a destination with other than "
				 "[A-Za-z0-9._/+@-] cannot be shared: skipped", m->dest);
		} else if (make_mountpoint(c->root, m->dest)) {
			log_warn("mount %s: no mountpoint in the root (a file or a symbolic link "
				 "on the way): skipped", m->dest);
		} else if (argv_add(a, "-b") ||
			   argv_addf(a, "%s:%s%s", m->src, m->dest, m->ro ? ":ro" : "")) {
			return -1;
		}
	}
	return 0;
}

static int add_limits(const struct oci_config *c, struct argv_buf *a)
{
	long long mib = 256;
	if (c->mem_limit) {
		mib = c->mem_limit >> 20;
		if (mib < 32) {
			log_warn("memory limit %lld bytes: the guest needs 32 MiB, given that", c->mem_limit);
			mib = 32;
		}
	}
	if (argv_add(a, "-m") || argv_addf(a, "%lldM", mib))
		return -1;
	if (c->cpus > 0)
		log_warn("CPU limit %.2f: the guest has one vCPU (no SMP yet)", c->cpus);
	for (size_t i = 0; i < c->nrlimits; i++) {
		const struct oci_rlimit *r = &c->rlimits[i];
		const char *name = strncmp(r->type, "RLIMIT_", 7) ? r->type : r->type + 7;
		if (argv_add(a, "-a") ||
		    argv_addf(a, "rlimit=%s:%llu:%llu", name, r->soft, r->hard))
			return -1;
	}
	if (c->uid || c->gid)
		log_warn("process.user %u:%u: the guest runs its program as root", c->uid, c->gid);
	if (c->root_ro)
		log_warn("root.readonly: the root is shared writable");
	return 0;
}

int boot_options(const struct oci_config *c, struct argv_buf *a)
{
	char kernel[PATH_MAX + 32];
	if (kernel_path(kernel, sizeof(kernel))) {
		log_error("%s: no kernel (make in %s)", kernel, RUNUK_TOP);
		return -1;
	}
	/* -S: signals to our PID reach the program; -E: only its environment. */
	if (argv_add(a, RUNUK_TOP "/run.sh") || argv_add(a, "-S") || argv_add(a, "-E") ||
	    argv_add(a, "-k") || argv_add(a, kernel) || argv_add(a, "-r") || argv_add(a, c->root))
		return -1;
	for (size_t i = 0; i < c->nenv; i++)
		if (argv_add(a, "-e") || argv_add(a, c->env[i]))
			return -1;
	if (c->cwd && strcmp(c->cwd, "/") && add_bootarg(a, "cwd", c->cwd))
		return -1;
	if (c->hostname && *c->hostname &&
	    strspn(c->hostname, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
		    strlen(c->hostname)) {
		if (argv_add(a, "-a") || argv_addf(a, "hostname=%s", c->hostname))
			return -1;
	} else if (c->hostname && *c->hostname) {
		log_warn("hostname %s: not a host name the guest takes", c->hostname);
	}
	return add_limits(c, a) || add_mounts(c, a) ? -1 : 0;
}

int boot_program(const struct oci_config *c, struct argv_buf *a)
{
	char *prog = find_program(c, c->args[0]);
	if (!prog)
		return -1;
	int rc = argv_add(a, "--") || argv_add(a, prog) ? -1 : 0;
	for (size_t i = 1; i < c->nargs && !rc; i++)
		rc = argv_add(a, c->args[i]);
	free(prog);
	return rc;
}
