#!/bin/sh
# The man pages as the code has them: each renders without a warning from
# groff (-ww, as man --warnings and lintian do); each has a .TH version
# for make install to stamp; every option `sysfault COMMAND --help` shows
# is in the page of that command; every key the scenario parser accepts is
# in sysfault-scenario(5) (the parser's own "use ..." list, asked through
# `sysfault check`); every SF_API function of the header is in libsysfault(3).
# Usage: man-pages.sh SYSFAULT PAGE...
set -eu
sysfault=$1
shift
cd "$(dirname "$0")/../.."
if ! command -v groff >/dev/null 2>&1; then
	echo "man-pages: not run: no groff (apt-get install groff-base)"
	exit 0
fi
tmp=$(mktemp -d /tmp/sysfault-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
	echo "man-pages: FAILED: $*" >&2
	failed=1
}

pages="$*"
# The page named $1 among those given (a missing one ends the test: $(...) is a subshell).
page_of() {
	for p in $pages; do
		case $p in */"$1") echo "$p"; return ;; esac
	done
	echo "man-pages: FAILED: no page $1 among: $pages" >&2
	exit 1
}

# The page's words with roff's escapes undone: \- is -, fonts are dropped.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' "$1"; }

version=$("$sysfault" --version | sed 's/^sysfault //')
for page in $pages; do
	groff -ww -z -man "$page" >"$tmp/groff" 2>&1 || fail "groff -ww -z -man $page exited $?"
	[ ! -s "$tmp/groff" ] || fail "groff warns about $page: $(head -n 3 "$tmp/groff")"
	head -n 5 "$page" | grep -q '^\.TH .* "sysfault [0-9.]*"' ||
		fail "$page: its .TH line has no \"sysfault VERSION\" (make install puts $version there)"
done

# OPTION is in PAGE as a word of its own (not the start of a longer option).
has_option() {
	plain "$2" | grep -Eq -- "(^|[^-A-Za-z0-9])$1([^-A-Za-z0-9]|\$)"
}

# The options of a usage text: the words that start with '-' before the
# description (two blanks) on each line that starts with an option.
options_of() {
	sed -n 's/^ *\(-[^ ].*\)$/\1/p' | sed 's/   *.*//' | tr ', ' '\n\n' | grep -E -- '^--?[A-Za-z]' | sed 's/=.*//' || true
}

check_command() {
	cmd=$1 page=$2
	"$sysfault" "$cmd" --help >"$tmp/help" 2>"$tmp/help.err" || fail "sysfault $cmd --help exited $?"
	[ ! -s "$tmp/help.err" ] || fail "sysfault $cmd --help wrote to stderr: $(head -n 1 "$tmp/help.err")"
	n=0
	for opt in $(options_of <"$tmp/help"); do
		n=$((n + 1))
		has_option "$opt" "$page" || fail "'sysfault $cmd --help' shows $opt, $page does not"
	done
	[ "$n" -gt 0 ] || fail "sysfault $cmd --help shows no option (not even -h)"
	echo "man-pages: the $n options of 'sysfault $cmd --help' are in $(basename "$page")"
}

sysfault1=$(page_of sysfault.1) && explore1=$(page_of sysfault-explore.1) &&
	scenario5=$(page_of sysfault-scenario.5) && lib3=$(page_of libsysfault.3) || exit 1
for cmd in run check list; do check_command "$cmd" "$sysfault1"; done
for cmd in explore merge; do check_command "$cmd" "$explore1"; done
# The top level's own options: its text up to the first blank line.
"$sysfault" --help | sed '/^$/q' | options_of >"$tmp/top"
[ -s "$tmp/top" ] || fail "sysfault --help shows no option of its own"
for opt in $(cat "$tmp/top"); do
	has_option "$opt" "$sysfault1" || fail "'sysfault --help' shows $opt, $sysfault1 does not"
done

# A key is documented where a .TP entry names it: ".B key" or ".BR key ...".
keys_of() {
	printf '%s\n' "$1" >"$tmp/keys.cfg"
	# "use a, b or c" or "use a, b, or a filter: c, d": the words that are key names.
	"$sysfault" check "$tmp/keys.cfg" 2>&1 | sed -n 's/.*unknown setting "zzzzzzzzzzzz"; use //p' |
		sed -e 's/or a [a-z]*://g' -e 's/ or /, /g' | tr ',' '\n' | tr -d ' ' | grep -E '^[a-z_]+$' || true
}
top_keys=$(keys_of 'zzzzzzzzzzzz = 1;')
rule_keys=$(keys_of 'rules = ({ syscalls = "read"; error = "EIO"; zzzzzzzzzzzz = 1; });')
[ -n "$top_keys" ] && [ -n "$rule_keys" ] ||
	fail "sysfault check no longer lists the keys it knows after 'unknown setting': this test must learn the new wording"
plain "$scenario5" | awk 'prev == ".TP" { print } { prev = $1 }' | tr -d '",' | tr ' ' '\n' >"$tmp/entries"
n=0
for key in $top_keys $rule_keys; do
	n=$((n + 1))
	grep -qx -- "$key" "$tmp/entries" || fail "the scenario parser accepts '$key', $scenario5 has no entry for it"
done
echo "man-pages: the $n scenario keys the parser accepts are in $(basename "$scenario5")"

# Every SF_API function of the header, in the synopsis and described.
n=0
for fn in $(sed -n 's/^SF_API [^(]*[ *]\(sf_[a-z0-9_]*\)(.*/\1/p' include/sysfault/sysfault.h); do
	n=$((n + 1))
	plain "$lib3" | grep -q "$fn(" || fail "$lib3: $fn is not in the synopsis"
	plain "$lib3" | grep -q "^\.BR $fn ()" || fail "$lib3: $fn is not described (.BR $fn ())"
done
echo "man-pages: the $n SF_API functions of sysfault.h are in $(basename "$lib3")"

if [ "$failed" -ne 0 ]; then
	exit 1
fi
echo "man-pages: $(echo $pages | wc -w) pages render without warnings and match the code"
