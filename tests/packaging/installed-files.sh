#!/bin/sh
# What `make install DESTDIR=STAGE PREFIX=P` put in place, used as a user
# would with nothing but those files: the four man pages render with
# `man -l` (no warnings) and carry the version; the command's --help and --version exit 0;
# `-s disk-full` finds the installed scenario (beside the staged
# executable) and makes dd fail with ENOSPC; a misspelt name gets one line
# and 125; `list scenarios` shows the installed ones; the bash completion
# completes subcommands, options, --engine values and scenario names.
# The library through pkg-config is tests/installed/run.sh's.
# Usage: installed-files.sh STAGE PREFIX (STAGE empty: the files installed
# on this machine, as ci/deb.sh tests the Debian packages)
set -eu
stage=$1 prefix=$2
root=$stage$prefix
bin=$root/bin/sysfault
tmp=$(mktemp -d /tmp/sysfault-installed-files.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
	echo "installed-files: FAILED: $*" >&2
	failed=1
}
version=$("$bin" --version | sed 's/^sysfault //')
cd "$tmp"   # no scenario file of the working directory may answer for an installed one

for page in man1/sysfault.1 man1/sysfault-explore.1 man5/sysfault-scenario.5 man3/libsysfault.3; do
	f=$root/share/man/$page
	[ -f "$f" ] || f=$f.gz   # as Debian installs them
	if [ ! -f "$f" ]; then
		fail "$f is not installed"
	elif ! command -v man >/dev/null 2>&1; then
		echo "installed-files: not run: man -l $page (no man; apt-get install man-db)"
	else
		MANWIDTH=80 man --warnings -l "$f" >"$tmp/page" 2>"$tmp/warn" || fail "man -l $f exited $?"
		[ ! -s "$tmp/warn" ] || fail "man --warnings -l $f: $(head -n 2 "$tmp/warn")"
		grep -q '^NAME' "$tmp/page" || fail "man -l $f shows no NAME section"
		gzip -cdf "$f" | grep -q "^\.TH .* \"sysfault $version\"" || fail "$f does not say \"sysfault $version\" (sysfault --version)"
	fi
done
echo "installed-files: man -l shows the 4 installed pages"

"$bin" --version | grep -q '^sysfault [0-9]' || fail "$bin --version"
"$bin" run --help >"$tmp/help" || fail "sysfault run --help exited $?"
grep -q -- '--scenario' "$tmp/help" || fail "sysfault run --help shows no --scenario"

"$bin" list scenarios >"$tmp/list" || fail "sysfault list scenarios exited $?"
grep -qx "# $root/share/sysfault/scenarios" "$tmp/list" || fail "list scenarios does not name $root/share/sysfault/scenarios: $(head -n 1 "$tmp/list")"
grep -q '^disk-full  *the disk fills up' "$tmp/list" || fail "list scenarios shows no disk-full with its description"

rc=0
"$bin" run -s disk-full -- dd if=/dev/zero of="$tmp/x" bs=4k count=10 2>"$tmp/dd.err" || rc=$?
[ "$rc" -ne 0 ] && grep -q 'No space left on device' "$tmp/dd.err" ||
	fail "sysfault run -s disk-full -- dd exited $rc without ENOSPC: $(cat "$tmp/dd.err")"
grep -q "rule 1 \"enospc\" ($root/share/sysfault/scenarios/disk-full.cfg:" "$tmp/dd.err" ||
	fail "the summary does not name the installed disk-full.cfg: $(tail -n 1 "$tmp/dd.err")"
echo "installed-files: sysfault run -s disk-full -- dd fails on ENOSPC"

rc=0
"$bin" run -s disk-ful -- true 2>"$tmp/ful.err" || rc=$?
[ "$rc" -eq 125 ] && [ "$(wc -l <"$tmp/ful.err")" -eq 1 ] && grep -q "did you mean 'disk-full'" "$tmp/ful.err" ||
	fail "-s disk-ful: exit $rc, expected 125 and one line with did you mean: $(cat "$tmp/ful.err")"

# Completion: what bash would offer after the words given, one per line.
completion=$root/share/bash-completion/completions/sysfault
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sysfault; printf "%s\n" "${COMPREPLY[@]}" | sort' \
		complete "$completion" "$bin" "$@"
}
expect() {
	want=$1
	shift
	got=$(complete_words "$@" | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "completing 'sysfault $*': got '$got', expected '$want'"
}
if [ ! -f "$completion" ]; then
	fail "$completion is not installed"
elif ! command -v bash >/dev/null 2>&1; then
	echo "installed-files: not run: bash completion (no bash)"
else
	expect 'check ' ch
	expect 'explore ' ex
	expect 'auto notify ptrace seccomp ' run --engine ''
	expect 'seccomp ' run -v --engine s
	expect 'notify ' run --engine n
	expect '--engine ' run --eng
	expect '--fail-on ' explore --fail
	expect 'crash,hang ' explore --fail-on crash,h
	expect 'disk-full ' run -s disk-f
	expect 'scenarios ' list sc
	complete_words '' | grep -qx run || fail "completing 'sysfault ': no run"
	echo "installed-files: bash completion completes subcommands, options, --engine values and scenarios"
fi
if ! command -v zsh >/dev/null 2>&1; then
	echo "installed-files: not run: zsh completion syntax (no zsh)"
else
	zsh_file=$root/share/zsh/site-functions/_sysfault
	[ -f "$zsh_file" ] || zsh_file=$root/share/zsh/vendor-completions/_sysfault   # Debian's
	if [ ! -f "$zsh_file" ]; then
		fail "no _sysfault in $root/share/zsh/site-functions or vendor-completions"
	elif ! zsh -n "$zsh_file"; then
		fail "zsh -n $zsh_file: not valid zsh"
	else
		echo "installed-files: the zsh completion is installed and parses"
	fi
fi

[ "$failed" -eq 0 ] || exit 1
echo "installed-files: the installed command, pages, scenarios and completion work from $root"
