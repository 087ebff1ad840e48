#!/bin/bash
# make bench, the notify rows: what a selected call costs when the seccomp
# listener answers it (--engine notify) against a ptrace stop (--engine
# seccomp) and strace -f --seccomp-bpf, all in one hyperfine run so that
# only the ratios are compared:
#   getppid         20 000 getppid, selected and never injected
#                   (when=65535), and injected at every call (error=EIO)
#   getppid-loaded  the same with a CPU-bound neighbour on CPU 1
#                   (taskset -c 1 sh -c 'while :; do :; done')
#   make            make -B -j2 of a generated C project of $files files
#                   (tests/bench/notify.sh makes it once in $BENCH_OUT/tmp),
#                   openat,read,write,close selected, never injected
# and in each getppid row, the kernel's notification round trip alone
# (listener_floor.c, the floor no supervisor gets under).
# Run by run.sh; alone (BENCH_OUT and BENCH_QUICK as for run.sh):
#   bash tests/bench/notify.sh SYSFAULT
# Writes $BENCH_OUT/notify-{getppid,getppid-loaded,make}.json (hyperfine),
# notify.load (uptime around each row) and notify.txt (the ratios).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: notify.sh SYSFAULT}"
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=2 max_runs=3 make_runs=2 files=40
else
	warmup=2 min_runs=10 max_runs=30 make_runs=5 files=120
fi

bench_build getppid_loop tests/bench/getppid_loop.c -std=gnu11 -O2 -Wall -Wextra
bench_build listener_floor tests/bench/listener_floor.c -std=gnu11 -O2 -Wall -Wextra -pthread
loop=$bin/getppid_loop

# sysfault and strace with the same rule; every runner gets a name the summary looks up.
runners() {   # SET RULE_SUFFIX LABEL COMMAND
	local set=$1 rule="inject=$1:error=EIO$2" label=$3 cmd=$4
	printf '%s\0' \
		-n "notify $label" "$sysfault run --engine notify --summary none -e $rule -- $cmd" \
		-n "seccomp $label" "$sysfault run --engine seccomp --summary none -e $rule -- $cmd" \
		-n "strace-bpf $label" "strace -f --seccomp-bpf -qq -o /dev/null -e trace=$set -e $rule $cmd"
}

getppid_row() {   # NAME
	local -a cmds
	mapfile -d '' cmds < <(runners getppid :when=65535 "not injected" "$loop"; runners getppid "" "injected" "$loop")
	uptime | sed "s/^/$1 before: /" >> "$out/notify.load"
	hyperfine -N --style basic --warmup "$warmup" --min-runs "$min_runs" --max-runs "$max_runs" \
		--export-json "$out/notify-$1.json" -n native "$loop" "${cmds[@]}"
	# The kernel's round trip alone, under the same load (listener_floor.c).
	for _ in 1 2 3 4 5; do "$bin/listener_floor"; done > "$out/notify-$1.floor"
	uptime | sed "s/^/$1 after: /" >> "$out/notify.load"
}

rm -f "$out/notify.load"
say "notify: 20k getppid, selected (when=65535) and injected (every call)"
getppid_row getppid

say "notify: the same with a CPU-bound neighbour on CPU 1"
taskset -c 1 sh -c 'while :; do :; done' &
neighbour=$!
trap 'kill $neighbour 2>/dev/null || true' EXIT
getppid_row getppid-loaded
kill $neighbour
wait $neighbour 2>/dev/null || true
trap - EXIT

# A C project as a build system sees many: FILES sources with a few
# functions each, the same handful of system headers and one of its own.
project=$tmp/many-c-$files
if [ ! -e "$project/Makefile" ]; then
	rm -rf "$project" && mkdir -p "$project"
	printf '#include <stddef.h>\nint sum(const int *v, size_t n);\n' > "$project/common.h"
	for i in $(seq 1 "$files"); do
		cat > "$project/f$i.c" <<EOF
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
int f$i(int x)
{
	int v[16];
	for (int k = 0; k < 16; k++)
		v[k] = (x * $i + k) % 97;
	char buf[64];
	snprintf(buf, sizeof(buf), "%d", sum(v, 16));
	return (int)strlen(buf) + atoi(buf);
}
EOF
	done
	{
		printf '#include "common.h"\nint sum(const int *v, size_t n) { int s = 0; for (size_t i = 0; i < n; i++) s += v[i]; return s; }\n'
		for i in $(seq 1 "$files"); do printf 'int f%d(int);\n' "$i"; done
		printf 'int main(void) { int s = 0;\n'
		for i in $(seq 1 "$files"); do printf ' s += f%d(s);\n' "$i"; done
		printf ' return s == 42; }\n'
	} > "$project/main.c"
	printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\t$(CC) -o $@ $^\n%%.o: %%.c common.h\n\t$(CC) -O1 -c -o $@ $<\n' > "$project/Makefile"
fi
make_cmd="make -s -B -j2 -C $project"
$make_cmd >/dev/null
fileset=openat,read,write,close
say "notify: $make_cmd ($files files), $fileset selected (when=65535)"
mapfile -d '' cmds < <(runners "$fileset" :when=65535 "not injected" "$make_cmd")
uptime | sed "s/^/make before: /" >> "$out/notify.load"
hyperfine -N --style basic --warmup 1 --runs "$make_runs" --export-json "$out/notify-make.json" \
	-n native "$make_cmd" "${cmds[@]}"
uptime | sed "s/^/make after: /" >> "$out/notify.load"

python3 - "$out" <<'EOF' | tee "$out/notify.txt"
import json, math, os, sys
d = sys.argv[1]
def results(name):
    return {r["command"]: r for r in json.load(open(os.path.join(d, "notify-%s.json" % name)))["results"]}
def ratio(res, a, b):
    ra, rb = res[a], res[b]
    r = ra["mean"] / rb["mean"]
    return r, r * math.hypot((ra["stddev"] or 0) / ra["mean"], (rb["stddev"] or 0) / rb["mean"])
def show(res, label, a, b, goal=None):
    r, sd = ratio(res, a, b)
    mark = "" if goal is None else ("  (goal <= %.2f: %s)" % (goal, "met" if r <= goal else "not met"))
    print("notify: %-60s %.2f +- %.2f%s" % (label, r, sd, mark))
for row, loaded in (("getppid", False), ("getppid-loaded", True)):
    res = results(row)
    tag = "loaded" if loaded else "idle"
    per = {k: (v["mean"] - res["native"]["mean"]) / 20000 * 1e6 for k, v in res.items() if k != "native"}
    print("notify: %s row, us per selected call over native: %s" % (
        tag, ", ".join("%s %.1f" % (k, v) for k, v in sorted(per.items()))))
    floors = sorted(float(line.split()[0].split("=")[1]) for line in open(os.path.join(d, "notify-%s.floor" % row)))
    floor = floors[len(floors) // 2]
    strace_us = per["strace-bpf not injected"]
    print("notify: %s row, a bare listener's round trip (listener_floor, median of 5): %.1f us a call, "
          "%.2f of strace-bpf's selected call" % (tag, floor, floor / strace_us))
    show(res, "%s: notify / strace-bpf, not injected" % tag, "notify not injected", "strace-bpf not injected",
         0.25 if loaded else 0.10)
    show(res, "%s: notify / seccomp, not injected" % tag, "notify not injected", "seccomp not injected")
    show(res, "%s: notify injected / notify not injected" % tag, "notify injected", "notify not injected", 1.1)
    show(res, "%s: seccomp / strace-bpf, not injected" % tag, "seccomp not injected", "strace-bpf not injected")
    show(res, "%s: notify / strace-bpf, injected" % tag, "notify injected", "strace-bpf injected")
res = results("make")
show(res, "make -B -j2: notify / strace-bpf", "notify not injected", "strace-bpf not injected", 0.5)
show(res, "make -B -j2: seccomp / strace-bpf", "seccomp not injected", "strace-bpf not injected")
show(res, "make -B -j2: notify / native", "notify not injected", "native")
show(res, "make -B -j2: strace-bpf / native", "strace-bpf not injected", "native")
def added(name):
    return res[name]["mean"] - res["native"]["mean"]
print("notify: %-60s %.2f" % ("make -B -j2: time notify adds / time strace-bpf adds",
                              added("notify not injected") / added("strace-bpf not injected")))
for line in open(os.path.join(d, "notify.load")):
    print("notify: load, " + line.strip())
EOF
