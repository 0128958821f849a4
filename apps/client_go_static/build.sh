#!/usr/bin/env bash
# The Go program of apps/client_go/ built with CGO_ENABLED=0: a static non-PIE
# executable (ET_EXEC, no PT_INTERP), into the rootfs directory $1 as /client_go.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs golang-go
GO=/usr/bin/go
export GOCACHE=${GOCACHE:-$TOP/build/go-cache} GOPATH=${GOPATH:-$TOP/build/go-path}
export GOPROXY=off GOFLAGS='' GO111MODULE=on
(cd "$here/../client_go" && CGO_ENABLED=0 "$GO" build -trimpath -buildvcs=false \
	-o "$out/client_go" .)
if readelf -lW "$out/client_go" | grep -q 'program interpreter'; then
	echo "client_go_static: expected a static binary" >&2
	exit 1
fi
