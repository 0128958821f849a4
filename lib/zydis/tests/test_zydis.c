/* zydis: uk_disasm on byte sequences whose decoding the x86-64 manuals
 * fix: lengths, Intel-syntax text, the targets of relative branches,
 * the 15-byte limit, opcodes invalid in 64-bit mode, cut-short input,
 * and a buffer too small for the text. */
#include <string.h>
#include <uk/disasm.h>
#include <uk/test.h>

static char text[96];
static unsigned long target;

static int dis(const char *bytes, size_t len, unsigned long ip)
{
	return uk_disasm(bytes, len, ip, text, sizeof(text), &target);
}

static const struct {
	const char *bytes;
	unsigned char len;
	const char *text;
} known[] = {
	{ "\x55", 1, "push rbp" },
	{ "\x48\x89\xe5", 3, "mov rbp, rsp" },
	{ "\x48\x83\xec\x10", 4, "sub rsp, 0x10" },
	{ "\x48\x8b\x45\xf8", 4, "mov rax, [rbp-0x8]" },
	{ "\x31\xc0", 2, "xor eax, eax" },
	{ "\xc3", 1, "ret" },
	{ "\xcc", 1, "int3" },
	{ "\x0f\x0b", 2, "ud2" },
	{ "\x0f\x05", 2, "syscall" },
	{ "\x0f\xa2", 2, "cpuid" },
	{ "\xf3\x0f\x1e\xfa", 4, "endbr64" },
	{ "\x48\xb8\x88\x77\x66\x55\x44\x33\x22\x11", 10, "mov rax, 0x1122334455667788" },
	{ "\xc5\xfd\xfe\xc1", 4, "vpaddd ymm0, ymm0, ymm1" },	/* VEX (AVX2) */
};

UK_TESTCASE(zydis, known_instructions)
{
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		/* Trailing bytes after the instruction do not change it. */
		char buf[32];
		memset(buf, 0x90, sizeof(buf));
		memcpy(buf, known[i].bytes, known[i].len);
		UK_TEST_EQ(dis(buf, sizeof(buf), 0x401000), known[i].len);
		if (strcmp(text, known[i].text))
			UK_TEST_EQ(i, -1);	/* names the entry */
		UK_TEST_EQ(target, 0);		/* no relative branch */
	}
	/* The multi-byte NOPs compilers pad with: 6 and 8 bytes. */
	UK_TEST_EQ(dis("\x66\x0f\x1f\x44\x00\x00", 6, 0), 6);
	UK_TEST_EXPECT(!strncmp(text, "nop", 3));
	UK_TEST_EQ(dis("\x0f\x1f\x84\x00\x00\x00\x00\x00", 8, 0), 8);
}

UK_TESTCASE(zydis, branch_targets)
{
	/* call rel32 0: the next instruction. */
	UK_TEST_EQ(dis("\xe8\x00\x00\x00\x00", 5, 0x1000), 5);
	UK_TEST_EQ(target, 0x1005);
	UK_TEST_EXPECT(!strcmp(text, "call 0x1005"));
	/* call rel32 -5: itself. */
	UK_TEST_EQ(dis("\xe8\xfb\xff\xff\xff", 5, 0x1000), 5);
	UK_TEST_EQ(target, 0x1000);
	/* jmp rel8 -2: the classic spin. */
	UK_TEST_EQ(dis("\xeb\xfe", 2, 0x2000), 2);
	UK_TEST_EQ(target, 0x2000);
	UK_TEST_EXPECT(!strcmp(text, "jmp 0x2000"));
	/* je/jz rel8 +0x10 and jne rel32 (0f 85). */
	UK_TEST_EQ(dis("\x74\x10", 2, 0x3000), 2);
	UK_TEST_EQ(target, 0x3012);
	UK_TEST_EQ(dis("\x0f\x85\x00\x01\x00\x00", 6, 0x3000), 6);
	UK_TEST_EQ(target, 0x3106);
	/* Indirect calls have no relative target. */
	UK_TEST_EQ(dis("\xff\xd0", 2, 0x3000), 2);	/* call rax */
	UK_TEST_EQ(target, 0);
	UK_TEST_EXPECT(!strcmp(text, "call rax"));
	UK_TEST_EQ(dis("\xff\x15\x10\x00\x00\x00", 6, 0x3000), 6);	/* call [rip+0x10] */
	UK_TEST_EQ(target, 0);
}

UK_TESTCASE(zydis, invalid)
{
	static char prefixed[16];
	/* 14 operand-size prefixes and a NOP: 15 bytes, the limit. */
	memset(prefixed, 0x66, sizeof(prefixed));
	prefixed[14] = (char)0x90;
	UK_TEST_EQ(dis(prefixed, 15, 0), 15);
	/* One prefix more: 16 bytes, never an instruction. */
	prefixed[14] = 0x66;
	prefixed[15] = (char)0x90;
	UK_TEST_EQ(dis(prefixed, 16, 0), 0);
	UK_TEST_EXPECT(!strcmp(text, "(bad)"));
	/* push es, pop ss, aaa: gone in 64-bit mode. */
	UK_TEST_EQ(dis("\x06", 1, 0), 0);
	UK_TEST_EQ(dis("\x17", 1, 0), 0);
	UK_TEST_EQ(dis("\x37", 1, 0), 0);
	UK_TEST_EXPECT(!strcmp(text, "(bad)"));
	/* Cut short: a ModRM or an immediate missing. */
	UK_TEST_EQ(dis("\x48\x89", 2, 0), 0);
	UK_TEST_EQ(dis("\xe8\x00\x00", 3, 0), 0);
	UK_TEST_EQ(dis("", 0, 0), 0);
	/* EVEX (AVX-512) is left out of this build: shown as invalid. */
	UK_TEST_EQ(dis("\x62\xf1\x7d\x48\xfe\xc1", 6, 0), 0);
	/* A buffer too small for the text: cut, terminated, not overrun. */
	char small[8];
	memset(small, 'Z', sizeof(small));
	uk_disasm("\x48\x89\xe5", 3, 0, small, 4, NULL);
	UK_TEST_EQ(small[3], 0);
	UK_TEST_EQ(small[4], 'Z');
	UK_TEST_EQ(uk_disasm("\x55", 1, 0, small, 0, NULL), 0);
}
