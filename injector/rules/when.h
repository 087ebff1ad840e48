/*
 * strace's `when=` grammar: N, N+, N+S, N..M, N..M+S with 1 <= N <= M < 65535
 * and 1 <= S <= 65535, and the trigger arithmetic that goes with it.
 */
#ifndef SF_WHEN_H
#define SF_WHEN_H

#include <stddef.h>

#include "rules/rule.h"

/* The default trigger: every call (1..inf+1). */
struct sf_when sf_when_every(void);

/* Parses TEXT; returns 0, or -1 with a reason (what is wrong; what is right) in WHY. */
int sf_when_parse(const char *text, struct sf_when *out, char *why, size_t whylen);

/* Formats a trigger back in strace's syntax ("3", "2..5+2", "1+"). */
void sf_when_format(const struct sf_when *w, char *buf, size_t size);

/*
 * One call seen by a trigger whose remaining state is *FIRST and *LAST
 * (initialised from the rule's when): returns whether it fires, and
 * advances the state exactly as strace does.
 */
int sf_when_step(const struct sf_when *w, uint16_t *first, uint16_t *last);

#endif
