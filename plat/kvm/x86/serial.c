/* 16550 consoles. COM1 carries the program's stdin and stdout, COM2 its
 * stderr and the kernel's messages. Framing shared with the host side
 * (tools/ukconsole.c): on COM2 a 0xff byte is doubled and 0xff 'X' <n>
 * carries the exit status, 0xff 'R' says COM1 is ready for input; on COM1
 * input from a non-tty host stdin, 0xff is doubled and 0xff 0x00 marks
 * the end of input. COM2's input carries the host's control frames:
 * 0xff 'S' <n> sends signal n to PID 1 (a container runtime's kill). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include "x86.h"

#define COM1 0x3f8
#define COM2 0x2f8
#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20

#define FRAME_ESC  0xff
#define FRAME_EXIT 'X'
#define FRAME_EOF  0x00
#define FRAME_READY 'R'
#define FRAME_SIGNAL 'S'

static int tty_flags;		/* bit n: host side of fd n is a tty */
static unsigned short win_rows = 24, win_cols = 80;
static int input_eof;

/* 8N1 at 115200, no interrupts, FIFOs on. Enabling the FIFO clears it,
 * so the host holds stdin back until the ready frame (x86_serial_init). */
static void uart_init(uint16_t port)
{
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, 0x80);	/* divisor latch */
	outb(port + 0, 1);
	outb(port + 1, 0);
	outb(port + UART_LCR, 0x03);
	outb(port + UART_FCR, 0xc7);	/* 14-byte trigger: QEMU feeds 14 at a time */
	outb(port + UART_MCR, 0x03);
}

static void uart_putc(uint16_t port, uint8_t c);

void x86_serial_init(void)
{
	uart_init(COM1);
	uart_init(COM2);
	uart_putc(COM2, FRAME_ESC);
	uart_putc(COM2, FRAME_READY);
}

static void uart_putc(uint16_t port, uint8_t c)
{
	/* QEMU drops the oldest FIFO byte when the host is slow: wait. */
	while (!(inb(port + UART_LSR) & LSR_THRE))
		cpu_pause();
	outb(port + UART_THR, c);
}

/* Control frames from the host on COM2 (ISA IRQ 3). Everything that
 * has arrived is read, so that the line drops and the next byte raises a
 * new edge; bytes outside a frame are ignored. */
static void com2_irq(void *arg)
{
	static enum { IDLE, ESC_SEEN, WANT_SIGNAL } state;
	(void)arg;
	while (inb(COM2 + UART_LSR) & LSR_DR) {
		uint8_t c = inb(COM2 + UART_RBR);
		if (state == WANT_SIGNAL) {
			state = IDLE;
			uk_console_host_signal(c);
		} else if (state == ESC_SEEN) {
			state = c == FRAME_SIGNAL ? WANT_SIGNAL : IDLE;
		} else if (c == FRAME_ESC) {
			state = ESC_SEEN;
		}
	}
}

/* The receive interrupt (ISA IRQ 4 through the I/O APIC) wakes readers
 * at once; without it they are polled every 10 ms. OUT2 gates the IRQ
 * line on PC hardware. COM2's control input has no poll fallback: a
 * machine without the line gets no signals from the host. */
void x86_console_irq_init(void)
{
	int vec = ukplat_irq_alloc(com2_irq, NULL);
	if (vec >= 0 && ukplat_irq_route_gsi(3, vec) == 0) {
		outb(COM2 + UART_MCR, 0x0b);
		outb(COM2 + UART_IER, 0x01);
	}
	if (ukplat_irq_route_gsi(4, UKPLAT_CONSOLE_VECTOR))
		return;
	outb(COM1 + UART_MCR, 0x0b);
	outb(COM1 + UART_IER, 0x01);
}

void ukplat_console_write(int stream, const char *buf, size_t len)
{
	uint16_t port = stream == 1 ? COM1 : COM2;
	int crlf = tty_flags & (1 << stream);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = buf[i];
		if (c == '\n' && crlf)
			uart_putc(port, '\r');
		if (port == COM2 && c == FRAME_ESC)
			uart_putc(port, FRAME_ESC);
		uart_putc(port, c);
	}
}

void x86_console_send_exit(int status)
{
	uart_putc(COM2, FRAME_ESC);
	uart_putc(COM2, FRAME_EXIT);
	uart_putc(COM2, (uint8_t)status);
}

static int esc_pending;

long ukplat_console_read(char *buf, size_t len)
{
	size_t n = 0;
	while (n < len && !input_eof && (inb(COM1 + UART_LSR) & LSR_DR)) {
		uint8_t c = inb(COM1 + UART_RBR);
		if (!(tty_flags & 1)) {
			if (esc_pending) {
				esc_pending = 0;
				if (c == FRAME_EOF) {
					input_eof = 1;
					break;
				}
			} else if (c == FRAME_ESC) {
				esc_pending = 1;
				continue;
			}
		}
		buf[n++] = c;
	}
	if (n || input_eof || !len)
		return n;
	return -EAGAIN;
}

int ukplat_console_input_ready(void)
{
	return input_eof || (inb(COM1 + UART_LSR) & LSR_DR);
}

int ukplat_console_isatty(int fd)
{
	return fd >= 0 && fd <= 2 && (tty_flags & (1 << fd));
}

void ukplat_console_winsize(unsigned short *rows, unsigned short *cols)
{
	*rows = win_rows;
	*cols = win_cols;
}

/* Boot arguments from run.sh: tty=<bits> and winsize=<rows>x<cols>. */
void x86_console_parse_cmdline(const char *cmdline)
{
	for (const char *p = cmdline; p && *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, "-- ", 3) || !strcmp(p, "--"))
			break;
		if (!strncmp(p, "tty=", 4)) {
			tty_flags = strtoul(p + 4, NULL, 0);
		} else if (!strncmp(p, "winsize=", 8)) {
			char *end;
			win_rows = strtoul(p + 8, &end, 10);
			if (*end == 'x')
				win_cols = strtoul(end + 1, NULL, 10);
		}
		while (*p && *p != ' ')
			p++;
	}
}
