#!/bin/sh
# After `make uninstall DESTDIR=STAGE`: no file, nor symlink, is left in
# STAGE (directories may stay: bin/ and man1/ are shared with others).
# Usage: uninstalled.sh STAGE
set -eu
stage=$1
[ -d "$stage" ] || { echo "uninstalled: FAILED: no stage directory $stage" >&2; exit 1; }
left=$(find "$stage" ! -type d)
if [ -n "$left" ]; then
	echo "uninstalled: FAILED: make uninstall left $(echo "$left" | wc -l) files:" >&2
	echo "$left" | sed 's/^/  /' >&2
	exit 1
fi
echo "uninstalled: make uninstall removed every file make install put in $stage"
