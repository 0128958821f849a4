/* runuk's entry: runc's global flags, then the command. What callers pass
 * that we cannot honour is accepted with a log line, never an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runuk.h"

struct runuk_global g = { .root = RUNUK_DEFAULT_ROOT };

int opt_value(char **argv, int argc, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	/* runc (urfave/cli) takes -name as well as --name. */
	if (a[0] == '-' && a[1] == '-')
		a++;
	if (a[0] != '-' || strncmp(a + 1, name, n))
		return 0;
	if (a[n + 1] == '=') {
		*val = a + n + 2;
		return 1;
	}
	if (a[n + 1] || *i + 1 >= argc)
		return 0;
	*val = argv[++*i];
	return 1;
}

int opt_flag(char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	if (a[0] == '-' && a[1] == '-')
		a++;
	if (a[0] != '-' || strcmp(a + 1, name))
		return 0;
	(void)i;
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: runuk [global options] COMMAND [options] ID\n"
		"An OCI runtime (runc's command line) that runs the container's\n"
		"process in the unikernel under QEMU.\n"
		"commands: create, start, state, kill, delete, list, ps, features,\n"
		"          spec, run (create and start)\n"
		"global options: --root DIR (default " RUNUK_DEFAULT_ROOT "), --log FILE,\n"
		"          --log-format text|json, --debug; --systemd-cgroup, --criu,\n"
		"          --rootless are accepted and logged\n");
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "create", cmd_create }, { "start", cmd_start }, { "state", cmd_state },
	{ "kill", cmd_kill }, { "delete", cmd_delete }, { "list", cmd_list },
	{ "ps", cmd_ps }, { "features", cmd_features }, { "spec", cmd_spec },
};

/* Commands a unikernel of one program cannot offer. */
static const char *const unsupported[] = {
	"exec", "pause", "resume", "checkpoint", "restore", "update", "events",
};

static int cmd_run(int argc, char **argv);

int main(int argc, char **argv)
{
	int i = 1;
	const char *v;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (opt_value(argv, argc, &i, "root", &v)) {
			g.root = v;
		} else if (opt_value(argv, argc, &i, "log", &v)) {
			g.log = v;
		} else if (opt_value(argv, argc, &i, "log-format", &v)) {
			g.log_json = !strcmp(v, "json");
		} else if (opt_flag(argv, &i, "debug")) {
			g.debug = 1;
		} else if (opt_flag(argv, &i, "version") || opt_flag(argv, &i, "v")) {
			printf("runuk version %s\nspec: %s\n", RUNUK_VERSION, RUNUK_OCI_VERSION);
			return 0;
		} else if (opt_flag(argv, &i, "help") || opt_flag(argv, &i, "h")) {
			usage();
			return 0;
		} else if (opt_flag(argv, &i, "systemd-cgroup")) {
			log_debug("--systemd-cgroup: cgroups are not used (QEMU runs in the caller's)");
		} else if (opt_value(argv, argc, &i, "criu", &v) ||
			   opt_value(argv, argc, &i, "rootless", &v)) {
			log_debug("%s: ignored", argv[i - 1]);
		} else {
			log_warn("unknown global option %s: ignored", argv[i]);
		}
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	const char *cmd = argv[i];
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (!strcmp(cmd, commands[k].name))
			return commands[k].fn(argc - i, argv + i) ? 1 : 0;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - i, argv + i);
	for (size_t k = 0; k < sizeof(unsupported) / sizeof(unsupported[0]); k++) {
		if (!strcmp(cmd, unsupported[k])) {
			log_error("%s: not supported: the guest runs the container's one "
				  "program in a virtual machine", cmd);
			return 1;
		}
	}
	log_error("unknown command %s", cmd);
	usage();
	return 2;
}

/* run = create, start, then wait for the container's process (a child of
 * ours: create's supervisor is forked from this process) and exit with
 * its status, as runc run does in the foreground. */
static int cmd_run(int argc, char **argv)
{
	argv[0] = "create";
	if (cmd_create(argc, argv))
		return 1;
	const char *id = argv[argc - 1];
	char *start[] = { "start", (char *)id, NULL };
	if (cmd_start(2, start))
		return 1;
	int ws;
	struct container c;
	if (container_load(id, &c))
		return 1;
	pid_t pid = c.pid;
	container_free(&c);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}
