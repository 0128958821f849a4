# `make fuzz` also soaks the guest with the system-call fuzzer
# (tests/fuzz/soak.sh: FUZZ_SEEDS fresh seeds, default 200, from
# FUZZ_SEED_BASE, default the time; failures kept in
# $(BUILD)/fuzz/failing-seeds.txt). `make fuzz-syscalls` runs it alone.
.PHONY: fuzz-syscalls
fuzz: fuzz-syscalls
fuzz-syscalls: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/fuzz/soak.sh
