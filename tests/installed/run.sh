#!/bin/sh
# The library as installed: builds tests/installed/test_library.c against
# the header and library that `make install DESTDIR=STAGE` put in place,
# found only through `pkg-config sysfault` (the staging root given to
# pkg-config as a sysroot), once with libsysfault.so and once with the .a;
# runs both; and checks that the .so exports exactly the functions the
# header declares with SF_API.
# Usage: run.sh STAGE PREFIX BUILD_DIR TARGETS_DIR
# TEST_FLAGS: what the library was built with that a program linking it
# needs too (-fsanitize=..., --coverage).  With STAGE "" it tests the
# library installed on this machine (ci/deb.sh, LIBDIR=/usr/lib/ARCH).
set -eu
stage=$1 prefix=$2 build=$3 targets=$4
cd "$(dirname "$0")/../.."
libdir=$stage${LIBDIR:-$prefix/lib}   # LIBDIR: a multiarch one (ci/deb.sh)
out=$build/tests/installed
mkdir -p "$out"
tmp=$(mktemp -d /tmp/sysfault-installed.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

sfpc() { PKG_CONFIG_SYSROOT_DIR=$stage PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config "$@" sysfault; }
cflags=$(sfpc --cflags)
echo "installed: pkg-config --cflags --libs sysfault: $cflags $(sfpc --libs)"
${CC:-cc} ${TEST_FLAGS:-} -std=gnu11 -DSF_TEST_STANDALONE -Wall -Wextra -Werror -o "$out/test-library" tests/installed/test_library.c \
	$cflags $(pkg-config --cflags cunit) $(sfpc --libs) $(pkg-config --libs cunit) -pthread
# The static library: its own dependencies come from Requires.private.
${CC:-cc} ${TEST_FLAGS:-} -std=gnu11 -DSF_TEST_STANDALONE -Wall -Wextra -Werror -o "$out/test-library-static" tests/installed/test_library.c \
	$cflags $(pkg-config --cflags cunit) "$libdir/libsysfault.a" \
	$(sfpc --static --libs | sed 's/-lsysfault//') $(pkg-config --libs cunit) -pthread

# Exactly the header's SF_API functions, and no other symbol of ours.
header=$stage$prefix/include/sysfault/sysfault.h
declared=$(sed -n 's/^SF_API [^(]*[ *]\(sf_[a-z0-9_]*\)(.*/\1/p' "$header" | sort)
exported=$(nm -D --defined-only "$libdir/libsysfault.so" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' |
	grep -v '^_' | sort)
if [ "$declared" != "$exported" ]; then
	echo "installed: FAILED: libsysfault.so exports differ from the header's SF_API functions:" >&2
	printf '%s\n' "$declared" >"$tmp/declared"
	printf '%s\n' "$exported" >"$tmp/exported"
	diff "$tmp/declared" "$tmp/exported" >&2 || true
	exit 1
fi
echo "installed: libsysfault.so exports the $(echo "$exported" | wc -l) functions the header declares"
soname=$(readelf -d "$libdir/libsysfault.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
echo "installed: soname $soname"

# The dynamic test must load the staged library, not one installed elsewhere.
LD_LIBRARY_PATH=$libdir ldd "$out/test-library" | grep -q "$libdir/$soname" || {
	echo "installed: FAILED: test-library does not load $libdir/$soname" >&2
	exit 1
}
echo "== installed library, shared ($libdir/$soname)"
LD_LIBRARY_PATH=$libdir "$out/test-library" "$targets" "$tmp"
echo "== installed library, static ($libdir/libsysfault.a)"
"$out/test-library-static" "$targets" "$tmp"
