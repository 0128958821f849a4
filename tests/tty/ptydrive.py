"""Runs a command on a new pseudo-terminal and plays a script against
its output, as a person at a terminal would: each step waits for a text
to appear (after the previous step's), then types its keys.

usage: ptydrive.py TIMEOUT SCRIPT -- COMMAND...
SCRIPT: steps separated by '||', each WAITFOR=>KEYS, with \\r, \\x03 (^C),
\\x04 (^D) escapes in KEYS. Prints the output (CR LF as LF) and then
"status N" (128+N for death by signal N); exit 0 unless it timed out."""
import os, pty, select, signal, sys, time

timeout = float(sys.argv[1])
steps = [s.split("=>", 1) for s in sys.argv[2].split("||") if s]
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    # A shell without job control starts background commands with SIGINT
    # and SIGQUIT ignored, and that is inherited: a person's terminal
    # program starts with them at their defaults.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    os.execvp(cmd[0], cmd)
out, seen, end = b"", 0, time.time() + timeout
while time.time() < end:
    if steps:
        want, keys = steps[0]
        pos = out.find(want.encode(), seen)
        if pos >= 0:
            time.sleep(0.5)  # let the program reach its wait
            os.write(fd, keys.encode().decode("unicode_escape").encode("latin-1"))
            seen = pos + len(want)
            steps.pop(0)
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            d = os.read(fd, 4096)
        except OSError:
            break
        if not d:
            break
        out += d
timed_out = time.time() >= end
if timed_out:
    os.kill(pid, 9)
_, st = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(st)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("\nstatus", 128 - code if code < 0 else code)
sys.exit(1 if timed_out else 0)
