#!/usr/bin/env bash
# Tests tools/elfcompat: every system call a program makes when run natively
# (strace -f -c) must be in elfcompat's report of that program and its
# library closure, for a static glibc (static-PIE) and a static musl hello
# world, ls, python3, sqlite3 and a static Go program; plus resolution
# patterns (patterns.S), exit codes and -q.
#
# usage: tests/elfcompat/test-elfcompat.sh     env: BUILD (default <repo>/build)
# Output: "PASS name" / "FAIL name (why)" / "SKIP name (why)" lines, counts in
# $BUILD/test-results/elfcompat.txt as "P F", then "N passed, N failed".
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
tmp=$(mktemp -d /tmp/test-elfcompat.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# (the programs run natively in the caller's locale, as they would anyway)
suite_init elfcompat --dir "$tmp" --keep-locale
ELFCOMPAT=$BUILD/tools/elfcompat
UNISTD=/usr/include/x86_64-linux-gnu/asm/unistd_64.h

# The tools (elfcompat runs ldwalk for the closure).
if ! make -s -C "$TOP" BUILD="$BUILD" "$ELFCOMPAT" "$BUILD/tools/ldwalk" >"$tmp/make.log" 2>&1 ||
	[ ! -x "$ELFCOMPAT" ]; then
	fail elfcompat-build "make did not build $ELFCOMPAT" "$(tail -20 "$tmp/make.log")"
	suite_finish
fi
pass elfcompat-build

# The kernel's list when it has been built; otherwise an empty one (every
# number is then reported MISSING, which is as good for these checks).
LIST=$BUILD/obj/syscalls.checked
if [ ! -f "$LIST" ]; then
	LIST=$tmp/empty.list
	: >"$LIST"
	note "no $BUILD/obj/syscalls.checked; checking against an empty list"
fi

# name -> number, from the kernel headers.
declare -A NR=()
while read -r _ name nr; do
	NR[${name#__NR_}]=$nr
done < <(grep '^#define __NR_' "$UNISTD")

# report_numbers FILE: the numbers elfcompat's report names.
report_numbers() {
	awk '$1 == "provided" || $1 == "MISSING" { print $2 }' "$1" | sort -n -u
}

# check NAME BINARY CMD...: runs CMD natively under strace, then elfcompat on
# BINARY (and its closure); every number strace saw must be in the report.
# A number missing from it is excused only by unresolved sites.
check() {
	local name=$1 bin=$2 st=0 n missing='' unknown='' nunres
	shift 2
	if ! command -v strace >/dev/null; then
		fail "$name" "no strace (Debian: strace)"
		return
	fi
	if ! strace -f -c -o "$tmp/$name.strace" "$@" >/dev/null 2>"$tmp/$name.err" </dev/null; then
		fail "$name" "the native run failed" "$(tail -5 "$tmp/$name.err")"
		return
	fi
	"$ELFCOMPAT" -k "$LIST" "$bin" >"$tmp/$name.report" 2>"$tmp/$name.err" || st=$?
	if [ "$st" -ge 2 ]; then
		fail "$name" "elfcompat exited with $st" "$(cat "$tmp/$name.err")"
		return
	fi
	# strace -c: "% time seconds usecs/call calls [errors] syscall"; the
	# first execve is strace's own start of the program.
	local seen=()
	while read -r calls sc; do
		[ "$sc" = execve ] && [ "$calls" -le 1 ] && continue
		n=${NR[$sc]:-}
		if [ -z "$n" ]; then
			unknown="$unknown $sc"
			continue
		fi
		seen+=("$n")
	done < <(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" { print $4, $NF }' "$tmp/$name.strace")
	if [ -n "$unknown" ]; then
		fail "$name" "strace names not in $UNISTD:$unknown"
		return
	fi
	report_numbers "$tmp/$name.report" >"$tmp/$name.nums"
	for n in "${seen[@]}"; do
		grep -qx "$n" "$tmp/$name.nums" || missing="$missing $n"
	done
	nunres=$(grep -c '^unresolved ' "$tmp/$name.report")
	local what
	what="${#seen[@]} calls seen by strace, $(wc -l <"$tmp/$name.nums") in the report, $nunres unresolved sites"
	if [ -z "$missing" ]; then
		pass "$name" "$what"
	elif [ "$nunres" -gt 0 ]; then
		pass "$name" "$what; not found:$missing (left to the unresolved sites)"
	else
		fail "$name" "$what; not in the report:$missing" "$(tail -3 "$tmp/$name.report")"
	fi
}

# --- programs built here ---------------------------------------------------
cat >"$tmp/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
cat >"$tmp/threads.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <time.h>
static void *run(void *arg) { struct timespec t = { 0, 1000 }; nanosleep(&t, NULL); return arg; }
int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, run, NULL);
	for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
	FILE *f = fopen("/etc/hostname", "r");
	if (f) fclose(f);
	printf("done\n");
	return 0;
}
EOF

if gcc -O2 -static-pie -o "$tmp/hello-glibc" "$tmp/hello.c" 2>"$tmp/cc.err"; then
	check hello-glibc-static-pie "$tmp/hello-glibc" "$tmp/hello-glibc"
else
	fail hello-glibc-static-pie "gcc -static-pie failed" "$(cat "$tmp/cc.err")"
fi
if gcc -O2 -static -pthread -o "$tmp/threads-glibc" "$tmp/threads.c" 2>"$tmp/cc.err"; then
	check threads-glibc-static "$tmp/threads-glibc" "$tmp/threads-glibc"
else
	fail threads-glibc-static "gcc -static failed" "$(cat "$tmp/cc.err")"
fi
if command -v musl-gcc >/dev/null; then
	if musl-gcc -O2 -static -o "$tmp/hello-musl" "$tmp/hello.c" 2>"$tmp/cc.err"; then
		check hello-musl-static "$tmp/hello-musl" "$tmp/hello-musl"
	else
		fail hello-musl-static "musl-gcc -static failed" "$(cat "$tmp/cc.err")"
	fi
else
	skip hello-musl-static "no musl-gcc (Debian: musl-tools)"
fi
if command -v go >/dev/null; then
	mkdir -p "$tmp/go"
	cat >"$tmp/go/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	done := make(chan bool)
	go func() { time.Sleep(time.Millisecond); done <- true }()
	<-done
	if b, err := os.ReadFile("/etc/hostname"); err == nil {
		_ = b
	}
	fmt.Println("hello")
}
EOF
	if (cd "$tmp/go" && GOCACHE=$tmp/go-cache GO111MODULE=off CGO_ENABLED=0 \
		go build -o "$tmp/hello-go" main.go) >"$tmp/cc.err" 2>&1; then
		check hello-go-static "$tmp/hello-go" "$tmp/hello-go"
	else
		fail hello-go-static "go build failed" "$(cat "$tmp/cc.err")"
	fi
else
	skip hello-go-static "no go (Debian: golang-go)"
fi

# --- programs of this machine ---------------------------------------------
check ls /usr/bin/ls /usr/bin/ls -la /usr
# (The system's own python3, not whatever wrapper PATH may find first.)
if [ -x /usr/bin/python3 ]; then
	check python3 /usr/bin/python3 /usr/bin/python3 -c pass
else
	skip python3 "no /usr/bin/python3"
fi
if [ -x /usr/bin/sqlite3 ]; then
	check sqlite3 /usr/bin/sqlite3 /usr/bin/sqlite3 :memory: 'select 1'
else
	skip sqlite3 "no /usr/bin/sqlite3 (Debian: sqlite3)"
fi

# --- resolution patterns: exactly these numbers, one unresolved site ------
if gcc -nostdlib -static -o "$tmp/patterns" "$HERE/patterns.S" 2>"$tmp/cc.err"; then
	: >"$tmp/empty-k"
	st=0
	"$ELFCOMPAT" -k "$tmp/empty-k" -n "$tmp/patterns" >"$tmp/patterns.report" 2>&1 || st=$?
	got=$(report_numbers "$tmp/patterns.report" | tr '\n' ' ')
	want="0 35 39 60 63 96 97 102 104 107 110 111 186 201 "
	nunres=$(grep -c '^unresolved ' "$tmp/patterns.report")
	if [ "$st" = 1 ] && [ "$got" = "$want" ] && [ "$nunres" = 1 ]; then
		pass patterns
	else
		fail patterns "exit $st, numbers '$got' (want '$want'), $nunres unresolved (want 1)" \
			"$(cat "$tmp/patterns.report")"
	fi
	# The same against a list providing all of them: nothing missing.
	for n in $want; do echo "x-$n"; done >"$tmp/all.list"
	st=0
	out=$("$ELFCOMPAT" -q -k "$tmp/all.list" -n "$tmp/patterns" 2>&1) || st=$?
	if [ "$st" = 0 ] && ! printf '%s\n' "$out" | grep -q MISSING &&
		printf '%s\n' "$out" | grep -q '^1 syscall site with a number not determined'; then
		pass quiet-nothing-missing
	else
		fail quiet-nothing-missing "exit $st (want 0)" "$out"
	fi
	# -q with a few missing: only MISSING lines (and the unresolved count).
	grep -v -e '-39$' -e '-201$' "$tmp/all.list" >"$tmp/some.list"
	st=0
	out=$("$ELFCOMPAT" -q -k "$tmp/some.list" -n "$tmp/patterns" 2>&1) || st=$?
	if [ "$st" = 1 ] && [ "$(printf '%s\n' "$out" | grep -c '^MISSING')" = 2 ] &&
		[ "$(printf '%s\n' "$out" | grep -vc -e '^MISSING' -e 'not determined')" = 0 ]; then
		pass quiet-missing
	else
		fail quiet-missing "exit $st (want 1), want two MISSING lines only" "$out"
	fi
else
	fail patterns "gcc failed on patterns.S" "$(cat "$tmp/cc.err")"
fi

# --- hostile files, under ASan and UBSan (cases make fuzz found) -----------
# elfcompat built with the sanitizers must read each to a report or a
# refusal (status 0, 1 or 2) without a sanitizer's report.
SAN=$tmp/elfcompat-san
if [ ! -f "$tmp/patterns" ]; then
	skip sanitized "no patterns program"
elif ! clang -g -O1 -std=gnu11 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-o "$SAN" "$TOP/tools/elfcompat.c" -lelf -lZydis 2>"$tmp/san.log"; then
	skip sanitized "cannot build with clang's sanitizers: $(tail -1 "$tmp/san.log")"
else
	# hostile NAME FILE
	hostile() {
		local st=0
		"$SAN" -k "$tmp/empty-k" -n "$2" >/dev/null 2>"$tmp/$1.err" || st=$?
		if [ $st -le 2 ] && ! grep -q -e 'runtime error' -e 'ERROR: ' "$tmp/$1.err"; then
			pass "$1"
		else
			fail "$1" "exit $st" "$(head -5 "$tmp/$1.err")"
		fi
	}
	# No symbols, relocations or imports: empty tables (qsort and bsearch
	# were given NULL).
	strip -s -o "$tmp/nosyms" "$tmp/patterns"
	hostile hostile-no-symbols "$tmp/nosyms"
	# A stack slot followed back through 2048 adds of 1 MiB to rsp: its
	# offset wrapped to INT32_MIN, and the push before overflowed it.
	cat >"$tmp/slotwrap.S" <<-'EOF'
		.intel_syntax noprefix
		.globl _start
	_start:	push	rbx
		.rept 2048
		add	rsp, 0x100000
		.endr
		pop	rax
		syscall
	EOF
	if gcc -nostdlib -static -o "$tmp/slotwrap" "$tmp/slotwrap.S" 2>"$tmp/cc.err"; then
		hostile hostile-slot-wrap "$tmp/slotwrap"
	else
		fail hostile-slot-wrap "gcc failed" "$(cat "$tmp/cc.err")"
	fi
fi

# --- refusals: exit status 2 -------------------------------------------------
printf 'just text\n' >"$tmp/text.txt"
st=0
"$ELFCOMPAT" -k "$LIST" -n "$tmp/text.txt" >/dev/null 2>"$tmp/err" || st=$?
if [ "$st" = 2 ] && grep -q "not an ELF file" "$tmp/err"; then pass refuse-not-elf; else fail refuse-not-elf "exit $st" "$(cat "$tmp/err")"; fi
st=0
"$ELFCOMPAT" >/dev/null 2>&1 || st=$?
if [ "$st" = 2 ]; then pass refuse-usage; else fail refuse-usage "exit $st without arguments"; fi
st=0
"$ELFCOMPAT" -k "$tmp/no-such-list" /usr/bin/ls >/dev/null 2>&1 || st=$?
if [ "$st" = 2 ]; then pass refuse-no-list; else fail refuse-no-list "exit $st with a missing -k file"; fi

suite_finish
