/*
 * Durations as users write them ("10ms", "1.5s", "2m"), for delay_enter=,
 * delay_exit= and --timeout alike.  Parsing only: never prints, never sleeps.
 */
#ifndef SF_DURATION_H
#define SF_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* The units a duration may carry, smallest first; each is also a suffix. */
enum sf_time_unit {
	SF_UNIT_NS,              /* "ns" */
	SF_UNIT_US,              /* "us" */
	SF_UNIT_MS,              /* "ms" */
	SF_UNIT_S,               /* "s" */
	SF_UNIT_M,               /* "m", minutes */
	SF_UNIT_H,               /* "h" */
};

/*
 * Parses TEXT: decimal digits, an optional fraction (".5"), then one of the
 * suffixes above or none, with no sign or space anywhere.  A bare number
 * is in BARE_UNIT: strace reads delay_enter=5 as 5 us, while --timeout 5
 * is 5 s.  The result is rounded down to the nanosecond.  Returns 0 with
 * *NS set, or -1 with a one-line reason in WHY (empty, negative, not a
 * number, unknown suffix, or more than UINT64_MAX ns, about 584 years).
 */
int sf_duration_parse(const char *text, enum sf_time_unit bare_unit, uint64_t *ns,
		      char *why, size_t whylen);

#endif
