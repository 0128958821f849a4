// A Go net/http server: GET / answers a fixed body. usage: server_go [ADDR]
// (default ":8080").
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

const body = "hello from go net/http on the unikernel\n"

func main() {
	addr := ":8080"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	})
	log.Printf("server_go: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
