#!/bin/sh
# Builds examples/cgo, a Go program importing bindings/go, with `go build`
# against the freshly built libworkspace.so (meson's uninstalled pkg-config
# file) and runs it: the Go control plane's view of the C ABI.
# Offline: no module proxy, caches under the build directory.
set -eu
src="$1"     # source root
build="$2"   # build root
out="$build/tests/capi/cgo"
mkdir -p "$out"
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GO111MODULE=on CGO_ENABLED=1
export GOCACHE="$out/gocache" GOPATH="$out/gopath"
export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cd "$src/examples/cgo"
go build -o "$out/cgo-example" .
LD_LIBRARY_PATH="$build/lib/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$out/cgo-example"
