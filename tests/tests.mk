# Guest test suite (tests/run-tests.sh); included by the top Makefile, which
# defines TOP, BUILD and IMAGE. `make test` runs the host tests (test-host,
# from tests/host/host.mk, when present) and then the guest suite, whose last
# line sums both: "N passed, N failed".
.PHONY: test test-guest

test: $(IMAGE) tools
	@st=0; \
	$(if $(wildcard $(TOP)/tests/host/host.mk),$(MAKE) --no-print-directory test-host || st=$$?;) \
	BUILD=$(BUILD) TEST_HOST_STATUS=$$st bash $(TOP)/tests/run-tests.sh

# The guest suite alone (plus the counts already in $(BUILD)/test-results/).
test-guest: $(IMAGE)
	@BUILD=$(BUILD) bash $(TOP)/tests/run-tests.sh
