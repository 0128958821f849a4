/* The running program as a process: ids and exit. */
#pragma once

#define UK_PROCESS_PID 1
#define UK_PROCESS_PPID 0

/* Ends the program with a status (0..255) as exit_group does. */
void __attribute__((noreturn)) uk_process_exit(int status);

/* Records the program's path and arguments (for /proc/self/exe and
 * /proc/self/cmdline). */
void uk_process_set_exe(const char *path, char *const *argv);
const char *uk_process_exe(void);
char *const *uk_process_argv(void);

/* The load bias of the program's own image (added to its ELF addresses;
 * 0 for ET_EXEC), set by the loader: its segments are anonymous mappings,
 * so crash reports need this to name the program's symbols. */
void uk_process_set_image_base(unsigned long bias);
unsigned long uk_process_image_base(void);

/* The task name (prctl PR_SET_NAME; /proc/self/comm), NUL-terminated,
 * at most 15 bytes. */
const char *uk_process_comm(void);
/* A resource limit as getrlimit gives it; -EINVAL for an unknown one. */
struct rlimit64;
int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl);
