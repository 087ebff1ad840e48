#!/bin/bash
# make bench, the stack row: what one unwind costs at a stop.  One workload
# (tests/targets/two_savers a:20000: 20 000 one-byte writes, all from
# save_a) under a rule that stops at every write and never injects
# (when=65535), once plain and once with a caller filter that names no
# function on the stack (caller=no_such_function), so that every write is
# unwound, named and turned away.  The difference of the two means, over
# the 20 000 writes, is the cost of one unwind; the stripped copy shows the
# same without symbols.  Run by run.sh; alone (BENCH_OUT and BENCH_QUICK as
# for run.sh):
#   bash tests/bench/stack.sh SYSFAULT
# Writes $BENCH_OUT/stack.json (hyperfine) and stack.txt (the figures).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: stack.sh SYSFAULT}"
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=3 max_runs=3
else
	warmup=2 min_runs=10 max_runs=30
fi
writes=20000

# As the GNUmakefile builds the test targets: -O1 -g, and a stripped copy.
bench_build two_savers tests/targets/two_savers.c -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -pthread
if [ ! -x "$bin/two_savers_stripped" ] || [ "$bin/two_savers" -nt "$bin/two_savers_stripped" ]; then
	strip --strip-all -o "$bin/two_savers_stripped" "$bin/two_savers"
fi

plain="write:error=EIO:when=65535"
caller="$plain:caller=no_such_function"
run() { printf '%s' "$sysfault run --summary none -e $1 -- $bin/$2 a:$writes"; }
say "stack: $bin/two_savers a:$writes   [sysfault -e '$plain', then with :caller=no_such_function]"
hyperfine -N --style basic --warmup "$warmup" --min-runs "$min_runs" --max-runs "$max_runs" \
	--export-json "$out/stack.json" \
	-n native "$bin/two_savers a:$writes" \
	-n "plain" "$(run "$plain" two_savers)" \
	-n "caller" "$(run "$caller" two_savers)" \
	-n "plain, stripped" "$(run "$plain" two_savers_stripped)" \
	-n "caller, stripped" "$(run "$caller" two_savers_stripped)" >/dev/null

python3 - "$out/stack.json" "$writes" <<'EOF' | tee "$out/stack.txt"
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
def us(name):   # mean and its standard deviation, per write, in us
    r = res[name]
    return r["mean"] * 1e6 / n, r["stddev"] * 1e6 / n
stop = us("plain")[0] - us("native")[0]
print(f"stack: one stop (plain rule) costs {stop:.1f} us per write")
for kind in ("", ", stripped"):
    (c, cs), (p, ps) = us("caller" + kind), us("plain" + kind)
    print(f"stack: one unwind{kind or ' (-O1 -g)'} costs {c - p:.1f} us per stop "
          f"(caller {c:.1f} +- {cs:.1f} us, plain {p:.1f} +- {ps:.1f} us per write)")
EOF
