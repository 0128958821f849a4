#!/usr/bin/env bash
# The Go hello world as a dynamically linked program: Debian's Go with cgo
# (cgo.go links runtime/cgo), so the binary has a PT_INTERP and needs
# libc.so.6, copied into the rootfs directory $1 with the loader.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs golang-go gcc libc6-dev
# Debian's go (not some other go on PATH); caches under build/, no module
# downloads, no VCS stamping (the repo's git state would change the binary).
GO=/usr/bin/go
export GOCACHE=${GOCACHE:-$TOP/build/go-cache} GOPATH=${GOPATH:-$TOP/build/go-path}
export GOPROXY=off GOFLAGS='' GO111MODULE=on
(cd "$here" && CGO_ENABLED=1 "$GO" build -trimpath -buildvcs=false \
	-o "$out/helloworld_go" .)
readelf -lW "$out/helloworld_go" | grep -q 'program interpreter' || {
	echo "helloworld_go: expected a dynamically linked binary (cgo)" >&2
	exit 1
}
extract "$out/helloworld_go"
