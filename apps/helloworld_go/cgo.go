//go:build cgo

// With cgo, the binary links the cgo runtime: it is dynamically linked
// against glibc (PT_INTERP, libc.so.6) and the Go runtime makes its threads
// with pthread_create. A CGO_ENABLED=0 build leaves this file out.
package main

import _ "runtime/cgo"
