#!/bin/bash
# make bench, the filter rows: one workload (open_many: 20 000 openat+close
# of different files, a byte to fd 1 and a byte to fd 3 each time) under a
# rule that names one file (path=, which only the tracer can check, so
# every openat stops) and under rules on fd 3 (fd=, args=, which the
# seccomp filter decides, so only the writes to fd 3 stop); strace gets
# -P with the same file, the way strace users select it.  Run by run.sh
# before the summary; alone (BENCH_OUT and BENCH_QUICK as for run.sh):
#   bash tests/bench/filters.sh SYSFAULT
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init "${1:?usage: filters.sh SYSFAULT}"
if [ "$quick" = 1 ]; then
	warmup=0 min_runs=2 max_runs=3
else
	warmup=1 min_runs=5 max_runs=30
fi

bench_build open_many tests/bench/open_many.c -std=gnu11 -O2 -Wall -Wextra
files=20000
dir=$(realpath "$tmp")/many
if [ ! -e "$dir/f$(printf %05d $((files - 1)))" ]; then
	say "filters: creating $files empty files in $dir (once)"
	"$bin/open_many" --setup "$dir" "$files"
fi
# Absolute paths: strace -P compares the path as the tracee passes it,
# and fd 3's /proc link, with these.
one_file=$dir/f07777
fd3_file=$(realpath "$tmp")/open_many.out
cmd="$bin/open_many $dir $files $fd3_file"

# filter_bench NAME SYSFAULT_RULE TRACED PATH STRACE_RULE: sysfault with
# its rule; strace with -P PATH, -e trace=TRACED (for --seccomp-bpf, as
# run.sh says) and its own injection of the same calls.
filter_bench() {
	local name=$1 rule=$2 traced=$3 path=$4 srule=$5
	say "$name: $cmd   [sysfault -e '$rule'; strace -P $path -e $srule]"
	printf '%s\n' "$rule" > "$out/$name.rule"
	hyperfine -N --style basic --warmup "$warmup" --min-runs "$min_runs" --max-runs "$max_runs" \
		--export-json "$out/$name.json" \
		-n native "$cmd" \
		-n "sysfault seccomp" "$sysfault run --engine seccomp --summary none -e '$rule' -- $cmd" \
		-n "sysfault ptrace" "$sysfault run --engine ptrace --summary none -e '$rule' -- $cmd" \
		-n "strace -f" "strace -f -qq -o /dev/null -P $path -e trace=$traced -e $srule $cmd" \
		-n "strace -f --seccomp-bpf" \
		"strace -f --seccomp-bpf -qq -o /dev/null -P $path -e trace=$traced -e $srule $cmd"
}

# The path row fails the one open of that file, as strace's recipe
# `-P FILE -e inject=openat:error=ENOENT` does; the fd rows never inject
# (when=65535, as run.sh's rule) and stop at each of the 20 000 writes to fd 3.
filter_bench f-path "inject=openat:error=ENOENT:path=$one_file" openat "$one_file" \
	"inject=openat:error=ENOENT"
filter_bench f-fd "inject=write:error=EIO:when=65535:fd=3" write "$fd3_file" \
	"inject=write:error=EIO:when=65535"
filter_bench f-args "inject=write:error=EIO:when=65535:args=arg1 == 3" write "$fd3_file" \
	"inject=write:error=EIO:when=65535"
rm -f "$fd3_file"
