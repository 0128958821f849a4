/* Waits for a signal (run.sh -S, container runtimes' kill): prints
 * "ready", then waits up to 60 s. "sigwait N": a handler for signal N
 * says "got N" and exits 7; "sigwait ignore N": N is ignored (SIGKILL or
 * the 60 s end it); no argument: the default action of what comes
 * decides. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "ignore"))
		signal(atoi(argv[2]), SIG_IGN);
	else if (argc > 1)
		signal(atoi(argv[1]), on_signal);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 600 && !got; i++)
		usleep(100000);
	printf("got %d\n", (int)got);
	return got ? 7 : 1;
}
