#!/bin/sh
# Generates the syscall number and name tables from Linux's uapi header.
mode=$1 hdr=$2
echo "/* generated from $hdr; do not edit */"
echo "#pragma once"
case $mode in
nr)
	sed -n 's/^#define __NR_\([a-z0-9_]*\)[ \t]\+\([0-9]\+\)$/#define __NR_\1 \2/p' "$hdr" ;;
names)
	sed -n 's/^#define __NR_\([a-z0-9_]*\)[ \t]\+\([0-9]\+\)$/[\2] = "\1",/p' "$hdr" ;;
esac
