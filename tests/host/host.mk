# Host-side tests of the ELF validator: `make test-host` (unit tests against
# the system libelf) and its libFuzzer target, which `make fuzz` runs
# (tests/hostfuzz/hostfuzz.mk: the seeds, the run).
# Included by the top Makefile, which defines TOP, BUILD and HOST_CC.

HOST_CC ?= gcc
# Compiler for the good sample programs (glibc); musl ones use musl-gcc.
TH_TARGET_CC ?= gcc
MUSL_GCC ?= musl-gcc
MUSL_LIBDIR ?= /usr/lib/x86_64-linux-musl
FUZZ_CC ?= clang
# Inputs are cut to this size: the headers are what matters, and the 800 KB
# glibc programs would slow the fuzzer from ~100k to ~1k exec/s.
FUZZ_MAX_LEN ?= 65536

TH_DIR   := $(BUILD)/test-host
TH_GOOD  := $(TH_DIR)/good
# Malformed variants (one file per defect + NAME.expect) for the guest tests.
ELF_BAD_DIR   := $(BUILD)/tests/elf-bad
ELF_BAD_STAMP := $(ELF_BAD_DIR)/.stamp
TH_RESULTS := $(BUILD)/test-results/host.txt

TH_VALIDATE := $(TOP)/elfloader/elf_validate.c \
	       $(TOP)/elfloader/include/uk/elf_validate.h
TH_INC := -I$(TOP)/elfloader/include -I$(TOP)/tests/elf
TH_CFLAGS ?= -O1 -g -std=gnu11 -Wall -Wextra -Werror \
	     -fsanitize=address,undefined -fno-sanitize-recover=all
TH_HELLO := $(TOP)/tests/host/hello.c

TH_GOODS := $(TH_GOOD)/glibc-static-pie $(TH_GOOD)/glibc-static \
	    $(TH_GOOD)/glibc-dynamic $(TH_GOOD)/musl-static-pie
TH_TEST  := $(TH_DIR)/test_elf_validate
TH_MKBAD := $(TH_DIR)/mkbad
TH_FUZZ  := $(TH_DIR)/fuzz_elf_validate

.PHONY: test-host elf-bad

# --- Sample programs -------------------------------------------------------
$(TH_GOOD)/glibc-static-pie: $(TH_HELLO)
	@mkdir -p $(@D)
	@echo "  CC      $(@F)"
	@$(TH_TARGET_CC) -O2 -fPIE -static-pie -o $@ $<

$(TH_GOOD)/glibc-static: $(TH_HELLO)
	@mkdir -p $(@D)
	@echo "  CC      $(@F)"
	@$(TH_TARGET_CC) -O2 -fno-PIE -static -no-pie -o $@ $<

$(TH_GOOD)/glibc-dynamic: $(TH_HELLO)
	@mkdir -p $(@D)
	@echo "  CC      $(@F)"
	@$(TH_TARGET_CC) -O2 -fPIE -pie -o $@ $<

# Debian's musl-gcc specs ignore -static-pie (they link Scrt1.o and set an
# interpreter), so name rcrt1.o and the static-pie link flags ourselves.
$(TH_GOOD)/musl-static-pie: $(TH_HELLO)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $(@F)"
	@$(MUSL_GCC) -O2 -fPIE -static-pie -nostartfiles \
		-Wl,-static,-pie,--no-dynamic-linker,-z,text -o $@ \
		$(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
		"$$($(TH_TARGET_CC) -print-file-name=crtbeginS.o)" $< \
		"$$($(TH_TARGET_CC) -print-file-name=crtendS.o)" \
		$(MUSL_LIBDIR)/crtn.o

# --- Malformed variants ----------------------------------------------------
$(TH_MKBAD): $(TOP)/tests/elf/mkbad.c $(TOP)/tests/elf/mkbad.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  tests/elf/mkbad.c"
	@$(HOST_CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -o $@ $<

$(ELF_BAD_STAMP): $(TH_MKBAD) $(TH_GOOD)/glibc-static-pie
	@rm -rf $(ELF_BAD_DIR)
	@mkdir -p $(ELF_BAD_DIR)
	@$(TH_MKBAD) $(TH_GOOD)/glibc-static-pie $(ELF_BAD_DIR)
	@touch $@

elf-bad: $(ELF_BAD_STAMP)

# --- Unit tests ------------------------------------------------------------
$(TH_TEST): $(TOP)/tests/host/test_elf_validate.c $(TH_VALIDATE) \
	    $(TOP)/tests/elf/mkbad.c $(TOP)/tests/elf/mkbad.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  tests/host/test_elf_validate.c"
	@$(HOST_CC) $(TH_CFLAGS) $(TH_INC) -DMKBAD_NO_MAIN -o $@ \
		$(TOP)/tests/host/test_elf_validate.c \
		$(TOP)/elfloader/elf_validate.c $(TOP)/tests/elf/mkbad.c -lelf

test-host: $(TH_TEST) $(TH_GOODS) $(ELF_BAD_STAMP)
	@mkdir -p $(dir $(TH_RESULTS))
	@$(TH_TEST) -s $(TH_RESULTS) -b $(ELF_BAD_DIR) \
		$(foreach g,$(TH_GOODS),$(notdir $(g))=$(g))

# --- Fuzzing ---------------------------------------------------------------
$(TH_FUZZ): $(TOP)/tests/host/fuzz_elf_validate.c $(TH_VALIDATE) \
	    $(TOP)/tests/hostfuzz/fuzz.h
	@mkdir -p $(@D)
	@echo "  FUZZCC  tests/host/fuzz_elf_validate.c"
	@$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Wall -Wextra -Werror \
		$(TH_INC) -I$(TOP)/tests/hostfuzz -o $@ \
		$(TOP)/tests/host/fuzz_elf_validate.c $(TOP)/elfloader/elf_validate.c -lelf

# --- Fuzzing against the guest's libelf --------------------------------------
# `make fuzz-libelf` (tests/hostfuzz/hostfuzz.mk): the same target linked
# with the guest's elfutils sources (the lib/libelf file list) built with
# ASan, so that libelf's own reads of hostile input are checked too. libelf reads headers unaligned by
# design (ALLOW_UNALIGNED on x86), hence -fno-sanitize=alignment for it.
TH_EU_SRC ?= $(if $(LIBLIBELF_SRCDIR),$(LIBLIBELF_SRCDIR),$(BUILD)/third_party/elfutils-0.188)
TH_EU_FILES ?= $(if $(LIBLIBELF_FILES),$(LIBLIBELF_FILES),\
	elf_version.c elf_error.c elf_memory.c elf_begin.c elf_kind.c \
	elf_end.c elf_nextscn.c elf_strptr.c elf_getdata.c \
	elf_getphdrnum.c elf_getshdrnum.c elf_getshdrstrndx.c \
	elf32_getehdr.c elf64_getehdr.c elf32_getphdr.c elf64_getphdr.c \
	elf32_getshdr.c elf64_getshdr.c \
	gelf_getehdr.c gelf_getphdr.c gelf_getshdr.c gelf_getsym.c \
	gelf_xlate.c gelf_fsize.c gelf_getclass.c)
TH_EU_OBJDIR := $(TH_DIR)/libelf-asan
TH_EU_LOBJS = $(addprefix $(TH_EU_OBJDIR)/,$(TH_EU_FILES:.c=.o))
TH_EU_OBJS = $(TH_EU_LOBJS) $(TH_EU_OBJDIR)/libelf_host_glue.o
TH_EU_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize=alignment -fno-sanitize-recover=undefined -w \
	-D_GNU_SOURCE -DHAVE_CONFIG_H -I$(TOP)/tests/host/libelf-host
TH_FUZZ_EU := $(TH_DIR)/fuzz_elf_validate_eu

# The sources come with the guest build (lib/libelf fetches them).
$(TH_EU_LOBJS): $(TH_EU_OBJDIR)/%.o: $(TH_EU_SRC)/libelf/%.c \
		$(if $(LIBLIBELF_STAMP),| $(LIBLIBELF_STAMP))
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(TH_EU_CFLAGS) -I$(TH_EU_SRC)/libelf -I$(TH_EU_SRC)/lib \
		-c $< -o $@

$(TH_EU_OBJDIR)/libelf_host_glue.o: $(TOP)/tests/host/libelf_host_glue.c \
		$(if $(LIBLIBELF_STAMP),| $(LIBLIBELF_STAMP))
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(TH_EU_CFLAGS) -I$(TH_EU_SRC)/libelf -I$(TH_EU_SRC)/lib \
		-c $< -o $@

$(TH_FUZZ_EU): $(TOP)/tests/host/fuzz_elf_validate.c $(TH_VALIDATE) \
	       $(TOP)/tests/hostfuzz/fuzz.h $(TH_EU_OBJS)
	@echo "  FUZZCC  tests/host/fuzz_elf_validate.c (guest libelf)"
	@$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Wall -Wextra -Werror \
		$(TH_INC) -I$(TOP)/tests/hostfuzz -I$(TH_EU_SRC)/libelf -o $@ \
		$(TOP)/tests/host/fuzz_elf_validate.c \
		$(TOP)/elfloader/elf_validate.c $(TH_EU_OBJS)
