# `make test`: every suite, then one total. Each fragment writes "P F" to
# $(BUILD)/test-results/<suite>.txt; tests/run-tests.sh (the guest suite,
# run last) adds them up and prints the closing "N passed, N failed".
.PHONY: test test-guest

TEST_SUITES := test-uktest \
	$(if $(wildcard $(TOP)/tests/crash/test-crash.sh),test-crash) \
	$(if $(wildcard $(TOP)/tests/elfcompat/test-elfcompat.sh),test-elfcompat) \
	$(if $(wildcard $(TOP)/tests/net/run-net-tests.sh),test-net) \
	$(if $(wildcard $(TOP)/tests/inet/run-inet-tests.sh),test-inet) \
	$(if $(wildcard $(TOP)/tests/netapps/run-netapps-tests.sh),test-netapps) \
	$(if $(wildcard $(TOP)/tests/9p/test-9p.sh),test-9p) \
	$(if $(wildcard $(TOP)/tests/host/host.mk),test-host) \
	$(if $(wildcard $(TOP)/tests/extract/test-extract.sh),test-extract) \
	$(if $(wildcard $(TOP)/tests/apps/run-app-tests.sh),test-apps) \
	$(if $(wildcard $(TOP)/tests/threads/run-thread-tests.sh),test-threads) \
	$(if $(wildcard $(TOP)/tests/tty/run-tty-tests.sh),test-tty)

test: $(IMAGE) tools
	@rm -rf $(BUILD)/test-results && mkdir -p $(BUILD)/test-results
	@for s in $(TEST_SUITES); do \
		r=$(BUILD)/test-results/$${s#test-}.txt; \
		$(MAKE) --no-print-directory $$s || [ -f $$r ] || \
			{ echo "FAIL $$s (ended without results)"; echo "0 1" > $$r; }; \
	done; \
	BUILD=$(BUILD) bash $(TOP)/tests/run-tests.sh

.PHONY: test-extract test-apps test-threads test-crash test-uktest test-elfcompat \
	test-inet test-9p test-net test-netapps test-tty
test-elfcompat: tools
	@BUILD=$(BUILD) bash $(TOP)/tests/elfcompat/test-elfcompat.sh
test-inet: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/inet/run-inet-tests.sh
test-netapps: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/netapps/run-netapps-tests.sh
test-9p: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/9p/test-9p.sh
test-net: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/net/run-net-tests.sh
test-uktest: tools
	@BUILD=$(BUILD) bash $(TOP)/tests/uktest/run-uktest.sh
test-crash: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/crash/test-crash.sh
test-extract: tools
	@BUILD=$(BUILD) bash $(TOP)/tests/extract/test-extract.sh
test-apps: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/apps/run-app-tests.sh
test-tty: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/tty/run-tty-tests.sh
test-threads: $(IMAGE) tools
	@BUILD=$(BUILD) bash $(TOP)/tests/threads/run-thread-tests.sh

# The guest suite alone (plus the counts already in $(BUILD)/test-results/).
test-guest: $(IMAGE)
	@BUILD=$(BUILD) bash $(TOP)/tests/run-tests.sh
