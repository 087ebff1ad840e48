#!/bin/bash
# make bench, explore's point runs on a stop-heavy target: the calls target
# makes 3000 getppid and 3000 write calls, in turn; a campaign has 40
# points, the first 40 writes, under a second rule on getppid that never
# fires.  A point run stops only the calls its point needs (write here) and,
# past its point, decides nothing more; a plain `sysfault run` of the same
# rules stops at all 6000.  Per point: the campaign's time over 41 runs
# (the clean run and 40 points) against one plain run.  Run by run.sh;
# alone (BENCH_OUT and BENCH_QUICK as for run.sh):
#   bash tests/bench/point_runs.sh SYSFAULT
# Writes $BENCH_OUT/point_runs.json (hyperfine) and point_runs.txt.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: point_runs.sh SYSFAULT}"
if [ "$quick" = 1 ]; then
	runs=2 plain_runs=3
else
	runs=5 plain_runs=20
fi

bench_build calls tests/targets/calls.c -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra
points=40
target="$(realpath "$bin/calls") getppid,write 3000"
rules="-e write:error=EIO:when=1..$points -e getppid:error=EIO:when=65535"
printf '== point runs: %s   [%s; %s points]\n' "$target" "$rules" "$points"
hyperfine -N -i --style basic --warmup 1 --min-runs "$runs" --max-runs "$plain_runs" \
	--export-json "$out/point_runs.json" \
	-n "plain run" "$sysfault run --summary none $rules -- $target" \
	-n "one point run" "$sysfault run --summary none $rules --point 1/0:write:20:r1 -- $target" \
	-n "explore -j1" "$sysfault explore -q -j1 --points occurrence --fail-on none $rules -- $target" \
	>/dev/null

python3 - "$out/point_runs.json" "$points" <<'PY' | tee "$out/point_runs.txt"
import json, sys
res = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
per_point = res["explore -j1"] / (n + 1)
print(f"point runs: one point run / plain run {res['one point run'] / res['plain run']:.2f}; "
      f"explore -j1 per run / plain run {per_point / res['plain run']:.2f} "
      f"({per_point * 1e3:.1f} ms per run, {n} points)")
PY
