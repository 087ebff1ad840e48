#!/bin/bash
# CI steps, in order: install dependencies, the tests, the same tests under
# ASan+UBSan, the coverage gate, the static check.  Every step is announced,
# runs under a share of the time budget, and the first failure stops the run
# with the step's name.  Runs as root on a fresh Debian 12 machine with no
# stdin (from .ci/run); it never changes files outside the clone and /tmp.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null

# The CI service stops a run at 30 minutes; stop ourselves earlier so the log
# says which step was too slow instead of ending mid-line.
BUDGET=${SF_CI_BUDGET:-1680}
START=$SECONDS
nstep=0
summary=""

fail() {
	echo "ci: FAILED: $*" >&2
	[ -z "$summary" ] || printf '%b' "$summary" >&2
	exit 1
}

# The command as one could paste it: words with blanks in quotes.
shown() {
	local w out=""
	for w in "$@"; do
		case $w in
		*[[:space:]]*) out="$out '$w'" ;;
		*) out="$out $w" ;;
		esac
	done
	echo "${out# }"
}

# step TITLE COMMAND [ARG...]: runs one step with what is left of the budget.
step() {
	local title=$1 left t0 rc=0
	shift
	nstep=$((nstep + 1))
	left=$((BUDGET - (SECONDS - START)))
	[ "$left" -gt 0 ] || fail "step $nstep ($title) not started: the ${BUDGET}s budget is spent"
	printf '\n=== step %d: %s\n=== $ %s\n' "$nstep" "$title" "$(shown "$@")"
	t0=$SECONDS
	# timeout signals the whole process group it leads: make, the test
	# runner and what they started.
	timeout --kill-after=20 "$left" "$@" || rc=$?
	case $rc in
	0) ;;
	124 | 137) fail "step $nstep ($title) ran out of the ${BUDGET}s CI budget (after $((SECONDS - t0))s in this step)" ;;
	*) fail "step $nstep ($title) failed with exit status $rc: $*" ;;
	esac
	summary="${summary}ci: step $nstep ok in $((SECONDS - t0))s: $title\n"
	echo "=== step $nstep ok ($((SECONDS - t0))s)"
}

# shellcheck source=/dev/null
echo "ci: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(nproc) cpus," \
	"yama ptrace_scope $(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo none)"

# A fresh machine may be running apt's daily jobs: wait for the dpkg lock
# instead of failing at once (APT_CONFIG only affects apt run from here).
apt_conf=$(mktemp /tmp/sysfault-ci-apt.XXXXXX)
trap 'rm -f "$apt_conf"' EXIT
echo 'DPkg::Lock::Timeout "300";' >"$apt_conf"
export APT_CONFIG=$apt_conf

# make is listed because a fresh machine may lack it and everything after
# this step calls it; install-deps.sh installs unknown tools by their name.
step "install dependencies" \
	env SF_EXTRA_TOOLS="lcov cppcheck strace make xmllint python3 valgrind deb groff man python3-yaml git zsh" sh ci/install-deps.sh
# gcc only recommends the C library headers, and apt-get runs with
# --no-install-recommends: say so plainly rather than fail in the first compile.
[ -e /usr/include/stdio.h ] ||
	fail "no C library headers (/usr/include/stdio.h) after step 1: ci/install-deps.sh must install libc6-dev"
echo "ci: $(gcc --version | head -n 1); $(make --version | head -n 1);" \
	"$(lcov --version | sed 's/^lcov: //'); $(cppcheck --version); $(strace -V | head -n 1)"

step "tests (README's make check)" make -j2 check

step "README quick start (make demo)" make -j2 demo

step "Debian packages: make deb, lintian, apt-get install, smoke test, purge (ci/deb.sh, build-deb/)" sh ci/deb.sh

step "tests under ASan+UBSan (build-asan/)" \
	env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	make -j2 SANITIZE=1 check

step "coverage gate: line coverage of injector/ (build-coverage/)" make -j2 coverage

step "static check (cppcheck)" make cppcheck

step "the tracer under valgrind (ci/valgrind.sh, build-valgrind/)" sh ci/valgrind.sh

step "fuzzing: each parser's regressions, then 60 s each (ci/fuzz.sh, build-fuzz/)" sh ci/fuzz.sh

printf '\n%b' "$summary"
echo "ci: all $nstep steps passed in $((SECONDS - START))s"
