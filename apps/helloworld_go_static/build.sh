#!/usr/bin/env bash
# The Go hello world (apps/helloworld_go/) built with CGO_ENABLED=0: a static
# non-PIE executable (ET_EXEC, no PT_INTERP) whose runtime makes its threads
# with raw clone system calls, into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs golang-go
GO=/usr/bin/go
export GOCACHE=${GOCACHE:-$TOP/build/go-cache} GOPATH=${GOPATH:-$TOP/build/go-path}
export GOPROXY=off GOFLAGS='' GO111MODULE=on
(cd "$here/../helloworld_go" && CGO_ENABLED=0 "$GO" build -trimpath -buildvcs=false \
	-o "$out/helloworld_go_static" .)
if readelf -lW "$out/helloworld_go_static" | grep -q 'program interpreter'; then
	echo "helloworld_go_static: expected a static binary" >&2
	exit 1
fi
