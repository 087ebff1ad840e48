#!/bin/sh
# valgrind (memcheck, full leak check) over a few runs of the command: a
# delay, a fork tree, a timeout during a held delay, an explore campaign of
# a few points, a check of the ready-made scenarios.  Any valgrind error or
# unexpected exit status fails (exit 1).  Builds its own dynamically linked
# sysfault in $BUILD (default build-valgrind): valgrind replaces malloc only
# in a dynamically linked program.
#
# valgrind cannot run the clone(CLONE_VM) start-up, so the command starts
# with a plain fork (SYSFAULT_LAUNCH=fork, README "Engine").  valgrind 3.19
# (Debian 12) knows no seccomp(2) system call (it warns once and answers
# ENOSYS), so the runs use the ptrace engine: the seccomp engine's stops
# are not checked here.  explore's runs of `sysfault run` are checked too,
# each into its own valgrind log.  Install valgrind with
#   SF_EXTRA_TOOLS=valgrind sh ci/install-deps.sh
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
BUILD=${BUILD:-build-valgrind}

command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind: not found; install it with: SF_EXTRA_TOOLS=valgrind sh ci/install-deps.sh" >&2
	exit 1
}
valgrind --version

targets="delay tree calls sleeper"
make --no-print-directory BUILD="$BUILD" STATIC=0 -j2 "$BUILD/sysfault" \
	$(for t in $targets; do printf '%s ' "$BUILD/targets/$t"; done)
sf=$root/$BUILD/sysfault
tg=$root/$BUILD/targets
work=$(mktemp -d /tmp/sysfault-valgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT

export SYSFAULT_LAUNCH=fork SYSFAULT_ENGINE=ptrace
# Every process valgrind runs writes its own log (explore sends its runs'
# stderr to files); the programs sysfault traces are not valgrind's to check.
vg="valgrind -q --error-exitcode=1 --leak-check=full --suppressions=$root/ci/valgrind.supp
	--log-file=$work/vg/%p.log
	--trace-children=yes --trace-children-skip=$tg/*,/bin/*,/usr/bin/*,/sbin/*,/usr/sbin/*"

failed=0
# check NAME STATUS COMMAND...: runs COMMAND under valgrind, expects STATUS
# and no error from valgrind in any process.
check() {
	name=$1 want=$2
	shift 2
	t0=$(date +%s)
	rc=0
	rm -rf "$work/vg" && mkdir "$work/vg"
	# shellcheck disable=SC2086
	(cd "$work" && $vg "$@") >"$work/out" 2>"$work/err" || rc=$?
	# "==PID==" starts an error or a leak; "--PID--" a warning (seccomp's, above).
	found=$(grep -l '^==[0-9]*==' "$work"/vg/*.log 2>/dev/null || true)
	if [ "$rc" -eq "$want" ] && [ -z "$found" ]; then
		echo "valgrind: ok: $name ($(($(date +%s) - t0))s)"
	else
		echo "valgrind: FAILED: $name: exit status $rc (expected $want)" >&2
		cat "$work/err" >&2
		for f in $found; do cat "$f" >&2; done
		failed=1
	fi
}

check "run with a delay and a log" 0 \
	"$sf" run -e clock_gettime:delay_enter=50ms:when=2 --log "$work/run.log" -- "$tg/delay" 3
check "run with a fork tree" 0 \
	"$sf" run -e getppid:error=EIO:when=2 -- "$tg/tree" fanout 8 ok,EIO,ok
check "timeout during a held delay" 124 \
	"$sf" run --timeout 300ms -e nanosleep:delay_enter=30s -- "$tg/sleeper" "$work/pid" 100
isolate=""
(cd "$work" && "$sf" explore -q --fail-on none -e getppid:error=EIO -- true) >/dev/null 2>&1 ||
	{ isolate=--no-isolate; echo "valgrind: explore cannot isolate its runs here: checked with --no-isolate"; }
check "explore campaign of 3 points" 0 \
	"$sf" explore -q $isolate --points occurrence --fail-on none -e getppid:error=EIO -- "$tg/calls" getppid 3
check "check of the ready-made scenarios" 0 "$sf" check "$root"/scenarios/*.cfg

[ "$failed" -eq 0 ] || { echo "valgrind: FAILED" >&2; exit 1; }
echo "valgrind: no error, no leak"
