#!/usr/bin/env bash
# Copies a program, its ELF interpreter and its shared-library closure into a
# root file system directory, at the same paths and through the same symlinks
# as on this machine. The closure comes from tools/ldwalk, which reads the ELF
# files and never runs them (unlike ldd, which runs the program's loader).
set -eu
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case "${BUILD:-}" in
/*) ;;
*) BUILD=$TOP/build ;;
esac
LDWALK=$BUILD/tools/ldwalk
LDWALK_SRC=$TOP/tools/ldwalk.c
ELFCOMPAT=$BUILD/tools/elfcompat
ELFCOMPAT_SRC=$TOP/tools/elfcompat.c
SYSCALL_LIST=$BUILD/obj/syscalls.checked

usage() {
	cat >&2 <<USAGE
usage: extract.sh [-q] BINARY [DEST-ROOTFS]
Copies BINARY (to the same absolute path inside DEST-ROOTFS, unless it is
already inside it), its interpreter and every shared library it needs, with
the symlinks on the way (e.g. /lib -> usr/lib), into DEST-ROOTFS (default:
the current directory). Nothing is copied when a library is missing.
  -q  print nothing but errors and warnings
USAGE
	exit 2
}

die() {
	echo "extract: $*" >&2
	exit 1
}

warn() {
	echo "extract: warning: $*" >&2
}

quiet=
while getopts "qh" opt; do
	case $opt in
	q) quiet=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
bin=$1
dest=${2:-.}

[ -e "$bin" ] || die "$bin: no such file"
[ -f "$bin" ] || die "$bin: not a regular file"
[ -r "$bin" ] || die "$bin: not readable"

# ldwalk is built on demand with the Makefile's host flags; through a
# temporary name, so that concurrent extracts never run a half-written tool.
if [ ! -x "$LDWALK" ] || [ "$LDWALK_SRC" -nt "$LDWALK" ]; then
	mkdir -p "$(dirname "$LDWALK")"
	tmp=$LDWALK.tmp.$$
	# shellcheck disable=SC2086 # HOST_CFLAGS is a list of flags
	${HOST_CC:-gcc} ${HOST_CFLAGS:--O2 -g -Wall -Wextra -Werror -std=gnu11} \
		-o "$tmp" "$LDWALK_SRC" -lelf ||
		{ rm -f "$tmp"; die "cannot build $LDWALK (needs gcc and libelf-dev)"; }
	mv -f "$tmp" "$LDWALK"
fi

# The walk comes first: on a missing library or a bad input nothing is copied.
st=0
closure=$("$LDWALK" "$bin") || st=$?
if [ $st -ne 0 ]; then
	echo "extract: $bin: not extracted (see above); nothing copied" >&2
	exit $st
fi

mkdir -p "$dest" || die "$dest: cannot create"
dest=$(cd "$dest" && pwd -P)
[ "$dest" != / ] || die "refusing to extract into / (this machine's own root)"

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/${1#./}" ;;
	esac
}

# True when host path $1 (symlinks resolved) already lies inside the rootfs,
# as when a recipe builds the program straight into it: such files stay put.
inside_dest() {
	local r
	r=$(readlink -f -- "$1") || return 1
	case $r in
	"$dest" | "$dest"/*) return 0 ;;
	esac
	return 1
}

# Refuses to write below a symlink of the rootfs: every directory we write
# to is symlink-free on the host, so a symlink there in DEST is a layout of
# the user's that could point out of DEST (into this machine's /usr...).
check_dest_dir() {
	local dir=$1 p=
	local IFS=/
	for c in $dir; do
		[ -n "$c" ] || continue
		p=$p/$c
		[ -L "$dest$p" ] &&
			die "$dest$p is a symlink where $p is a directory on this machine; not writing through it"
	done
	return 0
}

n_files=0 n_links=0 n_present=0
declare -A done_paths=()	# host paths already handled by this run

# make_link HOSTPATH TARGET: the same symlink inside the rootfs.
make_link() {
	local d=$dest$1 parent
	[ -z "${done_paths[$1]:-}" ] || return 0
	done_paths[$1]=1
	parent=$(dirname "$1")
	check_dest_dir "$parent"
	if [ -L "$d" ]; then
		if [ "$(readlink "$d")" = "$2" ]; then
			n_present=$((n_present + 1))
		else
			warn "$d -> $(readlink "$d") kept (on this machine $1 -> $2)"
		fi
		return 0
	fi
	if [ -e "$d" ]; then
		warn "$d kept (on this machine $1 is a symlink to $2): paths through it may not resolve in the rootfs"
		return 0
	fi
	mkdir -p "$dest$parent"
	ln -s "$2" "$d"
	n_links=$((n_links + 1))
}

# copy_file HOSTPATH: a file at a symlink-free path, mode and times kept.
copy_file() {
	local d=$dest$1 parent
	[ -z "${done_paths[$1]:-}" ] || return 0
	done_paths[$1]=1
	parent=$(dirname "$1")
	check_dest_dir "$parent"
	if [ -f "$d" ] && [ ! -L "$d" ] && cmp -s "$1" "$d"; then
		n_present=$((n_present + 1))
		return 0
	fi
	[ -L "$d" ] && die "$d is a symlink where $1 is a file on this machine"
	mkdir -p "$dest$parent"
	cp -a -- "$1" "$d"
	n_files=$((n_files + 1))
}

# copy_path PATH: resolves PATH one component at a time as the kernel does,
# recreating every symlink met on the way (directory ones like /lib -> usr/lib
# included) and finally copying the file it leads to. The part resolved so
# far has no symlinks left, so a ".." there can be taken off lexically.
copy_path() {
	local rest=${1#/} resolved='' comp cur target hops=0
	while [ -n "$rest" ]; do
		comp=${rest%%/*}
		if [[ $rest == */* ]]; then rest=${rest#*/}; else rest=; fi
		case $comp in
		'' | .) continue ;;
		..)
			resolved=${resolved%/*}
			continue
			;;
		esac
		cur=$resolved/$comp
		if [ -L "$cur" ]; then
			hops=$((hops + 1))
			[ $hops -le 40 ] || die "$1: too many levels of symbolic links"
			target=$(readlink -- "$cur")
			make_link "$cur" "$target"
			case $target in
			/*)
				resolved=
				rest=${target#/}${rest:+/$rest}
				;;
			*) rest=$target${rest:+/$rest} ;;
			esac
			continue
		fi
		[ -e "$cur" ] || die "$1: $cur does not exist"
		resolved=$cur
	done
	[ -f "$resolved" ] || die "$1: $resolved is not a regular file"
	copy_file "$resolved"
}

exe='' interp='' nlibs=0 nkept=0
paths=() elfs=()
while IFS= read -r line; do
	kind=${line%% *}
	path=$(abspath "${line#* }")
	case $kind in
	exe) exe=$path ;;
	interp) interp=$path ;;
	lib | libconf) nlibs=$((nlibs + 1)) ;;
	conf) ;;
	*) die "unexpected line from ldwalk: $line" ;;
	esac
	[ "$kind" = conf ] || elfs+=("$path")
	if inside_dest "$path"; then
		nkept=$((nkept + 1))
		continue
	fi
	paths+=("$path")
done <<<"$closure"

for p in "${paths[@]}"; do
	copy_path "$p"
done

# --- elfcompat hook -------------------------------------------------------
# tools/elfcompat on the program and its closure ("${elfs[@]}", the files
# ldwalk listed) warns about system calls the unikernel does not provide.
# Warnings only: the copy above stays as it is, and a missing tool or list
# of provided calls only skips the check.
compat_check() {
	local out st=0 missing
	if [ ! -x "$ELFCOMPAT" ] || [ "$ELFCOMPAT_SRC" -nt "$ELFCOMPAT" ]; then
		local tmp=$ELFCOMPAT.tmp.$$
		mkdir -p "$(dirname "$ELFCOMPAT")"
		# shellcheck disable=SC2086 # HOST_CFLAGS is a list of flags
		if ! ${HOST_CC:-gcc} ${HOST_CFLAGS:--O2 -g -Wall -Wextra -Werror -std=gnu11} \
			-o "$tmp" "$ELFCOMPAT_SRC" -lelf -lZydis 2>/dev/null; then
			rm -f "$tmp"
			warn "system calls not checked: cannot build $ELFCOMPAT (needs libelf-dev and libzydis-dev)"
			return 0
		fi
		mv -f "$tmp" "$ELFCOMPAT"
	fi
	if [ ! -f "$SYSCALL_LIST" ]; then
		warn "system calls not checked: no $SYSCALL_LIST (build the kernel first)"
		return 0
	fi
	out=$("$ELFCOMPAT" -q -k "$SYSCALL_LIST" -n "${elfs[@]}" 2>&1) || st=$?
	case $st in
	0 | 1) ;;
	*)
		warn "system calls not checked: elfcompat failed: $(printf '%s\n' "$out" | tail -n 1)"
		return 0
		;;
	esac
	missing=$(printf '%s\n' "$out" | awk '$1 == "MISSING" { printf "%s%s(%s)", n++ ? " " : "", $3, $2 }')
	if [ -n "$missing" ]; then
		warn "$exe: $(printf '%s\n' "$out" | grep -c '^MISSING') system calls made in the program" \
			"or its libraries are not provided by the unikernel (details: $ELFCOMPAT $exe):"
		printf '%s\n' "$missing" | fold -s -w 96 | sed 's/ *$//; s/^/extract:   /' >&2
	fi
	printf '%s\n' "$out" | grep -v '^MISSING' | while IFS= read -r l; do
		[ -z "$l" ] || warn "$exe: $l"
	done
	return 0
}
compat_check
# --------------------------------------------------------------------------

if [ -z "$quiet" ]; then
	what="$nlibs librar$([ "$nlibs" = 1 ] && echo y || echo ies)"
	if [ -n "$interp" ]; then
		what="interpreter $interp, $what"
	else
		what="no interpreter, $what"
	fi
	[ $nkept -eq 0 ] || what="$what ($nkept already inside the rootfs, left in place)"
	echo "extract: $exe -> $dest: $what;" \
		"$n_files files and $n_links symlinks copied, $n_present already there"
fi
