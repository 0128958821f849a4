// Hello world app in Go. Even this starts several OS threads (the runtime's
// sysmon, the GC workers...), so the guest needs clone and futexes for it.
package main

import "fmt"

func main() {
	fmt.Println("Hello, world!")
}
