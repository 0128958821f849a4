#!/bin/sh
# Turns a Kconfig .config into a C header of CONFIG_ macros.
echo "/* generated from $1; do not edit */"
echo "#pragma once"
sed -n \
	-e 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/#define \1 1/p' \
	-e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(".*"\)$/#define \1 \2/p' \
	-e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(-\{0,1\}[0-9][0-9a-fA-Fx]*\)$/#define \1 \2/p' \
	"$1"
