#!/bin/sh
# CI step: the libFuzzer harnesses of tests/fuzz/ (make fuzz), each for
# FUZZ_SECONDS (60: about 5 minutes in all, most of it fuzzing).  Installs
# clang and libFuzzer's runtime when they are missing (Debian 12, as root):
# clang only recommends libclang-rt-dev, and apt runs without recommends.
set -eu
cd "$(dirname "$0")/.."
exec </dev/null

# Whether clang links a libFuzzer program here.
fuzzer_links() {
	command -v clang >/dev/null 2>&1 || return 1
	tmp=$(mktemp -d /tmp/sysfault-fuzz.XXXXXX)
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' >"$tmp/t.c"
	rc=0
	clang -fsanitize=fuzzer,address,undefined -o "$tmp/t" "$tmp/t.c" >/dev/null 2>&1 || rc=1
	rm -rf "$tmp"
	return $rc
}

sh ci/install-deps.sh
if ! fuzzer_links; then
	if [ "$(id -u)" != 0 ]; then
		echo "ci/fuzz.sh: clang cannot link -fsanitize=fuzzer; install: sudo apt-get install clang libclang-rt-dev" >&2
		exit 1
	fi
	echo "ci/fuzz.sh: installing clang libclang-rt-dev" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
	fuzzer_links || { echo "ci/fuzz.sh: clang still cannot link -fsanitize=fuzzer" >&2; exit 1; }
fi
echo "ci/fuzz.sh: $(clang --version | head -n 1)"
exec make -j"$(nproc)" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
