#!/bin/sh
# CI step: the Debian packages as a user gets them.  `make deb` builds
# them from ci/debian/ (lintian must report no error), apt-get installs
# them on this machine, and the smoke test uses nothing but the installed
# files: the four man pages with man -l (and man by name), --help, -s
# disk-full failing dd with ENOSPC, `list scenarios`, the bash and zsh
# completion (tests/packaging/installed-files.sh), and a CUnit test built
# with `pkg-config --cflags --libs sysfault` that runs a command under a
# rule (tests/installed/run.sh).  The packages are purged at the end,
# whatever happened, so the machine is left as it was.
# Runs as root; BUILD (default build-deb) is the build directory; the
# package's own `make check` is skipped (DEB_BUILD_OPTIONS=nocheck) since
# CI ran it already.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build-deb}
packages="sysfault libsysfault0 libsysfault-dev"

for p in $packages; do
	if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q installed; then
		echo "deb: $p is installed on this machine already: remove it first (apt-get purge $packages)" >&2
		exit 1
	fi
done

t0=$(date +%s)
make --no-print-directory BUILD="$build" deb DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck}"
echo "deb: make deb took $(($(date +%s) - t0))s"
debs=$(for p in $packages; do ls "$build"/deb/"${p}"_*_amd64.deb; done)

# apt-get needs ./ (or a path with /) to take a file instead of a name.
cleanup() {
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $packages >/dev/null 2>&1 || true
	dpkg-query -W $packages >/dev/null 2>&1 && echo "deb: WARNING: the packages are still installed" >&2 || true
}
trap cleanup EXIT
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(echo "$debs" | sed 's|^|./|') >/dev/null
echo "deb: installed $(echo $packages)"

command -v sysfault | grep -qx /usr/bin/sysfault || { echo "deb: FAILED: no /usr/bin/sysfault after install" >&2; exit 1; }
for page in sysfault sysfault-explore sysfault-scenario libsysfault; do
	man -w "$page" >/dev/null || { echo "deb: FAILED: man cannot find $page" >&2; exit 1; }
done
echo "deb: man finds sysfault(1), sysfault-explore(1), sysfault-scenario(5), libsysfault(3) by name"
sh tests/packaging/installed-files.sh "" /usr
make --no-print-directory BUILD="$build" "$build/targets/calls" >/dev/null
LIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH) sh tests/installed/run.sh "" /usr \
	"$(pwd)/$build" "$(pwd)/$build/targets"
echo "deb: the installed packages pass the smoke test"
