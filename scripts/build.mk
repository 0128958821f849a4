# Compile and link rules for the guest image; included by the top Makefile.
CC_INCLUDE := $(shell $(CC) -print-file-name=include)
WERROR     := -Wall -Wextra -Werror
LIB_INCLUDES := $(addprefix -I,$(wildcard $(TOP)/lib/*/include $(TOP)/plat/kvm/x86/include))

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(CC_INCLUDE) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-ffunction-sections -fdata-sections -fno-common -fno-builtin-printf \
	-I$(TOP)/lib/nolibc/include -I$(BUILD)/include $(LIB_INCLUDES) \
	-I$(BUILD)/include/uapi \
	-include $(AUTOCONF) -D__UK_KERNEL__
KASFLAGS := $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n1)),)
KCFLAGS += -Wno-unused-command-line-argument
endif

UK_LIBS := $(patsubst %_SRCS-y,%,$(filter %_SRCS-y,$(.VARIABLES)))
ALL_OBJS :=
define lib_rules
$(1)_OBJS := $$(patsubst $(TOP)/%,$(OBJ)/%.o,$$($(1)_SRCS-y))
$$($(1)_OBJS): LIB_CFLAGS := $$($(1)_CFLAGS-y) $$(if $$($(1)_NOWERROR),-w,$(WERROR))
ALL_OBJS += $$($(1)_OBJS)
endef
$(foreach l,$(UK_LIBS),$(eval $(call lib_rules,$(l))))

GEN_HEADERS := $(BUILD)/include/uk/syscall_nr.h $(BUILD)/include/uk/syscall_names.h \
	$(BUILD)/include/uapi/.stamp
UNISTD_H := $(firstword $(wildcard /usr/include/x86_64-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h))

$(BUILD)/include/uk/syscall_nr.h: $(UNISTD_H) scripts/gen-syscall-nr.sh
	@mkdir -p $(@D)
	@sh scripts/gen-syscall-nr.sh nr $< > $@.tmp && mv $@.tmp $@
$(BUILD)/include/uk/syscall_names.h: $(UNISTD_H) scripts/gen-syscall-nr.sh
	@mkdir -p $(@D)
	@sh scripts/gen-syscall-nr.sh names $< > $@.tmp && mv $@.tmp $@

# Linux's own uapi headers give the kernel the exact ABI values and layouts.
$(BUILD)/include/uapi/.stamp:
	@mkdir -p $(@D)
	@ln -sfn /usr/include/linux $(@D)/linux
	@ln -sfn /usr/include/asm-generic $(@D)/asm-generic
	@ln -sfn $(dir $(UNISTD_H)) $(@D)/asm
	@touch $@

# Fetched third-party sources (and their headers) come before any compile.
$(ALL_OBJS): $(AUTOCONF) | $(GEN_HEADERS) $(LIBLIBELF_STAMP) $(LIBZYDIS_STAMP)

$(OBJ)/%.c.o: $(TOP)/%.c
	@mkdir -p $(@D)
	@echo "  CC      $*.c"
	@$(CC) $(KCFLAGS) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.S.o: $(TOP)/%.S
	@mkdir -p $(@D)
	@echo "  AS      $*.S"
	@$(CC) $(KASFLAGS) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

-include $(ALL_OBJS:.o=.d)

SYSCALL_CHECK := $(OBJ)/syscalls.checked
$(SYSCALL_CHECK): $(ALL_OBJS) scripts/check-syscalls.sh $(CONFIG)
	@sh scripts/check-syscalls.sh "$(NM)" "$(sort $(UK_PROVIDED_SYSCALLS-y))" $(ALL_OBJS) > $@.tmp
	@mv $@.tmp $@

LDS := $(TOP)/plat/kvm/x86/link.lds
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

$(IMAGE).dbg: $(ALL_OBJS) $(LDS) $(SYSCALL_CHECK)
	@echo "  LD      $(notdir $@)"
	@$(LD) -nostdlib -static -T $(LDS) --gc-sections -z max-page-size=4096 \
		-z noexecstack --no-warn-rwx-segments -o $@ $(ALL_OBJS) $(LIBGCC)

$(IMAGE): $(IMAGE).dbg
	@$(OBJCOPY) --strip-debug $< $@
	@echo "  IMAGE   $(patsubst $(TOP)/%,%,$@) ($$(stat -c %s $@) bytes)"

image: $(IMAGE)
all: $(IMAGE) tools
