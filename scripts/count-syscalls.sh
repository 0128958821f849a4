#!/bin/sh
# Counts the system calls the built kernel serves: the entries of the
# build's checked table ($BUILD/obj/syscalls.checked, written by
# scripts/check-syscalls.sh from the UK_SYSCALL_R_DEFINE objects), less
# the stubs, whose wrapper does nothing but return -ENOSYS (found in the
# image's code, so a stub cannot be miscounted by forgetting a list).
# usage: scripts/count-syscalls.sh [-v] [BUILD]
#   prints the count; -v also lists the calls, then the stubs as "stub: NAME".
set -eu
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-$top/build}}
table=$build/obj/syscalls.checked
image=$build/elfloader_kvm-x86_64.dbg
[ -s "$table" ] || { echo "count-syscalls: no $table (run make)" >&2; exit 1; }
[ -s "$image" ] || { echo "count-syscalls: no $image (run make)" >&2; exit 1; }
names=$(sed -n 's/^\([a-z0-9_]*\)-[0-9]*$/\1/p' "$table")
# One line per wrapper: its name, then its instructions, frame set-up,
# padding and CET markers left out. A stub is "mov $-38,%rax; ret".
stubs=$(objdump -d --no-show-raw-insn "$image" | awk '
	/^[0-9a-f]+ <uk_syscall_r_[a-z0-9_]*>:$/ {
		if (name != "") print name, body
		name = $2; sub(/^<uk_syscall_r_/, "", name); sub(/>:$/, "", name)
		body = ""; next
	}
	/^$/ { if (name != "") print name, body; name = ""; next }
	name != "" {
		sub(/^ *[0-9a-f]+:\t/, "")
		if ($0 ~ /^(nop|xchg +%ax,%ax|cs nop|data16|endbr64|push +%rbp|pop +%rbp|leave)/ ||
		    $0 ~ /^mov +%rsp,%rbp/)
			next
		gsub(/ +/, ""); body = body ";" $0
	}
	END { if (name != "") print name, body }' |
	awk '$2 ~ /^;mov\$0x(ffffffffffffffda|ffffffda),%(rax|eax);ret$/ { print $1 }')
count=0
for n in $names; do
	case " $(echo $stubs) " in
	*" $n "*) [ $verbose = 1 ] && echo "stub: $n" ;;
	*) count=$((count + 1)); [ $verbose = 1 ] && echo "$n" ;;
	esac
done
echo "$count"
