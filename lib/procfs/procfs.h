/* Internal interfaces of procfs: a static tree whose files are generated
 * at open and whose links are resolved at readlink. */
#pragma once
#include <stddef.h>

struct pbuf {
	char *buf;
	size_t len, cap;
};
void pb_printf(struct pbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pb_put(struct pbuf *b, const void *data, size_t len);

struct uk_process;
/* Writes a file's contents; p is the process of its /proc/PID (or the
 * caller, for files about the whole system). */
typedef void (*proc_gen_t)(struct pbuf *b, struct uk_process *p);

void gen_maps(struct pbuf *b, struct uk_process *p);
void gen_status(struct pbuf *b, struct uk_process *p);
void gen_cmdline(struct pbuf *b, struct uk_process *p);
void gen_environ(struct pbuf *b, struct uk_process *p);
void gen_mounts(struct pbuf *b, struct uk_process *p);
void gen_meminfo(struct pbuf *b, struct uk_process *p);
void gen_cpuinfo(struct pbuf *b, struct uk_process *p);
void gen_uptime(struct pbuf *b, struct uk_process *p);
void gen_version(struct pbuf *b, struct uk_process *p);
void gen_filesystems(struct pbuf *b, struct uk_process *p);
void gen_stat(struct pbuf *b, struct uk_process *p);
void gen_pid_stat(struct pbuf *b, struct uk_process *p);
void gen_limits(struct pbuf *b, struct uk_process *p);
void gen_comm(struct pbuf *b, struct uk_process *p);
