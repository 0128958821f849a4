#!/usr/bin/env python3
"""The external judges' results: reads what one module printed natively and
in the guest (CPython's regrtest -v, or a Go test binary's -test.v), finds
each case's outcome, and compares the two.

  judge.py result JUDGE MODULE DIR   DIR/{native,guest}.{out,status}
      -> DIR/result.json: per case native and guest outcome, and for each
         case that passes natively but not in the guest, the reason
  judge.py check KNOWN DIR...        PASS/FAIL per module: every case that
      passes natively passes in the guest, but those KNOWN lists (a line
      "MODULE CASE  reason"); a known failure that passes is reported
  judge.py doc OUT DIR...            docs/compatibility.md from results
      (with tests/compat/notes.md, the causes explained by hand, before
      the list of cases)

An outcome is pass (ok, expected failure), fail (FAIL, ERROR, unexpected
success), skip, or missing (never reported: the run hung or died first).
The reason of a guest failure is read from the guest's output: the
exception or message the case failed with, the system call the kernel
logged as not implemented while it ran, or that the run was cut off in it.
"""
import json
import os
import re
import sys

STATUS_WORDS = re.compile(
    r"^(ok|FAIL|ERROR|expected failure|unexpected success|skipped\b.*)$")
# "name (module.Class.name)" with a subtest's " [msg] (params)" after it.
PY_START = re.compile(r"^(  )?(\w+) \(((?:[\w]+\.)+\w+)\)(.*)$")
# The kernel's and QEMU's complaints: at the start of a line, or after a
# regrtest case's " ... " (they interrupt its line).
KERNEL_NOTE = re.compile(r"(?:^|\.\.\. )(syscall: \S+ \(\d+\) not implemented|"
                         r"mmap: |9pfs: |qemu-system-\S+: |kernel fault|PANIC)")


def outcome_of(word):
    if word in ("ok", "expected failure"):
        return "pass"
    if word.startswith("skipped"):
        return "skip"
    return "fail"


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def parse_python(text, module):
    """Cases in order: {case: [outcome, detail]}, the case cut off (or
    None), kernel notes per case, and whether regrtest reached its end."""
    cases = {}
    notes = {}
    order = []
    pending = None          # the case whose status is still to come
    doc_wait = None         # a case whose docstring line carries " ... "
    last = None
    lines = text.splitlines()
    prefix = "test." + module + "."

    def key_of(ident):
        if ident.startswith(prefix):
            return ident[len(prefix):]
        if ident.startswith(module + "."):
            return ident[len(module) + 1:]
        return ident

    def record(case, word):
        o = outcome_of(word)
        prev = cases.get(case)
        # A failed subtest fails its case whatever the case says after.
        if prev and prev[0] == "fail" and prev[1] == "subtest":
            return
        cases[case] = [o, word]

    finished = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        k = KERNEL_NOTE.search(line)
        if k and (pending or last):
            notes.setdefault(pending or last, []).append(line.strip())
        if line.startswith("Ran ") and re.match(r"^Ran \d+ tests? in", line):
            finished = True
        if line.startswith("=" * 20):
            break           # the failures' tracebacks follow
        m = PY_START.match(line)
        if m and (m.group(3).startswith(prefix) or m.group(3).startswith("test.")):
            sub, case, rest = m.group(1), key_of(m.group(3)), m.group(4)
            if case not in cases and case not in order:
                order.append(case)
            last = case
            if " ... " in rest or rest.endswith(" ..."):
                word = rest.split(" ... ", 1)[1].strip() if " ... " in rest else ""
                if sub:
                    if STATUS_WORDS.match(word) and word in ("FAIL", "ERROR"):
                        cases[case] = ["fail", "subtest"]
                    continue
                if STATUS_WORDS.match(word):
                    record(case, word)
                    pending = None
                else:
                    pending = case
                doc_wait = None
            else:
                doc_wait = case     # "name (id)" then "docstring ... status"
            continue
        if doc_wait and " ... " in line:
            word = line.rsplit(" ... ", 1)[1].strip()
            if STATUS_WORDS.match(word):
                record(doc_wait, word)
                pending = None
            else:
                pending = doc_wait
            doc_wait = None
            continue
        if pending and STATUS_WORDS.match(line.strip()):
            record(pending, line.strip())
            pending = None
    # Tracebacks: "ERROR: name (id)" blocks, their last line the reason.
    reasons = {}
    block = None
    body = []

    def close():
        if block and block not in reasons:
            # regrtest's own stderr ("Warning -- ...") may cut a line of
            # the traceback in two: put it back together.
            joined = []
            glue = False
            for b in body:
                if glue and joined:
                    joined[-1] += b
                else:
                    joined.append(b)
                glue = "Warning -- " in joined[-1]
                if glue:
                    joined[-1] = joined[-1].split("Warning -- ", 1)[0]
            exc = [b for b in joined if b.strip() and not b.startswith("-" * 20)]
            reasons[block] = exc[-1].strip() if exc else ""

    for line in lines[i - 1:] if i else []:
        m = re.match(r"^(ERROR|FAIL|UNEXPECTED SUCCESS): (\w+) \(([\w.]+)\)", line)
        if m:
            close()
            block, body = key_of(m.group(3)), []
            continue
        if line.startswith("=" * 20) or re.match(r"^Ran \d+ tests? in", line):
            close()
            block, body = None, []
            if line.startswith("Ran "):
                finished = True
            continue
        if block:
            body.append(line)
    close()
    for case in order:
        if case not in cases:
            cases[case] = ["missing", ""]
    for case, r in reasons.items():
        if case in cases and cases[case][0] == "fail":
            cases[case][1] = r
        elif case not in cases:
            cases[case] = ["fail", r]
            order.append(case)
    cut = pending if not finished else None
    if not finished and not cut and order and cases[order[-1]][0] == "missing":
        cut = order[-1]
    return cases, notes, cut, finished


GO_RUN = re.compile(r"^=== (RUN|CONT|PAUSE)\s+(\S+)")
GO_END = re.compile(r"^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(")


def go_reason(log):
    """A failed Go test's reason from what it logged (t.Log, t.Error...):
    its first line, and when that only says a command failed ("exit
    status N", "failed:"), the first line of the command's output that
    says why."""
    lines = [x.strip() for x in log if x.strip()]
    if not lines:
        return ""
    r = lines[0]
    if re.search(r"exit status \d+$|failed:?$|output:?$", r):
        for x in lines[1:]:
            if x.startswith("#") or x.startswith("==="):
                continue
            if re.search(r"fail|error|not |denied|no such|unsupported|invalid",
                         x, re.I):
                return r + ": " + x
    return r


def parse_go(text, module):
    cases = {}
    notes = {}
    logs = {}               # test (or subtest) name -> lines it logged
    failed_subs = {}        # test -> its failed subtests
    running = []
    last = None
    lines = text.splitlines()
    finished = False
    for line in lines:
        k = KERNEL_NOTE.search(line)
        if k and last:
            notes.setdefault(last.split("/")[0], []).append(line.strip())
        m = GO_RUN.match(line)
        if m:
            name = m.group(2)
            top = name.split("/")[0]
            if m.group(1) != "PAUSE":
                last = name
            if top not in cases:
                cases[top] = ["missing", ""]
            if m.group(1) == "RUN" and "/" not in name:
                running.append(top)
            continue
        m = GO_END.match(line)
        if m:
            name = m.group(3)
            if "/" in name:
                top = name.split("/")[0]
                if m.group(2) == "FAIL":
                    failed_subs.setdefault(top, []).append(name)
                last = name     # its log may follow (parallel subtests)
                continue
            o = {"PASS": "pass", "FAIL": "fail", "SKIP": "skip"}[m.group(2)]
            prev = cases.get(name, ["missing", ""])[1]
            if o == "fail":
                detail = go_reason(logs.get(name, [])) or prev
            elif o == "skip":
                detail = "skipped: " + (go_reason(logs.get(name, [])) or "")
            else:
                detail = ""
            cases[name] = [o, detail]
            if name in running:
                running.remove(name)
            continue
        if line.startswith("    ") and last and line.strip():
            logs.setdefault(last, []).append(line)
            continue
        if line.startswith("panic: ") or line.startswith("fatal error: "):
            for r in running:
                if cases[r][0] == "missing":
                    cases[r][1] = line.strip()
        if line in ("PASS", "FAIL") or line.startswith("ok ") or line.startswith("FAIL\t"):
            finished = True
    for name, c in cases.items():
        if c[0] == "fail" and not c[1]:
            subs = failed_subs.get(name, [])
            if subs:
                why = go_reason(logs.get(subs[0], []))
                c[1] = "subtest %s%s" % (subs[0], ": " + why if why else "")
            else:
                c[1] = "failed"
    cut = None
    if not finished:
        for name, c in cases.items():
            if c[0] == "missing":
                cut = name
                break
        if running:
            cut = running[-1]
    return cases, notes, cut, finished


def status_text(st):
    st = st.strip()
    if st == "124" or st == "137":
        return "timeout"
    return st


def result(judge, module, d):
    parse = parse_python if judge == "python" else parse_go
    out = {}
    for side in ("native", "guest"):
        text = read(os.path.join(d, side + ".out"))
        st = status_text(read(os.path.join(d, side + ".status")) or "?")
        secs = read(os.path.join(d, side + ".secs")).strip()
        cases, notes, cut, finished = parse(text, module)
        out[side] = {"cases": cases, "notes": notes, "cut": cut,
                     "finished": finished, "status": st, "secs": secs}
    n, g = out["native"], out["guest"]
    diffs = {}
    for case, (o, detail) in n["cases"].items():
        if o != "pass":
            continue
        go = g["cases"].get(case, ["missing", ""])
        if go[0] == "pass":
            continue
        diffs[case] = reason_of(case, go, g)
    res = {
        "judge": judge, "module": module,
        "native": {"pass": count(n, "pass"), "fail": count(n, "fail"),
                   "skip": count(n, "skip"), "status": n["status"],
                   "secs": n["secs"], "finished": n["finished"]},
        "guest": {"pass": count(g, "pass"), "fail": count(g, "fail"),
                  "skip": count(g, "skip"), "status": g["status"],
                  "secs": g["secs"], "finished": g["finished"], "cut": g["cut"]},
        "native_pass": sum(1 for c in n["cases"].values() if c[0] == "pass"),
        "both_pass": sum(1 for c, v in n["cases"].items()
                         if v[0] == "pass" and g["cases"].get(c, [""])[0] == "pass"),
        "failures": diffs,
    }
    with open(os.path.join(d, "result.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    return res


def count(side, what):
    return sum(1 for c in side["cases"].values() if c[0] == what)


def reason_of(case, go, g):
    o, detail = go
    notes = g["notes"].get(case, [])
    kern = ""
    calls = [re.search(r"syscall: (\S+) \(", x).group(1) for x in notes
             if "not implemented" in x]
    if calls:
        kern = "; kernel: " + ", ".join(sorted(set(calls))) + " not implemented"
    elif notes:
        kern = "; kernel: " + notes[0][:120]
    if o == "missing":
        if g["cut"] == case:
            if g["status"] == "timeout":
                return "hangs (the run was cut off by the timeout in this case)" + kern
            return "the run died in this case (status %s)" % g["status"] + kern
        if not g["finished"]:
            return "not reached: the run %s in %s" % (
                "hung" if g["status"] == "timeout" else
                "died (status %s)" % g["status"], g["cut"] or "another case")
        return "not run in the guest" + kern
    if o == "skip":
        return detail.replace("skipped ", "skipped: ", 1) + kern
    return (detail or "failed") + kern


def load_known(path):
    known = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                parts = line.split(None, 2)
                if len(parts) < 3:
                    print("known-failures: a line without a reason: " + line,
                          file=sys.stderr)
                    continue
                known[(parts[0], parts[1])] = parts[2]
    except OSError:
        pass
    return known


def check(known_path, dirs):
    known = load_known(known_path)
    bad = 0
    for d in dirs:
        with open(os.path.join(d, "result.json")) as f:
            r = json.load(f)
        name = r["module"]
        unknown = {c: why for c, why in r["failures"].items()
                   if (name, c) not in known}
        passing_known = [c for (m, c) in known if m == name and c not in r["failures"]]
        summary = "%d of %d native passes pass in the guest" % (
            r["both_pass"], r["native_pass"])
        if r["native_pass"] == 0:
            print("FAIL %s (no case passed natively: status %s)" %
                  (name, r["native"]["status"]))
            bad += 1
        elif unknown:
            print("FAIL %s (%s; %d not in known-failures)" %
                  (name, summary, len(unknown)))
            for c, why in sorted(unknown.items())[:20]:
                print("    | %s: %s" % (c, why[:200]))
            bad += 1
        else:
            print("PASS %s (%s, %d known)" % (name, summary, len(r["failures"])))
        for c in passing_known:
            print("NOTE %s %s passes now: drop it from known-failures" % (name, c))
    return bad


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def doc(out_path, dirs):
    results = []
    for d in dirs:
        p = os.path.join(d, "result.json")
        if os.path.exists(p):
            with open(p) as f:
                results.append(json.load(f))
    by_judge = {"python": [], "go": []}
    for r in results:
        by_judge[r["judge"]].append(r)
    lines = []
    w = lines.append
    tn = sum(r["native_pass"] for r in results)
    tb = sum(r["both_pass"] for r in results)
    w("# Compatibility: CPython's and Go's own tests in the guest")
    w("")
    w("Written by `make compat` (tests/compat/run-compat.sh); do not edit by")
    w("hand. Each module of CPython 3.11's regression tests (Debian's")
    w("libpython3.11-testsuite, `python3 -m test -v MODULE`) and each Go 1.19")
    w("standard-library test binary (`go test -c`, CGO_ENABLED=0, run with")
    w("`-test.v -test.short` in its package folder) runs natively, in a")
    w("chroot of the judges' root (tests/compat/build-root.sh), and in the")
    w("guest over a 9p root of that same folder (`run.sh -r`), one after the")
    w("other, each under a timeout. A case counts when it passes (ok, or an")
    w("expected failure); a case skipped in the guest but not natively does")
    w("not count. Go cases are the top-level tests.")
    w("")
    w("**Overall: %d of %d cases that pass natively pass in the guest (%.1f%%).**"
      % (tb, tn, 100.0 * tb / tn if tn else 0))
    w("")
    ns = sum(int(r["native"]["secs"] or 0) for r in results)
    gs = sum(int(r["guest"]["secs"] or 0) for r in results)
    w("The modules' runs took %d s natively and %d s in the guest (%s)."
      % (ns, gs, os.environ.get("COMPAT_ACCEL", "accelerator not recorded")))
    w("The guest has %s CPU(s) and `-m %s`; the native runs see the host's %d."
      % (os.environ.get("COMPAT_CPUS", "2"), os.environ.get("COMPAT_MEM", "1G"),
         os.cpu_count() or 0))
    w("`make compat MODULES=\"test_os os/exec\"` runs some again and rewrites")
    w("this page from every module's last results; `make test` runs a quick")
    w("subset of them (tests/compat/test-judges.sh) against")
    w("tests/compat/known-failures.")
    w("")
    for judge, title in (("python", "CPython 3.11"), ("go", "Go 1.19")):
        rs = by_judge[judge]
        if not rs:
            continue
        jn = sum(r["native_pass"] for r in rs)
        jb = sum(r["both_pass"] for r in rs)
        w("## %s: %d of %d (%.1f%%)" % (title, jb, jn, 100.0 * jb / jn if jn else 0))
        w("")
        w("| module | native pass | guest pass | % | native fail/skip | guest fail/skip | guest run |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in rs:
            g = r["guest"]
            n = r["native"]
            run = "finished" if g["finished"] else (
                "**hangs** in %s" % g.get("cut") if g["status"] == "timeout"
                else "**ended** (status %s) in %s" % (g["status"], g.get("cut")))
            if g["finished"] and g["secs"]:
                run += " (%ss; native %ss)" % (g["secs"], n["secs"])
            pct = 100.0 * r["both_pass"] / r["native_pass"] if r["native_pass"] else 0
            w("| %s | %d | %d | %.0f | %d/%d | %d/%d | %s |" % (
                r["module"], r["native_pass"], r["both_pass"], pct,
                n["fail"], n["skip"], g["fail"], g["skip"], run))
        w("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            lines.extend(f.read().rstrip("\n").split("\n"))
        w("")
    w("## Cases that pass natively but not in the guest")
    w("")
    w("The reason is what the guest's run said: the exception or message the")
    w("case failed with, the system call the kernel logged as not implemented")
    w("while it ran, or that the run hung (the timeout cut it off) or died.")
    w("")
    for r in results:
        if not r["failures"]:
            continue
        w("### %s %s (%d)" % ("CPython" if r["judge"] == "python" else "Go",
                              r["module"], len(r["failures"])))
        w("")
        w("| case | reason |")
        w("| --- | --- |")
        for c, why in sorted(r["failures"].items()):
            w("| %s | %s |" % (md_escape(c), md_escape(why[:300])))
        w("")
    with open(out_path, "w") as f:
        f.write("\n".join(lines))
    print("compat: %d of %d native passes pass in the guest (%.1f%%): %s" %
          (tb, tn, 100.0 * tb / tn if tn else 0, out_path))


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "result":
        r = result(sys.argv[2], sys.argv[3], sys.argv[4])
        print("%s: native %d pass, guest %d of them" %
              (r["module"], r["native_pass"], r["both_pass"]))
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        return 1 if check(sys.argv[2], sys.argv[3:]) else 0
    if len(sys.argv) >= 3 and sys.argv[1] == "doc":
        doc(sys.argv[2], sys.argv[3:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
