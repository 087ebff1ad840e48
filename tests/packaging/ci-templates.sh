#!/bin/sh
# The CI templates other projects use, run where they would run: a scratch
# git repository holding a tiny C project that is not sysfault (a copy
# program, and a buggy twin that crashes when a write fails).
#   - both files parse as YAML (python3-yaml);
#   - ci/github-action/action.yml: its shell steps (tests/packaging/
#     run-ci-template.py) build and install this checkout into a scratch
#     prefix and explore `make -s check` with the ready-made scenario
#     disk-full by name: the action succeeds and leaves a JUnit report with
#     no failure; on the buggy program its last step fails and the report
#     holds the crash;
#   - ci/gitlab/sysfault.gitlab-ci.yml: .sysfault-explore clones a git
#     repository of this tree at a tag, installs it and explores the same
#     project, publishing its JUnit report; with parallel: 2 both shards
#     and .sysfault-merge give one merged report.
# Offline: nothing is fetched.  Usage: ci-templates.sh
set -eu
# A CI runner's environment, not that of the make running this test: GNU
# make exports its command-line variables (BUILD=, SANITIZE=1, ...) and its
# jobserver, which the templates' own `make` must not inherit.
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD PREFIX DESTDIR BINDIR LIBDIR INCLUDEDIR DATADIR MANDIR \
	BASHCOMPDIR ZSHCOMPDIR STATIC SANITIZE COVERAGE FUZZ CFLAGS LDFLAGS V TESTS 2>/dev/null || true
cd "$(dirname "$0")/../.."
src=$(pwd)
# Debian's python3 first: python3-yaml is for it, whatever python3 PATH finds first.
python=
for py in /usr/bin/python3 python3; do
	if "$py" -c 'import yaml' 2>/dev/null; then
		python=$py
		break
	fi
done
if [ -z "$python" ]; then
	echo "ci-templates: not run: no python3 with yaml (apt-get install python3-yaml)"
	exit 0
fi
if ! command -v git >/dev/null 2>&1; then
	echo "ci-templates: not run: no git"
	exit 0
fi
tmp=$(mktemp -d /tmp/sysfault-ci-templates.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
	echo "ci-templates: FAILED: $*" >&2
	failed=1
}
run_template() { "$python" tests/packaging/run-ci-template.py "$@"; }

for f in ci/github-action/action.yml ci/gitlab/sysfault.gitlab-ci.yml ci/examples/*.yml; do
	"$python" -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f" || fail "$f is not valid YAML"
done
echo "ci-templates: the action, the GitLab template and ci/examples parse as YAML"

# git without the user's configuration, and commits that need no identity.
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@localhost \
	GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@localhost
commit_all() { git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }

# The project: copies in to out in 4-byte writes; copy-bad crashes when one fails.
project=$tmp/project
mkdir -p "$project"
cat >"$project/copy.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char buf[4];
	ssize_t n;
	int in = open(argv[1], O_RDONLY), out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || out < 0)
		return perror("open"), 1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
#ifdef BUGGY
			*(volatile int *)0 = 1;       /* the planted bug: crash on a failed write */
#endif
			return perror("write"), 1;
		}
	return close(out) < 0;
}
C
printf 'CC ?= cc\ncheck: copy\n\t./copy in out\ncheck-bad: copy-bad\n\t./copy-bad in out\n' >"$project/Makefile"
printf 'copy-bad: copy.c\n\t$(CC) -DBUGGY -o $@ copy.c\n' >>"$project/Makefile"
echo "twenty bytes of data" >"$project/in"
commit_all "$project" "a project that is not sysfault"
(cd "$project" && make -s copy copy-bad) || fail "the scratch project does not build"

# ---- GitHub: the composite action's shell steps ----
runner=$tmp/runner
mkdir -p "$runner"
if run_template github ci/github-action/action.yml "$project" "$runner" \
	command='make -s check' scenario=disk-full prefix="$tmp/gh-prefix" jobs=2 >"$tmp/gh.out" 2>&1; then
	grep -q "^junit=$project/sysfault-explore.xml\$" "$tmp/gh.out" || fail "the action's junit output: $(grep junit= "$tmp/gh.out")"
	[ -x "$tmp/gh-prefix/bin/sysfault" ] || fail "the action did not install sysfault into its prefix"
	grep -q '<testcase' "$project/sysfault-explore.xml" || fail "the action's JUnit report has no testcase"
	! grep -q '<failure' "$project/sysfault-explore.xml" || fail "the action's JUnit report has a failure for a correct program"
	echo "ci-templates: the GitHub action installs sysfault and explores a correct project: passes, JUnit written"
else
	fail "the GitHub action failed on a correct project: $(tail -n 15 "$tmp/gh.out")"
fi
rc=0
run_template github ci/github-action/action.yml "$project" "$runner" \
	command='make -s check-bad' scenario=disk-full prefix="$tmp/gh-prefix" reports=bad >"$tmp/gh-bad.out" 2>&1 || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "step 'Fail on findings' failed" "$tmp/gh-bad.out"; then
	fail "the GitHub action on a crashing project: exit $rc, expected its last step to fail with 1: $(tail -n 15 "$tmp/gh-bad.out")"
elif ! grep -q '<failure[^>]*type="crash"' "$project/bad.xml"; then
	fail "the GitHub action's JUnit report does not hold the crash"
else
	echo "ci-templates: the GitHub action fails on a crashing project, the crash in its JUnit report"
fi

# ---- GitLab: the template's jobs, sysfault cloned from a repository at a tag ----
repo=$tmp/sysfault-repo
mkdir -p "$repo"
tar -c --exclude=__pycache__ GNUmakefile README.md ci include injector scenarios tests | tar -x -C "$repo"
commit_all "$repo" "sysfault as this checkout has it" && git -C "$repo" tag v-test
gl() {
	job=$1
	shift
	run_template gitlab ci/gitlab/sysfault.gitlab-ci.yml "$job" "$project" SYSFAULT_REPOSITORY="$repo" \
		SYSFAULT_REF=v-test SYSFAULT_PREFIX="$tmp/gl-prefix" SYSFAULT_SRC="$tmp/gl-src" "$@"
}
rm -f "$project"/sysfault-*
if gl .sysfault-explore SYSFAULT_SCENARIO=disk-full SYSFAULT_COMMAND='make -s check' >"$tmp/gl.out" 2>&1 &&
	grep -q '^report=sysfault-explore.xml$' "$tmp/gl.out" && grep -q '<testcase' "$project/sysfault-explore.xml"; then
	echo "ci-templates: the GitLab template clones, installs and explores: passes, JUnit report published"
else
	fail "GitLab .sysfault-explore: $(tail -n 15 "$tmp/gl.out")"
fi
rc=0
gl .sysfault-explore SYSFAULT_COMMAND='make -s check-bad' >"$tmp/gl-bad.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "GitLab .sysfault-explore on a crashing project: exit $rc, expected 1: $(tail -n 5 "$tmp/gl-bad.out")"
rm -f "$project"/sysfault-*
for k in 1 2; do
	gl .sysfault-explore SYSFAULT_COMMAND='make -s check-bad' SYSFAULT_ARGS='--seed 7' CI_NODE_INDEX=$k CI_NODE_TOTAL=2 \
		>"$tmp/gl-shard$k.out" 2>&1 || fail "GitLab shard $k/2 failed (shards only report): $(tail -n 5 "$tmp/gl-shard$k.out")"
done
rc=0
gl .sysfault-merge >"$tmp/gl-merge.out" 2>&1 || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q '<failure[^>]*type="crash"' "$project/sysfault-explore.xml"; then
	fail "GitLab .sysfault-merge of 2 shards: exit $rc, expected 1 and the crash in the report: $(tail -n 5 "$tmp/gl-merge.out")"
else
	echo "ci-templates: the GitLab template's parallel shards merge into one report that fails on the crash"
fi

[ "$failed" -eq 0 ] || exit 1
echo "ci-templates: the GitHub action and the GitLab template run in a scratch repository"
