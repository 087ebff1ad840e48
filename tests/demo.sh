#!/bin/sh
# make demo: shows sysfault on a small, careful copy program.
#   sh tests/demo.sh SYSFAULT DEMO_COPY
# Copies a file natively (it works), then under scenarios/disk-full.cfg (the
# third write fails with ENOSPC; the program says so and exits 1; the summary
# shows the injection).  Exits 0 when all of that happened, 1 otherwise.
set -u

sysfault=${1:?usage: demo.sh SYSFAULT DEMO_COPY}
demo_copy=${2:?usage: demo.sh SYSFAULT DEMO_COPY}
scenario=scenarios/disk-full.cfg
[ -f "$scenario" ] || scenario=$(dirname "$0")/../scenarios/disk-full.cfg

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sysfault-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
ok=0
fail() { echo "demo: FAILED: $*" >&2; ok=1; }

# 64 KiB of text: the copy takes 16 writes of 4 KiB.
i=0
while [ $i -lt 1100 ]; do
	echo "line $i of the demo file, sixty-four bytes long, give or take."
	i=$((i + 1))
done | head -c 65536 > "$tmp/source"

echo "== 1. demo_copy copies a 64 KiB file, 4 KiB per write():"
echo "   \$ demo_copy source copy"
"$demo_copy" "$tmp/source" "$tmp/copy" 4096 > "$tmp/stdout"
status=$?
sed 's/^/   /' "$tmp/stdout"
echo "   exit status $status"
[ $status -eq 0 ] || fail "the native copy should succeed"
cmp -s "$tmp/source" "$tmp/copy" || fail "the native copy should be identical"
rm -f "$tmp/copy"

echo
echo "== 2. The same copy on a disk that fills up at the third write:"
echo "   \$ sysfault run --seed 1 -s $scenario -- demo_copy source copy"
"$sysfault" run --seed 1 -s "$scenario" -- "$demo_copy" "$tmp/source" "$tmp/copy" 4096 \
	2> "$tmp/stderr"
status=$?
sed 's/^/   /' "$tmp/stderr"
echo "   exit status $status"
[ $status -eq 1 ] || fail "the copy should exit 1 when the disk is full"
grep -q '^copy: write failed: No space left on device$' "$tmp/stderr" \
	|| fail "the copy should say 'copy: write failed: No space left on device'"
grep -q '^sysfault: rule 1 "enospc" .*injected 1$' "$tmp/stderr" \
	|| fail "the summary should show one injection by rule \"enospc\""
[ ! -e "$tmp/copy" ] || fail "the partial copy should have been removed"

echo
if [ $ok -eq 0 ]; then
	echo "The program met a full disk, reported it plainly, removed its partial"
	echo "output and exited non-zero: what a careful program should do."
	echo "Try it on your own: sysfault run -s scenarios/disk-full.cfg -- YOUR COMMAND"
fi
exit $ok
