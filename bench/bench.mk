# bench.mk: `make bench` — builds the benchmark's host tool and guests, then runs bench/run-bench.sh.
# Included by the top Makefile (which defines TOP, BUILD, IMAGE and `tools`).
BENCH_DIR    := $(BUILD)/bench
BENCH_CC     ?= gcc
BENCH_CFLAGS := -O2 -Wall -Wextra -Werror -std=gnu11

BENCH_GUEST_BINS := $(BENCH_DIR)/hello $(BENCH_DIR)/getppid_loop $(BENCH_DIR)/threads_bench
# Not in linux-initrd.cpio (whose size is part of Linux's boot time in (a)):
# run-bench.sh packs it with the 9p modules into the file I/O initramfs.
BENCH_FILEIO := $(BENCH_DIR)/fileio_bench
# Likewise the processes' program (section (i), its own initramfs).
BENCH_PROC := $(BENCH_DIR)/proc_bench
# And the several-CPU program (section (k)).
BENCH_SMP := $(BENCH_DIR)/smp_bench
BENCH_DEPS := $(BENCH_DIR)/stamp $(BENCH_DIR)/floor.elf $(BENCH_GUEST_BINS) $(BENCH_FILEIO) $(BENCH_PROC) $(BENCH_SMP) \
	$(BENCH_DIR)/init $(BENCH_DIR)/linux-initrd.cpio $(BENCH_DIR)/linux-init.cpio

.PHONY: bench bench-deps
bench-deps: $(BENCH_DEPS)

bench: $(IMAGE) tools $(BENCH_DEPS)
	@TOP=$(TOP) BUILD=$(BUILD) IMAGE=$(IMAGE) BENCH_DIR=$(BENCH_DIR) \
		bash $(TOP)/bench/run-bench.sh

# Host tool: stamps each line of a child's stdout with CLOCK_MONOTONIC.
$(BENCH_DIR)/stamp: $(TOP)/bench/stamp.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  bench/stamp.c"
	@$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

# Floor guest: a 32-bit PVH ELF that prints one line and exits QEMU.
$(BENCH_DIR)/floor.elf: $(TOP)/bench/floor/floor.S $(TOP)/bench/floor/floor.ld
	@mkdir -p $(@D)
	@echo "  AS      bench/floor/floor.S"
	@$(BENCH_CC) -m32 -c -o $(BENCH_DIR)/floor.o $<
	@ld -m elf_i386 -nostdlib -T $(TOP)/bench/floor/floor.ld -o $@ $(BENCH_DIR)/floor.o

# Test programs: unmodified static-PIE Linux binaries, run in both guests.
$(BENCH_GUEST_BINS) $(BENCH_FILEIO) $(BENCH_PROC) $(BENCH_SMP): $(BENCH_DIR)/%: $(TOP)/bench/guest/%.c
	@mkdir -p $(@D)
	@echo "  GUESTCC bench/guest/$*.c"
	@$(BENCH_CC) $(BENCH_CFLAGS) -static-pie -pthread -o $@ $<

# /init of the Linux guest (a plain static binary).
$(BENCH_DIR)/init: $(TOP)/bench/guest/init.c
	@mkdir -p $(@D)
	@echo "  GUESTCC bench/guest/init.c"
	@$(BENCH_CC) $(BENCH_CFLAGS) -static -o $@ $<

# The Linux guest's initramfs (newc cpio): /init, the test programs, /dev/console.
$(BENCH_DIR)/linux-initrd.cpio: $(BENCH_DIR)/init $(BENCH_GUEST_BINS)
	@echo "  CPIO    $(notdir $@)"
	@rm -rf $(BENCH_DIR)/initrd.d && mkdir -p $(BENCH_DIR)/initrd.d/dev
	@cp $^ $(BENCH_DIR)/initrd.d/
	@mknod $(BENCH_DIR)/initrd.d/dev/console c 5 1 2>/dev/null || true
	@cd $(BENCH_DIR)/initrd.d && find . | LC_ALL=C sort | \
		cpio -o -H newc -R 0:0 --quiet > $@.tmp
	@mv $@.tmp $@

# For the app rows (python3, sqlite3) and the servers of (h) and (l) (redis, nginx, server_go):
# just /init and /dev/console, appended by run-bench.sh to the app's rootfs
# archive to make the Linux initramfs. (h) and (l) also need tools' tcprelay.
$(BENCH_DIR)/linux-init.cpio: $(BENCH_DIR)/init
	@echo "  CPIO    $(notdir $@)"
	@rm -rf $(BENCH_DIR)/init.d && mkdir -p $(BENCH_DIR)/init.d/dev
	@cp $< $(BENCH_DIR)/init.d/init
	@mknod $(BENCH_DIR)/init.d/dev/console c 5 1 2>/dev/null || true
	@cd $(BENCH_DIR)/init.d && find . | LC_ALL=C sort | \
		cpio -o -H newc -R 0:0 --quiet > $@.tmp
	@mv $@.tmp $@
