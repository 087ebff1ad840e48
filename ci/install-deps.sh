#!/bin/sh
# Installs what the build and tests need and this machine lacks (Debian, apt-get).
# Called by the GNUmakefile before the first compile and by .ci/run; cheap when
# everything is there already.
set -eu

need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd pkg-config || need="$need pkg-config"
have_cmd cc || need="$need gcc"
have_cmd make || need="$need make"
# gcc only recommends the C library headers, and we install without recommends.
[ -e /usr/include/stdio.h ] || need="$need libc6-dev"
have_pc libconfig || need="$need libconfig-dev"
have_pc libseccomp || need="$need libseccomp-dev"
have_pc jansson || need="$need libjansson-dev"
have_pc cunit || need="$need libcunit1-dev"
# elfutils: the stacks of `caller` rules (libdwfl), and the ELF reader under it.
have_pc libdw || need="$need libdw-dev"
have_pc libelf || need="$need libelf-dev"
# The static command links libdw's compressors; libdw-dev brings zlib's and
# xz's, but bzip2 has no .pc file and no package depends on its headers.
[ -e /usr/include/bzlib.h ] || need="$need libbz2-dev"
# Optional tools used by some make targets; installed only when asked for.
for tool in ${SF_EXTRA_TOOLS:-}; do
	case "$tool" in
	lcov) have_cmd lcov || need="$need lcov" ;;
	cppcheck) have_cmd cppcheck || need="$need cppcheck" ;;
	strace) have_cmd strace || need="$need strace" ;;
	xmllint) have_cmd xmllint || need="$need libxml2-utils" ;;
	# The packaging checks: man pages (groff -ww, man -l), the CI templates
	# (YAML, a scratch git repository), make deb (tests/packaging/, ci/deb.sh).
	groff) have_cmd groff || need="$need groff-base" ;;
	man) have_cmd man || need="$need man-db" ;;
	python3-yaml) /usr/bin/python3 -c 'import yaml' 2>/dev/null || need="$need python3-yaml" ;;
	deb)
		have_cmd dpkg-buildpackage || need="$need dpkg-dev"
		have_cmd dh || need="$need debhelper"
		have_cmd lintian || need="$need lintian"
		have_cmd fakeroot || need="$need fakeroot"
		;;
	*) have_cmd "$tool" || need="$need $tool" ;;
	esac
done

[ -z "$need" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "sysfault: missing build dependencies:$need" >&2
	echo "sysfault: install them with: sudo apt-get install$need" >&2
	exit 1
fi
echo "sysfault: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
