#!/bin/sh
# Runs every libFuzzer harness in DIR (make fuzz): first each input saved
# under tests/fuzz/regressions/NAME/ once, then SECONDS of fuzzing from
# tests/fuzz/corpus/NAME/ with NAME.dict and the names SYSFAULT lists.
# Never writes into the tree: new inputs and crashes stay under DIR.
# Usage: sh tests/fuzz/run.sh DIR SECONDS SYSFAULT   (from the repository root)
set -eu
dir=$1 seconds=$2 sysfault=$3
src=tests/fuzz

# A smaller quarantine than ASan's 256 MB: use-after-free is still caught
# within 32 MB of later allocations, and a /regex token forks the fuzzer
# (rules/sysset_regex.c), whose cost grows with the memory it holds.
# libconfig 1.5 leaks a string on some syntax errors (fixed upstream in
# 1.7.3, hyperrealm/libconfig#142): lsan.supp names only that frame.
export ASAN_OPTIONS="quarantine_size_mb=32:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$src/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

# NAME.dict and the names of the tables, as dictionary entries.
make_dict() {
	{
		cat "$src/$1.dict"
		for kind in syscalls errnos signals classes; do
			"$sysfault" list "$kind" | awk '$1 !~ /^#/ { print "\"" $1 "\"" }'
		done
		"$sysfault" list signals | awk '{ sub(/^SIG/, "", $1); print "\"" $1 "\"" }'
	} > "$dir/$1.dict"
}

failed=""
summary=""
for fuzzer in "$dir"/fuzz_*; do
	case $fuzzer in *.d) continue ;; esac
	[ -x "$fuzzer" ] || continue
	name=${fuzzer##*/fuzz_}
	log=$dir/$name.log
	if [ -d "$src/regressions/$name" ] && [ -n "$(ls -A "$src/regressions/$name")" ]; then
		echo "== fuzz_$name: regression inputs in $src/regressions/$name"
		if ! "$fuzzer" "$src/regressions/$name"/* </dev/null >"$log" 2>&1; then
			tail -n 40 "$log"
			failed="$failed $name(regression)"
			continue
		fi
	fi
	make_dict "$name"
	mkdir -p "$dir/corpus-$name"
	echo "== fuzz_$name: ${seconds}s from $src/corpus/$name"
	rc=0
	"$fuzzer" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-dict="$dir/$name.dict" -artifact_prefix="$dir/crash-$name-" \
		"$dir/corpus-$name" "$src/corpus/$name" </dev/null >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	line="fuzz_$name: ${execs:-?} execs, ${rate:-?}/s"
	if [ "$rc" != 0 ]; then
		grep -A 30 -E '^==[0-9]+==ERROR|runtime error|property failed|ALARM|deadly signal' "$log" | head -n 60
		line="$line, FAILED (exit $rc): $(sed -n 's/.*Test unit written to //p' "$log" | head -n 1)"
		failed="$failed $name"
	fi
	echo "$line"
	summary="$summary$line\n"
done

printf '\n%b' "$summary"
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed (logs: $dir/NAME.log); once understood, keep each input" \
		"under $src/regressions/NAME/" >&2
	exit 1
fi
