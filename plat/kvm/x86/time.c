/* Clocks: the TSC for monotonic time, its frequency from CPUID (0x15,
 * 0x16, the hypervisor leaf), a boot argument, or a short PIT calibration
 * as the last resort; the CMOS RTC (or a boot argument) for the epoch. */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include "x86.h"

static uint64_t tsc_boot, tsc_khz, epoch_ns_at_boot;
/* ns = (tsc * mult) >> 32, split to avoid overflow over long uptimes */
static uint64_t ns_mult;

static uint64_t cmdline_u64(const char *key)
{
	const char *c = ukplat_cmdline();
	size_t kl = strlen(key);
	for (const char *p = c; p && *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, "--", 2) && (p[2] == ' ' || !p[2]))
			break;
		if (!strncmp(p, key, kl) && p[kl] == '=')
			return strtoull(p + kl + 1, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

static uint64_t khz_from_cpuid(void)
{
	uint32_t a, b, c, d, max;
	cpuid(0x40000000, 0, &max, &b, &c, &d);
	if (max >= 0x40000010 && max < 0x40000100) {
		cpuid(0x40000010, 0, &a, &b, &c, &d);
		if (a)
			return a;	/* hypervisor-reported TSC kHz */
	}
	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (uint64_t)c * b / a / 1000;
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a)
			return (uint64_t)a * 1000;
	}
	return 0;
}

static uint16_t pit_read_ch0(void)
{
	outb(0x43, 0x00);	/* latch channel 0 */
	uint8_t lo = inb(0x40);
	return lo | (uint16_t)inb(0x40) << 8;
}

/* Counts TSC ticks over 5 ms of PIT channel 0 (mode 2, free-running);
 * reads back the counter, so it needs neither port 0x61 (absent on
 * microvm) nor an interrupt. Returns 0 when no PIT answers. */
static uint64_t khz_from_pit(void)
{
	const uint32_t ticks = 1193182 / 200;	/* 5 ms */
	outb(0x43, 0x34);	/* channel 0, lo/hi, mode 2 */
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	uint16_t prev = pit_read_ch0();
	uint64_t t0 = rdtsc();
	uint32_t elapsed = 0;
	unsigned long spins = 0;
	while (elapsed < ticks) {
		uint16_t now = pit_read_ch0();
		elapsed += (uint16_t)(prev - now);
		prev = now;
		if (++spins > 10000000UL && elapsed == 0)
			return 0;
	}
	uint64_t t1 = rdtsc();
	outb(0x43, 0x30);	/* back to one-shot mode 0: no periodic IRQ 0 */
	outb(0x40, 0);
	outb(0x40, 0);
	return (t1 - t0) * 1193182 / elapsed / 1000;
}

static int bcd(uint8_t v, int is_bcd)
{
	return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static uint64_t rtc_epoch_seconds(void)
{
	uint8_t s, m, h, d, mo, y, regb;
	if (cmos(0x0a) == 0xff)
		return 0;
	while (cmos(0x0a) & 0x80)
		cpu_pause();	/* update in progress */
	s = cmos(0x00), m = cmos(0x02), h = cmos(0x04);
	d = cmos(0x07), mo = cmos(0x08), y = cmos(0x09);
	regb = cmos(0x0b);
	int isbcd = !(regb & 0x04);
	long year = 2000 + bcd(y, isbcd), mon = bcd(mo, isbcd), day = bcd(d, isbcd);
	/* Days from civil (Howard Hinnant's algorithm). */
	year -= mon <= 2;
	long era = year / 400;
	long yoe = year - era * 400;
	long doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = era * 146097 + doe - 719468;
	return days * 86400 + bcd(h & 0x7f, isbcd) * 3600 + bcd(m, isbcd) * 60 +
	       bcd(s, isbcd);
}

void x86_time_init(void)
{
	tsc_boot = rdtsc();
	tsc_khz = cmdline_u64("tsc_khz");
	if (!tsc_khz)
		tsc_khz = khz_from_cpuid();
	if (!tsc_khz)
		tsc_khz = khz_from_pit();
	if (!tsc_khz) {
		printf("time: TSC frequency unknown; assuming 1 GHz (pass tsc_khz=)\n");
		tsc_khz = 1000000;
	}
	ns_mult = (1000000ULL << 32) / tsc_khz;
	uint64_t epoch = rtc_epoch_seconds();
	if (epoch)
		epoch_ns_at_boot = epoch * 1000000000ULL;
	else
		epoch_ns_at_boot = cmdline_u64("epoch") * 1000000000ULL;
}

uint64_t ukplat_tsc_khz(void)
{
	return tsc_khz;
}

uint64_t ukplat_monotonic_ns(void)
{
	uint64_t d = rdtsc() - tsc_boot;
	/* (d * ns_mult) >> 32 without a 128-bit type on the hot path */
	return ((d >> 32) * ns_mult) + (((d & 0xffffffffULL) * ns_mult) >> 32);
}

uint64_t ukplat_wall_clock_ns(void)
{
	return epoch_ns_at_boot + ukplat_monotonic_ns();
}

/* The monotonic clock goes on; the wall clock is that plus a new start. */
void ukplat_wall_clock_set(uint64_t ns)
{
	epoch_ns_at_boot = ns - ukplat_monotonic_ns();
}

void ukplat_wait_until_ns(uint64_t deadline)
{
	/* No scheduler or timer interrupt yet: spin politely. */
	while (ukplat_monotonic_ns() < deadline)
		cpu_pause();
}
