/*
 * strace's `when=` trigger: parsing, formatting and the per-call arithmetic.
 * Must accept exactly what strace accepts (src/filter_qualify.c) and count
 * exactly as strace does (tamper_with_syscall_entering in src/syscall.c).
 */
#include "rules/when.h"

#include <stdio.h>

#define WHEN_FORMS "use N, N+, N+S, N..M or N..M+S (1 <= N <= M <= 65534, 1 <= S <= 65535)"

struct sf_when sf_when_every(void)
{
	return (struct sf_when){ .first = 1, .last = SF_WHEN_LAST_INF, .step = 1 };
}

/*
 * Plain decimal digits only: strace's strtol would also take spaces and
 * signs, but "when= 3" or "when=+3" is always a typo worth reporting.
 * Returns the value (capped above 65535 so it cannot overflow) or -1 when
 * *P does not start with a digit; *P is left after the digits.
 */
static long when_number(const char **p)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if (v <= 0xffff)
			v = v * 10 + (*s - '0');
	*p = s;
	return v;
}

static int when_fail(char *why, size_t whylen, const char *text, const char *what)
{
	snprintf(why, whylen, "when=%s: %s; %s", text, what, WHEN_FORMS);
	return -1;
}

/* After F or F..L: "", "+" or "+S". */
static int when_parse_step(const char *text, const char *p, struct sf_when *w,
			   char *why, size_t whylen)
{
	if (*p == '\0') {
		/* F fires once (step 0); F..L fires at every call in range. */
		w->step = w->last == SF_WHEN_LAST_INF ? 0 : 1;
		return 0;
	}
	if (*p != '+')
		return when_fail(why, whylen, text, "unexpected characters");
	p++;
	if (*p == '\0') {
		w->step = 1;
		return 0;
	}
	long step = when_number(&p);
	if (step < 0 || *p != '\0')
		return when_fail(why, whylen, text, "the step after '+' must be a number");
	if (step < 1 || step > 0xffff)
		return when_fail(why, whylen, text, "the step must be 1..65535");
	w->step = (uint16_t)step;
	return 0;
}

int sf_when_parse(const char *text, struct sf_when *out, char *why, size_t whylen)
{
	struct sf_when w = sf_when_every();
	const char *p = text;

	if (*text == '\0')
		return when_fail(why, whylen, text, "empty trigger");
	long first = when_number(&p);
	if (first < 0)
		return when_fail(why, whylen, text, "must start with a call number");
	if (first < 1 || first > 0xffff)
		return when_fail(why, whylen, text, "the first call must be 1..65535");
	w.first = (uint16_t)first;
	w.last = SF_WHEN_LAST_INF;
	if (p[0] == '.') {
		if (p[1] != '.')
			return when_fail(why, whylen, text, "a range is written N..M");
		p += 2;
		long last = when_number(&p);
		if (last < 0)
			return when_fail(why, whylen, text, "the range needs an end after '..'");
		if (last < first)
			return when_fail(why, whylen, text, "the range ends before it starts");
		/* strace keeps 65535 to mean "no end", so M stops at 65534. */
		if (last >= SF_WHEN_LAST_INF)
			return when_fail(why, whylen, text, "the range must end at 65534 at most");
		w.last = (uint16_t)last;
	}
	if (when_parse_step(text, p, &w, why, whylen) < 0)
		return -1;
	*out = w;
	return 0;
}

void sf_when_format(const struct sf_when *w, char *buf, size_t size)
{
	if (w->step == 0)
		snprintf(buf, size, "%u", w->first);
	else if (w->last == SF_WHEN_LAST_INF && w->step == 1)
		snprintf(buf, size, "%u+", w->first);
	else if (w->last == SF_WHEN_LAST_INF)
		snprintf(buf, size, "%u+%u", w->first, w->step);
	else if (w->step == 1)
		snprintf(buf, size, "%u..%u", w->first, w->last);
	else
		snprintf(buf, size, "%u..%u+%u", w->first, w->last, w->step);
}

/*
 * strace's countdown: FIRST counts down to the next firing and is reloaded
 * with STEP; LAST counts down the calls left in range.  A FIRST of 0 means
 * "fired once with step 0", a LAST of 0 means "range exhausted".
 */
int sf_when_step(const struct sf_when *w, uint16_t *first, uint16_t *last)
{
	if (*first == 0 || *last == 0)
		return 0;
	if (*last != SF_WHEN_LAST_INF)
		--*last;
	if (--*first != 0)
		return 0;
	*first = w->step;
	return 1;
}
