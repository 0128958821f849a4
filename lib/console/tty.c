/* The console's line discipline. When the host's stdin is a terminal
 * (which run.sh puts in raw mode) the guest does what a Linux tty would:
 * canonical input with echo and erase, ^D for end of file, ^C ending the
 * program as SIGINT would, and \n to \r\n on output (the platform). When
 * stdin is a pipe or file, bytes pass through untouched. */
#include <errno.h>
#include <string.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/ioctls.h>
#include <uk/plat.h>
#include <uk/tty.h>
#include <uk/process.h>

#define SIGINT 2

static struct termios tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
		  [VEOF] = 4, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19,
		  [VSUSP] = 26, [VWERASE] = 23, [VLNEXT] = 22 },
};

/* A line being edited, and the part of a finished line not yet read. */
static char line[4096];
static size_t line_len, line_ready, line_pos;
static int line_eof;

static void echo(const char *s, size_t n)
{
	if (tio.c_lflag & ECHO)
		ukplat_console_write(1, s, n);
}

/* Reads raw bytes and edits them into a line; returns when a line (or an
 * end of file) is ready. */
static void read_canonical(void)
{
	while (!line_ready && !line_eof) {
		char c;
		if (ukplat_console_read(&c, 1) <= 0) {
			line_eof = 1;
			break;
		}
		if (c == '\r' && (tio.c_iflag & ICRNL))
			c = '\n';
		if ((tio.c_lflag & ISIG) && c == (char)tio.c_cc[VINTR]) {
			echo("^C\n", 3);
			uk_process_exit(128 + SIGINT);
		}
		if (c == (char)tio.c_cc[VERASE] || c == '\b') {
			if (line_len) {
				line_len--;
				echo("\b \b", 3);
			}
			continue;
		}
		if (c == (char)tio.c_cc[VKILL]) {
			for (; line_len; line_len--)
				echo("\b \b", 3);
			continue;
		}
		if (c == (char)tio.c_cc[VEOF]) {
			if (line_len)
				line_ready = line_len;	/* push the partial line */
			else
				line_eof = 1;
			break;
		}
		if (line_len < sizeof(line))
			line[line_len++] = c;
		echo(&c, 1);
		if (c == '\n')
			line_ready = line_len;
	}
}

ssize_t uk_tty_read(char *buf, size_t len)
{
	if (!ukplat_console_isatty(0) || !(tio.c_lflag & ICANON))
		return ukplat_console_read(buf, len);
	if (!line_ready) {
		read_canonical();
		if (!line_ready) {
			line_eof = 0;	/* ^D is a one-time end of file */
			return 0;
		}
	}
	size_t n = line_ready - line_pos;
	if (n > len)
		n = len;
	memcpy(buf, line + line_pos, n);
	line_pos += n;
	if (line_pos == line_ready) {
		memmove(line, line + line_ready, line_len - line_ready);
		line_len -= line_ready;
		line_ready = line_pos = 0;
	}
	return n;
}

ssize_t uk_tty_write(int stream, const char *buf, size_t len)
{
	ukplat_console_write(stream, buf, len);
	return len;
}

int uk_tty_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	if (!ukplat_console_isatty(fd))
		return -ENOTTY;
	switch (cmd) {
	case TCGETS:
		memcpy((void *)arg, &tio, sizeof(tio));
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		memcpy(&tio, (void *)arg, sizeof(tio));
		return 0;
	case TIOCGWINSZ: {
		struct winsize *ws = (void *)arg;
		memset(ws, 0, sizeof(*ws));
		ukplat_console_winsize(&ws->ws_row, &ws->ws_col);
		return 0;
	}
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP:
		*(int *)arg = UK_PROCESS_PID;
		return 0;
	case TIOCSPGRP:
		return 0;
	case TIOCGSID:
		*(int *)arg = UK_PROCESS_PID;
		return 0;
	default:
		return -EINVAL;
	}
}
