# Python threads and signals: 8 threading.Thread workers fed through a
# queue.Queue (results through a second queue), a Lock-protected counter,
# a Condition, an Event, threading.Timer; then signal.signal with
# os.kill(os.getpid(), SIGUSR1), and a signal arriving while the main thread
# waits. Deterministic stdout; exit 0 on success.
import os
import queue
import signal
import sys
import threading
import time

failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAILED:", what)


# 8 workers and a work queue
work, results = queue.Queue(), queue.Queue()


def worker(wid):
    while True:
        item = work.get()
        if item is None:
            work.task_done()
            return
        results.put((wid, item * item))
        work.task_done()


threads = [threading.Thread(target=worker, args=(i,), name="w%d" % i) for i in range(8)]
for t in threads:
    t.start()
for i in range(1, 1001):
    work.put(i)
for _ in threads:
    work.put(None)
work.join()
for t in threads:
    t.join()
total, n = 0, 0
while not results.empty():
    _, v = results.get()
    total += v
    n += 1
check(n == 1000 and total == 333833500, "queue results")
print("queue: 8 threads, %d items, sum %d" % (n, total))
print("threads alive after join:", sum(t.is_alive() for t in threads))

# Lock
lock = threading.Lock()
counter = 0


def bump():
    global counter
    for _ in range(2000):
        with lock:
            counter += 1


ts = [threading.Thread(target=bump) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
check(counter == 16000, "lock counter")
print("lock: counter", counter)

# Condition and Event
cond = threading.Condition()
items = []


def producer():
    for i in range(5):
        time.sleep(0.005)
        with cond:
            items.append(i)
            cond.notify()


p = threading.Thread(target=producer)
p.start()
got = []
with cond:
    while len(got) < 5:
        cond.wait_for(lambda: items)
        got.extend(items)
        items.clear()
p.join()
check(got == [0, 1, 2, 3, 4], "condition")
print("condition:", got)

ev = threading.Event()
threading.Timer(0.05, ev.set).start()
t0 = time.monotonic()
check(ev.wait(10), "event/timer")
check(time.monotonic() - t0 >= 0.04, "timer fired early")
check(not threading.Event().wait(0.05), "event timeout")
print("event: set by a Timer; timeout ok")

# thread-local data
local = threading.local()
local.v = "main"
seen = []


def tl(i):
    local.v = i
    time.sleep(0.001)
    seen.append(local.v == i)


ts = [threading.Thread(target=tl, args=(i,)) for i in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
check(all(seen) and len(seen) == 8 and local.v == "main", "threading.local")
print("local: 8 threads kept their own values")

# signals
caught = []


def handler(signum, frame):
    caught.append(signum)


signal.signal(signal.SIGUSR1, handler)
os.kill(os.getpid(), signal.SIGUSR1)
# the handler runs in the main thread at the next bytecode boundary
for _ in range(1000):
    if caught:
        break
    time.sleep(0.001)
check(caught == [signal.SIGUSR1], "SIGUSR1 handler")
print("signal: caught", signal.Signals(caught[0]).name if caught else None)

# a signal sent from another thread wakes the main thread's wait
caught.clear()
threading.Timer(0.05, os.kill, args=(os.getpid(), signal.SIGUSR1)).start()
t0 = time.monotonic()
while not caught and time.monotonic() - t0 < 10:
    time.sleep(0.01)
check(caught == [signal.SIGUSR1], "SIGUSR1 from a thread")
print("signal from a thread: caught", len(caught))

# alarm and SIGALRM
alarmed = []
signal.signal(signal.SIGALRM, lambda s, f: alarmed.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05)
t0 = time.monotonic()
while not alarmed and time.monotonic() - t0 < 10:
    time.sleep(0.01)
check(alarmed == [signal.SIGALRM], "setitimer")
print("setitimer: SIGALRM caught")

print("python threads ok" if failures == 0 else "python threads FAILED")
sys.exit(1 if failures else 0)
