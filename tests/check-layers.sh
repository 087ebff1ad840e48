#!/bin/sh
# The layers of injector/, checked on its #include lines: rules/ includes
# neither engine/, explore/ nor command/; engine/ includes neither explore/
# nor command/; the library's top level (injector/*.[ch]) includes neither
# explore/ nor command/, which are the command's.  Prints each violation as
# FILE:LINE and exits 1 if there is one.
set -eu
cd "$(dirname "$0")/.."
bad=0
check() {
	dir=$1
	shift
	for layer in "$@"; do
		hits=$(grep -n "^#include \"$layer/" $dir 2>/dev/null || true)
		[ -z "$hits" ] && continue
		echo "$hits" | sed "s|\$|  <- $dir must not include $layer/|" >&2
		bad=1
	done
}
check 'injector/rules/*.[ch]' engine explore command
check 'injector/engine/*.[ch]' explore command
check 'injector/*.[ch]' explore command
if [ $bad -ne 0 ]; then
	echo "layers: FAILED: includes cross the layers of injector/ (README, Development)" >&2
	exit 1
fi
echo "layers: rules/ < engine/ < library < command/, explore/: no include crosses them"
