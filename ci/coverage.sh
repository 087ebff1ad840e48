#!/bin/sh
# Coverage gate: collects the gcov data a --coverage build left in BUILD_DIR
# (lcov 1.16 as in Debian 12), keeps only the sources of injector/, writes an
# HTML report to BUILD_DIR/coverage-html and fails below MIN_PERCENT of lines.
# It never builds nor runs anything: `make coverage` does that first.
set -eu

usage() {
	echo "usage: sh ci/coverage.sh BUILD_DIR MIN_PERCENT" >&2
	exit 2
}
[ $# -eq 2 ] || usage
build=$1
min=$2
case $min in '' | *[!0-9.]*) usage ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$build" ] || { echo "coverage: no build directory $build; run 'make coverage'" >&2; exit 1; }
build=$(cd "$build" && pwd)
if [ -z "$(find "$build/injector" -name '*.gcda' 2>/dev/null | head -n 1)" ]; then
	echo "coverage: no .gcda files under $build/injector: build with COVERAGE=1 and run the tests first ('make coverage')" >&2
	exit 1
fi
command -v lcov >/dev/null 2>&1 || {
	echo "coverage: lcov not found; install it with: apt-get install lcov" >&2
	exit 1
}

all=$build/coverage-all.info
info=$build/coverage.info
html=$build/coverage-html
rm -rf "$html" "$all" "$info"

# Sources are compiled from the repository root with relative paths, so lcov
# records them as $root/injector/...; --base-directory makes that explicit.
lcov --quiet --capture --directory "$build" --base-directory "$root" \
	--output-file "$all"
# Only the library and the command count: not the tests, not the generated
# tables under BUILD_DIR/gen, not system headers.
lcov --quiet --extract "$all" "$root/injector/*" --output-file "$info.tmp"
lcov --quiet --remove "$info.tmp" "$root/tests/*" "*/gen/*" --output-file "$info"
rm -f "$info.tmp"

lcov --list "$info"
genhtml --quiet --legend --title "sysfault injector/" --prefix "$root" \
	--output-directory "$html" "$info"

# LF: lines found, LH: lines hit, one pair per source file.
counts=$(awk -F: '/^LF:/ { f += $2 } /^LH:/ { h += $2 } END { print h + 0, f + 0 }' "$info")
hit=${counts% *}
found=${counts#* }
if [ "$found" -eq 0 ]; then
	echo "coverage: no line of injector/ was instrumented; is $build the COVERAGE=1 build?" >&2
	exit 1
fi
# Shown rounded down, compared exactly: 79.96% is below 80%, never shown as 80.00%.
pct=$(awk -v h="$hit" -v f="$found" 'BEGIN { printf "%.2f", int(10000 * h / f) / 100 }')
echo "coverage: injector/ lines: $pct% ($hit of $found); minimum $min%; report: $html/index.html"
if awk -v h="$hit" -v f="$found" -v m="$min" 'BEGIN { exit !(100 * h / f < m + 0) }'; then
	echo "coverage: FAILED: $pct% of injector/ lines covered ($hit of $found), below the minimum of $min%" >&2
	exit 1
fi
