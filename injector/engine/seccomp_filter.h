/*
 * The seccomp fast path: a BPF filter that sends only the syscalls some
 * rule selects to the tracer (SECCOMP_RET_TRACE), or under the notify
 * engine to its listener (SECCOMP_RET_USER_NOTIF) where route.h says so,
 * and lets every other call run at native speed.  Built by the tracer as
 * classic BPF (not through libseccomp: seccomp_filter.c says why),
 * installed by the child just before it execs the command.
 */
#ifndef SF_SECCOMP_FILTER_H
#define SF_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>

#include "rules/point.h"
#include "engine/route.h"
#include "rules/rule.h"

/* Linux 5.19 (notify.c says why it is used); Debian 12's headers have it, older ones may not. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* SECCOMP_RET_DATA of the stops the filter makes. */
enum {
	SF_SECCOMP_SELECTED = 0,   /* a rule selects this (ABI, number) and may match these arguments */
	SF_SECCOMP_BADARCH = 1,    /* an ABI the filter does not know: the tracer decides */
	SF_SECCOMP_HANDOVER = 2,   /* the child hands its listener over: argument 0 is the fd, or -1 */
};

/*
 * The hand-over call's x86_64 number: no syscall has it (the kernel
 * answers ENOSYS), no rule can select it (>= SF_NR_LIMIT), and it is below
 * the x32 bit.
 */
#define SF_SECCOMP_HANDOVER_NR 0x3ffff000u

struct sf_seccomp_prog {
	struct sock_filter *insns;
	unsigned short len;
	bool has_listener;         /* some call goes to USER_NOTIF: installed with a new listener */
	bool has_handover;         /* the child makes the hand-over call after installing it */
};

/*
 * Builds the filter for RULES, plus the calls that read or set a CPU
 * affinity when WATCH_AFFINITY (sysfault pins the tree: see placement.h);
 * for a point run (POINT not NULL), only the calls it needs
 * (sf_point_needs_call).  With ROUTE (the notify engine), the calls it
 * has the listener answer return USER_NOTIF, the others TRACE, and the
 * hand-over call stops.
 * Where every rule selecting a number has conditions seccomp_data can
 * decide (fd numbers, args, --trace-fds), the filter stops that number
 * only when some rule's conditions hold; the rules still check every
 * filter at the stop, so a call it lets through may match nothing, and a
 * call it drops is one no rule could match.  A program too big for the
 * kernel stops numbers unconditionally instead.  RULES must be finalized
 * (sf_rules_finalize).  Returns 0 or -errno (nothing reported).
 */
int sf_seccomp_build(const struct sf_rules *rules, bool watch_affinity, const struct sf_point *point,
		     const struct sf_route *route, struct sf_seccomp_prog *prog);
/*
 * PROG with every USER_NOTIF made TRACE, the hand-over kept, into OUT: what
 * the child installs when the kernel refuses a second listener (EBUSY:
 * another supervisor already has one on the process's filters).  0 or
 * -ENOMEM.
 */
int sf_seccomp_without_listener(const struct sf_seccomp_prog *prog, struct sf_seccomp_prog *out);
void sf_seccomp_release(struct sf_seccomp_prog *prog);

/*
 * Installs PROG in the calling process (the child, before exec).  Without
 * CAP_SYS_ADMIN the kernel demands NO_NEW_PRIVS first, which is then set:
 * setuid programs in the tree no longer gain privileges (see README).
 * Returns the listener's fd (close-on-exec) when PROG has_listener, else
 * 0; or -errno.  Async-signal-safe, no allocation, errno untouched: it
 * runs in a child that shares the tracer's memory (launch.c).
 */
int sf_seccomp_install(const struct sf_seccomp_prog *prog);

/* Whether this kernel has seccomp filters with SECCOMP_RET_TRACE. */
bool sf_seccomp_available(void);

#endif
