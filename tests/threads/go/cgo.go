//go:build cgo

// With cgo (the default build when a C compiler is there), link the cgo
// runtime: the binary becomes dynamically linked against libc and the Go
// runtime starts its threads with pthread_create.
package main

import _ "runtime/cgo"
