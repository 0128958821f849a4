/* For the terminal tests: prints "ready", then waits up to 30 s for
 * SIGINT. With a handler (no argument) it says "handler ran" and exits
 * 0; with an argument it has none, so ^C ends it (status 130). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_sigint(int sig)
{
	(void)sig;
	got = 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc == 1)
		signal(SIGINT, on_sigint);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 300 && !got; i++)
		usleep(100000);
	printf(got ? "handler ran\n" : "no signal\n");
	return got ? 0 : 1;
}
