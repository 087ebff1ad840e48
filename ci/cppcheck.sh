#!/bin/sh
# Static check: cppcheck over the library and command (injector/), the public
# header (include/) and the tests (tests/), with the warning, performance and
# portability checks.  Any finding fails (exit 1).  A deliberate exception is
# written next to the line: // cppcheck-suppress ID
set -eu
cd "$(dirname "$0")/.."

command -v cppcheck >/dev/null 2>&1 || {
	echo "cppcheck: not found; install it with: apt-get install cppcheck" >&2
	exit 1
}
cppcheck --version

paths=""
for d in injector include tests; do
	[ -d "$d" ] && paths="$paths $d"
done

# One configuration: the one the build compiles (x86_64 Linux, _GNU_SOURCE).
# cppcheck does not read system headers; it knows libc through --library,
# so missing system includes are expected and not reported.
# shellcheck disable=SC2086
cppcheck --quiet --error-exitcode=1 --inline-suppr \
	--enable=warning,performance,portability \
	--std=c11 --platform=unix64 --library=posix \
	-D_GNU_SOURCE -D__linux__ -D__x86_64__ \
	-Iinclude -Iinjector -Itests \
	--suppress=missingIncludeSystem \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	-j 2 $paths
echo "cppcheck: no findings in$paths"
