/* The kernel's face of Zydis: one instruction at a time, Intel syntax,
 * lower-case hex without padding. The decoder and formatter contexts and
 * the decoded instruction are static (a few KB kept off the kernel stack):
 * callers run one at a time, in a crash report. */
#include <string.h>
#include <Zydis/Zydis.h>
#include <uk/disasm.h>

static ZydisDecoder decoder;
static ZydisFormatter formatter;
static ZydisDecodedInstruction insn;
static ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
static int ready;

static int setup(void)
{
	if (ZYAN_FAILED(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
					 ZYDIS_STACK_WIDTH_64)) ||
	    ZYAN_FAILED(ZydisFormatterInit(&formatter, ZYDIS_FORMATTER_STYLE_INTEL)))
		return -1;
	/* 0x1c rather than 0x1C, [rbp-0x8] rather than [rbp-0x08]. */
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, 0);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
				  ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_ADDR_PADDING_RELATIVE,
				  ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_DISP_PADDING,
				  ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_IMM_PADDING,
				  ZYDIS_PADDING_DISABLED);
	ready = 1;
	return 0;
}

int uk_disasm(const void *code, size_t len, unsigned long ip, char *buf,
	      size_t buflen, unsigned long *target)
{
	if (target)
		*target = 0;
	if (!buflen)
		return 0;
	if ((!ready && setup()) ||
	    ZYAN_FAILED(ZydisDecoderDecodeFull(&decoder, code, len, &insn, ops)) ||
	    ZYAN_FAILED(ZydisFormatterFormatInstruction(&formatter, &insn, ops,
							insn.operand_count_visible,
							buf, buflen, ip, NULL))) {
		strncpy(buf, "(bad)", buflen);
		buf[buflen - 1] = '\0';
		return 0;
	}
	for (unsigned i = 0; target && i < insn.operand_count_visible; i++) {
		ZyanU64 abs;
		if (ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
		    ops[i].imm.is_relative &&
		    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&insn, &ops[i], ip, &abs)))
			*target = abs;
	}
	return insn.length;
}
