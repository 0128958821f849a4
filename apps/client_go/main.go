// A Go net/http client: usage: client_go HOST PORT [PATH]. Fetches
// http://HOST:PORT/PATH (no proxy), writes the body to stdout and the status
// to stderr; exits 0 on 200, 1 otherwise.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: client_go HOST PORT [PATH]")
		os.Exit(2)
	}
	path := "/"
	if len(os.Args) > 3 {
		path = os.Args[3]
	}
	url := "http://" + net.JoinHostPort(os.Args[1], os.Args[2]) + path
	c := &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
	}
	resp, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "client_go:", err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	fmt.Fprintln(os.Stderr, "client_go:", resp.Status)
	n, err := io.Copy(os.Stdout, resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, "client_go:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "client_go: %d body bytes\n", n)
	if resp.StatusCode != http.StatusOK {
		os.Exit(1)
	}
}
