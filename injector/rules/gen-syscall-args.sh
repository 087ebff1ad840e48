#!/bin/sh
# Turns syscall_args.in (argument roles, as data) into the table that
# syscall_args.c looks names up in, on stdout, sorted by name for bsearch.
# A malformed line stops the build with "FILE:LINE: what is wrong".
set -eu

if [ $# -ne 1 ]; then
	echo "usage: gen-syscall-args.sh syscall_args.in > syscall_args_table.c" >&2
	exit 2
fi

awk '
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
BEGIN {
	split("- fd dirfd path buf count iov iovcnt addr", names, " ")
	for (i in names)
		role[names[i]] = "SF_ARG_" (names[i] == "-" ? "OTHER" : toupper(names[i]))
}
/^#/ || /^[ \t]*$/ { next }
$2 == "=" {
	if (NF != 3)
		fail("expected \"NAME = NAME\"")
	if (!($3 in roles_of))
		fail("\"" $3 "\" is not listed above")
	add($1, roles_of[$3])
	next
}
$1 ~ /:$/ {
	name = substr($1, 1, length($1) - 1)
	if (NF - 1 > 6)
		fail("more than 6 arguments")
	r = ""
	for (i = 2; i <= NF; i++) {
		if (!($i in role))
			fail("unknown role \"" $i "\"")
		r = r (r == "" ? "" : ", ") role[$i]
	}
	add(name, "{ " (r == "" ? "SF_ARG_OTHER" : r) " }, " NF - 1)
	next
}
{ fail("expected \"NAME: ROLE...\" or \"NAME = NAME\"") }
function add(name, r) {
	if (name in roles_of)
		fail("\"" name "\" twice")
	roles_of[name] = r
	order[n++] = name
}
END {
	if (failed)
		exit 1
	print "/* Generated from syscall_args.in by gen-syscall-args.sh. */"
	print "#include \"rules/syscall_args.h\""
	print ""
	print "const struct sf_syscall_args_entry sf_syscall_args_table[] = {"
	# Insertion sort by name (C locale order, as strcmp), a few hundred lines.
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && order[j - 1] > order[j]; j--) {
			t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
		}
	}
	for (i = 0; i < n; i++)
		printf "\t{ \"%s\", { %s } },\n", order[i], roles_of[order[i]]
	print "};"
	print "const unsigned sf_syscall_args_count = sizeof(sf_syscall_args_table) / sizeof(sf_syscall_args_table[0]);"
}' "$1"
