/*
 * strace's own options that a pasted recipe carries (`strace -f -qq -P
 * /etc/hostname -e trace=none -e inject=...`): what each means for
 * `sysfault run`.  -P and --trace-fds restrict injection as in strace;
 * -f/-ff are what sysfault always does; -q/-qq, -o and the tracing
 * qualifiers of -e are about strace's trace, which sysfault does not print.
 */
#ifndef SF_STRACE_COMPAT_H
#define SF_STRACE_COMPAT_H

#include <stdbool.h>
#include <stdio.h>

#include "sysfault/sysfault.h"

struct sf_strace_compat {
	unsigned follow;          /* -f given this many times */
	unsigned quiet;           /* -q given this many times */
	const char *output;       /* -o FILE: where the summary goes instead of stderr */
	const char *qualifier;    /* the first -e QUALIFIER= that only shapes strace's output */
};

/* -P PATH (--trace-path). Returns 0 or 125 after the one line. */
int sf_strace_trace_path(struct sf_scenario *sc, const char *path);
/* --trace-fds=SET. Returns 0 or 125. */
int sf_strace_trace_fds(struct sf_scenario *sc, const char *set);

/*
 * -e ARG: inject=/fault= (or a bare set with actions) become a rule;
 * trace=SET limits them to SET, as strace injects only into what it
 * traces; signal=, status=... change nothing.  Returns 0 or 125.
 */
int sf_strace_e(struct sf_scenario *sc, struct sf_strace_compat *st, const char *arg);

/*
 * -o FILE: opens FILE for the summary (created or truncated, as strace
 * does; outfile.h's symlink rule).  Returns 0 with *OUT set, or 125.
 */
int sf_strace_open_output(const struct sf_strace_compat *st, FILE **out);

/* With -v, says once what the strace options given mean here (stderr). */
void sf_strace_explain(const struct sf_strace_compat *st);

#endif
