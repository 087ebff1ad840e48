#!/bin/sh
# The command line as issue 14 asks it, through a checkout's sysfault:
# every command's -h and --help print its usage on stdout and exit 0, the
# same as `sysfault help COMMAND`; -V and --version exit 0; a misspelt
# option of every subcommand, a misspelt subcommand and a misspelt help
# topic get one line with "did you mean" and 125; ready-made scenarios by
# bare name (from the checkout's scenarios/), a file of that name in the
# working directory first, `list scenarios` showing every scenarios/*.cfg
# with its first comment line.
# Usage: cli.sh SYSFAULT
set -eu
sysfault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."
src=$(pwd)
tmp=$(mktemp -d /tmp/sysfault-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
	echo "cli: FAILED: $*" >&2
	failed=1
}

for cmd in run check list explore merge; do
	for opt in -h --help; do
		"$sysfault" "$cmd" "$opt" >"$tmp/out" 2>"$tmp/err" || fail "sysfault $cmd $opt exited $?"
		head -n 1 "$tmp/out" | grep -q "^usage: sysfault $cmd" || fail "sysfault $cmd $opt: no usage line on stdout"
		[ ! -s "$tmp/err" ] || fail "sysfault $cmd $opt wrote to stderr"
	done
	"$sysfault" help "$cmd" | cmp -s - "$tmp/out" || fail "sysfault help $cmd differs from sysfault $cmd --help"
done
for opt in -h --help; do
	"$sysfault" "$opt" | grep -q -- '--scenario' || fail "sysfault $opt does not show run's options"
done
for opt in -V --version; do
	"$sysfault" "$opt" | grep -qx 'sysfault [0-9]*\.[0-9]*\.[0-9]*' || fail "sysfault $opt: no 'sysfault X.Y.Z'"
done
echo "cli: -h, --help, help COMMAND, -V and --version exit 0 with their text on stdout"

# refused WANT ARG...: exit 125, one line on stderr holding WANT, nothing on stdout.
refused() {
	want=$1
	shift
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -eq 125 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ] ||
		fail "'$*': exit $rc, expected 125 and one line with \"$want\": $(cat "$tmp/err")"
}
refused "did you mean '--summary'?" "$sysfault" run --sumary text -- true
refused "did you mean '--jobs'?" "$sysfault" explore --jbos 2 -e getppid:error=EIO -- true
refused "did you mean '--junit'?" "$sysfault" merge --jnuit x.xml a.json
refused "did you mean 'run'?" "$sysfault" rnu -- true
refused "did you mean 'explore'?" "$sysfault" help exlpore
refused "did you mean '--version'?" "$sysfault" --verison
echo "cli: misspelt options, commands and help topics: one line with did you mean, 125"

# Ready-made scenarios by name, from the checkout this sysfault was built in.
cd "$tmp"
"$sysfault" list scenarios >"$tmp/list"
grep -qx "# $src/scenarios" "$tmp/list" || fail "list scenarios does not name $src/scenarios: $(head -n 3 "$tmp/list")"
for f in "$src"/scenarios/*.cfg; do
	name=$(basename "$f" .cfg)
	what=$(head -n 1 "$f" | sed -e 's|^// *||' -e "s|^$name.cfg: *||" -e 's|\.*$||')
	grep -qxF "$(printf '%-16s %s' "$name" "$what")" "$tmp/list" ||
		fail "list scenarios: no line '$name  $what'"
	"$sysfault" check "$name" >/dev/null || fail "sysfault check $name (a ready-made name) exited $?"
done
echo "cli: list scenarios shows every scenarios/*.cfg with its first comment line; check takes their names"
rc=0
"$sysfault" run -s disk-full -- dd if=/dev/zero of="$tmp/x" bs=4k count=10 2>"$tmp/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "($src/scenarios/disk-full.cfg:" "$tmp/err" ||
	fail "run -s disk-full in a checkout: exit $rc, not the checkout's disk-full.cfg: $(tail -n 1 "$tmp/err")"
refused "did you mean 'disk-full'?" "$sysfault" run -s disk-ful -- true
refused "did you mean 'slow-disk'?" "$sysfault" explore -s slow-dsk -- true
# A file of that name in the working directory is that file, as before names existed.
printf 'rules = ( { syscalls = "getppid"; error = "EIO"; } );\n' >"$tmp/disk-full"
"$sysfault" check disk-full | grep -q getppid || fail "a file 'disk-full' in the working directory does not come first"
echo "cli: -s NAME finds the checkout's scenario; a misspelt one gets did you mean; a file here comes first"

[ "$failed" -eq 0 ] || exit 1
echo "cli: the command line of issue 14 works"
