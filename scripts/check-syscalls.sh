#!/bin/sh
# Checks that the syscalls defined with UK_SYSCALL_R_DEFINE in the objects
# are exactly those listed as UK_PROVIDED_SYSCALLS (name-number) in the
# enabled libraries' Makefile.uk files. Prints the agreed list on success.
nm=$1 listed=$2
shift 2
defined=$($nm -A "$@" 2>/dev/null | sed -n 's/^\([^:]*\):0*\([0-9a-f][0-9a-f]*\) [aA] uk_syscall_nr_\(.*\)$/\3 \2 \1/p' |
	while read -r name hex obj; do echo "$name-$(printf %d "0x${hex:-0}") $obj"; done)
status=0
for entry in $listed; do
	echo "$defined" | grep -q "^$entry " || {
		echo "error: UK_PROVIDED_SYSCALLS lists $entry, but no UK_SYSCALL_R_DEFINE of it is built" >&2
		status=1
	}
done
echo "$defined" | while read -r entry obj; do
	[ -n "$entry" ] || continue
	case " $listed " in
	*" $entry "*) ;;
	*) echo "error: $obj defines syscall $entry, but no Makefile.uk lists it in UK_PROVIDED_SYSCALLS" >&2
	   exit 1 ;;
	esac
done || status=1
[ $status = 0 ] && echo "$listed" | tr ' ' '\n'
exit $status
