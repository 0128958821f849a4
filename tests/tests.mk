# `make test`: every suite, then one total. Each suite writes "P F" to
# $(BUILD)/test-results/<suite>.txt; tests/run-tests.sh (the guest suite,
# run last) adds them up and prints the closing "N passed, N failed". The
# suites share their harness: tests/lib.sh.
.PHONY: test test-guest

# The suites in the order make test runs them, each with the file it needs
# (test-host's is its fragment, tests/host/host.mk, which defines it).
TEST_ORDER := runsh smp uktest crash elfcompat net inet netapps 9p host extract apps threads proc tty oci fuzz judges
SUITE_runsh     := runsh/run-runsh-tests.sh
SUITE_smp       := smp/run-smp-tests.sh
SUITE_uktest    := uktest/run-uktest.sh
SUITE_crash     := crash/test-crash.sh
SUITE_elfcompat := elfcompat/test-elfcompat.sh
SUITE_net       := net/run-net-tests.sh
SUITE_inet      := inet/run-inet-tests.sh
SUITE_netapps   := netapps/run-netapps-tests.sh
SUITE_9p        := 9p/test-9p.sh
SUITE_host      := host/host.mk
SUITE_extract   := extract/test-extract.sh
SUITE_apps      := apps/run-app-tests.sh
SUITE_threads   := threads/run-thread-tests.sh
SUITE_proc      := proc/run-proc-tests.sh
SUITE_tty       := tty/run-tty-tests.sh
SUITE_oci       := oci/run-oci-tests.sh
SUITE_fuzz      := fuzz/run-fuzz-tests.sh
SUITE_judges    := compat/test-judges.sh
TEST_SUITES := $(foreach s,$(TEST_ORDER),$(if $(wildcard $(TOP)/tests/$(SUITE_$(s))),test-$(s)))
# Those run a second time with two CPUs per guest (UK_CPUS=2): threads,
# processes, AF_UNIX and name lookup, TCP/IP, and the fuzzer (make test
# stays under 20 minutes).
TEST_AGAIN_C2 := threads proc net inet fuzz
# The fuzzer's second run takes the first 20 of its fixed seeds.
C2_FUZZ_SEEDS := $(shell seq -s ' ' 1 20)

test: $(IMAGE) tools
	@rm -rf $(BUILD)/test-results && mkdir -p $(BUILD)/test-results
	@bash $(TOP)/scripts/accel.sh $(IMAGE)
	@for s in $(TEST_SUITES); do \
		r=$(BUILD)/test-results/$${s#test-}.txt; \
		$(MAKE) --no-print-directory $$s || [ -f $$r ] || \
			{ echo "FAIL $$s (ended without results)"; echo "0 1" > $$r; }; \
	done; \
	for s in $(TEST_AGAIN_C2); do \
		r=$(BUILD)/test-results/$$s.c2.txt; \
		UK_CPUS=2 FUZZ_SEEDS="$(C2_FUZZ_SEEDS)" $(MAKE) --no-print-directory test-$$s || [ -f $$r ] || \
			{ echo "FAIL test-$$s at -c 2 (ended without results)"; echo "0 1" > $$r; }; \
	done; \
	BUILD=$(BUILD) bash $(TOP)/tests/run-tests.sh

# The suites' targets: test-NAME runs tests/$(SUITE_NAME); those that boot
# no guest of the image need only the tools.
SCRIPT_SUITES := $(filter-out host,$(TEST_ORDER))
.PHONY: $(SCRIPT_SUITES:%=test-%)
$(filter-out test-uktest test-elfcompat test-extract,$(SCRIPT_SUITES:%=test-%)): $(IMAGE)
$(SCRIPT_SUITES:%=test-%): test-%: tools
	@BUILD=$(BUILD) bash $(TOP)/tests/$(SUITE_$*)

# The guest suite alone (plus the counts already in $(BUILD)/test-results/).
test-guest: $(IMAGE)
	@BUILD=$(BUILD) bash $(TOP)/tests/run-tests.sh

# The external judges (CPython's and Go's own tests, natively and in the
# guest; writes docs/compatibility.md; long): make compat [MODULES="..."].
.PHONY: compat
compat: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/compat/run-compat.sh $(MODULES)
