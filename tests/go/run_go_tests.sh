#!/bin/sh
# The Go package bindings/go against the freshly built libworkspace.so,
# found through meson's uninstalled pkg-config file: `go vet`, then
# `go test -race` (which also runs README's Go example, readme_test.go).
# Offline: no module proxy, no toolchain download, caches under the build
# directory. A missing Go fails: ./run installs golang-go.
set -eu
src="$1"     # source root
build="$2"   # build root
command -v go >/dev/null 2>&1 || { echo "go is not installed: ./run install (Debian golang-go)" >&2; exit 1; }
export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GO111MODULE=on CGO_ENABLED=1
export GOCACHE="$build/tests/go/gocache" GOPATH="$build/tests/go/gopath"
export WS_SOURCE_ROOT="$src" WS_BUILD_ROOT="$build"
cd "$src/bindings/go"
go vet ./...
go test -race -count=1 ./...
