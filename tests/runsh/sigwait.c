/* For run.sh -S: prints "ready", then waits up to 30 s for a signal.
 * With an argument N it has a handler for signal N, says "got N" and
 * exits 7; without, the default action of what comes decides. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		signal(atoi(argv[1]), on_signal);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 300 && !got; i++)
		usleep(100000);
	printf("got %d\n", (int)got);
	return got ? 7 : 1;
}
