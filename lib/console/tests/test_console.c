/* console: the canonical line discipline fed from a buffer, against
 * Linux's n_tty: the lines a read returns and the bytes echoed. The
 * termios is Linux's default (tty_std_termios, INIT_C_CC), written out
 * here rather than taken from tty.c. */
#include <errno.h>
#include <string.h>
#include <asm/signal.h>
#include <uk/ldisc.h>
#include <uk/test.h>

#define CTRL(c) ((c) - 0x40)
#define DEL 0x7f

static const struct termios linux_tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = DEL,
		  [VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VSTART] = CTRL('Q'),
		  [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'),
		  [VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'),
		  [VMIN] = 1 },
};

/* 8 KB of buffer: static, off the boot stack. */
static struct uk_ldisc ld;
static struct termios tio;
static char echo_buf[8192], rd[8192];
static size_t echo_len;

static void capture(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (echo_len + n <= sizeof(echo_buf)) {
		memcpy(echo_buf + echo_len, s, n);
		echo_len += n;
	}
}

static void reset(void)
{
	tio = linux_tio;
	uk_ldisc_flush(&ld);
	ld.echo = capture;
	echo_len = 0;
}

/* Feeds n bytes; returns the last signal raised, or 0. */
static int feed_n(const char *s, size_t n)
{
	int sig = 0;
	for (size_t i = 0; i < n; i++) {
		int r = uk_ldisc_input(&ld, &tio, (unsigned char)s[i]);
		if (r)
			sig = r;
	}
	return sig;
}

static int feed(const char *s)
{
	return feed_n(s, strlen(s));
}

static int echoed_n(const char *s, size_t n)
{
	int ok = echo_len == n && !memcmp(echo_buf, s, n);
	echo_len = 0;
	return ok;
}

static int echoed(const char *s)
{
	return echoed_n(s, strlen(s));
}

/* One read of at most len bytes returns exactly s (n bytes). */
static int reads_n(size_t len, const char *s, size_t n)
{
	ssize_t r = uk_ldisc_read(&ld, rd, len);
	return r == (ssize_t)n && !memcmp(rd, s, n);
}

static int reads(const char *s)
{
	return reads_n(sizeof(rd), s, strlen(s));
}

UK_TESTCASE(console, line_and_echo)
{
	reset();
	feed("ab");
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	UK_TEST_EQ(uk_ldisc_read(&ld, rd, sizeof(rd)), -EAGAIN);
	feed("c\r");			/* ICRNL: \r ends the line as \n */
	UK_TEST_EXPECT(uk_ldisc_readable(&ld));
	UK_TEST_EXPECT(echoed("abc\n"));
	UK_TEST_EXPECT(reads("abc\n"));
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	/* One line per read, even with room for two. */
	feed("one\ntwo\n");
	UK_TEST_EXPECT(reads("one\n"));
	UK_TEST_EXPECT(reads("two\n"));
	/* A short read leaves the rest of the line for the next. */
	feed("hello\n");
	UK_TEST_EXPECT(reads_n(2, "he", 2));
	UK_TEST_EXPECT(reads_n(2, "ll", 2));
	UK_TEST_EXPECT(reads_n(5, "o\n", 2));
	UK_TEST_EQ(uk_ldisc_read(&ld, rd, sizeof(rd)), -EAGAIN);
}

UK_TESTCASE(console, erase)
{
	reset();
	feed("abc\x7f" "d\n");
	UK_TEST_EXPECT(echoed("abc\b \bd\n"));
	UK_TEST_EXPECT(reads("abd\n"));
	/* Nothing to erase: no echo either. */
	feed("\x7f");
	UK_TEST_EXPECT(echoed(""));
	/* Erase stops at the start of the line being edited. */
	feed("x\n\x7f\x7f");
	UK_TEST_EXPECT(echoed("x\n"));
	UK_TEST_EXPECT(reads("x\n"));
	/* ^A echoes as two columns under ECHOCTL: erased as two. */
	feed("\x01");
	UK_TEST_EXPECT(echoed("^A"));
	feed("\x7f");
	UK_TEST_EXPECT(echoed("\b \b\b \b"));
	/* Without ECHOE, erase echoes the erase character itself. */
	tio.c_lflag &= ~ECHOE;
	feed("ab\x7f\n");
	UK_TEST_EXPECT(echoed("ab^?\n"));
	UK_TEST_EXPECT(reads("a\n"));
	/* Without ECHOCTL a control character takes no column. */
	reset();
	tio.c_lflag &= ~ECHOCTL;
	feed("\x01\x7f");
	UK_TEST_EXPECT(echoed("\x01"));
	/* IUTF8: a two-byte character goes in one erase. */
	reset();
	tio.c_iflag |= IUTF8;
	feed("a\xc3\xa9\x7f\n");
	UK_TEST_EXPECT(echoed("a\xc3\xa9\b \b\n"));
	UK_TEST_EXPECT(reads("a\n"));
}

UK_TESTCASE(console, kill_and_werase)
{
	reset();
	/* ECHOK, ECHOKE and ECHOE: the line is wiped from the screen. */
	feed("abc\x15");
	UK_TEST_EXPECT(echoed("abc\b \b\b \b\b \b"));
	feed("x\n");
	UK_TEST_EXPECT(reads("x\n"));
	/* Without ECHOKE: ^U, then a newline for ECHOK. */
	tio.c_lflag &= ~ECHOKE;
	echo_len = 0;
	feed("abc\x15" "y\n");
	UK_TEST_EXPECT(echoed("abc^U\ny\n"));
	UK_TEST_EXPECT(reads("y\n"));
	/* Word erase: the trailing blanks, then the word. */
	reset();
	feed("foo bar  \x17");
	UK_TEST_EXPECT(echoed("foo bar  \b \b\b \b\b \b\b \b\b \b"));
	feed("\n");
	UK_TEST_EXPECT(reads("foo \n"));
	/* Without IEXTEN, ^W is an ordinary character. */
	tio.c_lflag &= ~IEXTEN;
	feed("a\x17\n");
	UK_TEST_EXPECT(reads("a\x17\n"));
}

UK_TESTCASE(console, end_of_file)
{
	reset();
	/* ^D on an empty line: a read of 0; not echoed. */
	feed("\x04");
	UK_TEST_EXPECT(uk_ldisc_readable(&ld));
	UK_TEST_EXPECT(echoed(""));
	UK_TEST_EQ(uk_ldisc_read(&ld, rd, sizeof(rd)), 0);
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	/* ^D after text pushes the text, without a newline. */
	feed("ab\x04" "c\n");
	UK_TEST_EXPECT(echoed("abc\n"));
	UK_TEST_EXPECT(reads("ab"));
	UK_TEST_EXPECT(reads("c\n"));
	/* VEOL ends a line and is read with it; a disabled (0) VEOL does
	 * not make NUL a line end. */
	tio.c_cc[VEOL] = '@';
	feed("x@");
	UK_TEST_EXPECT(reads("x@"));
	tio.c_cc[VEOL] = 0;
	feed_n("a\0b\n", 4);
	UK_TEST_EXPECT(reads_n(sizeof(rd), "a\0b\n", 4));
}

UK_TESTCASE(console, echo_flags)
{
	reset();
	tio.c_lflag &= ~ECHO;
	feed("secret\n");
	UK_TEST_EXPECT(echoed(""));
	UK_TEST_EXPECT(reads("secret\n"));
	/* ECHONL: the newline alone. */
	tio.c_lflag |= ECHONL;
	feed("pw\n");
	UK_TEST_EXPECT(echoed("\n"));
	UK_TEST_EXPECT(reads("pw\n"));
	/* Tab is not ^I; ESC is ^[. */
	reset();
	feed("\t\x1b");
	UK_TEST_EXPECT(echoed("\t^["));
	/* Literal next: ^V^C puts a ^C in the line, raises nothing. */
	reset();
	UK_TEST_EQ(feed("\x16\x03\n"), 0);
	UK_TEST_EXPECT(echoed("^\b^C\n"));
	UK_TEST_EXPECT(reads("\x03\n"));
	/* Reprint: ^R, a newline, then the line so far. */
	feed("ab\x12");
	UK_TEST_EXPECT(echoed("ab^R\nab"));
}

UK_TESTCASE(console, input_flags)
{
	reset();
	tio.c_iflag |= IGNCR;
	feed("a\rb\n");
	UK_TEST_EXPECT(reads("ab\n"));
	/* INLCR: \n becomes \r, an ordinary character when ICRNL is off. */
	reset();
	tio.c_iflag = INLCR;
	feed("a\n");
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	feed("\x04");
	UK_TEST_EXPECT(reads("a\r"));
	/* IXON: ^S and ^Q are taken, not read. */
	reset();
	feed("a\x13" "b\x11\n");
	UK_TEST_EXPECT(reads("ab\n"));
	tio.c_iflag &= ~IXON;
	feed("a\x13\n");
	UK_TEST_EXPECT(reads("a\x13\n"));
	/* ISTRIP keeps seven bits. */
	reset();
	tio.c_iflag |= ISTRIP;
	feed("\xc1\n");
	UK_TEST_EXPECT(reads("A\n"));
}

UK_TESTCASE(console, signals)
{
	reset();
	feed("done\npartial");
	echo_len = 0;
	UK_TEST_EQ(feed("\x03"), SIGINT);
	UK_TEST_EXPECT(echoed("^C"));
	/* The queued input, finished lines too, is flushed. */
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	feed("\n");
	UK_TEST_EXPECT(reads("\n"));
	UK_TEST_EQ(feed("\x1c"), SIGQUIT);
	UK_TEST_EQ(feed("\x1a"), SIGTSTP);
	/* NOFLSH keeps the input. */
	tio.c_lflag |= NOFLSH;
	feed("kept\n");
	UK_TEST_EQ(feed("\x03"), SIGINT);
	UK_TEST_EXPECT(reads("kept\n"));
	/* Without ISIG, ^C is data. */
	reset();
	tio.c_lflag &= ~ISIG;
	UK_TEST_EQ(feed("\x03\n"), 0);
	UK_TEST_EXPECT(echoed("^C\n"));
	UK_TEST_EXPECT(reads("\x03\n"));
}

UK_TESTCASE(console, line_limit)
{
	static char big[5000];
	reset();
	tio.c_lflag &= ~ECHO;
	memset(big, 'x', sizeof(big));
	feed_n(big, sizeof(big));
	UK_TEST_EXPECT(!uk_ldisc_readable(&ld));
	/* 4095 bytes are kept, and the line's end still fits. */
	feed("\n");
	ssize_t n = uk_ldisc_read(&ld, rd, sizeof(rd));
	UK_TEST_EQ(n, UK_LDISC_SIZE);
	UK_TEST_EQ(rd[UK_LDISC_SIZE - 2], 'x');
	UK_TEST_EQ(rd[UK_LDISC_SIZE - 1], '\n');
}
