/*
 * The seccomp fast path: a BPF filter that sends only the syscalls some
 * rule selects to the tracer (SECCOMP_RET_TRACE) and lets every other call
 * run at native speed.  Built by the tracer as classic BPF (not through
 * libseccomp: seccomp_filter.c says why), installed by the child just
 * before it execs the command.
 */
#ifndef SF_SECCOMP_FILTER_H
#define SF_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>

#include "rules/point.h"
#include "rules/rule.h"

/* SECCOMP_RET_DATA of the stops the filter makes. */
enum {
	SF_SECCOMP_SELECTED = 0,   /* a rule selects this (ABI, number) and may match these arguments */
	SF_SECCOMP_BADARCH = 1,    /* an ABI the filter does not know: the tracer decides */
};

struct sf_seccomp_prog {
	struct sock_filter *insns;
	unsigned short len;
};

/*
 * Builds the filter for RULES, plus the calls that read or set a CPU
 * affinity when WATCH_AFFINITY (sysfault pins the tree: see placement.h);
 * for a point run (POINT not NULL), only the calls it needs
 * (sf_point_needs_call).
 * Where every rule selecting a number has conditions seccomp_data can
 * decide (fd numbers, args, --trace-fds), the filter stops that number
 * only when some rule's conditions hold; the rules still check every
 * filter at the stop, so a call it lets through may match nothing, and a
 * call it drops is one no rule could match.  A program too big for the
 * kernel stops numbers unconditionally instead.  RULES must be finalized
 * (sf_rules_finalize).  Returns 0 or -errno (nothing reported).
 */
int sf_seccomp_build(const struct sf_rules *rules, bool watch_affinity,
		     const struct sf_point *point, struct sf_seccomp_prog *prog);
void sf_seccomp_release(struct sf_seccomp_prog *prog);

/*
 * Installs PROG in the calling process (the child, before exec).  Without
 * CAP_SYS_ADMIN the kernel demands NO_NEW_PRIVS first, which is then set:
 * setuid programs in the tree no longer gain privileges (see README).
 * Returns 0 or -errno.  Async-signal-safe, no allocation, errno untouched:
 * it runs in a child that shares the tracer's memory (launch.c).
 */
int sf_seccomp_install(const struct sf_seccomp_prog *prog);

/* Whether this kernel has seccomp filters with SECCOMP_RET_TRACE. */
bool sf_seccomp_available(void);

#endif
