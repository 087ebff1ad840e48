#!/bin/bash
# make bench, explore's points by site: what the stacks cost the record run,
# and how many points each kind gives on a real program.  The program is
# gzip built with -g from Debian's source (run.sh's workload (e) builds it;
# its path is the second argument), compressing a 4 MiB file of text and
# random bytes, with a rule on read and write:
#   plain   `sysfault run` with the rule at when=65535: every call stops, none fires
#   record  `run --record R` (nothing injected; a point per call, each with its clean result)
#   sites   `run --record R --points site` (every call unwound, a point per site)
# Then the points of each record, and those of the two_savers target (1000
# writes each from save_a and save_b).  Run by run.sh; alone:
#   bash tests/bench/sites.sh SYSFAULT [GZIP_BUILD_DIR]
# Writes $BENCH_OUT/sites.json (hyperfine) and sites.txt (the figures).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: sites.sh SYSFAULT [GZIP_BUILD_DIR]}"
gzip_dir=${2:-}
tmp=$(realpath "$tmp")
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=3 max_runs=3
else
	warmup=1 min_runs=10 max_runs=20
fi

gzip=/bin/gzip
if [ -n "$gzip_dir" ] && [ -x "$gzip_dir/gzip" ]; then
	gzip=$(realpath "$gzip_dir/gzip")
else
	say "sites: no gzip built with -g given: Debian's stripped /bin/gzip instead"
fi
input=$tmp/sites-in
if [ ! -e "$input" ]; then
	{ for _ in 1 2 3 4; do cat /usr/include/*.h 2>/dev/null | head -c 786432; head -c 262144 /dev/urandom; done; } > "$input"
fi
cmd="$gzip -f -k $input"
rule="read,write:error=EIO"
say "sites: $cmd   [rule $rule]"
hyperfine -N --style basic --warmup "$warmup" --min-runs "$min_runs" --max-runs "$max_runs" \
	--export-json "$out/sites.json" \
	-n native "$cmd" \
	-n plain "$sysfault run --summary none -e $rule:when=65535 -- $cmd" \
	-n record "$sysfault run --summary none -e $rule --record $tmp/sites-occ.jsonl -- $cmd" \
	-n sites "$sysfault run --summary none -e $rule --record $tmp/sites-site.jsonl --points site -- $cmd" \
	>/dev/null

bench_build two_savers tests/targets/two_savers.c -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -pthread
for kind in occurrence site; do
	"$sysfault" run --summary none -e write:error=EIO --record "$tmp/savers-$kind.jsonl" --points "$kind" \
		-- "$bin/two_savers" a:1000 b:1000 >/dev/null
done

python3 - "$out/sites.json" "$tmp" "$gzip" <<'PY' | tee "$out/sites.txt"
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
tmp, gzip = sys.argv[2], sys.argv[3]
def points(path):
    return sum(1 for line in open(path) if '"event":"point"' in line)
m = {k: res[k]["mean"] for k in res}
print(f"sites: {gzip} -f -k (4 MiB): record with stacks / plain record {m['sites'] / m['record']:.2f}, "
      f"plain record / plain run {m['record'] / m['plain']:.2f}, sites record / native {m['sites'] / m['native']:.2f}")
print(f"sites: points on gzip: {points(tmp + '/sites-occ.jsonl')} by occurrence, "
      f"{points(tmp + '/sites-site.jsonl')} by site")
print(f"sites: points on two_savers a:1000 b:1000: {points(tmp + '/savers-occurrence.jsonl')} by occurrence, "
      f"{points(tmp + '/savers-site.jsonl')} by site")
PY
