#!/bin/bash
# make bench, the CPU placement rows: three shapes of tree, one thread
# making many stops (a), a shell starting one process after another (d)
# and two compilers at once, each with sysfault's placement off
# (SYSFAULT_PIN=0: unpinned), with everything on the first CPU (taskset),
# with the default placement (the run's cgroup) and with the default
# placement without a cgroup (SYSFAULT_PIN=nocgroup: the tasks' run delay).
# Three loads: idle, a CPU-bound neighbour pinned to the last CPU, and one
# the scheduler may move.  Writes placement-LOAD.json, and the waiting
# share that -v reports for one run of each in placement-shares.txt.  Run
# by run.sh before the summary; alone (BENCH_OUT and BENCH_QUICK as for
# run.sh):
#   bash tests/bench/placement.sh SYSFAULT
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: placement.sh SYSFAULT}"
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=2 max_runs=3
else
	warmup=1 min_runs=5 max_runs=30
fi

bench_build getppid_loop tests/bench/getppid_loop.c -std=gnu11 -O2 -Wall -Wextra
# The first and the last CPU this process may use ("0-1", "0,2-3").
cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
first=$(printf '%s\n' "$cpus" | sed 's/[^0-9].*//')
last=$(printf '%s\n' "$cpus" | sed 's/.*[^0-9]//')
if [ "$first" = "$last" ]; then
	say "placement: one CPU ($cpus): sysfault does not pin; the placement rows are skipped"
	exit 0
fi

loop=$bin/getppid_loop
true_cmd="sh -c 'i=0; while [ \$i -lt 200 ]; do /bin/true; i=\$((i + 1)); done'"
par_gcc="sh -c 'gcc -O2 -o $tmp/p1 tests/bench/small.c & gcc -O2 -o $tmp/p2 tests/bench/small.c; wait'"
getppid_rule="inject=getppid:error=EIO:when=65535"
unrelated_rule="inject=fsync:error=EIO:when=65535"

# The hyperfine arguments for one workload under the four placements.
runners=()
place() {
	local label=$1 engine=$2 rule=$3 cmd=$4
	local base="$sysfault run --engine $engine --summary none -e $rule -- $cmd"
	runners+=(-n "$label $engine unpinned" "env SYSFAULT_PIN=0 $base"
		-n "$label $engine taskset -c $first" "env SYSFAULT_PIN=0 taskset -c $first $base"
		-n "$label $engine default placement" "$base"
		-n "$label $engine default placement, no cgroup" "env SYSFAULT_PIN=nocgroup $base")
}
place a-getppid seccomp "$getppid_rule" "$loop"
place a-getppid ptrace "$getppid_rule" "$loop"
place d-true seccomp "$unrelated_rule" "$true_cmd"
place parallel-gcc seccomp "$unrelated_rule" "$par_gcc"

# What -v says the tree waited, one run of each default placement.
shares() {
	local load=$1 label cmd rule pin line
	for label in a-getppid d-true parallel-gcc; do
		case $label in
		a-getppid) cmd=$loop rule=$getppid_rule ;;
		d-true) cmd=$true_cmd rule=$unrelated_rule ;;
		parallel-gcc) cmd=$par_gcc rule=$unrelated_rule ;;
		esac
		for pin in 1 nocgroup; do
			line=$(eval "SYSFAULT_PIN=$pin $sysfault run -v --summary none -e $rule -- $cmd" 2>&1 >/dev/null |
				sed -n 's/^sysfault: placement: \(.*stayed.*\|.*given all.*\)/\1/p' | head -n 1)
			printf '%s\t%s\t%s\t%s\n' "$load" "$label" "$pin" "$line" >> "$out/placement-shares.txt"
		done
	done
}

nb=
stop_neighbour() {
	if [ -n "$nb" ]; then
		kill "$nb" 2>/dev/null || true
		wait "$nb" 2>/dev/null || true
	fi
	nb=
}
trap stop_neighbour EXIT

rm -f "$out/placement-shares.txt" "$out"/placement-*.json
for load in idle neighbour free-neighbour; do
	case $load in
	idle) ;;
	neighbour) taskset -c "$last" sh -c 'while :; do :; done' & nb=$! ;;
	free-neighbour) sh -c 'while :; do :; done' & nb=$! ;;
	esac
	say "placement, $load: unpinned vs taskset -c $first vs default, with and without a cgroup"
	uptime > "$out/placement-$load.load"
	hyperfine -N --style basic --warmup "$warmup" --min-runs "$min_runs" --max-runs "$max_runs" \
		--export-json "$out/placement-$load.json" "${runners[@]}"
	shares "$load"
	stop_neighbour
done
rm -f "$tmp/p1" "$tmp/p2"
