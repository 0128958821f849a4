# `make fuzz`: libFuzzer targets (ASan and UBSan) for the code that reads
# untrusted data, each run for FUZZ_SECONDS (default 60) by run-fuzzers.sh
# (`make fuzz-host`), which fails when any of them found a crash. Other
# fragments hang their fuzz suites on `fuzz` too (`fuzz: fuzz-syscalls`):
# included after this one, theirs run after these (make -k runs them even
# when these failed).
#   elf_validate  elfloader/elf_validate.c (built in tests/host/host.mk)
#   ldwalk        tools/ldwalk.c: a program, its libraries, loader files
#   elfcompat     tools/elfcompat.c: the syscall-site analysis (libelf, Zydis)
#   cpio          lib/cpio: the initrd reader
#   9p            lib/9pfs/9p.c: the 9P2000.L client's reply decoding
# Everything lands in $(BUILD)/fuzz/NAME/ (seeds/, corpus/, crashes/, log).
# `make fuzz-host FUZZ_TARGETS="cpio 9p" FUZZ_SECONDS=20` runs a few.
# Included by scripts/tests.mk after tests/host/host.mk, whose variables
# (TH_*, FUZZ_CC, FUZZ_MAX_LEN) it uses.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= elf_validate ldwalk elfcompat cpio 9p
FUZZ_CC ?= clang

HF := $(TOP)/tests/hostfuzz
HF_DIR := $(BUILD)/fuzz
HF_CFLAGS := -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -I$(HF)

# Per target: the binary, its seeds (a stamp) and its largest input.
HF_BIN_elf_validate := $(TH_FUZZ)
HF_MAXLEN_elf_validate := $(FUZZ_MAX_LEN)
# The same against the guest's libelf, built with ASan (`make fuzz-libelf`).
HF_BIN_elf_validate_eu := $(TH_FUZZ_EU)
HF_MAXLEN_elf_validate_eu := $(FUZZ_MAX_LEN)
HF_BIN_ldwalk := $(HF_DIR)/bin/fuzz_ldwalk
HF_MAXLEN_ldwalk := 131072
HF_BIN_elfcompat := $(HF_DIR)/bin/fuzz_elfcompat
HF_MAXLEN_elfcompat := 24576
HF_BIN_cpio := $(HF_DIR)/bin/fuzz_cpio
HF_MAXLEN_cpio := 65536
HF_BIN_9p := $(HF_DIR)/bin/fuzz_9p
HF_MAXLEN_9p := 32768
hf_seeds = $(HF_DIR)/$(1)/seeds.stamp

.PHONY: fuzz fuzz-host
fuzz: fuzz-host

.PHONY: fuzz-libelf
fuzz-libelf:
	@$(MAKE) --no-print-directory fuzz-host FUZZ_TARGETS=elf_validate_eu

fuzz-host: $(foreach t,$(FUZZ_TARGETS),$(HF_BIN_$(t)) $(call hf_seeds,$(t)))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_FLAGS='$(FUZZ_FLAGS)' \
		bash $(HF)/run-fuzzers.sh $(HF_DIR) \
		$(foreach t,$(FUZZ_TARGETS),"$(t) $(HF_BIN_$(t)) $(HF_MAXLEN_$(t))")

# --- The targets -----------------------------------------------------------
$(HF_BIN_ldwalk): $(HF)/fuzz_ldwalk.c $(HF)/fuzz.h $(TOP)/tools/ldwalk.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  tests/hostfuzz/fuzz_ldwalk.c"
	@$(FUZZ_CC) $(HF_CFLAGS) -o $@ $< -lelf

# A walk gives up on a site after SITE_BUDGET steps: 400,000 in the tool,
# which make an input with a few hopeless sites take seconds under ASan.
$(HF_BIN_elfcompat): $(HF)/fuzz_elfcompat.c $(HF)/fuzz.h $(TOP)/tools/elfcompat.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  tests/hostfuzz/fuzz_elfcompat.c"
	@$(FUZZ_CC) $(HF_CFLAGS) -DSITE_BUDGET=20000 -o $@ $< -lelf -lZydis

$(HF_BIN_cpio): $(HF)/fuzz_cpio.c $(HF)/fuzz.h $(TOP)/lib/cpio/cpio.c \
		$(TOP)/lib/cpio/include/uk/cpio.h
	@mkdir -p $(@D)
	@echo "  FUZZCC  tests/hostfuzz/fuzz_cpio.c"
	@$(FUZZ_CC) $(HF_CFLAGS) -I$(TOP)/lib/cpio/include -o $@ $< $(TOP)/lib/cpio/cpio.c

# lib/9pfs/9p.c as it is, with the kernel's headers and host_kernel.c for
# the few kernel services it calls.
HF_9P_SRCS := $(HF)/fuzz_9p.c $(HF)/host_kernel.c $(TOP)/lib/9pfs/9p.c
$(HF_BIN_9p): $(HF_9P_SRCS) $(HF)/fuzz.h $(HF)/fuzz_9p.h $(HF)/host_kernel.h \
		$(TOP)/lib/9pfs/9p.h
	@mkdir -p $(@D)
	@echo "  FUZZCC  tests/hostfuzz/fuzz_9p.c lib/9pfs/9p.c"
	@$(FUZZ_CC) $(HF_CFLAGS) -I$(TOP)/lib/9pfs -I$(TOP)/plat/kvm/x86/include \
		-I$(TOP)/lib/mm/include -o $@ $(HF_9P_SRCS)

# --- Seeds -----------------------------------------------------------------
# The ELF validator's: the good programs and every malformed variant (those
# of ELF_BAD_DIR plus mkbad of the two small programs, which fit
# FUZZ_MAX_LEN).
$(call hf_seeds,elf_validate) $(call hf_seeds,elf_validate_eu): $(TH_GOODS) \
		$(TH_MKBAD) $(ELF_BAD_STAMP)
	@rm -rf $(@D)/seeds
	@mkdir -p $(@D)/seeds/musl $(@D)/seeds/dyn
	@cp $(TH_GOODS) $(@D)/seeds/
	@for f in $(ELF_BAD_DIR)/*.expect; do \
		cp "$${f%.expect}" $(@D)/seeds/bad-$$(basename "$${f%.expect}"); \
	done
	@$(TH_MKBAD) $(TH_GOOD)/musl-static-pie $(@D)/seeds/musl >/dev/null
	@$(TH_MKBAD) $(TH_GOOD)/glibc-dynamic $(@D)/seeds/dyn >/dev/null
	@rm -f $(@D)/seeds/*/*.expect
	@touch $@

HF_SEED_SRCS := $(HF)/mkseeds.sh $(wildcard $(HF)/seeds/*.c)

$(call hf_seeds,ldwalk) $(call hf_seeds,elfcompat) $(call hf_seeds,cpio): \
		$(call hf_seeds,%): $(HF_SEED_SRCS) $(TOP)/tests/elfcompat/patterns.S \
		$(TH_GOOD)/glibc-dynamic
	@echo "  SEEDS   $*"
	@GOOD=$(TH_GOOD) CC=$(TH_TARGET_CC) bash $(HF)/mkseeds.sh $* $(@D)/seeds
	@touch $@

$(HF_DIR)/bin/fuzz_9p_seeds: $(HF)/fuzz_9p_seeds.c $(HF)/fuzz_9p.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  tests/hostfuzz/fuzz_9p_seeds.c"
	@$(HOST_CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -o $@ $<

$(call hf_seeds,9p): $(HF_DIR)/bin/fuzz_9p_seeds
	@echo "  SEEDS   9p"
	@rm -rf $(@D)/seeds && mkdir -p $(@D)/seeds
	@$< $(@D)/seeds
	@touch $@
