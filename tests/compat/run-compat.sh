#!/usr/bin/env bash
# make compat: the external judges. Builds the judges' root
# (tests/compat/build-root.sh: CPython 3.11 with its regression tests, Go
# 1.19's standard-library test binaries), runs each CPython module and Go
# package natively (chroot of the root) and in the guest (run.sh -r of the
# same root), one at a time, and writes docs/compatibility.md: per module
# the cases passing natively and in the guest, and for each case that
# passes natively but not in the guest its name and the reason.
#
# usage: tests/compat/run-compat.sh [MODULE...]
#   MODULEs (test_os, os/exec...): only these run again; the document is
#   written from every module's last results ($BUILD/compat/out/).
# env:   COMPAT_DOC=docs/compatibility.md   where the document goes
#        COMPAT_MEM=1G, COMPAT_CPUS=1       the guest's memory and CPUs
#        NATIVE_TIMEOUT=900, GUEST_TIMEOUT  seconds per module (the guest's
#                                           default: 20x native + 600, at
#                                           most GUEST_TIMEOUT_MAX=1200)
#        KERNEL, BUILD                      as for every suite
#        NATIVE_ONLY=1                      only the native runs (no document)
# Output: a line per module as it ends (native passes, guest passes of
# them, seconds), then the overall figure.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init compat --dir compat -- "$@"
RESULTS= # not a make test suite
GUEST_TIMEOUT_BASE=${GUEST_TIMEOUT_BASE:-600}
# shellcheck source=tests/compat/judges.sh
. "$HERE/judges.sh"
DOC=${COMPAT_DOC:-$TOP/docs/compatibility.md}

need_kernel
build_judges_root "${GO_PKGS[@]}"
if [ -n "${BUILD_ERR[root]:-}" ]; then
	fail root "${BUILD_ERR[root]}"
	suite_finish
fi
chroot_cmd

run_one() { # JUDGE MODULE
	local t0=$SECONDS
	run_module "$1" "$2"
	if [ "$NATIVE_ONLY" = 1 ]; then
		say "$1 $2: native status $(cat "$MODULE_DIR/native.status") ($((SECONDS - t0))s)"
	else
		say "$1 $2: $(cat "$MODULE_DIR/judge.txt") ($((SECONDS - t0))s)"
	fi
}

for m in "${PY_MODULES[@]}"; do
	selected "$m" && run_one python "$m"
done
for m in "${GO_PKGS[@]}"; do
	selected "$m" && run_one go "$m"
done

if [ "$NATIVE_ONLY" = 1 ]; then
	note "NATIVE_ONLY=1: no guest runs, $DOC left as it was"
	exit 0
fi
# The accelerator the guests ran under, for the document.
COMPAT_ACCEL=$(bash "$TOP/scripts/accel.sh" -v "$KERNEL" 2>&1 | tail -n 1)
COMPAT_ACCEL=${COMPAT_ACCEL#accelerator: }
export COMPAT_ACCEL COMPAT_CPUS COMPAT_MEM
dirs=()
for m in "${PY_MODULES[@]}"; do dirs+=("$B/out/python/$m"); done
for m in "${GO_PKGS[@]}"; do dirs+=("$B/out/go/${m//\//_}"); done
python3 "$JUDGE" doc "$DOC" "${dirs[@]}"
