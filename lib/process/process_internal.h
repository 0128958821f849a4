/* Internal interfaces of lib/process. */
#pragma once
#include <uk/process.h>

/* Whether some process has pid as its process group or session. */
int proc_pid_is_group(int pid);
/* The same, counting only processes other than p. */
int proc_pid_is_group_other(int pid, const struct uk_process *p);
/* Drops what p holds: address space, descriptors, cwd, dispositions and
 * signal state. */
void proc_release(struct uk_process *p);
/* A zombie is done with: unlinked now, freed with its last thread. */
void proc_reap(struct uk_process *p);
/* The shared program-and-arguments block (NULL is allowed). */
void proc_cmdline_get(struct uk_cmdline *c);
void proc_cmdline_put(struct uk_cmdline *c);
/* fork's copy of the credentials, and their end. */
int proc_cred_copy(struct uk_cred *to, const struct uk_cred *from);
void proc_cred_free(struct uk_cred *c);
/* The capability sets after a change of the user ids (given the old ones)
 * or of the fsuid, as Linux changes them (lib/process/caps.c). */
void proc_caps_setuid(struct uk_cred *c, unsigned old_r, unsigned old_e, unsigned old_s);
void proc_caps_setfsuid(struct uk_cred *c, unsigned old_fs);
/* prctl's capability options; -ENOSYS for any other option. */
long proc_prctl_caps(int option, unsigned long a2, unsigned long a3,
		     unsigned long a4, unsigned long a5);
/* The process a pidfd names (NULL: not a pidfd, or the process is gone);
 * the end of a process, for the pidfds' pollers. */
struct uk_file;
struct uk_process *proc_of_pidfd(struct uk_file *f);
void proc_pidfd_ended(struct uk_process *p);
/* Network stacks deliver what the program sent before the guest ends. */
void uk_net_flush_before_exit(void);
