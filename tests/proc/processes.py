# Python's ways of starting processes (tests/proc): subprocess.run and
# Popen with pipes, os.fork and os.waitpid, multiprocessing.Pool with the
# fork start method, concurrent.futures.ProcessPoolExecutor.
import concurrent.futures
import multiprocessing as mp
import os
import subprocess


def square(x):
    return x * x


def main():
    r = subprocess.run(["/bin/sh", "-c", "echo hi from sh; exit 3"],
                       capture_output=True, text=True)
    print("run:", r.returncode, repr(r.stdout))
    p = subprocess.Popen(["/bin/sh", "-c", "read x; echo got $x; echo err >&2"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = p.communicate("line\n")
    print("popen:", p.returncode, repr(out), repr(err))
    print("check_output:", subprocess.check_output(["/bin/sh", "-c", "echo $((6 * 7))"]))
    try:
        subprocess.run(["/nonexistent"])
    except FileNotFoundError as e:
        print("missing program:", e.errno)
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    print("fork/waitpid:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        print("pool:", pool.map(square, range(10)))
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        print("executor:", list(ex.map(square, range(5))))
    q = ctx.Queue()
    w = ctx.Process(target=q.put, args=("through a queue",))
    w.start()
    print("process:", q.get())
    w.join()
    print("exitcode:", w.exitcode)


if __name__ == "__main__":
    main()
