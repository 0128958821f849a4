/* ukconsole: runs QEMU with the guest's consoles on pipes and relays them.
 * COM1 (QEMU's stdin/stdout) carries the program's stdin and stdout; COM2
 * (a socket chardev on fd 3: "-chardev socket,id=com2,fd=3") its stderr
 * and the kernel's log, framed: 0xff is doubled, 0xff 'X' <n> carries the
 * exit status and 0xff 'R' says the guest's COM1 is ready (stdin is held
 * back until then). Input from a non-tty stdin is framed the same way and
 * ends with 0xff 0x00; a tty stdin is put in raw mode and passed through
 * (the guest runs the line discipline). COM2's input carries control
 * frames: 0xff 'S' <n> asks the guest to send signal n to its PID 1.
 * Exits with the program's status, or 128+N when a signal ended QEMU.
 * SIGINT, SIGTERM and SIGHUP go to QEMU; with --guest-signals every
 * signal that can be caught (but those a relay needs for itself) goes to
 * the program in the guest instead, as a container runtime's kill must,
 * and QEMU dies with ukconsole (SIGKILL included).
 * Usage: ukconsole [--guest-signals] qemu-system-x86_64 [args...]
 *        ukconsole --tsc-khz     (the host TSC's rate, for TCG guests) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define ESC 0xff
#define FRAME_EXIT 'X'
#define FRAME_EOF 0x00
#define FRAME_READY 'R'
#define FRAME_SIGNAL 'S'

static struct termios saved_tio;
static int tty_raw;
static pid_t qemu_pid = -1, feeder_pid = -1;
static int sig_pipe[2] = { -1, -1 };	/* --guest-signals: handler to loop */

static void restore_tty(void)
{
	if (tty_raw)
		tcsetattr(0, TCSANOW, &saved_tio);
	tty_raw = 0;
}

static void forward_signal(int sig)
{
	if (qemu_pid > 0)
		kill(qemu_pid, sig);
}

static void queue_guest_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* a full pipe: 4096 signals already wait */
	}
	errno = saved;
}

/* The signals a relay keeps for itself: its children (SIGCHLD), its own
 * writes to a closed stream (SIGPIPE), job control and terminal resizes
 * (the guest's size is fixed at boot), and glibc's internal ones. */
static int relay_keeps(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGPIPE ||
	       sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGCONT ||
	       sig == SIGWINCH || (sig > 31 && sig < SIGRTMIN);
}

static int guest_signals_init(void)
{
	if (pipe(sig_pipe))
		return -1;
	fcntl(sig_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(sig_pipe[1], F_SETFD, FD_CLOEXEC);
	fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
	struct sigaction sa = { .sa_handler = queue_guest_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig <= SIGRTMAX; sig++)
		if (!relay_keeps(sig))
			sigaction(sig, &sa, NULL);
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* The stdin feeder: its own process, so a guest that never reads cannot
 * stall the relay of its output. */
static void feed_stdin(int out, int tty, int ready)
{
	unsigned char in[4096], buf[8192];
	signal(SIGPIPE, SIG_DFL);
	if (read(ready, in, 1) != 1)
		_exit(0);	/* the guest never became ready */
	for (;;) {
		ssize_t n = read(0, in, sizeof(in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t m = 0;
		for (ssize_t i = 0; i < n; i++) {
			buf[m++] = in[i];
			if (!tty && in[i] == ESC)
				buf[m++] = ESC;
		}
		if (write_all(out, buf, m))
			_exit(0);
	}
	if (!tty) {
		unsigned char eof[2] = { ESC, FRAME_EOF };
		write_all(out, eof, 2);
	}
	/* Keep the pipe open: closing it would look like a hang-up to QEMU. */
	pause();
	_exit(0);
}

/* Under TCG the guest's TSC is the host's: measuring it here once saves
 * every boot the guest's own 5 ms calibration. */
static int print_tsc_khz(void)
{
	struct timespec a, b, d = { 0, 50000000 };
	unsigned lo, hi;
	clock_gettime(CLOCK_MONOTONIC, &a);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	unsigned long long t0 = (unsigned long long)hi << 32 | lo;
	nanosleep(&d, NULL);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	unsigned long long t1 = (unsigned long long)hi << 32 | lo;
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	if (ns <= 0)
		return 1;
	printf("%llu\n", (t1 - t0) * 1000000ULL / (unsigned long long)ns);
	return 0;
}

int main(int argc, char **argv)
{
	int in_pipe[2], out_pipe[2], err_pipe[2], ready_pipe[2];
	int status_seen = 0, guest_status = 0, guest_signals = 0;

	if (argc == 2 && !strcmp(argv[1], "--tsc-khz"))
		return print_tsc_khz();
	if (argc > 1 && !strcmp(argv[1], "--guest-signals")) {
		guest_signals = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: ukconsole [--guest-signals] qemu-system-x86_64 [args...]\n");
		return 2;
	}
	/* COM2 both ways: the guest's stderr out, control frames in. */
	if (pipe(in_pipe) || pipe(out_pipe) || socketpair(AF_UNIX, SOCK_STREAM, 0, err_pipe) ||
	    pipe(ready_pipe)) {
		perror("ukconsole: pipe");
		return 125;
	}
	/* Before QEMU starts: a signal meanwhile waits for the guest. */
	if (guest_signals && guest_signals_init()) {
		perror("ukconsole: pipe");
		return 125;
	}
	int tty = isatty(0);
	if (tty && tcgetattr(0, &saved_tio) == 0) {
		struct termios raw = saved_tio;
		raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
				 ICRNL | IXON);
		raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
		raw.c_cflag |= CS8;
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(0, TCSANOW, &raw) == 0)
			tty_raw = 1;
		atexit(restore_tty);
	}

	qemu_pid = fork();
	if (qemu_pid < 0) {
		perror("ukconsole: fork");
		return 125;
	}
	if (qemu_pid == 0) {
		if (guest_signals) {
			/* The relay's death (SIGKILL from a runtime) ends QEMU. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(125);
		}
		dup2(in_pipe[0], 0);
		dup2(out_pipe[1], 1);
		dup2(err_pipe[1], 3);
		for (int fd = 4; fd < 64; fd++)
			close(fd);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "ukconsole: cannot run %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	feeder_pid = fork();
	if (feeder_pid == 0) {
		if (guest_signals)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(in_pipe[0]);
		close(out_pipe[0]);
		close(err_pipe[0]);
		close(out_pipe[1]);
		close(err_pipe[1]);
		close(ready_pipe[1]);
		feed_stdin(in_pipe[1], tty, ready_pipe[0]);
	}
	close(in_pipe[0]);
	close(in_pipe[1]);
	close(out_pipe[1]);
	close(err_pipe[1]);
	close(ready_pipe[0]);
	if (!guest_signals) {
		signal(SIGINT, forward_signal);
		signal(SIGTERM, forward_signal);
		signal(SIGHUP, forward_signal);
	}
	signal(SIGPIPE, SIG_IGN);

	/* pfd[2]: signals for the guest, sent once its COM2 is ready (its
	 * FIFO reset would drop them before). */
	struct pollfd pfd[3] = { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 },
				 { sig_pipe[0], POLLIN, 0 } };
	int open_fds = 2, esc = 0, want_status = 0, guest_ready = 0;
	unsigned char buf[65536], outb[65536 + 1], sigs[256];
	size_t nsigs = 0;
	while (open_fds) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents & POLLIN) {
			ssize_t n = read(sig_pipe[0], sigs + nsigs, sizeof(sigs) - nsigs);
			if (n > 0)
				nsigs += n;
		}
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0) {
				write_all(1, buf, n);
				continue;
			}
			size_t m = 0;
			for (ssize_t k = 0; k < n; k++) {
				unsigned char c = buf[k];
				if (want_status) {
					guest_status = c;
					status_seen = 1;
					want_status = 0;
				} else if (esc) {
					esc = 0;
					if (c == ESC)
						outb[m++] = ESC;
					else if (c == FRAME_EXIT)
						want_status = 1;
					else if (c == FRAME_READY && ready_pipe[1] >= 0) {
						write_all(ready_pipe[1], &c, 1);
						close(ready_pipe[1]);
						ready_pipe[1] = -1;
						guest_ready = 1;
					}
				} else if (c == ESC) {
					esc = 1;
				} else {
					outb[m++] = c;
				}
			}
			write_all(2, outb, m);
		}
		if (nsigs && guest_ready && pfd[1].fd >= 0) {
			for (size_t k = 0; k < nsigs; k++) {
				unsigned char frame[3] = { ESC, FRAME_SIGNAL, sigs[k] };
				write_all(pfd[1].fd, frame, 3);
			}
			nsigs = 0;
		}
		/* Full: further signals wait in the pipe. */
		pfd[2].fd = nsigs < sizeof(sigs) ? sig_pipe[0] : -1;
	}

	int ws = 0;
	while (waitpid(qemu_pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (feeder_pid > 0) {
		kill(feeder_pid, SIGKILL);
		waitpid(feeder_pid, NULL, 0);
	}
	restore_tty();
	if (status_seen)
		return guest_status;
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	int code = WEXITSTATUS(ws);
	if (code & 1)
		return code >> 1;	/* isa-debug-exit: (status << 1) | 1 */
	fprintf(stderr, "ukconsole: the guest stopped without an exit status "
		"(QEMU exit code %d)\n", code);
	return code ? code : 125;
}
