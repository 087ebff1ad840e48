#!/bin/bash
# sf_rules_decide's cost per selected call, in instructions (callgrind) and ns:
#   bash tests/bench/decide.sh [BUILD]     (BUILD: a built tree, default build)
# Builds tests/bench/decide.c against BUILD/libsysfault.a and runs it on a few
# rule sets: one rule, 20 `all` rules, one rule among 10 000 on other calls.
# A measurement, never run from a test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
build=${1:-build}
out=$build/bench
mkdir -p "$out"
libs=$(pkg-config --libs libconfig libseccomp jansson)
${CC:-cc} -std=gnu11 -D_GNU_SOURCE -O2 -g -Iinclude -Iinjector -I"$build/gen" \
	-o "$out/decide" tests/bench/decide.c "$build/libsysfault.a" $libs
getppid=110 calls=20000
other=$out/decide-10k.cfg
{
	echo 'rules = ('
	for i in $(seq 10000); do echo '  { syscalls = "openat"; error = "EIO"; },'; done
	echo '  { syscalls = "close"; error = "EIO"; }'
	echo ');'
} > "$other"
all=()
for i in $(seq 20); do all+=(-e 'inject=all:error=EIO:when=65535'); done
run() {
	local what=$1
	shift
	local ir
	"$out/decide" "$calls" "$getppid" "$@"
	if command -v valgrind >/dev/null; then
		valgrind --tool=callgrind --toggle-collect=sf_rules_decide \
			--callgrind-out-file="$out/decide.cg" "$out/decide" "$calls" "$getppid" "$@" \
			>/dev/null 2>"$out/decide.err"
		ir=$(sed -n 's/.*refs: *//p' "$out/decide.err" | tr -d ,)
		echo "$what: $((ir / calls)) instructions per call (callgrind)"
	fi
}
run "1 getppid rule" -e 'inject=getppid:error=EIO:when=65535'
run "20 all rules" "${all[@]}"
run "1 getppid rule after 10001 others" -s "$other" -e 'inject=getppid:error=EIO:when=65535'
