#!/usr/bin/env bash
# run-bench.sh: measures boot-to-first-line, getppid cost, image size, minimum memory, app run times, thread costs, file I/O, network throughput (on 1 and 2 CPUs), processes, container runs and several CPUs; writes docs/performance.md.
#
# Run by `make bench` (which builds $BENCH_DIR first). Everything is measured
# in this one run, under the same QEMU, every guest under TCG; where this
# host's KVM runs our kernel (scripts/accel.sh's probe), the run then calls
# itself with BENCH_ACCEL=kvm for the sections that do not count
# instructions ((a), (e), (g), (h), (l): under KVM there is no -icount) and
# appends that report's summary. Knobs (environment):
#   BENCH_RUNS=5     timed runs per guest on -M microvm (medians reported)
#   BENCH_PC_RUNS=5  timed runs per guest on -M pc (0 skips pc)
#   BENCH_N=100000   getppid calls per timed loop
#   BENCH_APP_RUNS=5 timed runs per guest of each app (python3, sqlite3; 0 skips)
#   BENCH_RT_N=2000  futex ping-pong round trips per timed loop
#   BENCH_CJ_N=200   pthread_create+join per timed loop
#   BENCH_IO_RUNS=3  timed runs per guest of the 50 MiB file write+read (0 skips)
#   BENCH_NET_RUNS=3 timed runs per guest of each network server ((h): redis,
#                    nginx; (l): nginx and the Go server on 2 CPUs; 0 skips)
#   BENCH_REDIS_N=50000  redis-benchmark requests per test (SET, GET)
#   BENCH_WRK_SECS=15    seconds of each wrk run (nginx, the Go server)
#   BENCH_PROC_RUNS=1    boots per guest of the processes' program (0 skips)
#   BENCH_CT_RUNS=5  timed podman runs of the hello image per runtime (runuk,
#                    runc; 0 skips; skipped when podman is not installed)
#   BENCH_ONLY=      sections to run, e.g. "h" or "g h" (letters as in the
#                    report; (c) always); the others' figures are n/a, and
#                    the report then goes to build/bench/performance.md
#   BENCH_OUT=docs/performance.md
#   BENCH_ACCEL=tcg  the accelerator of every guest in this run (kvm: the
#                    KVM pass; BENCH_KVM_CPU its -cpu, from the probe)
# A missed target is reported, never a failure: the exit status is non-zero
# only when a measurement could not be made at all.
set -u

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
IMAGE=${IMAGE:-$BUILD/elfloader_kvm-x86_64}
BENCH_DIR=${BENCH_DIR:-$BUILD/bench}
RUNS=${BENCH_RUNS:-5}
PC_RUNS=${BENCH_PC_RUNS:-5}
N=${BENCH_N:-100000}
APP_RUNS=${BENCH_APP_RUNS:-5}
RT_N=${BENCH_RT_N:-2000}
CJ_N=${BENCH_CJ_N:-200}
IO_RUNS=${BENCH_IO_RUNS:-3}
NET_RUNS=${BENCH_NET_RUNS:-3}
REDIS_N=${BENCH_REDIS_N:-50000}
WRK_SECS=${BENCH_WRK_SECS:-15}
PROC_RUNS=${BENCH_PROC_RUNS:-1}
ONLY=${BENCH_ONLY:-}
OUT=${BENCH_OUT:-$TOP/docs/performance.md}
[ -n "$ONLY" ] && OUT=${BENCH_OUT:-$BENCH_DIR/performance.md}	# a partial run keeps docs/ as it is
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${BENCH_ACCEL:-tcg}
KVM_CPU=${BENCH_KVM_CPU:-host}
case $ACCEL in
tcg) ACCEL_NAME=TCG ;;
kvm) ACCEL_NAME="KVM (-cpu $KVM_CPU)" ;;
*) echo "run-bench: BENCH_ACCEL=$ACCEL: expected tcg or kvm" >&2; exit 2 ;;
esac
# run.sh takes the same accelerator (never its own probe's choice).
export UK_ACCEL=$ACCEL UK_ACCEL_BY="make bench"
RUNSH=$TOP/run.sh
STAMP=$BENCH_DIR/stamp
FLOOR=$BENCH_DIR/floor.elf
HELLO=$BENCH_DIR/hello
GETPPID=$BENCH_DIR/getppid_loop
THREADS=$BENCH_DIR/threads_bench
INITRD=$BENCH_DIR/linux-initrd.cpio
LOG=$BENCH_DIR/bench.log
[ "$ACCEL" = tcg ] || LOG=$BENCH_DIR/bench-$ACCEL.log
MEM=128				# -m (MiB) for the timed boots, the same for all guests
APP_MEM=256			# -m (MiB) for the app runs (Linux needs > 128 for python's 32 MB initramfs)
LINUX_INIT_CPIO=$BENCH_DIR/linux-init.cpio
HELLO_TEXT="Hello, world!"
COMMON=(-accel "$ACCEL" -nodefaults -no-reboot -serial stdio -display none)
LINUX_APPEND="console=ttyS0 quiet mitigations=off tsc=reliable no_timer_check cryptomgr.notests"

: >"$LOG"
log() { printf '%s\n' "$*" >>"$LOG"; }
say() { printf '%s\n' "$*"; log "$*"; }
want() { [ -z "$ONLY" ] || [[ " ${ONLY//,/ } " == *" $1 "* ]]; }	# section letter
[ -n "$ONLY" ] && say "run-bench: only section(s) $ONLY (BENCH_ONLY); report in ${OUT#"$TOP"/}"

for f in "$STAMP" "$FLOOR" "$HELLO" "$GETPPID" "$THREADS" "$BENCH_DIR/fileio_bench" "$INITRD" "$LINUX_INIT_CPIO"; do
	[ -e "$f" ] || { echo "run-bench: missing $f (run make bench)" >&2; exit 1; }
done

# --- Host facts -------------------------------------------------------------
QEMU_VERSION=$("$QEMU" --version | head -n1)
CPU_MODEL=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# Host TSC kHz: TCG's guest TSC is the host's, so it is also the guest's.
TSC_KHZ=$(dmesg 2>/dev/null | sed -n 's/.*tsc: \(Refined TSC clocksource calibration\|Detected\): \([0-9.]*\) MHz.*/\2/p' | tail -n1)
[ -n "$TSC_KHZ" ] || TSC_KHZ=$(awk -F': *' '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo)
TSC_KHZ=$(awk -v m="$TSC_KHZ" 'BEGIN {printf "%d", m * 1000}')

# --- KVM: measured too where this host's KVM runs our kernel -----------------
# The top-level run asks scripts/accel.sh (its cached probe boot), whatever
# UK_ACCEL says to run.sh; the KVM pass itself runs at the end.
KVM_PASS=0 KVM_WHY=''
if [ -z "${BENCH_ACCEL:-}" ] && [ -s "$IMAGE" ]; then
	# shellcheck source=scripts/accel.sh
	. "$TOP/scripts/accel.sh"
	if (unset UK_ACCEL UK_ACCEL_BY; uk_accel "$IMAGE" microvm,x-option-roms=off,rtc=on,pit=on 2>/dev/null
		printf '%s\n' "$UK_ACCEL_NAME ${UK_ACCEL_ARGS[3]}" "$UK_ACCEL_WHY") >"$BENCH_DIR/accel.txt"; then
		{ read -r kvm_name kvm_cpu; read -r KVM_WHY; } <"$BENCH_DIR/accel.txt"
		[ "$kvm_name" = kvm ] && KVM_PASS=1 KVM_CPU=$kvm_cpu
	fi
	say "bench: every guest under TCG; ${KVM_WHY:-no accelerator probe}"
	[ $KVM_PASS = 1 ] && say "bench: KVM works here: sections (a) (e) (g) (h) (l) run again under KVM at the end"
fi

# --- Linux guest: the ELF vmlinux inside Debian's bzImage (PVH entry) -------
# Like the kernel's scripts/extract-vmlinux: find a compressed stream's magic,
# decompress from there, keep the first result that is an ELF file.
extract_vmlinux() { # $1 bzImage, $2 output
	local img=$1 out=$2 magic cmd off
	for pair in 'fd377a585a00:xz -dc' '28b52ffd:zstd -dc' '1f8b0800:gzip -dc'; do
		magic=${pair%%:*} cmd=${pair#*:}
		for off in $(LC_ALL=C grep -obUaP "$(echo "$magic" | sed 's/../\\x&/g')" "$img" |
				cut -d: -f1 | head -n 4); do
			tail -c +$((off + 1)) "$img" | $cmd >"$out.tmp" 2>/dev/null
			if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				mv "$out.tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$out.tmp"
	return 1
}

VMLINUZ=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1)
VMLINUX=
LINUX_VERSION=n/a
if [ -n "$VMLINUZ" ]; then
	LINUX_VERSION=${VMLINUZ#/boot/vmlinuz-}
	VMLINUX=$BENCH_DIR/vmlinux-$LINUX_VERSION
	if [ ! -s "$VMLINUX" ] || [ "$VMLINUZ" -nt "$VMLINUX" ]; then
		extract_vmlinux "$VMLINUZ" "$VMLINUX" || VMLINUX=
	fi
fi
[ -n "$VMLINUX" ] || say "run-bench: no Linux guest (install linux-image-amd64); its figures are n/a"

# --- Guest command lines -------------------------------------------------------
# Each prints a command (one word per line) that boots the guest on machine $1.
floor_cmd() { # machine
	printf '%s\n' "$QEMU" -M "$1" -m "$MEM" "${COMMON[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$FLOOR"
}
linux_cmd() { # machine extra-append [qemu args...] -- prog args... ($LINUX_INITRD, $LINUX_MEM override)
	local m=$1 extra=$2 i
	shift 2
	local q=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do q+=("$1"); shift; done
	shift
	local ap="$LINUX_APPEND"
	[ -n "$extra" ] && ap="$ap $extra"
	[ "$m" = microvm ] && [ "${extra#*tsc_early_khz}" = "$extra" ] && ap="$ap tsc_early_khz=$TSC_KHZ"
	# The kernel splits /init's arguments at blanks and takes "..." as one
	# word: an empty word (redis's --save "") is passed as "".
	local w args=''
	for w in "$@"; do
		case $w in '' | *' '*) w="\"$w\"" ;; esac
		args+=" $w"
	done
	# Under KVM, -cpu max becomes the model the probe found to work.
	[ "$ACCEL" = kvm ] && for i in "${!q[@]}"; do [ "${q[i]}" = max ] && q[i]=$KVM_CPU; done
	# Several CPUs under TCG: one host thread each, as run.sh -c asks for ours
	# (-icount needs TCG's single thread).
	local -a co=("${COMMON[@]}")
	local multi=0
	if [ "$ACCEL" = tcg ] && [[ " ${q[*]} " != *icount* ]]; then
		for i in "${!q[@]}"; do
			[ "${q[i]}" = -smp ] && [ "${q[i + 1]%%,*}" -gt 1 ] 2>/dev/null && multi=1
		done
	fi
	[ $multi = 1 ] && for i in "${!co[@]}"; do [ "${co[i]}" = tcg ] && co[i]=tcg,thread=multi; done
	printf '%s\n' "$QEMU" -M "$m" -m "${LINUX_MEM:-$MEM}" "${co[@]}" "${q[@]}" \
		-kernel "$VMLINUX" -initrd "${LINUX_INITRD:-$INITRD}" -append "$ap --$args"
}
# Ours: the exact QEMU command run.sh runs, captured by putting a stand-in
# qemu-system-x86_64 first on run.sh's PATH; timed like the others, with
# COM2 (run.sh's kernel-log socket on fd 3) a null device. The programs come from
# a rootfs directory ($OUR_ROOT, default $OURS_ROOTFS), so run.sh keeps its
# cpio cached. Where run.sh shares -r over virtio-9p unless given -i, -i is
# passed: the rootfs is an initrd in RAM, as the Linux guest's initramfs is.
OUR_OK=0
RUNSH_I=()
grep -qE '^[[:space:]]+-i[[:space:]]' "$RUNSH" 2>/dev/null && RUNSH_I=(-i)
OURS_ROOTFS=$BENCH_DIR/ours-rootfs
FAKEQ=$BENCH_DIR/capture-qemu
CAPTURE=$BENCH_DIR/capture.args
our_runsh() { # machine mem-MiB [qemu args...] -- prog args...
	local m=$1 mem=$2
	shift 2
	local q=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do q+=("$1"); shift; done
	shift
	local -a ri=() ro=()
	[ -n "${OUR_9P:-}" ] || ri=(${RUNSH_I[@]+"${RUNSH_I[@]}"})	# OUR_9P=1: the 9p root
	read -r -a ro <<<"${OUR_OPTS:-}"	# more run.sh options (word-split), e.g. -n -p H:G
	printf '%s\n' "$RUNSH" -M "$m" -m "${mem}M" ${ri[@]+"${ri[@]}"} ${ro[@]+"${ro[@]}"} \
		-r "${OUR_ROOT:-$OURS_ROOTFS}" ${q[@]+-q "${q[*]}"} "$@"
}
our_cmd() { # machine mem-MiB [qemu args...] -- prog args...
	local -a r
	mapfile -t r < <(our_runsh "$@")
	rm -f "$CAPTURE"
	PATH="$FAKEQ:$PATH" BENCH_QEMU=$QEMU QEMU=qemu-system-x86_64 BENCH_CAPTURE=$CAPTURE \
		"${r[@]}" </dev/null >/dev/null 2>&1
	if [ -s "$CAPTURE" ]; then
		# COM2 is ukconsole's socket on fd 3 under run.sh: nothing here.
		tr '\0' '\n' <"$CAPTURE" | sed 's/^socket,id=com2,fd=3$/null,id=com2/'
	else
		printf '%s\n' "${r[@]}"	# run.sh changed: time it whole
	fi
}
if [ -x "$RUNSH" ] && [ -s "$IMAGE" ]; then
	OUR_OK=1
	rm -rf "$OURS_ROOTFS" && mkdir -p "$OURS_ROOTFS" "$FAKEQ"
	cp -p "$HELLO" "$GETPPID" "$THREADS" "$OURS_ROOTFS/"
	cat >"$FAKEQ/qemu-system-x86_64" <<'FAKE'
#!/bin/sh
# Stand-in QEMU for run-bench.sh: records its command line (with the QEMU
# the bench runs) and exits.
printf '%s\0' "$BENCH_QEMU" "$@" >"$BENCH_CAPTURE"
FAKE
	chmod +x "$FAKEQ/qemu-system-x86_64"
	exec 3>/dev/null
else
	say "run-bench: our guest is not available (need $IMAGE and run.sh); its figures are n/a"
fi

# --- Helpers ----------------------------------------------------------------------
# stamped TIMEOUT TEXT CMD...: runs CMD under stamp, logs its lines, prints
# "<first TEXT line seconds> <exit seconds>" ("NA NA" if TEXT never came).
stamped() {
	local to=$1 text=$2 out
	shift 2
	log "\$ $*"
	out=$("$STAMP" -t "$to" -m "$text" -- "$@" 2>>"$LOG")
	log "$out"
	awk '$1 == "#match" {m = $2} $1 == "#exit" {e = $2}
		END {print (m == "" ? "NA" : m), (m == "" || e == "" ? "NA" : e)}' <<<"$out"
}
minimum() { # values... (NA ignored)
	printf '%s\n' "$@" | grep -v '^NA$' | sort -g | head -n1 | grep . || echo NA
}
median() { # values... (NA ignored)
	printf '%s\n' "$@" | grep -v '^NA$' | sort -g |
		awk '{v[NR] = $1} END {if (!NR) print "NA"; else if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ms() { [ "$1" = NA ] && echo n/a || awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }
showcmd() { # words -> one line, words with blanks in double quotes, $TOP/ dropped
	local w out=''
	for w in "$@"; do
		w=${w//"$TOP"\//}
		case $w in *' '*) w="\"$w\"" ;; esac
		out+="${out:+ }$w"
	done
	printf '%s' "$out"
}
verdict() { [ "$1" = 1 ] && echo met || echo missed; }

# --- (a) QEMU start to the program's first output line ------------------------------
declare -A FIRST FMIN EXIT OURCMD
GUESTS="floor ours runsh linux"
time_boots() { # machine runs
	local m=$1 runs=$2 r g a
	local -A f e
	local -a ours=()
	[ $OUR_OK = 1 ] && mapfile -t ours < <(our_cmd "$m" "$MEM" -- /hello)
	OURCMD[$m]=$(showcmd "${ours[@]}")
	for g in $GUESTS; do f[$g]=''; e[$g]=''; done
	for ((r = 0; r <= runs; r++)); do	# round 0 warms the page cache, not counted
		for g in $GUESTS; do
			local -a cmd=()
			case $g in
			floor) mapfile -t cmd < <(floor_cmd "$m"); a=$(stamped 20 "floor:" "${cmd[@]}") ;;
			ours) [ $OUR_OK = 1 ] || continue
				a=$(stamped 30 "$HELLO_TEXT" "${ours[@]}") ;;
			runsh) [ $OUR_OK = 1 ] || continue
				mapfile -t cmd < <(our_runsh "$m" "$MEM" -- /hello)
				a=$(stamped 30 "$HELLO_TEXT" "${cmd[@]}") ;;
			linux) [ -n "$VMLINUX" ] || continue
				mapfile -t cmd < <(linux_cmd "$m" "" -- /hello)
				a=$(stamped 60 "$HELLO_TEXT" "${cmd[@]}") ;;
			esac
			[ $r = 0 ] && continue
			f[$g]+=" ${a% *}" e[$g]+=" ${a#* }"
		done
	done
	for g in $GUESTS; do
		# shellcheck disable=SC2086
		FIRST[$m.$g]=$(median ${f[$g]:-NA})
		# shellcheck disable=SC2086
		FMIN[$m.$g]=$(minimum ${f[$g]:-NA})
		# shellcheck disable=SC2086
		EXIT[$m.$g]=$(median ${e[$g]:-NA})
		log "$m $g first:${f[$g]} exit:${e[$g]}"
	done
}

MACHINES=(microvm)
if want a; then
	say "bench: (a) QEMU start to first output line, $RUNS runs per guest on microvm, $PC_RUNS on pc, alternating"
	time_boots microvm "$RUNS"
else
	RUNS=0 PC_RUNS=0
	for g in $GUESTS; do FIRST[microvm.$g]=NA FMIN[microvm.$g]=NA EXIT[microvm.$g]=NA; done
fi
if [ "$PC_RUNS" -gt 0 ]; then
	MACHINES+=(pc)
	time_boots pc "$PC_RUNS"
fi

# --- (b) getppid cost in guest instructions (-icount shift=0) -----------------------
# Each guest is booted twice: under icount the counts must come out identical.
per_call() { # stamped output line -> per_call value
	sed -n 's/.*getppid:.*per_call=\([0-9.]*\).*/\1/p' | head -n1
}
syscall_run() { # ours|linux -> "per_call raw-line"
	local -a cmd=()
	if [ "$1" = ours ]; then
		mapfile -t cmd < <(our_cmd microvm "$MEM" -icount shift=0 -- /getppid_loop "$N")
	else
		mapfile -t cmd < <(linux_cmd microvm "tsc_early_khz=1000000" -cpu max -icount shift=0 -- /getppid_loop "$N")
	fi
	log "\$ ${cmd[*]}"
	local out
	out=$("$STAMP" -t 120 -m "getppid:" -- "${cmd[@]}" 2>>"$LOG")
	log "$out"
	grep 'getppid:' <<<"$out" | head -n1 | cut -f2-
}
declare -A SYS SYSLINE SYSSAME
want b && say "bench: (b) getppid cost under -icount shift=0, N=$N"
for g in ours linux; do
	SYS[$g]=NA SYSLINE[$g]='' SYSSAME[$g]=''
	want b || continue
	[ $g = ours ] && [ $OUR_OK = 0 ] && continue
	[ $g = linux ] && [ -z "$VMLINUX" ] && continue
	l1=$(syscall_run $g)
	l2=$(syscall_run $g)
	v=$(per_call <<<"$l1")
	SYS[$g]=${v:-NA}
	SYSLINE[$g]=$l1
	if [ -n "$l1" ]; then
		[ "$l1" = "$l2" ] && SYSSAME[$g]="identical in 2 boots" || SYSSAME[$g]="2nd boot: ${l2:-no result}"
	fi
done

# --- (c) image size ----------------------------------------------------------------------
IMG_BYTES=NA
[ -s "$IMAGE" ] && IMG_BYTES=$(stat -c %s "$IMAGE")

# --- (d) smallest -m that runs hello world --------------------------------------------
runs_in() { # MiB -> 0 if hello world ran
	local -a cmd=()
	mapfile -t cmd < <(printf '%s\n' "$RUNSH" -M microvm -m "${1}M" "$HELLO")
	local a
	a=$(stamped 20 "$HELLO_TEXT" "${cmd[@]}")
	log "mem $1 MiB: $a"
	[ "${a% *}" != NA ]
}
MIN_MEM=NA RUNS_8=NA
if [ $OUR_OK = 1 ] && want d; then
	say "bench: (d) smallest -m for hello world (binary search 2..64 MiB)"
	lo=2 hi=64
	if runs_in $hi; then
		if runs_in $lo; then hi=$lo; fi
		while [ $((hi - lo)) -gt 1 ]; do
			mid=$(((lo + hi) / 2))
			if runs_in $mid; then hi=$mid; else lo=$mid; fi
		done
		MIN_MEM=$hi
	else
		MIN_MEM=">64"
	fi
	if runs_in 8; then RUNS_8=1; else RUNS_8=0; fi
fi

# --- (e) apps: QEMU start to the end of python3 and of sqlite3 --------------------
# Each app's rootfs comes from its catalogue recipe (apps/<app>/build.sh),
# built into $BENCH_DIR/apps/<app>/rootfs and rebuilt when the recipe changes
# (run_app.sh's rule for build/apps/). Ours boots it with run.sh -r (timed as
# the captured QEMU command); Linux gets run.sh's very archive of it with
# linux-init.cpio (/init, /dev/console) appended (the kernel unpacks
# concatenated newc archives). The expected output is the program's output
# on the host, chrooted into the same rootfs; a run counts only if the guest
# printed those lines, in order (kernel messages may come between).
APPS="python sqlite3"
APP_LINUX_ENV="PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin LANG=C.UTF-8"
declare -A ACMD AFIRST AEXIT AEMIN ARATIO T_APP APPNOTE APPTEXT APPSIZE
APPOURS='' APPLINUX='' LOAD_E=n/a
app_cmdline() { # app -> its command, one word per line
	local -a w
	case $1 in
	python) printf '%s\n' /usr/bin/python3 -c 'print(1)' ;;
	sqlite3) read -r -a w <"$TOP/apps/sqlite3/cmd"; printf '%s\n' "${w[@]}" ;;
	esac
}
app_rootfs() { # app [base] -> builds base/app/rootfs (base: $BENCH_DIR/apps) if missing or stale, prints its path
	local dir=$TOP/apps/$1 out=${2:-$BENCH_DIR/apps}/$1
	if [ ! -f "$out/.built" ] ||
		[ -n "$(find "$dir" "$TOP/apps/_lib.sh" -newer "$out/.built" -print -quit)" ]; then
		rm -rf "$out" && mkdir -p "$out/rootfs" &&
			"$dir/build.sh" "$out/rootfs" >>"$LOG" 2>&1 || return 1
		touch "$out/.built"
	fi
	printf '%s\n' "$out/rootfs"
}
app_expected() { # rootfs cmd... -> the command's output on the host, in that rootfs
	local root=$1
	shift
	chroot "$root" "$@" </dev/null 2>/dev/null ||
		unshare -r chroot "$root" "$@" </dev/null 2>/dev/null
}
# app_run TIMEOUT EXPECTED-FILE CMD...: prints "<first expected line s> <exit s>",
# "NA NA" unless all the expected lines came and QEMU exited.
app_run() {
	local to=$1 exp=$2 out
	shift 2
	log "\$ $*"
	out=$("$STAMP" -t "$to" -- "$@" 2>>"$LOG")
	log "$out"
	awk -F'\t' 'NR == FNR {e[++n] = $0; next}
		/^#exit / {split($0, x, " "); ex = x[2]; next}
		j < n && $2 == e[j + 1] {if (!j) f = $1; j++}
		END {print (n && j == n && ex != "" ? f " " ex : "NA NA")}' "$exp" - <<<"$out"
}
want e || APP_RUNS=0
if [ "$APP_RUNS" -gt 0 ]; then
	say "bench: (e) QEMU start to the end of python3 and sqlite3, $APP_RUNS runs per guest, alternating"
	LOAD_E=$(cut -d' ' -f1-3 /proc/loadavg)
	for app in $APPS; do
		mapfile -t c < <(app_cmdline "$app")
		APPTEXT[$app]=$(for w in "${c[@]}"; do
			case $w in *[!A-Za-z0-9._/:=+,@-]*) printf "'%s' " "$w" ;; *) printf '%s ' "$w" ;; esac
		done | sed 's/ $//')
		ACMD[$app.ours]='' ACMD[$app.linux]=''
		if ! root=$(app_rootfs "$app"); then
			APPNOTE[$app]="its rootfs did not build (apps/$app/build.sh; see build/bench/bench.log)"
			say "run-bench: $app: ${APPNOTE[$app]}"
			continue
		fi
		exp=$BENCH_DIR/apps/$app/expected
		if ! app_expected "$root" "${c[@]}" >"$exp" || [ ! -s "$exp" ]; then
			APPNOTE[$app]="its expected output could not be made (chroot on the host failed)"
			say "run-bench: $app: ${APPNOTE[$app]}"
			continue
		fi
		ours_initrd='' li=''
		if [ $OUR_OK = 1 ]; then
			mapfile -t oc < <(OUR_ROOT=$root our_cmd microvm "$APP_MEM" -- "${c[@]}")
			# run.sh's cached archive, linked (or copied) under build/bench/apps
			# so that run.sh pruning its cache cannot pull it away mid-bench.
			for ((i = 0; i + 1 < ${#oc[@]}; i++)); do
				if [ "${oc[i]}" != -initrd ] || [ ! -f "${oc[i + 1]}" ]; then continue; fi
				ours_initrd=$BENCH_DIR/apps/$app/rootfs.cpio
				ln -f "${oc[i + 1]}" "$ours_initrd" 2>/dev/null ||
					cp "${oc[i + 1]}" "$ours_initrd"
				oc[i + 1]=$ours_initrd
			done
			ACMD[$app.ours]=$(printf '%s\n' "${oc[@]}")
		fi
		if [ -n "$VMLINUX" ]; then
			li=$BENCH_DIR/apps/$app/linux-initrd.cpio
			if [ -f "$ours_initrd" ]; then
				cat "$ours_initrd" "$LINUX_INIT_CPIO" >"$li"
			else	# run.sh's archive command
				{ (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) &&
					cat "$LINUX_INIT_CPIO"; } >"$li"
			fi
			mapfile -t lc < <(LINUX_INITRD=$li LINUX_MEM=$APP_MEM \
				linux_cmd microvm "$APP_LINUX_ENV" -cpu max -- "${c[@]}")
			ACMD[$app.linux]=$(printf '%s\n' "${lc[@]}")
			[ "$app" = python ] && APPLINUX=$(showcmd "${lc[@]}")
		fi
		[ "$app" = python ] && [ $OUR_OK = 1 ] && APPOURS=$(showcmd "${oc[@]}")
		sz=$(stat -c %s "${ours_initrd:-${li:-}}" 2>/dev/null) &&
			APPSIZE[$app]=$(awk -v b="$sz" 'BEGIN {printf "a %.1f MB cpio archive", b / 1e6}')
	done
	declare -A af ae
	for ((r = 0; r <= APP_RUNS; r++)); do	# round 0 warms up, not counted
		for app in $APPS; do
			for g in ours linux; do
				k=$app.$g
				[ -n "${ACMD[$k]:-}" ] || continue
				mapfile -t cmd <<<"${ACMD[$k]}"
				a=$(app_run 60 "$BENCH_DIR/apps/$app/expected" "${cmd[@]}")
				if [ $r = 0 ]; then
					if [ "$a" = "NA NA" ]; then
						say "run-bench: $g did not run $app right (see build/bench/bench.log); skipped"
						ACMD[$k]=''
					fi
					continue
				fi
				af[$k]+=" ${a% *}" ae[$k]+=" ${a#* }"
			done
		done
	done
	for app in $APPS; do
		for g in ours linux; do
			k=$app.$g
			# shellcheck disable=SC2086
			AFIRST[$k]=$(median ${af[$k]:-NA})
			# shellcheck disable=SC2086
			AEXIT[$k]=$(median ${ae[$k]:-NA})
			# shellcheck disable=SC2086
			AEMIN[$k]=$(minimum ${ae[$k]:-NA})
			log "$app $g first:${af[$k]:-} exit:${ae[$k]:-}"
		done
	done
fi

# --- (f) threads: futex ping-pong round trip, pthread_create+join (-icount shift=0) ---
# Like (b): each guest is booted twice with the same binary and one vCPU
# (no -smp in either command: QEMU's default, 1); the figure is the smaller
# of the two boots' values (each already the minimum of 5 repetitions).
thr_field() { # field line -> value
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2" | head -n1
}
thr_min() { # field line1 line2 -> the smaller value (NA if neither has it)
	local v1 v2
	v1=$(thr_field "$1" "$2") v2=$(thr_field "$1" "$3")
	minimum "${v1:-NA}" "${v2:-NA}"
}
threads_run() { # ours|linux -> raw result line
	local -a cmd=()
	if [ "$1" = ours ]; then
		mapfile -t cmd < <(our_cmd microvm "$MEM" -icount shift=0 -- /threads_bench "$RT_N" "$CJ_N")
	else
		mapfile -t cmd < <(linux_cmd microvm "tsc_early_khz=1000000" -cpu max -icount shift=0 -- /threads_bench "$RT_N" "$CJ_N")
	fi
	log "\$ ${cmd[*]}"
	local out
	out=$("$STAMP" -t 180 -m "threads:" -- "${cmd[@]}" 2>>"$LOG")
	log "$out"
	grep 'threads:' <<<"$out" | head -n1 | cut -f2-
}
declare -A RT CJ THRLINE THRSAME THRCPUS
want f && say "bench: (f) futex ping-pong round trip (N=$RT_N) and pthread_create+join (N=$CJ_N) under -icount shift=0"
for g in ours linux; do
	RT[$g]=NA CJ[$g]=NA THRLINE[$g]='' THRSAME[$g]='' THRCPUS[$g]=NA
	want f || continue
	[ $g = ours ] && [ $OUR_OK = 0 ] && continue
	[ $g = linux ] && [ -z "$VMLINUX" ] && continue
	l1=$(threads_run $g)
	l2=$(threads_run $g)
	THRLINE[$g]=$l1
	RT[$g]=$(thr_min per_roundtrip "$l1" "$l2")
	CJ[$g]=$(thr_min per_create_join "$l1" "$l2")
	ncpu=$(sed -n 's/.*cpus=\([-0-9]*\).*/\1/p' <<<"$l1")
	THRCPUS[$g]=${ncpu:-NA}
	if [ -n "$l1" ]; then
		[ "$l1" = "$l2" ] && THRSAME[$g]="identical in 2 boots" || THRSAME[$g]="2nd boot: \`${l2:-no result}\`"
	fi
done

# --- (g) file I/O: write and read a 50 MiB file, over 9p and in RAM ------------------
# bench/guest/fileio_bench.c writes 50 MiB in 1 MiB chunks, fsyncs, closes,
# reads it back and prints both times (CLOCK_MONOTONIC in the guest). Runs,
# alternating, each round on microvm with -cpu max and $APP_MEM MiB:
#   ours-9p     run.sh -r $IO_ROOT (no -i): the file is /fileio.dat on the
#               9p root, i.e. $IO_ROOT/fileio.dat on the host;
#   ours-ramfs  run.sh -i -r $IO_ROOT: the file is /tmp/fileio.dat in the
#               initrd's RAM file system;
#   linux-9p    the same -fsdev as ours-9p (taken from run.sh's captured
#               command), a virtio-9p-device with mount_tag=share; its /init
#               loads the 9p modules and mounts the share on /mnt (9p=share:/mnt
#               on the kernel command line); the file is /mnt/fileio.dat.
# The Linux initramfs is linux-init.cpio with a second archive appended:
# /fileio_bench and /lib/modules/ (the kernel's 9p and virtio modules, from
# /lib/modules/$LINUX_VERSION, decompressed, with load.list in dependency
# order from modules.dep).
FILEIO=$BENCH_DIR/fileio_bench
IO_ROOT=$BENCH_DIR/fileio-root
IO_MOD_CPIO=$BENCH_DIR/linux-fileio.cpio
IO_GUESTS="ours9p oursram linux9p"
declare -A IOCMD IOW IOR IOWMS IORMS IOLINE IONOTE IONRUNS
IOLOAD=n/a IO_MODS='' IO_FSDEV='' IOCMD_OURS9P='' IOCMD_LINUX9P=''
IO_MIB=50
# io_modules DIR [LIB MODULE...]: copies the modules (by default those 9p
# over virtio needs: the virtio-mmio and virtio-pci transports, 9pnet_virtio,
# 9p) from /lib/modules/$LINUX_VERSION into DIR/LIB/modules (LIB: lib, or
# where the rootfs's /lib points), dependencies first; prints their names.
io_modules() {
	local kdir=/lib/modules/$LINUX_VERSION out=$1/${2:-lib}/modules m
	local -a mods=(virtio_mmio virtio_pci 9pnet_virtio 9p)
	[ $# -gt 2 ] && mods=("${@:3}")
	local -A done_=()
	[ -f "$kdir/modules.dep" ] || return 1
	mkdir -p "$out" && : >"$out/load.list" || return 1
	io_mod_add() { # module name (as in modules.dep, - or _) -> 0 if copied or built in
		local name=${1//-/_} line path base i
		[ -n "${done_[$name]:-}" ] && return 0
		line=$(awk -F: -v n="$name" '{b = $1; sub(/.*\//, "", b); sub(/\.ko.*/, "", b); gsub(/-/, "_", b)}
			b == n {print; exit}' "$kdir/modules.dep")
		if [ -z "$line" ]; then	# built into the kernel?
			awk -v n="$name" '{b = $0; sub(/.*\//, "", b); sub(/\.ko.*/, "", b); gsub(/-/, "_", b)}
				b == n {f = 1} END {exit !f}' "$kdir/modules.builtin" 2>/dev/null || return 1
			done_[$name]=1
			return 0
		fi
		path=${line%%:*}
		# modules.dep lists every dependency; loading them last-first works.
		local -a deps
		read -r -a deps <<<"${line#*:}"
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
			base=${deps[i]##*/}
			io_mod_add "${base%%.ko*}" || return 1
		done
		base=${path##*/}
		base=${base%%.ko*}.ko
		case $path in
		*.ko) cp "$kdir/$path" "$out/$base" ;;
		*.ko.xz) xz -dc "$kdir/$path" >"$out/$base" ;;
		*.ko.zst) zstd -qdc "$kdir/$path" >"$out/$base" ;;
		*.ko.gz) gzip -dc "$kdir/$path" >"$out/$base" ;;
		*) return 1 ;;
		esac || return 1
		echo "$base" >>"$out/load.list"
		done_[$name]=1
	}
	for m in "${mods[@]}"; do
		io_mod_add "$m" || { echo "module $m not found under $kdir" >&2; return 1; }
	done
	tr '\n' ' ' <"$out/load.list" | sed 's/ $//'
}
io_field() { # field line -> value
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2" | head -n1
}
io_run() { # guest -> the fileio: line (empty if none)
	local -a cmd=()
	mapfile -t cmd <<<"${IOCMD[$1]}"
	rm -f "$IO_ROOT/fileio.dat"
	log "\$ ${cmd[*]}"
	local out
	out=$("$STAMP" -t 90 -m "fileio:" -- "${cmd[@]}" 2>>"$LOG")
	log "$out"
	rm -f "$IO_ROOT/fileio.dat"
	grep -m1 'fileio: mib=' <<<"$out" | cut -f2-
}
want g || IO_RUNS=0
if [ "$IO_RUNS" -gt 0 ]; then
	say "bench: (g) write and read a $IO_MIB MiB file: ours over 9p and in RAM, Linux over 9p; $IO_RUNS runs each, alternating"
	IOLOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	for g in $IO_GUESTS; do IOCMD[$g]=''; done
	rm -rf "$IO_ROOT" && mkdir -p "$IO_ROOT/tmp" && cp -p "$FILEIO" "$IO_ROOT/"
	if [ $OUR_OK = 1 ]; then
		IOCMD[ours9p]=$(OUR_9P=1 OUR_ROOT=$IO_ROOT our_cmd microvm "$APP_MEM" -- /fileio_bench /fileio.dat)
		mapfile -t c <<<"${IOCMD[ours9p]}"
		for ((i = 0; i + 1 < ${#c[@]}; i++)); do
			[ "${c[i]}" = -fsdev ] && IO_FSDEV=${c[i + 1]}
		done
		[ -n "$IO_FSDEV" ] || IONOTE[ours9p]="run.sh -r passed no -fsdev"
		mapfile -t c < <(OUR_ROOT=$IO_ROOT our_cmd microvm "$APP_MEM" -- /fileio_bench /tmp/fileio.dat)
		# run.sh's cached archive, linked here so its cache pruning cannot pull it away.
		for ((i = 0; i + 1 < ${#c[@]}; i++)); do
			if [ "${c[i]}" != -initrd ] || [ ! -f "${c[i + 1]}" ]; then continue; fi
			ln -f "${c[i + 1]}" "$BENCH_DIR/fileio-root.cpio" 2>/dev/null ||
				cp "${c[i + 1]}" "$BENCH_DIR/fileio-root.cpio"
			c[i + 1]=$BENCH_DIR/fileio-root.cpio
		done
		IOCMD[oursram]=$(printf '%s\n' "${c[@]}")
	fi
	if [ -n "$VMLINUX" ]; then
		rm -rf "$BENCH_DIR/fileio.d" && mkdir -p "$BENCH_DIR/fileio.d" &&
			cp -p "$FILEIO" "$BENCH_DIR/fileio.d/"
		if ! IO_MODS=$(io_modules "$BENCH_DIR/fileio.d" 2>>"$LOG"); then
			IONOTE[linux9p]="its 9p modules were not found under /lib/modules/$LINUX_VERSION"
			say "run-bench: Linux 9p: ${IONOTE[linux9p]}"
		else
			{ cat "$LINUX_INIT_CPIO" && (cd "$BENCH_DIR/fileio.d" && find . | LC_ALL=C sort |
				cpio -o -H newc -R 0:0 --quiet); } >"$IO_MOD_CPIO"
			fsdev=${IO_FSDEV:-local,id=fs0,path=${IO_ROOT//,/,,},security_model=none}
			fsid=$(tr ',' '\n' <<<"$fsdev" | sed -n 's/^id=//p' | head -n1)
			IOCMD[linux9p]=$(LINUX_INITRD=$IO_MOD_CPIO LINUX_MEM=$APP_MEM \
				linux_cmd microvm "9p=share:/mnt" -cpu max -fsdev "$fsdev" \
				-device "virtio-9p-device,fsdev=${fsid:-fs0},mount_tag=share" \
				-- /fileio_bench /mnt/fileio.dat)
		fi
	fi
	declare -A iow ior iowms iorms
	for ((r = 0; r <= IO_RUNS; r++)); do	# round 0 warms up, not counted
		for g in $IO_GUESTS; do
			[ -n "${IOCMD[$g]}" ] || continue
			l=$(io_run "$g")
			if [ -z "$l" ]; then
				say "run-bench: (g) $g printed no result (see build/bench/bench.log)"
				if [ $r = 0 ]; then	# a guest that fails its warm-up is not run again
					IOCMD[$g]=''
					IONOTE[$g]="no result in the untimed round; not run again (see build/bench/bench.log)"
				fi
				continue
			fi
			[ $r = 0 ] && continue
			IOLINE[$g]=$l
			iow[$g]+=" $(io_field write_mibs "$l")" ior[$g]+=" $(io_field read_mibs "$l")"
			iowms[$g]+=" $(io_field write_ms "$l")" iorms[$g]+=" $(io_field read_ms "$l")"
			IONRUNS[$g]=$((${IONRUNS[$g]:-0} + 1))
		done
	done
	[ -n "${IOCMD[ours9p]}" ] && IOCMD_OURS9P=$(mapfile -t c <<<"${IOCMD[ours9p]}"; showcmd "${c[@]}")
	[ -n "${IOCMD[linux9p]}" ] && IOCMD_LINUX9P=$(mapfile -t c <<<"${IOCMD[linux9p]}"; showcmd "${c[@]}")
	for g in $IO_GUESTS; do
		# shellcheck disable=SC2086
		IOW[$g]=$(median ${iow[$g]:-NA})
		# shellcheck disable=SC2086
		IOR[$g]=$(median ${ior[$g]:-NA})
		# shellcheck disable=SC2086
		IOWMS[$g]=$(median ${iowms[$g]:-NA})
		# shellcheck disable=SC2086
		IORMS[$g]=$(median ${iorms[$g]:-NA})
		log "fileio $g write_mibs:${iow[$g]:-} read_mibs:${ior[$g]:-} write_ms:${iowms[$g]:-} read_ms:${iorms[$g]:-}"
	done
fi

# --- (h) network throughput: redis SET/GET and nginx small-file GET ----------------
# Each server runs from its catalogue rootfs (build/apps/<app>/rootfs, built
# by apps/<app>/build.sh like run_app.sh and tests/netapps do) on microvm
# with -cpu max and $APP_MEM MiB, behind one virtio-net-device on QEMU's
# user-mode network with host 127.0.0.1:$NET_HPORT forwarded to the server's
# port:
#   ours   run.sh -i -n -p $NET_HPORT:PORT -r ROOTFS cmd... (captured QEMU
#          command, its initrd linked under build/bench/net/);
#   linux  the same -netdev and -device (taken from ours' captured command),
#          an initramfs of run.sh's archive of that rootfs + linux-init.cpio
#          + the virtio_mmio and virtio_net modules; /init, given
#          net=10.0.2.15/24,10.0.2.2, loads them, configures eth0 and runs
#          the server.
# QEMU's user networking listens on a forwarded port with a backlog of 1, so
# the clients' 50 simultaneous connects would overflow the host's accept
# queue (SYN backoff stalls of seconds): the clients talk to
# build/tools/tcprelay on $NET_RPORT, which opens the connections to the
# forward one at a time, for both guests alike. Each run is its own boot:
# wait for the server to answer, start the relay, a short warm-up through it,
# then the measured client run; then the relay and QEMU are stopped.
NET_APPS="redis nginx"
NET_WORKLOADS="redis_set redis_get nginx_get"
NET_DIR=$BENCH_DIR/net
TCPRELAY=$BUILD/tools/tcprelay
NET_GUEST_IP=10.0.2.15/24 NET_GW=10.0.2.2
declare -A NETCMD NETSHOW NETNOTE NETVALS NETMED NETRATIO T_NET
NETLOAD=n/a NET_MODS='' NETCMD_OURS='' NETCMD_LINUX='' NET_SECS=NA NET_HPORT='' NET_RPORT=''
net_port_free() { [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]; }
net_free_port() { # a port in 19000-19999 that nothing uses, not $1 (bounded tries)
	local i p
	for ((i = 0; i < 200; i++)); do
		p=$((19000 + RANDOM % 1000))
		[ "$p" != "${1:-}" ] && net_port_free "$p" && { echo "$p"; return 0; }
	done
	return 1
}
# net_prepare SECTION TOOL...: picks NET_HPORT and NET_RPORT unless an earlier
# section did, checks the clients and the relay; NET_HPORT is empty when the
# section cannot run.
net_prepare() {
	local sec=$1 tool
	shift
	mkdir -p "$NET_DIR"
	if [ -z "$NET_HPORT" ] || [ -z "$NET_RPORT" ] ||
		! net_port_free "$NET_HPORT" || ! net_port_free "$NET_RPORT"; then
		if ! NET_HPORT=$(net_free_port) || ! NET_RPORT=$(net_free_port "$NET_HPORT"); then
			say "run-bench: ($sec) no free port in 19000-19999"
			NET_HPORT=''
		fi
	fi
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { say "run-bench: ($sec) $tool is missing (scripts/setup.sh installs it)"; NET_HPORT=''; }
	done
	[ -x "$TCPRELAY" ] || { say "run-bench: ($sec) $TCPRELAY is missing (make tools)"; NET_HPORT=''; }
	[ -n "$NET_HPORT" ]
}
net_cmdline() { # app -> its command (apps/<app>/cmd, quotes as a shell reads them), one word a line
	xargs printf '%s\n' <"$TOP/apps/$1/cmd"
}
net_gport() { # app -> the port its server listens on in the guest
	case $1 in redis) echo 6379 ;; *) echo 8080 ;; esac	# nginx, server_go
}
net_path() { # app -> the path the HTTP clients GET
	case $1 in nginx) echo /index.html ;; *) echo / ;; esac
}
net_ready() { # app: the server answers one request on the forward itself
	case $1 in
	redis) [ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$NET_HPORT" PING 2>/dev/null)" = PONG ] ;;
	*) [ "$(curl --noproxy '*' -s -o /dev/null -m 5 -w '%{http_code}' \
		"http://127.0.0.1:$NET_HPORT$(net_path "$1")" 2>/dev/null)" = 200 ] ;;
	esac
}
# net_setup APP KEY CPUS [VAR=VALUE...]: the two guests' commands serving APP
# from its catalogue rootfs on CPUS CPUs (1: QEMU's default, no -c or -smp),
# with VAR=VALUE added to the server's environment, into NETCMD[KEY.ours]
# and NETCMD[KEY.linux] (one word a line; empty where that guest cannot run
# it, NETNOTE[KEY] says why) and NETSHOW[KEY.ours|linux] (one line each).
net_setup() {
	local app=$1 key=$2 cpus=$3 root gport netdev netdevice ours_initrd='' lib li i e
	shift 3
	local oopts='' lenv='' tag="$app"
	local -a c oc lc lq=()
	[ "$key" = "$app" ] || tag="$app ($key)"
	NETCMD[$key.ours]='' NETCMD[$key.linux]='' NETSHOW[$key.ours]='' NETSHOW[$key.linux]=''
	[ -n "$NET_HPORT" ] || return 0
	# The catalogue's own tree, shared with run_app.sh and tests/netapps (same rule).
	if ! root=$(app_rootfs "$app" "$TOP/build/apps"); then
		NETNOTE[$key]="its rootfs did not build (apps/$app/build.sh; see build/bench/bench.log)"
		say "run-bench: $tag: ${NETNOTE[$key]}"
		return 0
	fi
	mapfile -t c < <(net_cmdline "$app")
	gport=$(net_gport "$app")
	for e in "$@"; do oopts+=" -e $e" lenv+=" $e"; done
	if [ "$cpus" -gt 1 ]; then
		oopts+=" -c $cpus" lq=(-smp "$cpus")
	fi
	netdev="user,id=n0,hostfwd=tcp:127.0.0.1:$NET_HPORT-:$gport" netdevice=virtio-net-device,netdev=n0
	if [ $OUR_OK = 1 ]; then
		mapfile -t oc < <(OUR_OPTS="-n -p $NET_HPORT:$gport$oopts" OUR_ROOT=$root \
			our_cmd microvm "$APP_MEM" -- "${c[@]}")
		for ((i = 0; i + 1 < ${#oc[@]}; i++)); do
			case ${oc[i]} in
			-netdev) netdev=${oc[i + 1]} ;;
			-device) case ${oc[i + 1]} in virtio-net-device,*) netdevice=${oc[i + 1]} ;; esac ;;
			-initrd)	# run.sh's cached archive, linked so its cache pruning cannot pull it away
				[ -f "${oc[i + 1]}" ] || continue
				ours_initrd=$NET_DIR/$key-rootfs.cpio
				ln -f "${oc[i + 1]}" "$ours_initrd" 2>/dev/null || cp "${oc[i + 1]}" "$ours_initrd"
				oc[i + 1]=$ours_initrd ;;
			esac
		done
		NETCMD[$key.ours]=$(printf '%s\n' "${oc[@]}")
		NETSHOW[$key.ours]=$(showcmd "${oc[@]}")
	fi
	if [ -n "$VMLINUX" ]; then
		# The modules go where the rootfs's /lib points (usr/lib when /lib
		# is a symlink): an archive entry for a directory /lib would
		# replace the symlink, and the dynamic loader with it.
		lib=lib
		[ -L "$root/lib" ] && { lib=$(readlink "$root/lib"); lib=${lib#/}; }
		rm -rf "$NET_DIR/mods.d" && mkdir -p "$NET_DIR/mods.d"
		if ! NET_MODS=$(io_modules "$NET_DIR/mods.d" "$lib" virtio_mmio virtio_net 2>>"$LOG"); then
			NETNOTE[$key]="Linux: the virtio_net modules were not found under /lib/modules/$LINUX_VERSION"
			say "run-bench: $tag: ${NETNOTE[$key]}"
		else
			li=$NET_DIR/$key-linux.cpio
			{ if [ -f "$ours_initrd" ]; then cat "$ours_initrd"
			else (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet); fi
			cat "$LINUX_INIT_CPIO"
			(cd "$NET_DIR/mods.d" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
			} >"$li"
			mapfile -t lc < <(LINUX_INITRD=$li LINUX_MEM=$APP_MEM linux_cmd microvm \
				"$APP_LINUX_ENV$lenv net=$NET_GUEST_IP,$NET_GW" -cpu max ${lq[@]+"${lq[@]}"} \
				-netdev "$netdev" -device "$netdevice" -- "${c[@]}")
			NETCMD[$key.linux]=$(printf '%s\n' "${lc[@]}")
			NETSHOW[$key.linux]=$(showcmd "${lc[@]}")
		fi
	fi
}
NET_PID='' NET_RELAY=''
net_stop() { # stops the relay and the guest, waits until the forwarded port is free again
	local i
	[ -n "$NET_RELAY" ] && { kill "$NET_RELAY" 2>/dev/null; wait "$NET_RELAY" 2>/dev/null; }
	[ -n "$NET_PID" ] && { kill "$NET_PID" 2>/dev/null; wait "$NET_PID" 2>/dev/null; }
	NET_RELAY='' NET_PID=''
	for ((i = 0; i < 50; i++)); do
		net_port_free "$NET_HPORT" && net_port_free "$NET_RPORT" && return 0
		sleep 0.1
	done
}
# net_run APP GUEST [KEY]: one boot of NETCMD[KEY.GUEST] (KEY: APP); sets
# NET_A to the figures ("SET GET" for redis, one for the HTTP servers; NA
# where none) and NET_WHY when a run gave no figure; for the HTTP servers
# NET_RAW is wrk's Requests/sec even when the run does not count.
net_run() {
	local app=$1 g=$2 key=${3:-$1} glog=$NET_DIR/guest.log out=$NET_DIR/client.out i ok=0 v1 v2 url
	local -a cmd
	mapfile -t cmd <<<"${NETCMD[$key.$g]}"
	NET_WHY='' NET_A='' NET_RAW=''
	log "\$ ${cmd[*]}"
	timeout -k 5 300 "${cmd[@]}" </dev/null >"$glog" 2>&1 &
	NET_PID=$!
	for ((i = 0; i < 300; i++)); do	# up to 60 s
		net_ready "$app" && { ok=1; break; }
		kill -0 "$NET_PID" 2>/dev/null || break
		sleep 0.2
	done
	if [ $ok = 1 ]; then
		: >"$NET_DIR/relay.log"	# not the last run's "ready"
		"$TCPRELAY" "$NET_RPORT" "$NET_HPORT" >"$NET_DIR/relay.log" 2>&1 &
		NET_RELAY=$!
		ok=0
		for ((i = 0; i < 50; i++)); do
			grep -q ready "$NET_DIR/relay.log" 2>/dev/null && { ok=1; break; }
			sleep 0.1
		done
		[ $ok = 1 ] || NET_WHY="tcprelay did not start"
	else
		NET_WHY="the server did not answer within 60 s"
	fi
	if [ $ok = 1 ]; then
		case $app in
		redis)
			timeout 60 redis-benchmark -p "$NET_RPORT" -n 1000 -c 50 -t set,get -q >/dev/null 2>&1
			timeout 300 redis-benchmark -p "$NET_RPORT" -n "$REDIS_N" -c 50 -t set,get -q 2>&1 |
				tr '\r' '\n' | grep -v 'rps=' | grep -v '^ *$' >"$out"
			log "$(cat "$out")"
			v1=$(sed -n 's/^ *SET: \([0-9.]*\) requests per second.*/\1/p' "$out" | head -n1)
			v2=$(sed -n 's/^ *GET: \([0-9.]*\) requests per second.*/\1/p' "$out" | head -n1)
			if grep -qi error "$out"; then
				NET_WHY="redis-benchmark reported: $(grep -i -m1 error "$out")"
				v1='' v2=''
			elif [ -z "$v1" ] || [ -z "$v2" ]; then
				NET_WHY="redis-benchmark gave no SET/GET figure"
			fi
			NET_A="${v1:-NA} ${v2:-NA}" ;;
		*)	# nginx, server_go
			url="http://127.0.0.1:$NET_RPORT$(net_path "$app")"
			timeout 60 wrk -t 2 -c 50 -d 2s "$url" >/dev/null 2>&1
			timeout $((WRK_SECS + 60)) wrk -t 2 -c 50 -d "${WRK_SECS}s" "$url" >"$out" 2>&1
			log "$(cat "$out")"
			v1=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$out" | head -n1)
			NET_RAW=$v1
			if grep -qE 'Socket errors|Non-2xx' "$out"; then
				NET_WHY="wrk saw $(grep -E -m1 'Socket errors|Non-2xx' "$out" | sed 's/^ *//')"
				v1=''
			elif [ -z "$v1" ]; then
				NET_WHY="wrk gave no Requests/sec"
			fi
			NET_A=${v1:-NA} ;;
		esac
	else
		case $app in redis) NET_A="NA NA" ;; *) NET_A=NA ;; esac
	fi
	net_stop
	log "$(head -c 4000 "$glog")"
}
if [ "$NET_RUNS" -gt 0 ] && want h; then
	say "bench: (h) network throughput: redis SET/GET and nginx GET through tcprelay, $NET_RUNS runs per guest, alternating"
	NET_T0=$SECONDS
	NETLOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	net_prepare h redis-benchmark redis-cli wrk curl
	for app in $NET_APPS; do
		net_setup "$app" "$app" 1
	done
	NETCMD_OURS=${NETSHOW[redis.ours]} NETCMD_LINUX=${NETSHOW[redis.linux]}
	declare -A nv
	for ((r = 1; r <= NET_RUNS; r++)); do
		for app in $NET_APPS; do
			for g in ours linux; do
				[ -n "${NETCMD[$app.$g]:-}" ] || continue
				net_run "$app" "$g"
				a=$NET_A
				log "(h) run $r $app $g: $a"
				if [ "$app" = redis ]; then
					nv[redis_set.$g]+=" ${a% *}" nv[redis_get.$g]+=" ${a#* }"
				else
					nv[nginx_get.$g]+=" $a"
				fi
				case " $a " in *' NA '*)
					NETNOTE[$app.$g]="run $r: ${NET_WHY:-no figure}"
					say "run-bench: (h) $app $g run $r: ${NET_WHY:-no figure} (see build/bench/bench.log)" ;;
				esac
			done
		done
	done
	for w in $NET_WORKLOADS; do
		for g in ours linux; do
			NETVALS[$w.$g]=${nv[$w.$g]:-}
			# shellcheck disable=SC2086
			NETMED[$w.$g]=$(median ${nv[$w.$g]:-NA})
			log "net $w $g:${nv[$w.$g]:-}"
		done
	done
	NET_SECS=$((SECONDS - NET_T0))
fi

# --- (i) processes: fork, posix_spawn, a shell pipeline, fork of a big process -----------
# bench/guest/proc_bench.c in both guests from one root: proc_bench, the
# static hello, busybox as /bin/sh, seq and wc. Ours: run.sh -i -r of that
# folder; Linux: linux-init.cpio with an archive of it appended. Each guest
# is booted under -icount shift=0 (instructions) and without (time), on
# microvm with -cpu max and $PROC_MEM MiB (room for the 256 MiB process).
PROC_MEM=640
PROC_ROOT=$BENCH_DIR/proc-root
PROC_CPIO=$BENCH_DIR/linux-proc.cpio
PROC_FIELDS="fork_wait spawn_wait pipeline user_work big_fork"
declare -A PROCV PROCLINE
PROCNOTE=''
proc_run() { # ours|linux icount|time -> the proc: or proc_ns: line
	local -a cmd=() q=()
	local key=proc_ns:
	[ "$2" = icount ] && q=(-icount shift=0) key=proc:
	if [ "$1" = ours ]; then
		mapfile -t cmd < <(OUR_ROOT=$PROC_ROOT our_cmd microvm "$PROC_MEM" ${q[@]+"${q[@]}"} -- /proc_bench)
	else
		local ap=''
		[ "$2" = icount ] && ap=tsc_early_khz=1000000
		mapfile -t cmd < <(LINUX_INITRD=$PROC_CPIO LINUX_MEM=$PROC_MEM \
			linux_cmd microvm "$ap" -cpu max ${q[@]+"${q[@]}"} -- /proc_bench)
	fi
	log "\$ ${cmd[*]}"
	local out
	out=$("$STAMP" -t 600 -m "$key" -- "${cmd[@]}" 2>>"$LOG")
	log "$out"
	grep "$key" <<<"$out" | head -n1 | cut -f2-
}
if [ "$PROC_RUNS" -gt 0 ] && want i; then
	say "bench: (i) processes: fork+wait, posix_spawn+wait, a shell pipeline, fork of 256 MiB; $PROC_RUNS boot(s) per guest and mode"
	rm -rf "$PROC_ROOT" && mkdir -p "$PROC_ROOT/bin"
	cp -p "$BENCH_DIR/proc_bench" "$HELLO" "$PROC_ROOT/" &&
		cp -p "$(command -v busybox || echo /bin/busybox)" "$PROC_ROOT/bin/busybox" ||
		PROCNOTE="busybox or the programs could not be copied (scripts/setup.sh installs busybox-static)"
	for a in sh seq wc; do ln -s busybox "$PROC_ROOT/bin/$a"; done
	{ cat "$LINUX_INIT_CPIO" && (cd "$PROC_ROOT" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet); } >"$PROC_CPIO"
	for g in ours linux; do
		[ $g = ours ] && [ $OUR_OK = 0 ] && continue
		[ $g = linux ] && [ -z "$VMLINUX" ] && continue
		for mode in icount time; do
			for ((r = 1; r <= PROC_RUNS; r++)); do
				l=$(proc_run $g $mode)
				PROCLINE[$g.$mode]=$l
				for f in $PROC_FIELDS big_fork_kb; do
					v=$(sed -n "s/.*\b$f=\([-0-9.]*\).*/\1/p" <<<"$l" | head -n1)
					PROCV[$g.$mode.$f]+=" ${v:-NA}"
				done
			done
		done
	done
fi
proc_median() { # guest mode field
	if [ "$3" = pipeline_less_user ]; then
		# The pipeline less seq's and wc's own user-mode work, which
		# no kernel changes: what the kernel does for it.
		local p s
		p=$(proc_median "$1" "$2" pipeline) s=$(proc_median "$1" "$2" user_work)
		num "$p" && num "$s" && awk -v a="$p" -v b="$s" 'BEGIN {printf "%.0f", a - b}' || echo NA
		return
	fi
	# shellcheck disable=SC2086
	median ${PROCV[$1.$2.$3]:-NA}
}
proc_rows() {
	local f name o l r ot lt rt
	for f in fork_wait spawn_wait pipeline pipeline_less_user big_fork; do
		case $f in
		fork_wait) name="fork + \`_exit\` + waitpid" ;;
		spawn_wait) name="posix_spawn of a static hello + waitpid" ;;
		pipeline) name="\`sh -c 'seq 1 10000 | wc -l'\` (busybox), spawned + waited" ;;
		pipeline_less_user) name="the same less seq's and wc's own work (see below)" ;;
		big_fork) name="fork of a process with 256 MiB touched" ;;
		esac
		o=$(proc_median ours icount $f) l=$(proc_median linux icount $f)
		ot=$(proc_median ours time $f) lt=$(proc_median linux time $f)
		r=NA rt=NA
		num "$o" && num "$l" && r=$(awk -v a="$o" -v b="$l" 'BEGIN {printf "%.2f", a / b}')
		num "$ot" && num "$lt" && rt=$(awk -v a="$ot" -v b="$lt" 'BEGIN {printf "%.2f", a / b}')
		local v=n/a
		num "$r" && v=$(verdict "$(awk -v a="$r" 'BEGIN {print (a <= 0.5)}')")
		echo "| $name | $(na "$o") | $(na "$l") | $(na "$r") | $(na "$ot") | $(na "$lt") | $(na "$rt") | $v |"
	done
}

# --- (j) container engines: podman run of a hello image, runuk beside runc -----------------
CT_RUNS=${BENCH_CT_RUNS:-5}
CT_WHY='' CT_IMG=localhost/ukbench-hello
declare -A CTVALS CTMED CTEXIT
for rt in runuk runc; do CTMED[$rt]=NA CTEXIT[$rt]=NA; done
want j || CT_RUNS=0
if [ "$CT_RUNS" -gt 0 ]; then
	if ! command -v podman >/dev/null; then
		CT_WHY="podman is not installed"
	elif [ ! -x "$BUILD/tools/runuk" ]; then
		CT_WHY="build/tools/runuk is missing"
	elif ! command -v runc >/dev/null; then
		CT_WHY="runc is not installed"
	fi
	mkdir -p "$BENCH_DIR/ct/rootfs"
	if [ -z "$CT_WHY" ]; then
		cp -p "$HELLO" "$BENCH_DIR/ct/rootfs/hello"
		printf 'FROM scratch\nCOPY rootfs/ /\nCMD ["/hello"]\n' >"$BENCH_DIR/ct/Containerfile"
		podman build -q -t "$CT_IMG" "$BENCH_DIR/ct" >>"$LOG" 2>&1 || CT_WHY="podman build failed (see build/bench/bench.log)"
	fi
	if [ -n "$CT_WHY" ]; then
		say "bench: (j) skipped: $CT_WHY"
		CT_RUNS=0
	else
		say "bench: (j) podman run of a hello image, runuk beside runc, $CT_RUNS runs each, alternating"
		declare -A cf ce
		# One untimed round first: the image's layers in the page cache.
		for ((r = 0; r <= CT_RUNS; r++)); do
			for rt in runuk runc; do
				path=$(command -v runc)
				[ $rt = runuk ] && path=$BUILD/tools/runuk
				a=$(stamped 60 "$HELLO_TEXT" podman run --rm --runtime "$path" \
					--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$CT_IMG")
				[ $r = 0 ] && continue
				cf[$rt]+=" ${a% *}" ce[$rt]+=" ${a#* }"
			done
		done
		for rt in runuk runc; do
			CTVALS[$rt]=${cf[$rt]:-}
			# shellcheck disable=SC2086
			CTMED[$rt]=$(median ${cf[$rt]:-NA})
			# shellcheck disable=SC2086
			CTEXIT[$rt]=$(median ${ce[$rt]:-NA})
			log "(j) $rt first:${cf[$rt]:-} exit:${ce[$rt]:-}"
		done
		podman rmi "$CT_IMG" >>"$LOG" 2>&1
	fi
fi
ct_each() { # the runs' figures in ms, comma-separated
	local v out=''
	for v in $1; do out+="${out:+, }$(ms "$v")"; done
	echo "${out:-n/a}"
}

# --- (k) several CPUs: 2 compute threads on 1 and 2 CPUs, a futex round trip across CPUs ---
# bench/guest/smp_bench.c in both guests (ours run.sh -c N -i -r of a folder
# with it; Linux linux-init.cpio with it appended and -smp N), on microvm
# with -cpu max and wall-clock time; the smaller of $SMP_RUNS boots each.
SMP_RUNS=${BENCH_SMP_RUNS:-3}
SMP_ROOT=$BENCH_DIR/smp-root
SMP_CPIO=$BENCH_DIR/linux-smp.cpio
declare -A SMPV SMPLINE
smp_run() { # ours|linux cpus args... -> the smp: line
	local g=$1 c=$2 out
	shift 2
	local -a cmd=()
	if [ "$g" = ours ]; then
		mapfile -t cmd < <(OUR_ROOT=$SMP_ROOT OUR_OPTS="-c $c" our_cmd microvm "$MEM" -- /smp_bench "$@")
	else
		mapfile -t cmd < <(LINUX_INITRD=$SMP_CPIO linux_cmd microvm "" -cpu max -smp "$c" -- /smp_bench "$@")
	fi
	log "\$ ${cmd[*]}"
	out=$("$STAMP" -t 300 -m "smp:" -- "${cmd[@]}" 2>>"$LOG")
	log "$out"
	grep 'smp:' <<<"$out" | head -n1 | cut -f2-
}
if want k && [ "$SMP_RUNS" -gt 0 ]; then
	say "bench: (k) several CPUs: 2 compute threads at 1 and 2 CPUs, a futex round trip between CPUs; $SMP_RUNS boot(s) each"
	rm -rf "$SMP_ROOT" && mkdir -p "$SMP_ROOT"
	cp -p "$BENCH_DIR/smp_bench" "$SMP_ROOT/"
	{ cat "$LINUX_INIT_CPIO" && (cd "$SMP_ROOT" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet); } >"$SMP_CPIO"
	for g in ours linux; do
		[ $g = ours ] && [ $OUR_OK = 0 ] && continue
		[ $g = linux ] && [ -z "$VMLINUX" ] && continue
		for ((r = 1; r <= SMP_RUNS; r++)); do
			for c in 1 2; do
				l=$(smp_run $g $c cpu 2)
				SMPLINE[$g.cpu$c]=$l
				SMPV[$g.cpu$c]+=" $(sed -n 's/.*secs=\([0-9.]*\).*/\1/p' <<<"$l" | grep . || echo NA)"
			done
			l=$(smp_run $g 2 pingpong 20000)
			SMPLINE[$g.pp]=$l
			SMPV[$g.pp]+=" $(sed -n 's/.*ns_per_roundtrip=\([0-9.]*\).*/\1/p' <<<"$l" | grep . || echo NA)"
		done
	done
fi
smp_min() { # key
	# shellcheck disable=SC2086
	minimum ${SMPV[$1]:-NA}
}
smp_ratio() { # a b
	num "$1" && num "$2" && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' || echo NA
}

# --- (l) servers on 2 CPUs: nginx with 2 workers, a Go HTTP server with GOMAXPROCS=2 -----
# (h)'s method (net_setup, net_run: the catalogue rootfs, the user-mode
# network, tcprelay, wrk -t 2 -c 50), each guest with $SMPNET_CPUS CPUs:
# ours run.sh -c 2 (multi-threaded TCG), Linux -smp 2 (linux_cmd then asks
# for multi-threaded TCG too). nginx is apps/nginx (a master and 2 forked
# workers); the Go server is apps/server_go, given GOMAXPROCS=2 in both
# guests. Keys (NETCMD, NETVALS, NETMED...): <app>-c2.
SMPNET_APPS="nginx server_go" SMPNET_CPUS=2
SMPNET_KEYS="nginx-c$SMPNET_CPUS server_go-c$SMPNET_CPUS"
SMPNET_LOAD=n/a SMPNET_SECS=NA
declare -A SNEACH
smpnet_env() { # app -> the server's extra environment in both guests
	case $1 in server_go) echo "GOMAXPROCS=$SMPNET_CPUS" ;; esac
}
if [ "$NET_RUNS" -gt 0 ] && want l; then
	say "bench: (l) nginx (2 workers) and the Go server (GOMAXPROCS=$SMPNET_CPUS) on $SMPNET_CPUS CPUs through tcprelay, $NET_RUNS runs per guest, alternating"
	SMPNET_T0=$SECONDS
	SMPNET_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	net_prepare l wrk curl
	for app in $SMPNET_APPS; do
		# shellcheck disable=SC2046
		net_setup "$app" "$app-c$SMPNET_CPUS" "$SMPNET_CPUS" $(smpnet_env "$app")
	done
	declare -A snv
	for ((r = 1; r <= NET_RUNS; r++)); do
		for app in $SMPNET_APPS; do
			k=$app-c$SMPNET_CPUS
			for g in ours linux; do
				[ -n "${NETCMD[$k.$g]:-}" ] || continue
				net_run "$app" "$g" "$k"
				log "(l) run $r $k $g: $NET_A"
				snv[$k.$g]+=" $NET_A"
				# Each run: its figure, or NA:<what wrk measured all the same>.
				if [ "$NET_A" != NA ]; then
					SNEACH[$k.$g]+=" $NET_A"
				else
					SNEACH[$k.$g]+=" NA:$NET_RAW"
					NETNOTE[$k.$g]+="${NETNOTE[$k.$g]:+; }run $r: ${NET_WHY:-no figure}"
					say "run-bench: (l) $k $g run $r: ${NET_WHY:-no figure} (see build/bench/bench.log)"
				fi
			done
		done
	done
	for k in $SMPNET_KEYS; do
		for g in ours linux; do
			NETVALS[$k.$g]=${snv[$k.$g]:-}
			# shellcheck disable=SC2086
			NETMED[$k.$g]=$(median ${snv[$k.$g]:-NA})
			log "net $k $g:${snv[$k.$g]:-}"
		done
	done
	SMPNET_SECS=$((SECONDS - SMPNET_T0))
fi

# --- The KVM pass ---------------------------------------------------------------------------
KVM_REPORT=$BENCH_DIR/performance-kvm.md KVM_SUMMARY='' KVM_SECTIONS=''
for x in a e g h l; do want $x && KVM_SECTIONS+="${KVM_SECTIONS:+ }$x"; done
[ -n "$KVM_SECTIONS" ] || KVM_PASS=0
if [ $KVM_PASS = 1 ]; then
	say "bench: the KVM pass (BENCH_ACCEL=kvm, -cpu $KVM_CPU), sections $KVM_SECTIONS; log build/bench/bench-kvm.log"
	rm -f "$KVM_REPORT"
	BENCH_ACCEL=kvm BENCH_KVM_CPU=$KVM_CPU BENCH_ONLY=$KVM_SECTIONS BENCH_OUT=$KVM_REPORT \
		BENCH_PC_RUNS=0 bash "$0" >>"$LOG" 2>&1
	if [ -s "$KVM_REPORT" ]; then
		# Its rows of the sections it ran (the others are n/a there).
		KVM_SUMMARY=$(sed -n '/^## Summary/,/^## (a)/p' "$KVM_REPORT" | sed '1,2d;$d' |
			grep -vE '^\| (getppid|image size|smallest|thread switch|pthread_create)')
	else
		KVM_SUMMARY="The KVM pass wrote no report (see build/bench/bench-kvm.log)."
	fi
fi

# --- Targets and report --------------------------------------------------------------------
num() { [ "$1" != NA ] && [ -n "$1" ]; }
CT_RATIO=NA
num "${CTMED[runuk]}" && num "${CTMED[runc]}" &&
	CT_RATIO=$(awk -v a="${CTMED[runuk]}" -v b="${CTMED[runc]}" 'BEGIN {printf "%.1f", a / b}')
T_FLOOR=NA T_LINUX=NA T_SYS=NA T_IMG=NA T_MEM=NA
fo=${FIRST[microvm.ours]} ff=${FIRST[microvm.floor]} fl=${FIRST[microvm.linux]}
ABOVE=NA SPEEDUP=NA SYSRATIO=NA BOUND=NA
num "$ff" && num "$fl" && BOUND=$(awk -v a="$ff" -v b="$fl" 'BEGIN {printf "%.1f", b / a}')
if num "$fo" && num "$ff"; then
	ABOVE=$(awk -v a="$fo" -v b="$ff" 'BEGIN {printf "%+.0f", (a - b) * 1000}')
	T_FLOOR=$(verdict "$(awk -v a="$fo" -v b="$ff" 'BEGIN {print (a - b <= 0.030)}')")
fi
if num "$fo" && num "$fl"; then
	SPEEDUP=$(awk -v a="$fo" -v b="$fl" 'BEGIN {printf "%.1f", b / a}')
	T_LINUX=$(verdict "$(awk -v a="$fo" -v b="$fl" 'BEGIN {print (b / a >= 20)}')")
fi
if num "${SYS[ours]}" && num "${SYS[linux]}"; then
	SYSRATIO=$(awk -v a="${SYS[ours]}" -v b="${SYS[linux]}" 'BEGIN {printf "%.3f", a / b}')
	T_SYS=$(verdict "$(awk -v a="${SYS[ours]}" -v b="${SYS[linux]}" 'BEGIN {print (a <= b / 3)}')")
fi
IMG_KIB=NA
if num "$IMG_BYTES"; then
	IMG_KIB=$(awk -v b="$IMG_BYTES" 'BEGIN {printf "%.1f", b / 1024}')
	T_IMG=$(verdict "$(awk -v b="$IMG_BYTES" 'BEGIN {print (b < 1.5 * 1048576)}')")
fi
num "$RUNS_8" && T_MEM=$(verdict "$RUNS_8")
RTRATIO=NA CJRATIO=NA T_RT=NA T_CJ=NA
if num "${RT[ours]}" && num "${RT[linux]}"; then
	RTRATIO=$(awk -v a="${RT[ours]}" -v b="${RT[linux]}" 'BEGIN {printf "%.3f", a / b}')
	T_RT=$(verdict "$(awk -v a="${RT[ours]}" -v b="${RT[linux]}" 'BEGIN {print (a <= 0.5 * b)}')")
fi
if num "${CJ[ours]}" && num "${CJ[linux]}"; then
	CJRATIO=$(awk -v a="${CJ[ours]}" -v b="${CJ[linux]}" 'BEGIN {printf "%.3f", a / b}')
	T_CJ=$(verdict "$(awk -v a="${CJ[ours]}" -v b="${CJ[linux]}" 'BEGIN {print (a <= 0.5 * b)}')")
fi
for app in $APPS; do
	ARATIO[$app]=NA T_APP[$app]=NA
	ao=${AEXIT[$app.ours]:-NA} al=${AEXIT[$app.linux]:-NA}
	if num "$ao" && num "$al"; then
		ARATIO[$app]=$(awk -v a="$ao" -v b="$al" 'BEGIN {printf "%.2f", a / b}')
		T_APP[$app]=$(verdict "$(awk -v a="$ao" -v b="$al" 'BEGIN {print (a <= 0.5 * b)}')")
	fi
done
IOWRATIO=NA IORRATIO=NA T_IOW=NA T_IOR=NA
for g in $IO_GUESTS; do
	IOW[$g]=${IOW[$g]:-NA} IOR[$g]=${IOR[$g]:-NA} IOWMS[$g]=${IOWMS[$g]:-NA} IORMS[$g]=${IORMS[$g]:-NA}
done
if num "${IOW[ours9p]}" && num "${IOW[linux9p]}"; then
	IOWRATIO=$(awk -v a="${IOW[ours9p]}" -v b="${IOW[linux9p]}" 'BEGIN {printf "%.2f", a / b}')
	T_IOW=$(verdict "$(awk -v a="${IOW[ours9p]}" -v b="${IOW[linux9p]}" 'BEGIN {print (a >= b)}')")
fi
if num "${IOR[ours9p]}" && num "${IOR[linux9p]}"; then
	IORRATIO=$(awk -v a="${IOR[ours9p]}" -v b="${IOR[linux9p]}" 'BEGIN {printf "%.2f", a / b}')
	T_IOR=$(verdict "$(awk -v a="${IOR[ours9p]}" -v b="${IOR[linux9p]}" 'BEGIN {print (a >= b)}')")
fi
for w in $NET_WORKLOADS $SMPNET_KEYS; do
	NETRATIO[$w]=NA T_NET[$w]=NA
	for g in ours linux; do NETMED[$w.$g]=${NETMED[$w.$g]:-NA}; done
	if num "${NETMED[$w.ours]}" && num "${NETMED[$w.linux]}"; then
		NETRATIO[$w]=$(awk -v a="${NETMED[$w.ours]}" -v b="${NETMED[$w.linux]}" 'BEGIN {printf "%.2f", a / b}')
		T_NET[$w]=$(verdict "$(awk -v a="${NETMED[$w.ours]}" -v b="${NETMED[$w.linux]}" 'BEGIN {print (a >= 1.5 * b)}')")
	fi
done
na() { [ "$1" = NA ] && echo n/a || echo "$1"; }
mibs() { [ "$1" = NA ] && echo n/a || awk -v v="$1" 'BEGIN {printf "%.0f", v}'; }	# rounded
io_rows() {
	local g name
	for g in $IO_GUESTS; do
		case $g in
		ours9p) name="ours, 9p root (\`run.sh -r\`), /fileio.dat" ;;
		oursram) name="ours, initrd RAM root (\`run.sh -i -r\`), /tmp/fileio.dat" ;;
		linux9p) name="Linux $LINUX_VERSION, 9p share on /mnt, /mnt/fileio.dat" ;;
		esac
		echo "| $name | ${IONRUNS[$g]:-0} | $(mibs "${IOW[$g]}") | $(mibs "${IOR[$g]}") | $(mibs "${IOWMS[$g]}") | $(mibs "${IORMS[$g]}") |"
	done
}
io_notes() {
	local g
	for g in $IO_GUESTS; do
		[ -n "${IONOTE[$g]:-}" ] && printf '\n%s: %s.' "$g" "${IONOTE[$g]}"
	done
}

rps() { [ "$1" = NA ] && echo n/a || awk -v v="$1" 'BEGIN {printf "%.0f", v}'; }	# rounded
net_each() { # the runs' figures, rounded, comma-separated
	local v out=''
	for v in $1; do out+="${out:+, }$(rps "$v")"; done
	echo "${out:-n/a}"
}
net_rows() {
	local w name
	for w in $NET_WORKLOADS; do
		case $w in
		redis_set) name="redis SET (\`redis-benchmark -c 50\`)" ;;
		redis_get) name="redis GET (\`redis-benchmark -c 50\`)" ;;
		nginx_get) name="nginx GET /index.html (\`wrk -c 50\`)" ;;
		esac
		echo "| $name | $(rps "${NETMED[$w.ours]}") | $(rps "${NETMED[$w.linux]}") | $(na "${NETRATIO[$w]}") | $(na "${T_NET[$w]}") | $(net_each "${NETVALS[$w.ours]:-}") | $(net_each "${NETVALS[$w.linux]:-}") |"
	done
}
net_notes() {
	local k
	for k in redis nginx redis.ours redis.linux nginx.ours nginx.linux; do
		[ -n "${NETNOTE[$k]:-}" ] && printf '\n%s: %s.' "${k/./ }" "${NETNOTE[$k]}"
	done
}
smpnet_rows() {
	local app k name
	for app in $SMPNET_APPS; do
		k=$app-c$SMPNET_CPUS
		case $app in
		nginx) name="nginx, master + 2 workers, GET /index.html" ;;
		server_go) name="Go net/http server, GOMAXPROCS=$SMPNET_CPUS, GET /" ;;
		esac
		echo "| $name | $(rps "${NETMED[$k.ours]}") | $(rps "${NETMED[$k.linux]}") | $(na "${NETRATIO[$k]}") | $(na "${T_NET[$k]}") | $(smpnet_each "${SNEACH[$k.ours]:-}") | $(smpnet_each "${SNEACH[$k.linux]:-}") |"
	done
}
smpnet_each() { # the runs' figures, rounded; a run that does not count: n/a (wrk's figure)
	local v out=''
	for v in $1; do
		case $v in
		NA:) v=n/a ;;
		NA:*) v="n/a ($(rps "${v#NA:}"))" ;;
		*) v=$(rps "$v") ;;
		esac
		out+="${out:+, }$v"
	done
	echo "${out:-n/a}"
}
smpnet_notes() {
	local k g
	for k in $SMPNET_KEYS; do
		for g in '' .ours .linux; do
			[ -n "${NETNOTE[$k$g]:-}" ] && printf '\n%s: %s.' "${k%-c*}${g/./ }" "${NETNOTE[$k$g]}"
		done
	done
}
smpnet_cmds() {
	local k g name
	for k in $SMPNET_KEYS; do
		for g in ours linux; do
			case $g in ours) name=ours ;; linux) name=Linux ;; esac
			echo "- ${k%-c*}, $name: \`${NETSHOW[$k.$g]:-n/a}\`"
		done
	done
}
NET_INDEX_BYTES=$(stat -c %s "$TOP/build/apps/nginx/rootfs/www/index.html" 2>/dev/null || echo n/a)
NET_REDIS_TEXT=$(xargs printf '%s\n' <"$TOP/apps/redis/cmd" 2>/dev/null |
	while IFS= read -r w; do case $w in '') printf '"" ' ;; *) printf '%s ' "$w" ;; esac; done | sed 's/ $//')
NET_NGINX_TEXT=$(cat "$TOP/apps/nginx/cmd" 2>/dev/null)

app_rows() {
	local app g name runs
	for app in $APPS; do
		for g in ours linux; do
			case $g in
			ours) name="ours" ;;
			linux) name="Linux $LINUX_VERSION, /init runs it" ;;
			esac
			runs=$APP_RUNS
			[ "${AEXIT[$app.$g]:-NA}" = NA ] && runs=0
			echo "| $app | $name | $runs | $(na "${AFIRST[$app.$g]:-NA}") | $(na "${AEXIT[$app.$g]:-NA}") | $(na "${AEMIN[$app.$g]:-NA}") |"
		done
	done
}
app_notes() {
	local app
	for app in $APPS; do
		[ -n "${APPNOTE[$app]:-}" ] && printf '\n%s: %s.' "$app" "${APPNOTE[$app]}"
	done
}
kvm_note() {
	[ "$ACCEL" = tcg ] || return 0
	if [ $KVM_PASS = 1 ]; then
		printf '%s' " but the last section's, measured under KVM (-cpu $KVM_CPU)"
	elif [ -n "$KVM_WHY" ]; then
		printf '%s' " (KVM not measured: ${KVM_WHY#accelerator: })"
	fi
}
kvm_section() {
	[ $KVM_PASS = 1 ] || return 0
	cat <<EOF

## Under KVM

The same guests and commands as in sections $KVM_SECTIONS, run again under
KVM (\`-accel kvm -cpu $KVM_CPU\`, the model the probe boot found to work;
\`BENCH_ACCEL=kvm\`): its summary rows. Whole report:
\`build/bench/performance-kvm.md\`.

$KVM_SUMMARY
EOF
}
report() {
	cat <<EOF
# Performance

<!-- Written by \`make bench\` (bench/run-bench.sh); do not edit by hand. -->

Measured $DATE in one \`make bench\` run.

- QEMU: $QEMU_VERSION
- Accelerator: $ACCEL_NAME for every figure in this report$(kvm_note)
- Host CPU: $CPU_MODEL ($(nproc) CPUs, TSC $((TSC_KHZ / 1000)) MHz)
- Linux guest: Debian kernel $LINUX_VERSION
- Image: \`build/elfloader_kvm-x86_64\`

## Summary

| figure | ours | Linux | target | |
| --- | --- | --- | --- | --- |
| QEMU start to first line, microvm (median ms) | $(ms "$fo") | $(ms "$fl") | ≤ floor + 30 ms ($(ms "$ff") + 30); ≥ 20x sooner than Linux | $(na "$T_FLOOR"): $(na "$ABOVE") ms; $(na "$T_LINUX"): $(na "$SPEEDUP")x |
| getppid (guest instructions per call) | $(na "${SYS[ours]}") | $(na "${SYS[linux]}") | ≤ 1/3 of Linux | $(na "$T_SYS"): ratio $(na "$SYSRATIO") |
| image size | $(na "$IMG_BYTES") B ($(na "$IMG_KIB") KiB) | | < 1.5 MiB | $(na "$T_IMG") |
| smallest \`-m\` for hello world | $(na "$MIN_MEM") MiB | | runs in 8 MiB | $(na "$T_MEM") |
| QEMU start to exit, \`python3 -c 'print(1)'\`, microvm (median ms) | $(ms "${AEXIT[python.ours]:-NA}") | $(ms "${AEXIT[python.linux]:-NA}") | ≤ 0.5 × Linux | $(na "${T_APP[python]:-NA}"): ratio $(na "${ARATIO[python]:-NA}") |
| QEMU start to exit, sqlite3 10,000-row script, microvm (median ms) | $(ms "${AEXIT[sqlite3.ours]:-NA}") | $(ms "${AEXIT[sqlite3.linux]:-NA}") | ≤ 0.5 × Linux | $(na "${T_APP[sqlite3]:-NA}"): ratio $(na "${ARATIO[sqlite3]:-NA}") |
| thread switch: futex ping-pong round trip (guest instructions) | $(na "${RT[ours]}") | $(na "${RT[linux]}") | ≤ 0.5 × Linux | $(na "$T_RT"): ratio $(na "$RTRATIO") |
| pthread_create + pthread_join of an empty thread (guest instructions) | $(na "${CJ[ours]}") | $(na "${CJ[linux]}") | ≤ 0.5 × Linux | $(na "$T_CJ"): ratio $(na "$CJRATIO") |
| write a $IO_MIB MiB file, 1 MiB chunks + fsync, microvm (median MiB/s) | 9p $(mibs "${IOW[ours9p]}"); initrd RAM $(mibs "${IOW[oursram]}") | 9p $(mibs "${IOW[linux9p]}") | 9p ≥ 1.0 × Linux 9p | $(na "$T_IOW"): ratio $(na "$IOWRATIO") |
| read it back, 1 MiB reads, microvm (median MiB/s) | 9p $(mibs "${IOR[ours9p]}"); initrd RAM $(mibs "${IOR[oursram]}") | 9p $(mibs "${IOR[linux9p]}") | 9p ≥ 1.0 × Linux 9p | $(na "$T_IOR"): ratio $(na "$IORRATIO") |
| redis SET, 50 connections, user-mode network, microvm (median requests/s) | $(rps "${NETMED[redis_set.ours]}") | $(rps "${NETMED[redis_set.linux]}") | ≥ 1.5 × Linux | $(na "${T_NET[redis_set]}"): ratio $(na "${NETRATIO[redis_set]}") |
| redis GET, 50 connections, user-mode network, microvm (median requests/s) | $(rps "${NETMED[redis_get.ours]}") | $(rps "${NETMED[redis_get.linux]}") | ≥ 1.5 × Linux | $(na "${T_NET[redis_get]}"): ratio $(na "${NETRATIO[redis_get]}") |
| nginx GET of a small file, 50 connections, user-mode network, microvm (median requests/s) | $(rps "${NETMED[nginx_get.ours]}") | $(rps "${NETMED[nginx_get.linux]}") | ≥ 1.5 × Linux | $(na "${T_NET[nginx_get]}"): ratio $(na "${NETRATIO[nginx_get]}") |
| nginx (master + 2 workers) GET of a small file at 2 CPUs, 50 connections, user-mode network, microvm (median requests/s) | $(rps "${NETMED[nginx-c2.ours]:-NA}") | $(rps "${NETMED[nginx-c2.linux]:-NA}") | ≥ 1.5 × Linux | $(na "${T_NET[nginx-c2]:-NA}"): ratio $(na "${NETRATIO[nginx-c2]:-NA}") |
| Go HTTP server (GOMAXPROCS=2) GET at 2 CPUs, 50 connections, user-mode network, microvm (median requests/s) | $(rps "${NETMED[server_go-c2.ours]:-NA}") | $(rps "${NETMED[server_go-c2.linux]:-NA}") | ≥ 1.5 × Linux | $(na "${T_NET[server_go-c2]:-NA}"): ratio $(na "${NETRATIO[server_go-c2]:-NA}") |
| \`podman run\` of a hello image to its line (median ms; Linux column: runc, no VM) | $(ms "${CTMED[runuk]}") | $(ms "${CTMED[runc]}") | none: reported | ratio $(na "$CT_RATIO") |

## (a) QEMU start to the program's first output line

Seconds from launching QEMU to the arrival of the guest program's first
line on the serial port (median and fastest of the runs; last column: to
QEMU's exit). Host load average when the bench started: $LOAD0 (on $(nproc)
CPUs; other work on the host slows every guest alike, the floor included).
No guest can beat the floor, so on microvm no guest can be more than
Linux/floor = $(na "$BOUND")x sooner than Linux here; ours is $(na "$SPEEDUP")x.

| machine | guest | runs | first line, median (s) | first line, min (s) | QEMU exit, median (s) |
| --- | --- | --- | --- | --- | --- |
EOF
	for m in "${MACHINES[@]}"; do
		local runs=$RUNS
		[ "$m" = pc ] && runs=$PC_RUNS
		for g in $GUESTS; do
			local name
			case $g in
			floor) name="floor (prints one line, halts)" ;;
			ours) name="ours (static-PIE hello world)" ;;
			runsh) name="ours, whole \`run.sh\` (bash, ukconsole relay)" ;;
			linux) name="Linux $LINUX_VERSION, /init runs hello world" ;;
			esac
			echo "| $m | $name | $runs | $(na "${FIRST[$m.$g]}") | $(na "${FMIN[$m.$g]}") | $(na "${EXIT[$m.$g]}") |"
		done
	done
	cat <<EOF

## (b) Cost of one getppid

Guest instructions per \`getppid\` (raw \`syscall\` instruction), booted with
\`-icount shift=0\` on microvm: $N calls, minus an empty loop of $N, the
minimum of 5 repetitions each.

- ours: $(na "${SYS[ours]}") (\`${SYSLINE[ours]:-n/a}\`; ${SYSSAME[ours]:-n/a})
- Linux: $(na "${SYS[linux]}") (\`${SYSLINE[linux]:-n/a}\`; ${SYSSAME[linux]:-n/a})
- ratio ours/Linux: $(na "$SYSRATIO")

## (c) Image size

\`build/elfloader_kvm-x86_64\`: $(na "$IMG_BYTES") bytes ($(na "$IMG_KIB") KiB).

## (d) Smallest memory

Smallest \`run.sh -m\` (MiB) with which hello world prints its line on
microvm (binary search over 2..64 MiB): $(na "$MIN_MEM"). Runs in 8 MiB:
$(case $RUNS_8 in 1) echo yes ;; 0) echo no ;; *) echo n/a ;; esac).

## (e) Apps: QEMU start to the program's end

Seconds from launching QEMU to its exit (and to the program's first output
line) for two dynamically linked Debian programs run from the app
catalogue's root file systems, on microvm with \`-cpu max\` and
$APP_MEM MiB in both guests (Linux needs more than 128 MiB to unpack
python's initramfs). $APP_RUNS timed runs per guest after one untimed
round, alternating python3 ours, python3 Linux, sqlite3 ours, sqlite3 Linux;
medians (and the fastest exit). Target: ours takes at most half Linux's time
to QEMU's exit. Host load average when (e) started: $LOAD_E.

- python: \`${APPTEXT[python]:-n/a}\` (rootfs: \`apps/python/build.sh\`,
  python3.11 with its standard library, ${APPSIZE[python]:-n/a})
- sqlite3: \`${APPTEXT[sqlite3]:-n/a}\`
  (rootfs: \`apps/sqlite3/build.sh\`, the sqlite3 shell, its libraries
  and \`apps/sqlite3/test.sql\`, which inserts 10,000 rows in one
  transaction and prints aggregates; ${APPSIZE[sqlite3]:-n/a})

| app | guest | runs | first line, median (s) | QEMU exit, median (s) | QEMU exit, min (s) |
| --- | --- | --- | --- | --- | --- |
$(app_rows)

Ratio ours/Linux of the QEMU exit medians (target ≤ 0.5):
python3 $(na "${ARATIO[python]:-NA}") ($(na "${T_APP[python]:-NA}")),
sqlite3 $(na "${ARATIO[sqlite3]:-NA}") ($(na "${T_APP[sqlite3]:-NA}")).$(app_notes)

## (f) Threads: a thread switch and a thread's life

Guest instructions, booted with \`-icount shift=0\` on microvm with one
vCPU in both guests (neither command passes \`-smp\`; the program reports
the CPUs it may run on: ours $(na "${THRCPUS[ours]}"), Linux
$(na "${THRCPUS[linux]}")), measured by \`bench/guest/threads_bench.c\`, the
same static-PIE glibc binary in both guests:

- round trip: the main thread and a second thread ping-pong over two futex
  words with raw \`syscall(SYS_futex)\` \`FUTEX_WAIT\`/\`FUTEX_WAKE\`
  (private): main stores the round's number in one word and wakes the
  partner, then waits on the other word until the partner has stored the
  same number there and woken it. On one CPU each round trip is two wakes,
  two waits and two thread switches. $RT_N round trips per timed loop.
- create+join: \`pthread_create\` of a thread that returns at once, then
  \`pthread_join\` (glibc as it is: its clone call, its stack cache, the
  join's wait on the exiting thread's tid futex). $CJ_N per timed loop.

Each loop is timed with \`rdtsc\` in the main thread after one untimed
warm-up pass, 5 times; the minimum over the 5, divided by the count, is the
per-operation figure (loop overhead included: a few instructions). Each
guest is booted twice; the figure is the smaller of the two boots'.

| | ours | Linux | ratio ours/Linux | target ≤ 0.5 |
| --- | --- | --- | --- | --- |
| futex ping-pong round trip | $(na "${RT[ours]}") | $(na "${RT[linux]}") | $(na "$RTRATIO") | $(na "$T_RT") |
| pthread_create + pthread_join | $(na "${CJ[ours]}") | $(na "${CJ[linux]}") | $(na "$CJRATIO") | $(na "$T_CJ") |

- ours: \`${THRLINE[ours]:-n/a}\` (${THRSAME[ours]:-n/a})
- Linux: \`${THRLINE[linux]:-n/a}\` (${THRSAME[linux]:-n/a})

## (g) File I/O: a $IO_MIB MiB file over 9p and in RAM

\`bench/guest/fileio_bench.c\` (static-PIE glibc, the same binary in both
guests) writes $IO_MIB MiB to a new file in 1 MiB \`write\`s, \`fsync\`s
and closes it, then opens it again and reads it back in 1 MiB \`read\`s
(checking each chunk's index), timing each phase, open to close, with
\`clock_gettime(CLOCK_MONOTONIC)\` in the guest; the file is then removed.
On microvm with \`-cpu max\` and $APP_MEM MiB in both guests; $IO_RUNS timed
runs per guest (each its own boot) after one untimed round, alternating
ours over 9p, ours in RAM, Linux over 9p; medians. Host load average when
(g) started: $IOLOAD.

- ours, 9p: \`run.sh -r\` shares the directory as the root over virtio-9p
  (a \`virtio-9p-device\`); the file is \`/fileio.dat\` there, on the
  host's ext4 through QEMU's 9p server.
- ours, RAM: \`run.sh -i -r\`: the same directory as a cpio initrd, the
  root in RAM; the file is \`/tmp/fileio.dat\`.
- Linux, 9p: the same \`-fsdev\` as ours (run.sh's) and a
  \`virtio-9p-device\` with \`mount_tag=share\`; \`/init\`
  (\`bench/guest/init.c\`, given \`9p=share:/mnt\` on the kernel command
  line) loads the Debian kernel's modules with \`finit_module\`, in
  dependency order from modules.dep (${IO_MODS:-n/a}), then mounts the
  share: \`mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 share
  /mnt\` (the kernel's default cache mode, none: no page cache for the
  file); the file is \`/mnt/fileio.dat\`. Its initramfs is
  linux-init.cpio with an archive of \`/fileio_bench\` and those modules
  appended.

| guest | runs | write, median (MiB/s) | read, median (MiB/s) | write, median (ms) | read, median (ms) |
| --- | --- | --- | --- | --- | --- |
$(io_rows)

Target: ours over 9p at least as fast as Linux over 9p. Ratio ours/Linux
of the 9p medians (MiB/s): write $(na "$IOWRATIO") ($(na "$T_IOW")), read
$(na "$IORRATIO") ($(na "$T_IOR")).$(io_notes)

- ours, 9p: \`${IOCMD_OURS9P:-n/a}\` (\`${IOLINE[ours9p]:-n/a}\`, last run)
- ours, RAM: \`${IOLINE[oursram]:-n/a}\` (last run)
- Linux, 9p: \`${IOCMD_LINUX9P:-n/a}\` (\`${IOLINE[linux9p]:-n/a}\`, last run)

## (h) Network throughput: redis and nginx behind QEMU's user-mode network

Requests per second served by two dynamically linked Debian servers from
the app catalogue's root file systems (\`build/apps/<app>/rootfs\`, built
by \`apps/<app>/build.sh\`), the clients on the host. Each guest runs on
microvm with \`-cpu max\` and $APP_MEM MiB and one \`virtio-net-device\` on
QEMU's user-mode network (the guest is 10.0.2.15), the host's
127.0.0.1:$(na "${NET_HPORT:-NA}") forwarded to the server's port. $NET_RUNS timed runs per
guest, each its own boot with a short warm-up first, alternating redis
ours, redis Linux, nginx ours, nginx Linux; medians. Target: ours serves
at least 1.5x the Linux guest's requests per second. Host load average
when (h) started: $NETLOAD; the section took $(na "$NET_SECS") s.

- redis: \`$NET_REDIS_TEXT\` (\`apps/redis/cmd\`); measured with
  \`redis-benchmark -p <relay> -n $REDIS_N -c 50 -t set,get -q\` (50
  connections, $REDIS_N SETs of one key, then $REDIS_N GETs of it, 3-byte
  values; SET and GET come from the same run), after 1000 of each as the
  warm-up.
- nginx: \`$NET_NGINX_TEXT\` (\`apps/nginx/cmd\`: a master and two
  forked workers in both guests, sendfile, no access log); measured with \`wrk -t 2 -c 50 -d ${WRK_SECS}s
  http://127.0.0.1:<relay>/index.html\` ($NET_INDEX_BYTES bytes), after 2 s of
  the same as the warm-up. A run with a "Socket errors" or "Non-2xx" line
  counts as n/a.

| workload | ours, median (requests/s) | Linux, median (requests/s) | ratio ours/Linux | target ≥ 1.5 | ours, each run | Linux, each run |
| --- | --- | --- | --- | --- | --- | --- |
$(net_rows)

The figures are the clients' own: redis-benchmark's and wrk's requests per
second over each run.$(net_notes)

- Relay: QEMU's user networking listens on a forwarded port with a backlog
  of 1, so 50 clients connecting at once overflow the host's accept queue
  and the dropped SYNs back off for 1, 3, 7... s, whatever the guest. The
  clients of both guests therefore connect to \`build/tools/tcprelay\`
  (\`tools/tcprelay.c\`) on another host port, which accepts with a large
  backlog and opens each connection to the forward one at a time, then
  passes the bytes unchanged: the same host-side hop for both guests.
- ours: \`run.sh -M microvm -m ${APP_MEM}M -i -n -p <port>:6379 -r
  build/apps/redis/rootfs ...\`, run as the captured QEMU command (redis;
  nginx likewise with port 8080):
  \`${NETCMD_OURS:-n/a}\`.
- Linux: the same \`-netdev\` and \`-device\` as ours (taken from that
  command) and an initramfs of run.sh's very archive of the rootfs with
  linux-init.cpio and an archive of the kernel's modules (${NET_MODS:-n/a},
  from /lib/modules, under the rootfs's /lib) appended. The kernel finds the
  virtio-mmio device in microvm's ACPI tables, as the 9p device in (g);
  \`/init\`, given \`net=$NET_GUEST_IP,$NET_GW\` on the kernel command line,
  loads the modules with \`finit_module\`, brings lo up, gives eth0 the
  address and netmask (\`SIOCSIFADDR\`, \`SIOCSIFNETMASK\`), brings it up
  (\`SIOCSIFFLAGS\`), adds a default route via $NET_GW (\`SIOCADDRT\`) and
  runs the server:
  \`${NETCMD_LINUX:-n/a}\`.
- Each run: boot the guest; poll the forward until the server answers one
  request (\`redis-cli PING\`, or \`curl\` of /index.html; up to 60 s);
  start the relay; warm up and measure through it; stop the relay and QEMU
  (SIGTERM). Client, relay and QEMU share the host's $(nproc) CPUs.

## (i) Processes

\`bench/guest/proc_bench.c\` (static-PIE glibc, the same binary in both
guests, from the same root: itself, the static hello world and busybox as
/bin/sh, seq and wc; ours \`run.sh -i -r\`, Linux that root appended to
linux-init.cpio), on microvm with \`-cpu max\` and $PROC_MEM MiB, booted
once under \`-icount shift=0\` (guest instructions, the same from boot to
boot) and once without (nanoseconds from \`CLOCK_MONOTONIC\` in the
guest). Per operation, after one untimed warm-up: fork + \`_exit\` +
waitpid (200 times), posix_spawn of the hello (stdout to /dev/null) +
waitpid (50), the pipeline spawned through /bin/sh + waitpid (3), and one
fork of a process that has touched 256 MiB (its child \`_exit\`s once the
parent has read MemFree). Target: at most half of Linux's instructions.

Most of the pipeline's instructions are seq's and wc's own, in user mode
(formatting 10000 numbers with glibc's printf, counting the lines: 22.2
and 1.5 million instructions under valgrind on the host, the same under
any kernel). The row below the pipeline takes that part away, measured in
the same guest, 3 times each: \`sh -c 'seq 1 10000'\` less \`sh -c 'seq 1
1'\` (output to /dev/null), plus \`sh -c 'wc -l </numbers'\` (seq's output,
written by proc_bench first) less \`sh -c 'wc -l </dev/null'\`. What is
left is the kernel's work for the pipeline and the shell's own.

| operation | ours (instructions) | Linux (instructions) | ratio | ours (ns) | Linux (ns) | ratio | target ≤ 0.5 |
| --- | --- | --- | --- | --- | --- | --- | --- |
$(proc_rows)

Memory the fork of the 256 MiB process took while the child lived (the
drop of MemFree, kB): ours $(na "$(proc_median ours icount big_fork_kb)"),
Linux $(na "$(proc_median linux icount big_fork_kb)"): copy-on-write copies
page tables, not pages.${PROCNOTE:+ $PROCNOTE.}

- ours: \`${PROCLINE[ours.icount]:-n/a}\`
- Linux: \`${PROCLINE[linux.icount]:-n/a}\`

## (j) Container engines: \`podman run\` of a hello image, runuk beside runc

Seconds from launching \`podman run --rm --runtime RUNTIME --ulimit
nofile=1024:1024 --ulimit nproc=1024:1024 $CT_IMG\` to the arrival of
the program's line on podman's stdout, and to podman's exit, for our
runtime (\`build/tools/runuk\`: the program in the guest, QEMU under
run.sh) and for runc (the same program as a Linux process). The image is
\`FROM scratch\` with the hello world of (a) as /hello. $CT_RUNS timed runs
per runtime after one untimed round, alternating; medians. Podman's own
work (storage, the bridge network's namespace, conmon) is in both.${CT_WHY:+ Skipped: $CT_WHY.}

| runtime | runs | first line, median (s) | podman exit, median (s) | each run's first line (ms) |
| --- | --- | --- | --- | --- |
| runuk (ours) | $CT_RUNS | $(na "${CTMED[runuk]}") | $(na "${CTEXIT[runuk]}") | $(ct_each "${CTVALS[runuk]:-}") |
| runc | $CT_RUNS | $(na "${CTMED[runc]}") | $(na "${CTEXIT[runc]}") | $(ct_each "${CTVALS[runc]:-}") |

## (k) Several CPUs

\`bench/guest/smp_bench.c\` (static-PIE glibc) in both guests on microvm
with \`-cpu max\` ($MEM MiB; ours \`run.sh -c N\`, Linux \`-smp N\`; at 2
CPUs both with multi-threaded TCG, \`-accel tcg,thread=multi\`), wall-clock time in the guest, the
smallest of $SMP_RUNS boots. Two threads each computing 200 million LCG
steps, at 1 and at 2 CPUs (target for ours: at most 0.6 of the 1-CPU
time); and a futex word passed back and forth 20,000 times between two
threads pinned to CPUs 0 and 1 (mean round trip). The host's two cores
run the two vCPUs and QEMU's other threads.

| measure | ours | Linux | ours / Linux |
| --- | --- | --- | --- |
| 2 threads on 1 CPU (s) | $(na "$(smp_min ours.cpu1)") | $(na "$(smp_min linux.cpu1)") | $(na "$(smp_ratio "$(smp_min ours.cpu1)" "$(smp_min linux.cpu1)")") |
| 2 threads on 2 CPUs (s) | $(na "$(smp_min ours.cpu2)") | $(na "$(smp_min linux.cpu2)") | $(na "$(smp_ratio "$(smp_min ours.cpu2)" "$(smp_min linux.cpu2)")") |
| 2 CPUs over 1 (target ≤ 0.6) | $(na "$(smp_ratio "$(smp_min ours.cpu2)" "$(smp_min ours.cpu1)")") | $(na "$(smp_ratio "$(smp_min linux.cpu2)" "$(smp_min linux.cpu1)")") | |
| futex round trip across CPUs (ns) | $(na "$(smp_min ours.pp)") | $(na "$(smp_min linux.pp)") | $(na "$(smp_ratio "$(smp_min ours.pp)" "$(smp_min linux.pp)")") |

Servers on 2 CPUs (nginx with 2 workers, a Go HTTP server with
GOMAXPROCS=2): section (l).

- ours: \`${SMPLINE[ours.cpu2]:-n/a}\`, \`${SMPLINE[ours.pp]:-n/a}\`
- Linux: \`${SMPLINE[linux.cpu2]:-n/a}\`, \`${SMPLINE[linux.pp]:-n/a}\`

## (l) Servers on 2 CPUs: nginx with 2 workers, a Go HTTP server with GOMAXPROCS=2

Requests per second as in (h) (the same rootfs, network, relay, warm-up and
client: \`wrk -t 2 -c 50 -d ${WRK_SECS}s\` after 2 s of warm-up; a run with
a "Socket errors" or "Non-2xx" line counts as n/a, its requests per second
shown in brackets in the "each run" columns), with both guests on
microvm with \`-cpu max\`, $APP_MEM MiB and $SMPNET_CPUS CPUs, both under
multi-threaded TCG (\`-accel tcg,thread=multi\`): ours \`run.sh -c
$SMPNET_CPUS\`, Linux \`-smp $SMPNET_CPUS\`. $NET_RUNS timed runs per guest,
each its own boot, alternating nginx ours, nginx Linux, Go ours, Go Linux;
medians. Target: ours serves at least 1.5x the Linux guest's requests per
second. Host load average when (l) started: $SMPNET_LOAD; the section took
$(na "$SMPNET_SECS") s. The host's $(nproc) CPUs run the guest's vCPUs, QEMU's
I/O thread, the relay and wrk.

- nginx: \`$NET_NGINX_TEXT\` (\`apps/nginx/cmd\`: a master and two forked
  workers), GET /index.html ($NET_INDEX_BYTES bytes).
- Go: \`$(cat "$TOP/apps/server_go/cmd" 2>/dev/null)\` (\`apps/server_go\`: Go's
  net/http, linked with runtime/cgo), GET / (a 40-byte body), with
  GOMAXPROCS=$SMPNET_CPUS in its environment in both guests (ours \`run.sh -e\`,
  Linux on the kernel command line, which the kernel passes to /init).

| server | ours, median (requests/s) | Linux, median (requests/s) | ratio ours/Linux | target ≥ 1.5 | ours, each run | Linux, each run |
| --- | --- | --- | --- | --- | --- | --- |
$(smpnet_rows)

The figures are wrk's requests per second over each run.$(smpnet_notes)

Commands (run as in (h); the Linux initramfs is built the same way):

$(smpnet_cmds)

## Method

- Floor and Linux run under \`$QEMU ${COMMON[*]} -m $MEM\`; ours
  under the very command \`run.sh -M <machine> -m ${MEM}M\` runs (captured
  from run.sh; on microvm:
  \`${OURCMD[microvm]:-n/a}\`).
  Timed runs alternate floor, ours, ours through run.sh, Linux; one untimed
  round first warms the page cache. Medians are reported.
- Timestamps: \`bench/stamp.c\` launches QEMU with its stdout on a pipe,
  reads the serial output as it arrives and stamps each line with
  CLOCK_MONOTONIC relative to the moment before \`fork()\`. The figure is the
  stamp of the first line holding the program's output ("$HELLO_TEXT", or the
  floor guest's line). The "whole run.sh" row stamps run.sh's own stdout.
- Floor guest (\`bench/floor/\`): a 32-bit ELF with a PVH entry note that
  writes one line to COM1 and exits QEMU through \`isa-debug-exit\`: what
  QEMU itself costs to start and stop.
- Ours: hello world built from \`bench/guest/hello.c\` with
  \`gcc -static-pie\` (glibc), the only program in the initrd besides
  getppid_loop and threads_bench.
- Linux: the ELF \`vmlinux\` extracted from \`$VMLINUZ\` (as the kernel's
  scripts/extract-vmlinux does), booted through its PVH entry with
  \`-kernel vmlinux -initrd linux-initrd.cpio\` and
  \`-append "$LINUX_APPEND [tsc_early_khz=<host TSC kHz> on microvm] -- /hello"\`.
  Its \`/init\` (\`bench/guest/init.c\`) runs the same hello world binary
  via fork/execve/waitpid and powers off.
- getppid (\`bench/guest/getppid_loop.c\`, the same binary in both guests):
  with \`-icount shift=0\` the guest TSC advances by one per guest
  instruction, so \`rdtsc\` deltas are instruction counts, the same from
  boot to boot. Linux there gets \`tsc_early_khz=1000000\` and, like ours,
  \`-cpu max\` (in (a) it runs on QEMU's default CPU model, which boots it
  faster).
- Threads (f): the same method as getppid (\`-icount shift=0\`, rdtsc
  deltas are guest instruction counts, the same QEMU flags and
  \`-append\` for Linux), with \`bench/guest/threads_bench.c\`. Both
  guests get QEMU's default single vCPU. Instructions, not time: a guest
  instruction's cost under TCG varies (a page-table switch or a TLB flush
  is one instruction but costs the emulator more), so these count the
  work each kernel does, not the seconds QEMU spends on it.
- Apps (e): each rootfs is built by its catalogue recipe into
  \`build/bench/apps/<app>/rootfs\`. Ours boots it with \`run.sh -M microvm
  -m ${APP_MEM}M -r <rootfs>\`, timed as the captured QEMU command:
  \`${APPOURS:-n/a}\`.
  Linux's initramfs is the very archive run.sh made of that rootfs with a
  second newc archive appended (\`/init\`, \`/dev/console\`), which the
  kernel unpacks after the first; it boots with the same QEMU flags as in
  (a) plus \`-cpu max -m $APP_MEM\` and the environment ours gets
  (\`$APP_LINUX_ENV\`):
  \`${APPLINUX:-n/a}\`.
  A run counts only if the guest printed the program's expected output (its
  output on the host, chrooted into the same rootfs) in order, kernel
  messages aside; the "first line" is the stamp of its first line.
- Log of every command and stamped line: \`build/bench/bench.log\`.
$(kvm_section)
EOF
}

report >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
echo
sed -n '/^## Summary/,/^## (a)/p' "$OUT" | sed '$d'
sed -n '/^| machine/,/^$/p' "$OUT"
sed -n '/^| app/,/^$/p' "$OUT"
echo "bench: no guest can be more than Linux/floor = $(na "$BOUND")x sooner than Linux on microvm here"
echo "bench: getppid ours ${SYSLINE[ours]:-n/a} | Linux ${SYSLINE[linux]:-n/a}"
echo "bench: threads ours ${THRLINE[ours]:-n/a} | Linux ${THRLINE[linux]:-n/a}"
sed -n '/^| guest | runs | write/,/^$/p' "$OUT"
sed -n '/^| workload | ours, median/,/^$/p' "$OUT"
sed -n '/^| operation | ours (instructions)/,/^$/p' "$OUT"
sed -n '/^| server | ours, median/,/^$/p' "$OUT"
[ "$NET_SECS" != NA ] && echo "bench: (h) took $NET_SECS s"
[ "$SMPNET_SECS" != NA ] && echo "bench: (l) took $SMPNET_SECS s"
echo "bench: wrote ${OUT#"$TOP"/}"
exit 0
