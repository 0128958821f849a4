/* The console's canonical line discipline as pure functions of its state
 * (Linux's n_tty, canonical mode): bytes fed in are edited into lines
 * (erase, word erase, kill, literal next, end of file) and echoed as
 * Linux echoes them under ECHO, ECHOE, ECHOK, ECHOKE, ECHONL and
 * ECHOCTL; a read takes at most one line. It never blocks and touches no
 * device: lib/console/tty.c feeds it the host's bytes and sends the echo
 * to the console. VMIN and VTIME (non-canonical mode) are not its
 * business. One extension: ^H erases as VERASE does, for terminals whose
 * Backspace sends it. Tabs are erased as one column. */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include <asm/termbits.h>

/* Linux's N_TTY_BUF_SIZE: a line holds at most 4095 bytes and its end. */
#define UK_LDISC_SIZE 4096

struct uk_ldisc {
	/* buf[0, canon) holds finished lines, buf[canon, head) the line
	 * being edited. mark[i] is non-zero where a line ends: 1 for a byte
	 * that is read with the line (\n, VEOL), 2 for VEOF, which ends the
	 * line but is not read. */
	unsigned char buf[UK_LDISC_SIZE];
	unsigned char mark[UK_LDISC_SIZE];
	size_t head, canon;
	int lnext;		/* the next byte is taken literally */
	/* Where the echo goes (may be NULL). */
	void (*echo)(void *arg, const char *s, size_t n);
	void *echo_arg;
};

/* Empties the buffer (and forgets a pending literal-next). */
void uk_ldisc_flush(struct uk_ldisc *ld);
/* Edits one input byte in under tio's flags and control characters.
 * Returns 0, or the signal a byte raised under ISIG (SIGINT for VINTR,
 * SIGQUIT for VQUIT, SIGTSTP for VSUSP), after which the buffer is
 * flushed unless NOFLSH is set. */
int uk_ldisc_input(struct uk_ldisc *ld, const struct termios *tio,
		   unsigned char c);
/* Whether a read returns now: a finished line (or an end of file). */
int uk_ldisc_readable(const struct uk_ldisc *ld);
/* Copies at most len bytes of the first finished line, the line end
 * included unless it is VEOF; the rest of a longer line is left for the
 * next read. Returns the count (0 for an end of file at the start of a
 * line), or -EAGAIN when no line is finished. */
ssize_t uk_ldisc_read(struct uk_ldisc *ld, char *buf, size_t len);
/* Under ISIG: the signal byte c stands for (SIGINT, SIGQUIT, SIGTSTP), or
 * 0; for non-canonical input, which is not edited here. */
int uk_ldisc_isig(const struct termios *tio, unsigned char c);
/* Echoes c as the discipline does (^X under ECHOCTL), for non-canonical
 * input under ECHO. */
void uk_ldisc_echo(struct uk_ldisc *ld, const struct termios *tio,
		   unsigned char c);
/* Takes every byte held, finished lines and the one being edited (not
 * VEOF's marks), for a switch to non-canonical mode; returns the count. */
size_t uk_ldisc_take_all(struct uk_ldisc *ld, char *buf, size_t len);
