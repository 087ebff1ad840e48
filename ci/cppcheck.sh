#!/bin/sh
# Static check: cppcheck over the library and command (injector/) and the
# public header (include/), or over the paths given, with the warning,
# performance and portability checks.  Any finding fails (exit 1).  A
# deliberate exception is written on the line before the finding:
#   // cppcheck-suppress ID ; why
#
# tests/ is not checked by default: the target programs leak and map memory on
# purpose before they exit, and the test files end variadic argument lists
# with a bare NULL (varFuncNullUB).  Check them by hand with
#   sh ci/cppcheck.sh tests/unit tests/integration
set -eu
cd "$(dirname "$0")/.."

command -v cppcheck >/dev/null 2>&1 || {
	echo "cppcheck: not found; install it with: apt-get install cppcheck" >&2
	exit 1
}
cppcheck --version

[ $# -gt 0 ] || set -- injector include

# One configuration: the one the build compiles (x86_64 Linux, _GNU_SOURCE).
# cppcheck does not read system headers; it knows libc through --library, so
# missing system includes are expected and not reported.  readdirCalled is
# off because its advice, readdir_r(), is deprecated by glibc (2.24).
cppcheck --quiet --error-exitcode=1 --inline-suppr \
	--enable=warning,performance,portability \
	--std=c11 --platform=unix64 --library=posix \
	-D_GNU_SOURCE -D__linux__ -D__x86_64__ \
	-Iinclude -Iinjector -Itests \
	--suppress=missingIncludeSystem --suppress=readdirCalled \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	-j 2 "$@"
echo "cppcheck: no findings in $*"
