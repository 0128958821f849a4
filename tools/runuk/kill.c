/* kill: the signal goes to the container's process. Once started that is
 * ukconsole under run.sh -S, which hands every signal it can catch to
 * the program in the guest (a COM2 frame: PID 1 gets it); SIGKILL ends
 * ukconsole and QEMU with it. Before start it is the supervisor, which
 * the signal's default action ends. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "runuk.h"

static const struct {
	const char *name;
	int sig;
} names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

/* "15", "TERM", "SIGTERM", "RTMIN+3"; 0 when it is none of them. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (!*end)
		return n > 0 && n <= SIGRTMAX ? (int)n : 0;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].sig;
	if (!strncmp(s, "RTMIN", 5)) {
		n = s[5] == '+' ? strtol(s + 6, &end, 10) : 0;
		return SIGRTMIN + n <= SIGRTMAX ? SIGRTMIN + (int)n : 0;
	}
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	const char *id = NULL, *signame = "TERM";
	for (int i = 1; i < argc; i++) {
		if (opt_flag(argv, &i, "all") || opt_flag(argv, &i, "a"))
			continue;	/* one process: the guest's PID 1 gets it */
		if (!id)
			id = argv[i];
		else
			signame = argv[i];
	}
	if (!id) {
		log_error("kill: no container ID");
		return -1;
	}
	int sig = parse_signal(signame);
	if (!sig) {
		log_error("kill: %s: not a signal", signame);
		return -1;
	}
	struct container c;
	if (container_load(id, &c))
		return -1;
	int rc = 0;
	if (!strcmp(container_status(&c), "stopped")) {
		log_error("container not running");
		rc = -1;
	} else if (kill(c.pid, sig)) {
		log_error("kill %d: %s", (int)c.pid, strerror(errno));
		rc = -1;
	}
	container_free(&c);
	return rc;
}
