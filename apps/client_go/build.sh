#!/usr/bin/env bash
# The Go program in this folder as a dynamically linked program (cgo.go
# links runtime/cgo, so it needs libc.so.6 and the loader, copied with it),
# into the rootfs directory $1 as /client_go.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs golang-go gcc libc6-dev
# Debian's go; caches under build/, no module downloads, no VCS stamping.
GO=/usr/bin/go
export GOCACHE=${GOCACHE:-$TOP/build/go-cache} GOPATH=${GOPATH:-$TOP/build/go-path}
export GOPROXY=off GOFLAGS='' GO111MODULE=on
(cd "$here" && CGO_ENABLED=1 "$GO" build -trimpath -buildvcs=false \
	-o "$out/client_go" .)
readelf -lW "$out/client_go" | grep -q 'program interpreter' || {
	echo "client_go: expected a dynamically linked binary (cgo)" >&2
	exit 1
}
extract "$out/client_go"
