/* What the cases of tests/proc's test program share: output and child
 * helpers (proc.c) and the cases kept in files of their own. */
#pragma once
#include <errno.h>
#include <string.h>
#include <sys/types.h>

/* Prints one line (a newline added) and flushes it. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A wait status as words ("exited 3", "killed by Killed", "stopped by
 * Stopped (signal)"); a static buffer, one per say(). */
const char *status_text(int st);
/* Forks a child that runs fn and _exits with its result. */
pid_t child(int (*fn)(void *), void *arg);
/* waitpid(p) until it ends: its status. */
int reap(pid_t p);

/* A call's result as "LABEL: RESULT ERRNO-TEXT" (errno read after the
 * call, which C's argument order would not promise). */
#define result(label, call) do {					\
		errno = 0;						\
		long r_ = (call);					\
		say("%s: %ld%s%s", label, r_, r_ < 0 ? " " : "",	\
		    r_ < 0 ? strerror(errno) : "");			\
	} while (0)

/* This program's path (argv[0]). */
extern const char *self;

int t_jobs(void);
int t_futex(void);
int t_sigio(void);
int t_perms(void);
int t_ids(void);
int t_caps(void);
int t_signalfd(void);
int t_capshow(void);
int t_fsperm(void);
int t_forkmem(void);
