// Rust threads: std::thread::spawn with Arc<Mutex<_>>, std::sync::mpsc
// channels (many producers, one consumer; a sync_channel rendezvous),
// RwLock, Condvar, Barrier, thread_local!, scoped threads' join values, and
// a panic in a thread caught at join. Deterministic stdout; exit 0 on
// success.
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

thread_local! {
    static TLS: Cell<u32> = Cell::new(7);
}

fn main() {
    let mut failures = 0;
    let mut check = |ok: bool, what: &str| {
        if !ok {
            failures += 1;
            println!("FAILED: {}", what);
        }
    };
    const N: u64 = 8;

    // Arc<Mutex<_>>
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..N)
        .map(|_| {
            let c = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..10000 {
                    *c.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let total = *counter.lock().unwrap();
    check(total == N * 10000, "mutex counter");
    println!("mutex: {} threads, counter {}", N, total);

    // mpsc: N producers, one consumer
    let (tx, rx) = mpsc::channel::<u64>();
    for i in 0..N {
        let tx = tx.clone();
        thread::spawn(move || {
            for k in 1..=100 {
                tx.send(i * 1000 + k).unwrap();
            }
        });
    }
    drop(tx);
    let (mut n, mut sum) = (0u64, 0u64);
    for v in rx {
        n += 1;
        sum += v;
    }
    check(n == N * 100, "mpsc count");
    println!("mpsc: {} messages, sum {}", n, sum);

    // sync_channel(0): a rendezvous, ping-pong
    let (ptx, prx) = mpsc::sync_channel::<u32>(0);
    let (qtx, qrx) = mpsc::sync_channel::<u32>(0);
    let pong = thread::spawn(move || {
        for v in prx {
            qtx.send(v + 1).unwrap();
        }
    });
    let mut v = 0;
    for _ in 0..100 {
        ptx.send(v).unwrap();
        v = qrx.recv().unwrap();
    }
    drop(ptx);
    pong.join().unwrap();
    check(v == 100, "ping-pong");
    println!("sync_channel: ping-pong to {}", v);

    // recv_timeout
    let (_ttx, trx) = mpsc::channel::<u32>();
    let t0 = Instant::now();
    let r = trx.recv_timeout(Duration::from_millis(50));
    check(r.is_err() && t0.elapsed() >= Duration::from_millis(45), "recv_timeout");
    println!("recv_timeout: timed out");

    // RwLock, Condvar, Barrier
    let data = Arc::new(RwLock::new(vec![0u32; 4]));
    let barrier = Arc::new(Barrier::new(N as usize));
    let leaders = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..N)
        .map(|i| {
            let d = Arc::clone(&data);
            let b = Arc::clone(&barrier);
            let l = Arc::clone(&leaders);
            thread::spawn(move || {
                d.write().unwrap()[(i % 4) as usize] += 1;
                if b.wait().is_leader() {
                    l.fetch_add(1, Ordering::SeqCst);
                }
                // past the barrier all writes are in
                d.read().unwrap().iter().sum::<u32>()
            })
        })
        .collect();
    let seen: Vec<u32> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    check(seen.iter().all(|&s| s == N as u32), "barrier/rwlock");
    check(leaders.load(Ordering::SeqCst) == 1, "one leader");
    println!("barrier+rwlock: every thread saw {}, {} leader", N, leaders.load(Ordering::SeqCst));

    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    let waker = thread::spawn(move || {
        thread::sleep(Duration::from_millis(20));
        let (m, cv) = &*pair2;
        *m.lock().unwrap() = true;
        cv.notify_all();
    });
    {
        let (m, cv) = &*pair;
        let mut ready = m.lock().unwrap();
        while !*ready {
            ready = cv.wait(ready).unwrap();
        }
    }
    waker.join().unwrap();
    println!("condvar: woken");

    // thread_local!
    TLS.with(|t| t.set(100));
    let tl: u32 = (0..N as u32)
        .map(|i| {
            thread::spawn(move || {
                let start = TLS.with(|t| t.get());
                TLS.with(|t| t.set(i));
                thread::yield_now();
                start * 100 + TLS.with(|t| t.get())
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .sum();
    let main_tls = TLS.with(|t| t.get());
    check(tl == 8 * 700 + 28 && main_tls == 100, "thread_local");
    println!("thread_local: sum {}, main {}", tl, main_tls);

    // a panicking thread: join returns Err
    std::panic::set_hook(Box::new(|_| {}));
    let r = thread::Builder::new()
        .name("panicker".into())
        .stack_size(256 * 1024)
        .spawn(|| panic!("boom"))
        .unwrap()
        .join();
    check(r.is_err(), "panic join");
    println!("panic in thread: caught at join");

    println!("{}", if failures == 0 { "rust threads ok" } else { "rust threads FAILED" });
    std::process::exit(if failures == 0 { 0 } else { 1 });
}
