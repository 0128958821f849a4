// Go runtime on several OS threads: GOMAXPROCS(4), goroutines exchanging
// over channels (unbuffered and buffered, select with a timeout),
// time.Sleep and timers, sync.WaitGroup and sync.Mutex, a runtime.GC()
// loop while goroutines allocate, goroutines locked to their own OS thread
// (runtime.LockOSThread, distinct thread ids), and os/signal catching a
// SIGUSR1 the program sends itself. Deterministic stdout; exit 0 on success.
//
// Built twice: CGO_ENABLED=0 gives a static non-PIE binary whose runtime
// makes threads with clone itself; the default build links cgo.go's
// runtime/cgo, so the binary is dynamic (libc) and threads come from
// pthread_create.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

var failures int

func check(ok bool, what string) {
	if !ok {
		failures++
		fmt.Println("FAILED:", what)
	}
}

func main() {
	prev := runtime.GOMAXPROCS(4)
	_ = prev
	fmt.Println("GOMAXPROCS", runtime.GOMAXPROCS(0))

	// channels: a pipeline of goroutines
	src := make(chan int)
	sq := make(chan int, 16)
	go func() {
		for i := 1; i <= 1000; i++ {
			src <- i
		}
		close(src)
	}()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range src {
				sq <- v * v
			}
		}()
	}
	go func() { wg.Wait(); close(sq) }()
	sum := 0
	for v := range sq {
		sum += v
	}
	check(sum == 333833500, "pipeline sum")
	fmt.Println("channels: sum of squares 1..1000 =", sum)

	// WaitGroup + Mutex across 16 goroutines
	var mu sync.Mutex
	counter := 0
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
				if i%1000 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	check(counter == 80000, "mutex counter")
	fmt.Println("waitgroup+mutex: counter", counter)

	// time.Sleep in many goroutines at once, and select with a timeout
	start := time.Now()
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			time.Sleep(time.Duration(20+d) * time.Millisecond)
		}(g)
	}
	wg.Wait()
	el := time.Since(start)
	check(el >= 29*time.Millisecond && el < 5*time.Second, fmt.Sprint("sleep took ", el))
	never := make(chan int)
	select {
	case <-never:
		check(false, "select on a silent channel")
	case <-time.After(30 * time.Millisecond):
	}
	tk := time.NewTicker(5 * time.Millisecond)
	for i := 0; i < 5; i++ {
		<-tk.C
	}
	tk.Stop()
	fmt.Println("time: sleeps, timeout and ticker ok")

	// LockOSThread: goroutines pinned to distinct OS threads
	tids := make(chan int, 4)
	release := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			runtime.LockOSThread()
			tids <- syscall.Gettid()
			<-release
			runtime.UnlockOSThread()
		}()
	}
	seen := map[int]bool{}
	for g := 0; g < 4; g++ {
		seen[<-tids] = true
	}
	close(release)
	check(len(seen) == 4, "distinct thread ids")
	fmt.Println("LockOSThread: 4 goroutines on", len(seen), "distinct threads")

	// the GC while goroutines allocate
	stop := make(chan struct{})
	var allocs sync.WaitGroup
	for g := 0; g < 4; g++ {
		allocs.Add(1)
		go func(seed int) {
			defer allocs.Done()
			var keep [][]byte
			for {
				select {
				case <-stop:
					return
				default:
				}
				b := make([]byte, 1024+seed)
				b[0] = byte(seed)
				keep = append(keep, b)
				if len(keep) > 256 {
					keep = keep[:0]
				}
			}
		}(g)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc0 := ms.NumGC
	for i := 0; i < 20; i++ {
		runtime.GC()
	}
	close(stop)
	allocs.Wait()
	runtime.ReadMemStats(&ms)
	check(ms.NumGC-gc0 >= 20, "GC count")
	fmt.Println("gc: 20 collections while 4 goroutines allocate")

	// os/signal: SIGUSR1 sent to ourselves
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	check(syscall.Kill(os.Getpid(), syscall.SIGUSR1) == nil, "kill")
	select {
	case s := <-sigs:
		check(s == syscall.SIGUSR1, "signal value")
		fmt.Println("signal: caught", s)
	case <-time.After(10 * time.Second):
		check(false, "no SIGUSR1 within 10 s")
	}
	signal.Stop(sigs)

	if failures == 0 {
		fmt.Println("go threads ok")
	} else {
		fmt.Println("go threads FAILED")
		os.Exit(1)
	}
}
