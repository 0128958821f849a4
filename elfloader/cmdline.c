/* The boot command line as run.sh writes it: kernel options, then "--",
 * then the program and its arguments. Every word is %XX-encoded so that
 * spaces and any other byte survive; env=NAME=VALUE options build the
 * environment and cwd=DIR names the program's working directory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = hexval(s[i + 1]) << 4 | hexval(s[i + 2]);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = 0;
	return out;
}

static int push(char ***vec, int *n, char *s)
{
	char **v = realloc(*vec, (*n + 2) * sizeof(char *));
	if (!v)
		return -ENOMEM;
	v[(*n)++] = s;
	v[*n] = NULL;
	*vec = v;
	return 0;
}

int uk_exec_parse_cmdline(const char *c, struct uk_exec_args *a)
{
	int in_args = 0;
	memset(a, 0, sizeof(*a));
	while (c && *c) {
		while (*c == ' ')
			c++;
		if (!*c)
			break;
		size_t len = strcspn(c, " ");
		if (!in_args && len == 2 && !strncmp(c, "--", 2)) {
			in_args = 1;
		} else if (in_args) {
			char *w = decode(c, len);
			if (!w || push(&a->argv, &a->argc, w))
				return -ENOMEM;
		} else if (len > 4 && !strncmp(c, "env=", 4)) {
			char *w = decode(c + 4, len - 4);
			if (!w || push(&a->envp, &a->envc, w))
				return -ENOMEM;
		} else if (len > 4 && !strncmp(c, "cwd=", 4)) {
			if (!(a->cwd = decode(c + 4, len - 4)))
				return -ENOMEM;
		} else if (len == 9 && !strncmp(c, "verbose=1", 9)) {
			a->verbose = 1;
		}
		c += len;
	}
	if (!a->argc)
		return -EINVAL;
	if (!a->envp && !(a->envp = calloc(1, sizeof(char *))))
		return -ENOMEM;
	a->path = a->argv[0];
	return 0;
}
