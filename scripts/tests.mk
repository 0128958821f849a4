# Test, fuzz and benchmark entry points; included by the top Makefile.
# Each room keeps its own fragment.
-include $(TOP)/tests/tests.mk
-include $(TOP)/tests/host/host.mk
-include $(TOP)/tests/hostfuzz/hostfuzz.mk
-include $(TOP)/tests/fuzz/fuzz.mk
-include $(TOP)/bench/bench.mk

# Host tools (tools/*.c), built with the host compiler.
HOST_CC ?= gcc
HOST_CFLAGS ?= -O2 -g -Wall -Wextra -Werror -std=gnu11
TOOLS := $(BUILD)/tools/ukconsole $(BUILD)/tools/ldwalk $(BUILD)/tools/elfcompat \
	$(BUILD)/tools/tcprelay
TOOL_LIBS_ldwalk := -lelf
TOOL_LIBS_elfcompat := -lelf -lZydis
tools: $(TOOLS) $(BUILD)/tools/runuk
$(BUILD)/tools/%: $(TOP)/tools/%.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  tools/$*.c"
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(TOOL_LIBS_$*)

# runuk, the OCI runtime (a room of its own: tools/runuk/), with json-c;
# it finds run.sh in this tree and the kernel beside its build folder.
RUNUK_SRCS := $(wildcard $(TOP)/tools/runuk/*.c)
$(BUILD)/tools/runuk: $(RUNUK_SRCS) $(TOP)/tools/runuk/runuk.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  tools/runuk/*.c"
	@$(HOST_CC) $(HOST_CFLAGS) -DRUNUK_TOP='"$(TOP)"' -o $@ $(RUNUK_SRCS) -ljson-c
