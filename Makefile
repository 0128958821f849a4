# Top-level build: configuration (Kconfig), the guest image, host tools,
# tests and benchmarks. `make` on a fresh clone configures with the defaults.
TOP      := $(abspath .)
BUILD    ?= $(TOP)/build
OBJ      := $(BUILD)/obj
IMAGE    := $(BUILD)/elfloader_kvm-x86_64
KCONFIG_DIR := $(TOP)/build/kconfig
# make WITH_X=y (shorthands for Kconfig options) builds a variant whose
# configuration lives in its build directory, derived from the top one.
WITH_MAP_SQUARE := LIBSQUARE
WITH_MAP_STRACE := LIBSYSCALL_STRACE
# Any other WITH_X=y stands for CONFIG_LIBX=y.
WITH_VARS := $(strip $(foreach v,$(filter WITH_%,$(.VARIABLES)),$(if $(filter command line environment,$(origin $(v))),$(v))))
with_opt = $(or $(WITH_MAP_$(1:WITH_%=%)),LIB$(1:WITH_%=%))
ifneq ($(WITH_VARS),)
CONFIG   := $(BUILD)/.config
else
CONFIG   := $(TOP)/.config
endif
AUTOCONF := $(BUILD)/include/uk/autoconf.h
DEFCONFIG ?= $(TOP)/defconfigs/qemu-x86_64-9pfs

CC       ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
LD       := ld
NM       := nm
OBJCOPY  := objcopy

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: all defconfig menuconfig olddefconfig clean distclean image tools \
	test test-host test-guest bench fuzz setup

# --- Kconfig -------------------------------------------------------------
LIB_DIRS := $(sort $(dir $(wildcard $(TOP)/lib/*/Config.uk)))
KCONFIG_LIBS := $(KCONFIG_DIR)/Config.libs

$(KCONFIG_LIBS): $(wildcard $(TOP)/lib/*/Config.uk) Makefile
	@mkdir -p $(@D)
	@{ for d in $(LIB_DIRS); do echo "source \"$${d#$(TOP)/}Config.uk\""; done; } > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

KCONF_ENV := KCONFIG_CONFIG=$(CONFIG) UK_KCONFIG_LIBS=$(KCONFIG_LIBS)
KCONF_CMD = cd $(TOP) && $(KCONF_ENV)

defconfig: $(KCONFIG_LIBS)
	$(KCONF_CMD) kconfig-conf --defconfig=$(DEFCONFIG) Config.uk >/dev/null
	@echo "configured from $(notdir $(DEFCONFIG))"

olddefconfig: $(KCONFIG_LIBS)
	$(KCONF_CMD) kconfig-conf --olddefconfig Config.uk >/dev/null

menuconfig: $(KCONFIG_LIBS)
	$(KCONF_CMD) kconfig-mconf Config.uk

# A fresh clone configures itself with the defaults.
# First use on a machine: install the packages (kconfig-frontends, QEMU...).
SETUP_STAMP := $(TOP)/build/.setup-done
$(SETUP_STAMP): scripts/setup.sh
	@bash scripts/setup.sh
	@mkdir -p $(@D) && touch $@
$(KCONFIG_LIBS): | $(SETUP_STAMP)

# New options (a Config.uk changed) take their defaults in an existing one.
ALL_CONFIG_UK := $(TOP)/Config.uk $(wildcard $(TOP)/lib/*/Config.uk \
	$(TOP)/plat/kvm/x86/Config.uk $(TOP)/elfloader/Config.uk)
ifeq ($(WITH_VARS),)
$(CONFIG): $(ALL_CONFIG_UK) | $(KCONFIG_LIBS)
	@if [ -f $@ ]; then $(KCONF_CMD) kconfig-conf --olddefconfig Config.uk >/dev/null; \
	else $(KCONF_CMD) kconfig-conf --defconfig=$(DEFCONFIG) Config.uk >/dev/null; fi
	@touch $@
else
$(CONFIG): $(wildcard $(TOP)/.config) $(ALL_CONFIG_UK) Makefile | $(KCONFIG_LIBS)
	@mkdir -p $(@D)
	@if [ -f $(TOP)/.config ]; then cp $(TOP)/.config $@; else cp $(DEFCONFIG) $@; fi
	@$(foreach v,$(WITH_VARS),sed -i '/^# CONFIG_$(call with_opt,$(v)) is not set/d; /^CONFIG_$(call with_opt,$(v))=/d' $@; \
		echo 'CONFIG_$(call with_opt,$(v))=$($(v))' >> $@;)
	@$(KCONF_CMD) kconfig-conf --olddefconfig Config.uk >/dev/null
endif

$(AUTOCONF): $(CONFIG) scripts/autoconf.sh
	@mkdir -p $(@D)
	@sh scripts/autoconf.sh $(CONFIG) > $@.tmp && mv $@.tmp $@

-include $(CONFIG)

# --- Sources ---------------------------------------------------------------
# Each Makefile.uk adds to LIB<NAME>_SRCS-y, LIB<NAME>_CFLAGS-y and
# UK_PROVIDED_SYSCALLS-y. Third-party libraries may set <NAME>_NOWERROR.
include $(wildcard $(TOP)/plat/*/*/Makefile.uk $(TOP)/lib/*/Makefile.uk)
include $(TOP)/Makefile.uk

include $(TOP)/scripts/build.mk
include $(TOP)/scripts/tests.mk

clean:
	rm -rf $(OBJ) $(IMAGE) $(IMAGE).* $(BUILD)/include $(BUILD)/tools

distclean:
	rm -rf $(BUILD) $(CONFIG) $(CONFIG).old

setup:
	@bash scripts/setup.sh
	@mkdir -p $(BUILD) && touch $(SETUP_STAMP)
