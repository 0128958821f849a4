/* runuk: an OCI runtime with runc's command line (as podman, conmon and
 * containerd's runc shim call it) that runs a container's process in the
 * unikernel under QEMU, through run.sh. Shared declarations; one file per
 * command (create.c, start.c, state.c, kill.c, delete.c, info.c) over
 * the helpers below. Errors: -1 with a message already logged, unless a
 * function says otherwise. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

#define RUNUK_VERSION "0.1.0"
#define RUNUK_OCI_VERSION "1.0.2"
#define RUNUK_DEFAULT_ROOT "/run/runuk"

/* The global flags (before the command). */
struct runuk_global {
	const char *root;	/* --root: where containers' state lives */
	const char *log;	/* --log: a file for our log lines */
	int log_json;		/* --log-format json */
	int debug;		/* --debug */
};
extern struct runuk_global g;

/* log.c: a line to the --log file (text or runc's JSON lines), else to
 * stderr; errors go to stderr as well, where callers show them. */
void log_msg(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg("error", __VA_ARGS__)
#define log_warn(...) log_msg("warning", __VA_ARGS__)
#define log_info(...) log_msg("info", __VA_ARGS__)
#define log_debug(...) do { if (g.debug) log_msg("debug", __VA_ARGS__); } while (0)
/* The time now, as RFC 3339 with nanoseconds (UTC), for logs and state. */
void rfc3339_now(char *buf, size_t len);

/* config.c: what we take from a bundle's config.json. */
struct oci_mount {
	char *dest, *src, *type;
	int bind, ro;
};
struct oci_rlimit {
	char *type;		/* "RLIMIT_NOFILE"... */
	unsigned long long soft, hard;
};
struct oci_config {
	char **args, **env;	/* NULL-terminated */
	size_t nargs, nenv;
	char *cwd, *hostname;
	int terminal;
	unsigned uid, gid;
	char *root;		/* absolute */
	int root_ro;
	struct oci_mount *mounts;
	size_t nmounts;
	struct oci_rlimit *rlimits;
	size_t nrlimits;
	long long mem_limit;	/* bytes; 0: none */
	double cpus;		/* from quota/period or cpuset; 0: none */
	char *netns;		/* a network namespace to join, or NULL */
	int netns_new;		/* a new one asked for (no path) */
	char *annotations;	/* as JSON text, "{}" when none */
	char *ports;		/* annotation io.runuk.ports: "HOST:GUEST,..." */
};
/* With the host's network, the guest is behind QEMU's user-mode NAT:
 * this annotation publishes its ports on the host's 127.0.0.1. */
#define RUNUK_PORTS_ANNOTATION "io.runuk.ports"
int oci_config_load(const char *bundle, struct oci_config *c);
void oci_config_free(struct oci_config *c);

/* container.c: a container's state directory, <root>/<id>/ with
 * state.json and, until start, exec.fifo (whose presence means
 * "created", as runc's does). */
struct container {
	char id[256];
	char dir[4096];
	char bundle[4096];
	char rootfs[4096];
	char created[64];	/* RFC 3339 */
	pid_t pid;
	unsigned long long start_time;	/* /proc/PID/stat's, against PID reuse */
	char *annotations;	/* JSON text */
};
int container_id_valid(const char *id);
int container_path(const char *id, const char *name, char *buf, size_t len);
int container_load(const char *id, struct container *c);	/* -ENOENT: none */
int container_save(const struct container *c);
void container_free(struct container *c);
/* "created", "running" or "stopped". */
const char *container_status(const struct container *c);
int pid_alive(pid_t pid, unsigned long long start_time);
unsigned long long pid_start_time(pid_t pid);	/* 0: no such process */
/* A file written whole or not at all (a temporary, renamed). */
int write_file_atomic(const char *path, const char *text);

/* boot.c: run.sh's command line for a container's process: its options
 * (boot_options), then "--" and the program (boot_program). */
struct argv_buf {
	char **v;
	size_t n, cap;
};
int argv_add(struct argv_buf *a, const char *s);
int argv_addf(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int boot_options(const struct oci_config *c, struct argv_buf *a);
int boot_program(const struct oci_config *c, struct argv_buf *a);

/* net.c: the guest's network inside the container's network namespace:
 * run.sh's options for it (added to a). Called in the supervisor, after
 * it joined the namespace. */
int net_setup(const struct oci_config *c, struct argv_buf *a);
/* console.c: a pseudo-terminal whose master goes to the caller's
 * --console-socket (runc's protocol); the slave becomes stdin, stdout
 * and stderr and the controlling terminal. */
int console_setup(const char *socket_path);

/* Commands: argc/argv start at the command's name. */
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_spec(int argc, char **argv);

/* A command's option: "--name VALUE", "--name=VALUE" or, for a flag,
 * "--name". Returns 1 and advances *i when argv[*i] is it. */
int opt_value(char **argv, int argc, int *i, const char *name, const char **val);
int opt_flag(char **argv, int *i, const char *name);
