//go:build cgo

// With cgo the binary links the cgo runtime: dynamically linked against
// glibc (PT_INTERP, libc.so.6). A CGO_ENABLED=0 build leaves this file out.
package main

import _ "runtime/cgo"
