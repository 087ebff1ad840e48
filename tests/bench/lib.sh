# Sourced by the bench scripts that run.sh runs (filters.sh, stack.sh,
# sites.sh, point_runs.sh, notify.sh, placement.sh): bench_init SYSFAULT sets $sysfault (absolute),
# $root (the checkout, made the current directory), $out ($BENCH_OUT or
# build/bench), $bin and $tmp under it, and $quick ($BENCH_QUICK).
bench_init() {
	sysfault=$(realpath "$1")
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	cd "$root"
	out=${BENCH_OUT:-build/bench}
	bin=$out/bin
	tmp=$out/tmp
	quick=${BENCH_QUICK:-0}
	mkdir -p "$out" "$bin" "$tmp"
}

say() { printf '== %s\n' "$*"; }

# bench_build NAME SOURCE CFLAGS...: $bin/NAME from SOURCE, again only when SOURCE is newer.
bench_build() {
	local name=$1 src=$2
	shift 2
	if [ ! -x "$bin/$name" ] || [ "$src" -nt "$bin/$name" ]; then
		${CC:-cc} "$@" -o "$bin/$name" "$src"
	fi
}
