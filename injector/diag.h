/*
 * Diagnostics: one printf-checked family for every message sysfault prints.
 * User mistakes are reported once, where the file and line are known; code
 * below that returns an error value upward and never prints.
 */
#ifndef SF_DIAG_H
#define SF_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "sysfault/sysfault.h"

#define SF_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* "ORIGIN: what is wrong; what would be right" (ORIGIN is FILE:LINE or -e 'SPEC'). */
void sf_user_error(const char *origin, const char *fmt, ...) SF_PRINTF(2, 3);
/* "sysfault: ..." for failures of the harness itself (which call, pid, errno). */
void sf_error(const char *fmt, ...) SF_PRINTF(1, 2);
/* "sysfault: warning: ..." */
void sf_warning(const char *fmt, ...) SF_PRINTF(1, 2);
/* "sysfault: ..." for informational lines shown unless -q. */
void sf_info(const char *fmt, ...) SF_PRINTF(1, 2);

/*
 * For the parsers, which do not print: writes the reason into WHY and
 * returns -1, so that a caller can `return sf_why(...)`.
 */
int sf_why(char *why, size_t whylen, const char *fmt, ...) SF_PRINTF(3, 4);

/* Hands one finished line to the sink (the tracer process's lines arrive so). */
void sf_diag_emit(enum sf_diag_kind kind, const char *line);
/* What the default sink does: stderr, with the "sysfault: " prefix of KIND. */
void sf_diag_print_default(enum sf_diag_kind kind, const char *line);

/* Verbosity: -1 quiet (only errors), 0 normal, 1 verbose. */
void sf_diag_set_verbosity(int level);
int sf_diag_verbosity(void);

#endif
