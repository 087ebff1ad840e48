#!/bin/bash
# make bench: times sysfault against native runs and strace with hyperfine.
#   bash tests/bench/run.sh SYSFAULT        (BENCH_QUICK=1: fewer runs, a smoke test)
# Every workload runs natively, under `sysfault --engine seccomp`, `--engine
# ptrace`, `strace -f` and `strace -f --seccomp-bpf`, all with the same rule;
# hyperfine writes build/bench/<workload>.json, summary.py turns them into
# build/bench/summary.md and summary.json.  Never run from a timed test.
set -euo pipefail

sysfault=${1:?usage: run.sh SYSFAULT}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
sysfault=$(realpath "$sysfault")
out=${BENCH_OUT:-build/bench}
bin=$out/bin
tmp=$out/tmp
quick=${BENCH_QUICK:-0}
mkdir -p "$out" "$bin" "$tmp"
rm -f "$out"/*.json

say() { printf '== %s\n' "$*"; }

# hyperfine and strace are Debian packages; install-deps.sh installs any
# command named in SF_EXTRA_TOOLS by its package name.
for tool in hyperfine strace taskset python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		SF_EXTRA_TOOLS="hyperfine strace" sh ci/install-deps.sh
		break
	fi
done

cc=${CC:-cc}
for prog in getppid_loop fanout; do
	if [ ! -x "$bin/$prog" ] || [ "tests/bench/$prog.c" -nt "$bin/$prog" ]; then
		$cc -std=gnu11 -O2 -Wall -Wextra -o "$bin/$prog" "tests/bench/$prog.c"
	fi
done

# --- workload (e): gzip's own test suite, built from Debian's source package --
# Debian's gzip: small, builds with ./configure && make, and `make check` runs
# 26 shell-script tests that fork and exec gzip, zcat, zgrep, grep, cmp, ...
# list-big is left out: it compresses 4 GiB of zeros, 40 s of one CPU-bound
# process that tells nothing about tracing.
src=$out/src
suite_pkg=gzip
suite_dir=
suite_tests=

add_deb_src() {
	# apt-get source needs deb-src entries; add one for the mirror and release
	# the deb entries already use, in a file of our own.
	local uri suite list=/etc/apt/sources.list.d/sysfault-bench-src.sources
	[ "$(id -u)" = 0 ] || return 1
	[ -e "$list" ] && return 0
	uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$suite" ] || return 1
	say "adding deb-src $uri $suite main in $list"
	printf '# Added by sysfault tests/bench/run.sh for its workload (e).\nTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" "$suite" > "$list"
	apt-get update -qq >/dev/null
}

fetch_suite() {
	local dir
	dir=$(find "$src" -maxdepth 1 -type d -name "$suite_pkg-[0-9]*" 2>/dev/null | sort | tail -n 1)
	if [ -z "$dir" ]; then
		mkdir -p "$src"
		if ! (cd "$src" && apt-get source --download-only "$suite_pkg" >/dev/null 2>&1); then
			add_deb_src || return 1
			(cd "$src" && apt-get source --download-only "$suite_pkg" >/dev/null 2>&1) || return 1
		fi
		# The upstream tarball of the source package, without Debian's
		# patches: they touch configure.ac and Makefile.am, and a build
		# would then need automake (Debian's own build runs autoreconf).
		local orig
		orig=$(find "$src" -maxdepth 1 -name "${suite_pkg}_*.orig.tar.*" ! -name '*.asc' | head -n 1)
		[ -n "$orig" ] && tar xf "$orig" -C "$src" || return 1
		dir=$(find "$src" -maxdepth 1 -type d -name "$suite_pkg-[0-9]*" | sort | tail -n 1)
		[ -n "$dir" ] || return 1
	fi
	if [ ! -e "$dir/.bench-built" ]; then
		say "building $(basename "$dir") (once; cached in $dir)"
		(cd "$dir" && ./configure -q >/dev/null && make -s -j"$(nproc)" >/dev/null) || return 1
		touch "$dir/.bench-built"
	fi
	suite_dir=$dir
	suite_tests=$(sed -n '/^TESTS =/,/^$/p' "$dir/tests/Makefile.am" | sed '1d; s/\\//' |
		tr -s ' \t\n' ' ' | sed 's/ list-big / /; s/^ //; s/ $//')
	[ -n "$suite_tests" ] || return 1
	# One untimed pass: builds what `check` builds and fails early if the
	# suite does not pass here.
	make -s -C "$dir/tests" check TESTS="$suite_tests" >"$out/suite-check.log" 2>&1
}

if fetch_suite; then
	say "workload (e): $(basename "$suite_dir") make check ($(wc -w <<<"$suite_tests") tests)"
	printf '%s\n' "$(basename "$suite_dir")" > "$out/suite.txt"
else
	say "workload (e): could not fetch or build the $suite_pkg source package; (e) is skipped"
	printf 'unavailable\n' > "$out/suite.txt"
	suite_dir=
fi

# --- the runners ---------------------------------------------------------------
# The rule never injects: when=65535 is past any count these workloads reach
# (strace's largest `when`), so each runner stops at every selected call and
# lets it run.  strace gets `-e trace=` the same set: --seccomp-bpf filters on
# the traced set (with the default trace=all it refuses the filter), and
# trace=none would make strace 6.1 ignore the injection.  Its output goes to
# /dev/null; sysfault prints no summary.
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=2 max_runs=3 slow_runs=2 explore_runs=2 iso_points=40
else
	warmup=1 min_runs=5 max_runs=30 slow_runs=3 explore_runs=5 iso_points=220
fi

unrelated=fsync
fileset=openat,read,write,newfstatat

# bench NAME SET MIN_RUNS WARMUP COMMAND: COMMAND is one string, split by
# hyperfine (-N, no shell) with shell quoting rules.
bench() {
	local name=$1 set=$2 runs=$3 warm=$4 cmd=$5
	local rule="inject=$set:error=EIO:when=65535"
	say "$name: $cmd   [rule $rule]"
	printf '%s\n' "$rule" > "$out/$name.rule"
	hyperfine -N --style basic --warmup "$warm" --min-runs "$runs" --max-runs "$max_runs" \
		--export-json "$out/$name.json" \
		-n native "$cmd" \
		-n "sysfault seccomp" "$sysfault run --engine seccomp --summary none -e $rule -- $cmd" \
		-n "sysfault ptrace" "$sysfault run --engine ptrace --summary none -e $rule -- $cmd" \
		-n "strace -f" "strace -f -qq -o /dev/null -e trace=$set -e $rule $cmd" \
		-n "strace -f --seccomp-bpf" "strace -f --seccomp-bpf -qq -o /dev/null -e trace=$set -e $rule $cmd"
}

loop=$bin/getppid_loop
tar_cmd="tar -cf $tmp/include.tar -C /usr include"
true_cmd="sh -c 'i=0; while [ \$i -lt 200 ]; do /bin/true; i=\$((i + 1)); done'"
gcc_cmd="gcc -O2 -o $tmp/small tests/bench/small.c"

bench a-getppid      getppid     "$min_runs" "$warmup" "$loop"
bench a-fileset      "$fileset"  "$min_runs" "$warmup" "$loop"
bench b-unrelated    "$unrelated" "$min_runs" "$warmup" "$loop"
bench c-unrelated    "$unrelated" "$min_runs" "$warmup" "$tar_cmd"
bench c-fileset      "$fileset"  "$slow_runs" "$warmup" "$tar_cmd"
bench d-true-unrelated "$unrelated" "$min_runs" "$warmup" "$true_cmd"
bench d-gcc-unrelated  "$unrelated" "$min_runs" "$warmup" "$gcc_cmd"
if [ -n "$suite_dir" ]; then
	# No warm-up: the untimed pass above warmed the caches, and a run is long.
	bench e-gzip-check-unrelated "$unrelated" "$slow_runs" 0 \
		"make -s -C $suite_dir/tests check TESTS=\"$suite_tests\""
fi
rm -f "$tmp/include.tar" "$tmp/small"

# --- CPU placement (informational): idle and beside a CPU-bound neighbour ---------
bash tests/bench/placement.sh "$sysfault"

# --- memory: tracer peak RSS with 1000 live processes ----------------------------
# fanout holds 1000 children blocked in read(2), which the rule selects; VmHWM
# of the sysfault process is read from /proc while they are all alive.
nproc_live=1000
mem_json=$out/memory.json
printf '[' > "$mem_json"
sep=
for engine in seccomp ptrace; do
	ready=$tmp/fanout.ready release=$tmp/fanout.release
	rm -f "$ready" "$release"
	"$sysfault" run --engine "$engine" --summary none --timeout 5m \
		-e 'inject=read:error=EIO:when=65535' -- \
		"$bin/fanout" "$nproc_live" "$ready" "$release" &
	pid=$!
	waited=0
	while [ ! -e "$ready" ] && kill -0 "$pid" 2>/dev/null && [ $waited -lt 1200 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	tree=$(pgrep -c -P "$(pgrep -P "$pid" | head -n 1)" 2>/dev/null || true)
	touch "$release"
	status=0
	wait "$pid" || status=$?
	say "memory: --engine $engine, ${tree:-?} live children: VmHWM ${hwm:-?} KiB, VmRSS ${rss:-?} KiB (exit $status)"
	printf '%s{"engine": "%s", "processes": %s, "live_children": %s, "vmhwm_kib": %s, "vmrss_kib": %s, "exit": %s}' \
		"$sep" "$engine" "$nproc_live" "${tree:-null}" "${hwm:-null}" "${rss:-null}" "$status" >> "$mem_json"
	sep=', '
	rm -f "$ready" "$release"
done
printf ']\n' >> "$mem_json"

# --- explore: a campaign of 220 failure points, -j1 against -j2 ------------------
# dd makes 300 one-byte writes; the rule selects the first 220, one point each
# (--points occurrence: by site, all 300 come from one line of dd).
# The ceiling: the same 220 native runs of dd, one after another and in two
# parallel streams of 110.  A campaign cannot scale better than that on a
# machine where process creation itself does not.
say "explore: 220-point campaign, -j1 vs -j2, against a plain run of the command"
dd_cmd="dd if=/dev/zero of=/dev/null bs=1 count=300 status=none"
campaign="-e inject=write:error=EIO:when=1..220 -- $dd_cmd"
stream() { printf "i=0; while [ \\\$i -lt %s ]; do %s; i=\\\$((i + 1)); done" "$1" "$dd_cmd"; }
hyperfine -N --style basic --warmup 1 --runs "$explore_runs" --export-json "$out/explore.json" \
	-n "native" "$dd_cmd" \
	-n "native x220 serial" "sh -c \"$(stream 220)\"" \
	-n "native x220 two streams" "sh -c \"($(stream 110)) & ($(stream 110)); wait\"" \
	-n "sysfault run" "$sysfault run --summary none -e inject=write:error=EIO:when=65535 -- $dd_cmd" \
	-n "explore -j1" "$sysfault explore -q -j1 --points occurrence --fail-on none $campaign" \
	-n "explore -j2" "$sysfault explore -q -j2 --points occurrence --fail-on none $campaign"
echo 220 > "$out/explore.points"

# --- explore isolation: what each run's sandbox costs ------------------------------
# The dd campaign (its first $iso_points writes) with every run isolated (the
# default: overlays of the working directory and of /tmp in a mount namespace
# of the run's own) and with --no-isolate: the difference over the
# $iso_points + 1 runs is the sandbox's cost per run.  Then the stateful
# target (tests/targets/stateful.c: it fails on what an earlier run left),
# -j1 against -j2, from a directory of its own; uptime before and after.
say "explore isolation: the sandbox's cost per run; the stateful target, -j1 vs -j2"
$cc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$bin/stateful" tests/targets/stateful.c
state_dir=$(realpath "$tmp")/stateful
rm -rf "$state_dir" && mkdir -p "$state_dir" && echo 0 > "$state_dir/state"
iso_campaign="--points occurrence -e inject=write:error=EIO:when=1..$iso_points -- $dd_cmd"
state_campaign="--points occurrence -e openat:error=EACCES -e write:error=EIO -e rename:error=EIO -- $(realpath "$bin")/stateful"
iso_json=$(realpath "$out")/isolation.json
uptime > "$out/isolation.load"
(cd "$state_dir" && hyperfine -N --style basic --warmup "$warmup" --runs "$explore_runs" --export-json "$iso_json" \
	-n "dd explore -j1 --no-isolate" "$sysfault explore -q -j1 --no-isolate --fail-on none $iso_campaign" \
	-n "dd explore -j1" "$sysfault explore -q -j1 --fail-on none $iso_campaign" \
	-n "dd explore -j2 --no-isolate" "$sysfault explore -q -j2 --no-isolate --fail-on none $iso_campaign" \
	-n "dd explore -j2" "$sysfault explore -q -j2 --fail-on none $iso_campaign" \
	-n "stateful explore -j1" "$sysfault explore -q -j1 --fail-on none $state_campaign" \
	-n "stateful explore -j2" "$sysfault explore -q -j2 --fail-on none $state_campaign")
uptime >> "$out/isolation.load"
echo "$iso_points" > "$out/isolation.points"

# --- explore's point runs on a stop-heavy target (point_runs.txt) ------------------
bash tests/bench/point_runs.sh "$sysfault"

# --- filters: path= checked by the tracer, fd=/args= decided in the BPF filter --------
bash tests/bench/filters.sh "$sysfault"

# --- stacks: what one unwind of a caller rule costs at a stop (stack.txt) ----------
bash tests/bench/stack.sh "$sysfault"

# --- explore by site: the record run's stacks, the points of each kind (sites.txt) ----
bash tests/bench/sites.sh "$sysfault" "$suite_dir"

# --- notify: the listener against a stop and strace, idle, loaded, make (notify.txt) --
bash tests/bench/notify.sh "$sysfault"

python3 tests/bench/summary.py "$out"
echo "bench: table in $out/summary.md, data in $out/summary.json"
