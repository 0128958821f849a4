/* strace-form tracing: `name(arg, ...) = result`, arguments decoded from
 * the parameter types written in UK_SYSCALL_R_DEFINE. On when the kernel
 * is built with CONFIG_LIBSYSCALL_STRACE and either
 * CONFIG_LIBSYSCALL_STRACE_ON_BOOT or the boot argument `strace=1`. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/signal.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include "strace.h"

int uk_strace_enabled;
extern const struct uk_syscall_entry *uk_syscall_entries[];

void uk_strace_init(void)
{
	size_t len;
	const char *v = ukplat_bootarg("strace", &len);
#if CONFIG_LIBSYSCALL_STRACE
#if CONFIG_LIBSYSCALL_STRACE_ON_BOOT
	uk_strace_enabled = 1;
#endif
	if (v)
		uk_strace_enabled = len == 1 && *v == '1';
#else
	/* Never trace nothing in silence. */
	if (v && len == 1 && *v == '1')
		printf("strace=1: this kernel was built without the tracer "
		       "(CONFIG_LIBSYSCALL_STRACE); no calls are traced\n");
#endif
}

/* Copies field idx of the "type, name, ..." parameter text. */
static void param_field(const char *params, int idx, char *out, size_t len)
{
	const char *p = params;
	for (int field = 0; field < idx && p; field++) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	out[0] = 0;
	if (!p)
		return;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (p[n] && p[n] != ',' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = 0;
}

/* A string argument, read through the user-memory helpers: its first
 * 40 bytes ("..." after them when there are more), or its address when
 * it cannot be read, as strace prints it. */
#define STR_MAX 40

static int print_string(char *buf, size_t len, const char *us)
{
	char s[STR_MAX + 1];
	long got = uk_strncpy_from_user(s, us, sizeof(s));
	if (got == -EFAULT)
		return snprintf(buf, len, "%p", us);
	size_t n = 0;
	n += snprintf(buf + n, len - n, "\"");
	for (int i = 0; i < STR_MAX && s[i] && n + 6 < len; i++) {
		unsigned char c = s[i];
		if (c == '\n')
			n += snprintf(buf + n, len - n, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			n += snprintf(buf + n, len - n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	n += snprintf(buf + n, len - n, got < 0 ? "\"..." : "\"");
	return n;
}

static size_t format_arg(char *buf, size_t len, const char *type,
			 const char *name, long v)
{
	if (!strcmp(type, "const char *") && v)
		return print_string(buf, len, (const char *)v);
	if (strchr(type, '*') || strstr(name, "addr"))
		return v ? snprintf(buf, len, "%#lx", v) : snprintf(buf, len, "NULL");
	if (strstr(type, "unsigned") || strstr(type, "size_t") ||
	    strstr(type, "uint"))
		return snprintf(buf, len, "%lu", v);
	if (!strcmp(type, "int"))
		return snprintf(buf, len, "%d", (int)v);
	return snprintf(buf, len, "%ld", v);
}

void uk_strace_call(unsigned long nr, struct __regs *r)
{
	const struct uk_syscall_entry *e = uk_syscall_entries[nr];
	long args[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	char line[512], type[64], name[32];
	size_t n = snprintf(line, sizeof(line), "%s(", e->name);
	for (int i = 0; i < e->nargs && n < sizeof(line) - 64; i++) {
		param_field(e->params, 2 * i, type, sizeof(type));
		param_field(e->params, 2 * i + 1, name, sizeof(name));
		if (i)
			n += snprintf(line + n, sizeof(line) - n, ", ");
		n += format_arg(line + n, sizeof(line) - n, type, name, args[i]);
	}
	n += snprintf(line + n, sizeof(line) - n, ")");
	if (nr == __NR_exit || nr == __NR_exit_group)
		printf("%s = ?\n", line);
	long ret = uk_syscall_invoke(nr, r);
	uk_fd_release_held();
	r->rax = ret;
	if (uk_signal_work)
		uk_signal_deliver(r);
	if (ret < 0 && ret >= -4095)
		printf("%s = -1 (errno %ld)\n", line, -ret);
	else if (ret > 0xffff || ret < -4095)
		printf("%s = %#lx\n", line, ret);
	else
		printf("%s = %ld\n", line, ret);
}
