/* Canonical-mode line editing and echo, after Linux's n_tty
 * (n_tty_receive_char_special, eraser, echo_char): a function of the
 * buffer, the termios and the byte, so that it can be tested without a
 * console. */
#include <errno.h>
#include <string.h>
#include <asm/signal.h>
#include <uk/ldisc.h>

#define MARK_LINE 1
#define MARK_EOF 2

static int is_cntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int is_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/* A control character of tio, unless disabled (_POSIX_VDISABLE is 0). */
static int is_cc(const struct termios *tio, int v, unsigned char c)
{
	return tio->c_cc[v] && c == tio->c_cc[v];
}

static void echo_raw(struct uk_ldisc *ld, const char *s, size_t n)
{
	if (ld->echo)
		ld->echo(ld->echo_arg, s, n);
}

/* A byte as Linux echoes it: control characters but tab as ^X under
 * ECHOCTL. */
static void echo_char(struct uk_ldisc *ld, const struct termios *tio,
		      unsigned char c)
{
	if ((tio->c_lflag & ECHOCTL) && is_cntrl(c) && c != '\t') {
		char s[2] = { '^', (char)(c ^ 0100) };
		echo_raw(ld, s, 2);
	} else {
		echo_raw(ld, (const char *)&c, 1);
	}
}

int uk_ldisc_isig(const struct termios *tio, unsigned char c)
{
	return is_cc(tio, VINTR, c) ? SIGINT : is_cc(tio, VQUIT, c) ? SIGQUIT :
	       is_cc(tio, VSUSP, c) ? SIGTSTP : 0;
}

void uk_ldisc_echo(struct uk_ldisc *ld, const struct termios *tio,
		   unsigned char c)
{
	echo_char(ld, tio, c);
}

size_t uk_ldisc_take_all(struct uk_ldisc *ld, char *buf, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < ld->head && n < len; i++)
		if (ld->mark[i] != MARK_EOF)
			buf[n++] = ld->buf[i];
	uk_ldisc_flush(ld);
	return n;
}

void uk_ldisc_flush(struct uk_ldisc *ld)
{
	ld->head = ld->canon = 0;
	ld->lnext = 0;
}

static void put(struct uk_ldisc *ld, unsigned char c, unsigned char mark)
{
	ld->buf[ld->head] = c;
	ld->mark[ld->head] = mark;
	ld->head++;
	if (mark)
		ld->canon = ld->head;
}

/* An ordinary byte: echoed and queued while the line has room (a full
 * line keeps room for its end only). */
static void put_char(struct uk_ldisc *ld, const struct termios *tio,
		     unsigned char c)
{
	if (ld->head >= UK_LDISC_SIZE - 1)
		return;
	if (tio->c_lflag & ECHO)
		echo_char(ld, tio, c);
	put(ld, c, 0);
}

static void end_line(struct uk_ldisc *ld, unsigned char c, unsigned char mark)
{
	if (ld->head < UK_LDISC_SIZE)
		put(ld, c, mark);
}

/* VERASE, VWERASE and VKILL on the line being edited. */
static void erase(struct uk_ldisc *ld, const struct termios *tio,
		  unsigned char c)
{
	enum { ERASE, WERASE, KILL } kind;
	tcflag_t l = tio->c_lflag;
	if (ld->head == ld->canon)
		return;
	if (is_cc(tio, VERASE, c) || c == '\b')
		kind = ERASE;
	else if (is_cc(tio, VWERASE, c))
		kind = WERASE;
	else
		kind = KILL;
	if (kind == KILL && (!(l & ECHO) || !(l & ECHOK) || !(l & ECHOKE) ||
			     !(l & ECHOE))) {
		ld->head = ld->canon;
		if (l & ECHO) {
			echo_char(ld, tio, c);
			if (l & ECHOK)
				echo_raw(ld, "\n", 1);
		}
		return;
	}
	int seen_word = 0;
	while (ld->head > ld->canon) {
		size_t h = ld->head;
		unsigned char ch;
		/* A UTF-8 character goes whole under IUTF8. */
		do {
			ch = ld->buf[--h];
		} while ((tio->c_iflag & IUTF8) && (ch & 0xc0) == 0x80 && h > ld->canon);
		if ((tio->c_iflag & IUTF8) && (ch & 0xc0) == 0x80)
			break;	/* never half a character */
		if (kind == WERASE) {
			if (is_word(ch))
				seen_word = 1;
			else if (seen_word)
				break;
		}
		ld->head = h;
		if (l & ECHO) {
			if (kind == ERASE && !(l & ECHOE)) {
				echo_char(ld, tio, c);
			} else {
				/* ^X took two columns under ECHOCTL, none
				 * without it. */
				if (is_cntrl(ch) && ch != '\t' && (l & ECHOCTL))
					echo_raw(ld, "\b \b", 3);
				if (!is_cntrl(ch) || ch == '\t' || (l & ECHOCTL))
					echo_raw(ld, "\b \b", 3);
			}
		}
		if (kind == ERASE)
			break;
	}
}

int uk_ldisc_input(struct uk_ldisc *ld, const struct termios *tio,
		   unsigned char c)
{
	tcflag_t l = tio->c_lflag;
	if (tio->c_iflag & ISTRIP)
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = 0;
		put_char(ld, tio, c);
		return 0;
	}
	if (tio->c_iflag & IXON) {
		/* No output flow control here: ^S and ^Q are only taken. */
		if (is_cc(tio, VSTART, c) || is_cc(tio, VSTOP, c))
			return 0;
	}
	if (l & ISIG) {
		int sig = uk_ldisc_isig(tio, c);
		if (sig) {
			if (!(l & NOFLSH))
				uk_ldisc_flush(ld);
			if (l & ECHO)
				echo_char(ld, tio, c);
			return sig;
		}
	}
	if (c == '\r') {
		if (tio->c_iflag & IGNCR)
			return 0;
		if (tio->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tio->c_iflag & INLCR)) {
		c = '\r';
	}
	if (is_cc(tio, VERASE, c) || is_cc(tio, VKILL, c) || c == '\b' ||
	    (is_cc(tio, VWERASE, c) && (l & IEXTEN))) {
		erase(ld, tio, c);
		return 0;
	}
	if (is_cc(tio, VLNEXT, c) && (l & IEXTEN)) {
		ld->lnext = 1;
		if ((l & ECHO) && (l & ECHOCTL))
			echo_raw(ld, "^\b", 2);
		return 0;
	}
	if (is_cc(tio, VREPRINT, c) && (l & ECHO) && (l & IEXTEN)) {
		echo_char(ld, tio, c);
		echo_raw(ld, "\n", 1);
		for (size_t i = ld->canon; i < ld->head; i++)
			echo_char(ld, tio, ld->buf[i]);
		return 0;
	}
	if (c == '\n') {
		if (l & (ECHO | ECHONL))
			echo_raw(ld, "\n", 1);
		end_line(ld, c, MARK_LINE);
		return 0;
	}
	if (is_cc(tio, VEOF, c)) {
		end_line(ld, 0, MARK_EOF);
		return 0;
	}
	if (is_cc(tio, VEOL, c) || (is_cc(tio, VEOL2, c) && (l & IEXTEN))) {
		if (l & ECHO)
			echo_char(ld, tio, c);
		end_line(ld, c, MARK_LINE);
		return 0;
	}
	put_char(ld, tio, c);
	return 0;
}

int uk_ldisc_readable(const struct uk_ldisc *ld)
{
	return ld->canon > 0;
}

ssize_t uk_ldisc_read(struct uk_ldisc *ld, char *buf, size_t len)
{
	if (!ld->canon)
		return -EAGAIN;
	size_t eol = 0;
	while (!ld->mark[eol])
		eol++;
	/* The line's bytes, its end included unless that is VEOF. */
	size_t avail = eol + (ld->mark[eol] == MARK_LINE);
	size_t n = avail < len ? avail : len;
	memcpy(buf, ld->buf, n);
	/* The whole line taken: its VEOF goes with it. */
	size_t drop = n == avail ? eol + 1 : n;
	memmove(ld->buf, ld->buf + drop, ld->head - drop);
	memmove(ld->mark, ld->mark + drop, ld->head - drop);
	ld->head -= drop;
	ld->canon -= drop;
	return n;
}
