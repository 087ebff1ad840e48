#!/usr/bin/env python3
"""Summary of make bench: reads the hyperfine JSON files tests/bench/run.sh wrote
in DIR and prints a Markdown table of time ratios (to native, and sysfault to
strace), the memory and CPU placement figures and the goals; writes the same to
DIR/summary.md and DIR/summary.json.  Ratios only: absolute times from a shared
machine mean little (they stay in the hyperfine files).
    python3 tests/bench/summary.py build/bench
"""
import datetime
import json
import math
import os
import platform
import subprocess
import sys

RUNNERS = ["native", "sysfault seccomp", "sysfault ptrace", "strace -f", "strace -f --seccomp-bpf"]
BPF = "strace -f --seccomp-bpf"
WORKLOADS = [
    ("a-getppid", "(a) 20k getppid, getppid selected"),
    ("a-fileset", "(a) 20k getppid, file set selected"),
    ("b-unrelated", "(b) 20k getppid, unrelated selected"),
    ("c-unrelated", "(c) tar /usr/include, unrelated selected"),
    ("c-fileset", "(c) tar /usr/include, file set selected"),
    ("d-true-unrelated", "(d) 200 x /bin/true, unrelated selected"),
    ("d-gcc-unrelated", "(d) gcc small.c, unrelated selected"),
    ("e-gzip-check-unrelated", "(e) {suite} make check, unrelated selected"),
    ("f-path", "(f) 20k openat, path= one file (tracer) / strace -P"),
    ("f-fd", "(f) 20k openat, fd=3 (BPF) / strace -P on fd 3's file"),
    ("f-args", "(f) 20k openat, args=arg1 == 3 (BPF) / strace -P on fd 3's file"),
]
# Goals of the issue: seccomp engine against native with an unrelated rule,
# and against strace --seccomp-bpf with the same selected calls.
GOAL_NATIVE = ["b-unrelated", "c-unrelated", "d-true-unrelated", "d-gcc-unrelated",
               "e-gzip-check-unrelated"]
GOAL_BPF = ["a-getppid", "a-fileset", "c-fileset", "f-path", "f-fd", "f-args"]
GOAL_MEM_MIB = 8.0


def load(path):
    with open(path) as f:
        return json.load(f)


def ratio(a, b):
    """a/b with its standard deviation, from the two means and stddevs."""
    if not a or not b or not b["mean"]:
        return None
    r = a["mean"] / b["mean"]
    sa = (a.get("stddev") or 0) / a["mean"]
    sb = (b.get("stddev") or 0) / b["mean"]
    return {"ratio": r, "sd": r * math.sqrt(sa * sa + sb * sb)}


def fmt(r, sd=True):
    if r is None:
        return "n/a"
    return "%.2f ±%.2f" % (r["ratio"], r["sd"]) if sd else "%.2f" % r["ratio"]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def cmd_out(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    suite = "gzip"
    if os.path.exists(os.path.join(d, "suite.txt")):
        suite = open(os.path.join(d, "suite.txt")).read().strip()
    machine = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": platform.release(),
        "os": os_name(),
        "strace": cmd_out("strace", "-V"),
        "hyperfine": cmd_out("hyperfine", "--version"),
        "sysfault": cmd_out("git", "describe", "--always", "--dirty"),
    }
    out = {"machine": machine, "suite": suite, "workloads": [], "goals": []}
    lines = ["# sysfault benchmark", "",
             "%s; %s CPUs, %s; %s, Linux %s; %s; %s; sysfault %s." % (
                 machine["date"], machine["nproc"], machine["cpu"], machine["os"],
                 machine["kernel"], machine["strace"], machine["hyperfine"], machine["sysfault"]),
             "",
             "Mean wall time of each runner divided by native's (first columns) and "
             "sysfault's divided by `strace -f --seccomp-bpf`'s (last columns), "
             "± one standard deviation; one run of `make bench` on a shared machine. "
             "Rule: `-e inject=SET:error=EIO:when=65535` (never reached: every selected "
             "call stops the tracer and runs); file set = openat,read,write,newfstatat; "
             "unrelated = fsync.", "",
             "| workload | seccomp/native | ptrace/native | strace/native | strace-bpf/native "
             "| seccomp/strace-bpf | ptrace/strace-bpf | seccomp/strace | runs |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    by_name = {}
    for name, label in WORKLOADS:
        path = os.path.join(d, name + ".json")
        if not os.path.exists(path):
            continue
        res = {r["command"]: r for r in load(path)["results"]}
        nat, bpf, st = res.get("native"), res.get(BPF), res.get("strace -f")
        w = {"name": name, "label": label.format(suite=suite), "runners": {}}
        rule = os.path.join(d, name + ".rule")
        if os.path.exists(rule):
            w["rule"] = open(rule).read().strip()
        for runner in RUNNERS:
            r = res.get(runner)
            if not r:
                continue
            w["runners"][runner] = {
                "mean_s": r["mean"], "stddev_s": r.get("stddev"), "runs": len(r.get("times", [])),
                "to_native": ratio(r, nat), "to_strace_bpf": ratio(r, bpf),
                "to_strace": ratio(r, st)}
        by_name[name] = w
        out["workloads"].append(w)
        g = lambda runner, key: (w["runners"].get(runner) or {}).get(key)
        runs = "/".join(str(w["runners"][r]["runs"]) for r in RUNNERS if r in w["runners"])
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            w["label"], fmt(g("sysfault seccomp", "to_native")), fmt(g("sysfault ptrace", "to_native")),
            fmt(g("strace -f", "to_native")), fmt(g(BPF, "to_native")),
            fmt(g("sysfault seccomp", "to_strace_bpf")), fmt(g("sysfault ptrace", "to_strace_bpf")),
            fmt(g("sysfault seccomp", "to_strace")), runs))
    lines += ["", "runs: native/seccomp/ptrace/strace/strace-bpf. Workload (e): %s's own test "
              "suite (`make check` without list-big), built from the Debian source package." % suite,
              "", "Workload (f) (tests/bench/filters.sh): `open_many` opens and closes 20k "
              "different files, writing a byte to fd 1 and one to fd 3 after each; its rule "
              "is the one in the row (`path=` fails the one open of one file; `fd=3` and "
              "`args` never inject and select the 20k writes to fd 3), and strace selects "
              "the same calls with `-P` that file and `-e trace=openat` or `write`."]

    # Goals.
    lines += ["", "## Goals", "", "| goal | workload | figure | met |", "| --- | --- | ---: | --- |"]

    def goal(text, wname, r, limit):
        if r is None:
            return
        met = r["ratio"] <= limit
        out["goals"].append({"goal": text, "workload": wname, "ratio": r["ratio"], "sd": r["sd"],
                             "limit": limit, "met": met})
        lines.append("| %s | %s | %s | %s |" % (text, wname, fmt(r), "yes" if met else "**no**"))

    for wname in GOAL_NATIVE:
        w = by_name.get(wname)
        if w and "sysfault seccomp" in w["runners"]:
            goal("seccomp/native <= 1.05", wname, w["runners"]["sysfault seccomp"]["to_native"], 1.05)
    for wname in GOAL_BPF:
        w = by_name.get(wname)
        if w and "sysfault seccomp" in w["runners"]:
            goal("seccomp/strace-bpf <= 0.5", wname, w["runners"]["sysfault seccomp"]["to_strace_bpf"], 0.5)

    mem_path = os.path.join(d, "memory.json")
    if os.path.exists(mem_path):
        mem = load(mem_path)
        out["memory"] = mem
        lines += ["", "## Tracer memory", "",
                  "Peak RSS (VmHWM) of the sysfault process while `fanout` holds 1000 live "
                  "children blocked in read(2), with `read` selected.", "",
                  "| engine | live children | VmHWM | VmRSS | exit | <= 8 MiB |",
                  "| --- | ---: | ---: | ---: | ---: | --- |"]
        for m in mem:
            hwm = m.get("vmhwm_kib")
            ok = hwm is not None and hwm / 1024 <= GOAL_MEM_MIB
            out["goals"].append({"goal": "tracer VmHWM <= 8 MiB, 1000 processes",
                                 "workload": "fanout --engine " + m["engine"],
                                 "mib": hwm / 1024 if hwm else None, "limit": GOAL_MEM_MIB, "met": ok})
            lines.append("| %s | %s | %s | %s | %s | %s |" % (
                m["engine"], m.get("live_children"),
                "%.1f MiB" % (hwm / 1024) if hwm else "n/a",
                "%.1f MiB" % (m["vmrss_kib"] / 1024) if m.get("vmrss_kib") else "n/a",
                m.get("exit"), "yes" if ok else "**no**"))

    place_loads = [("idle", "idle"), ("neighbour", "a CPU-bound neighbour on the last CPU"),
                   ("free-neighbour", "a CPU-bound neighbour the scheduler may move")]
    place_runners = [("taskset", "taskset / unpinned"), ("default placement", "default / unpinned"),
                     ("default placement, no cgroup", "default without cgroup / unpinned")]
    place_rows = [("a-getppid", "seccomp"), ("a-getppid", "ptrace"), ("d-true", "seccomp"),
                  ("parallel-gcc", "seccomp")]
    if any(os.path.exists(os.path.join(d, "placement-%s.json" % l)) for l, _ in place_loads):
        out["placement"] = {}
        lines += ["", "## CPU placement (informational)", "",
                  "Time divided by the same engine unpinned (`SYSFAULT_PIN=0`), under each load: "
                  "(a) one thread stopping at 20k calls; (d) a shell running 200 `/bin/true` one "
                  "after another; two gcc at once. taskset: everything on the first CPU; default: "
                  "the run's cgroup; without cgroup: `SYSFAULT_PIN=nocgroup` (the tasks' run delay).", "",
                  "| load | workload | engine | " + " | ".join(h for _, h in place_runners) + " |",
                  "| --- | --- | --- |" + " ---: |" * len(place_runners)]
        for load_name, load_text in place_loads:
            path = os.path.join(d, "placement-%s.json" % load_name)
            if not os.path.exists(path):
                continue
            res = {r["command"]: r for r in load(path)["results"]}
            for label, engine in place_rows:
                key = "%s %s " % (label, engine)
                base = res.get(key + "unpinned")
                if not base:
                    continue
                figures = {}
                for runner, _ in place_runners:
                    match = [r for c, r in res.items() if c.startswith(key + runner)
                             and (runner != "default placement" or c == key + runner)]
                    figures[runner] = ratio(match[0] if match else None, base)
                out["placement"]["%s %s %s" % (load_name, label, engine)] = figures
                lines.append("| %s | %s | %s | %s |" % (load_text, label, engine,
                                                      " | ".join(fmt(figures[r]) for r, _ in place_runners)))
        shares_path = os.path.join(d, "placement-shares.txt")
        if os.path.exists(shares_path):
            lines += ["", "What `-v` said the default placement saw, one run each:", "",
                      "| load | workload | SYSFAULT_PIN | placement |", "| --- | --- | --- | --- |"]
            with open(shares_path) as f:
                for row in f:
                    parts = row.rstrip("\n").split("\t")
                    if len(parts) == 4:
                        lines.append("| %s | %s | %s | %s |" % tuple(parts))

    ex_path = os.path.join(d, "explore.json")
    if os.path.exists(ex_path):
        res = {r["command"]: r for r in load(ex_path)["results"]}
        with open(os.path.join(d, "explore.points")) as f:
            points = int(f.read())
        j1, j2 = res.get("explore -j1"), res.get("explore -j2")
        speedup = ratio(j1, j2)
        per_point = {}
        for base in ("native", "sysfault run"):
            if j1 and res.get(base):
                per_point[base] = j1["mean"] / points / res[base]["mean"]
        ceiling = ratio(res.get("native x220 serial"), res.get("native x220 two streams"))
        out["explore"] = {"points": points, "j1_over_j2": speedup, "per_point_over": per_point,
                          "native_serial_over_two_streams": ceiling}
        lines += ["", "## explore campaign", "",
                  "%d failure points (`dd` making 300 one-byte writes, the first 220 selected)." % points, "",
                  "| figure | value |", "| --- | ---: |",
                  "| -j1 time / -j2 time (goal >= 1.8 on 2 cores) | %s |" % fmt(speedup),
                  "| the same 220 native runs: serial time / two parallel streams (this machine's ceiling) | %s |" % fmt(ceiling),
                  "| -j1 time per point / native run of the command | %.2f |" % per_point.get("native", float("nan")),
                  "| -j1 time per point / `sysfault run` of the command | %.2f |" % per_point.get("sysfault run", float("nan"))]

    iso_path = os.path.join(d, "isolation.json")
    if os.path.exists(iso_path):
        res = {r["command"]: r for r in load(iso_path)["results"]}
        with open(os.path.join(d, "isolation.points")) as f:
            runs = int(f.read()) + 1   # the points and the clean run
        load_lines = open(os.path.join(d, "isolation.load")).read().split("\n")
        per_run = {}
        for j in ("-j1", "-j2"):
            iso, shared = res.get("dd explore " + j), res.get("dd explore %s --no-isolate" % j)
            if iso and shared:
                per_run[j] = {"ms_per_run": (iso["mean"] - shared["mean"]) / runs * 1000,
                              "isolated_over_shared": ratio(iso, shared)}
        stateful = ratio(res.get("stateful explore -j1"), res.get("stateful explore -j2"))
        out["isolation"] = {"runs": runs, "per_run": per_run, "stateful_j1_over_j2": stateful,
                            "load": [l for l in load_lines if l.strip()]}
        lines += ["", "## explore isolation", "",
                  "The dd campaign's first %d points (%d runs) with each run in its sandbox "
                  "(the default) and with `--no-isolate`; the stateful target's campaign "
                  "(tests/targets/stateful.c), -j1 against -j2. Load: %s" % (
                      runs - 1, runs, " / ".join(l.split("load average:")[-1].strip()
                                                 for l in load_lines if l.strip())), "",
                  "| figure | value |", "| --- | ---: |"]
        for j, v in per_run.items():
            lines.append("| %s: wall time the sandbox adds per run (ms) | %.2f |" % (j, v["ms_per_run"]))
            lines.append("| %s: isolated time / --no-isolate time | %s |" % (j, fmt(v["isolated_over_shared"])))
        lines.append("| stateful: -j1 time / -j2 time | %s |" % fmt(stateful))

    notify_path = os.path.join(d, "notify.txt")
    if os.path.exists(notify_path):
        notify = [l.rstrip("\n") for l in open(notify_path) if l.startswith("notify: ")]
        out["notify"] = notify
        lines += ["", "## notify engine (tests/bench/notify.sh)", "",
                  "20k getppid selected and never injected, then injected at every call, under "
                  "`--engine notify`, `--engine seccomp` and `strace -f --seccomp-bpf`, idle and "
                  "with a CPU-bound neighbour on CPU 1; `make -B -j2` of a generated C project "
                  "with openat,read,write,close selected. Mean time ratios from one run.", "", "```"]
        lines += [l[len("notify: "):] for l in notify] + ["```"]

    text = "\n".join(lines) + "\n"
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
