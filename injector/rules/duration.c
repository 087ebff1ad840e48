/*
 * The one duration grammar: delays of scenario files and -e specs and the
 * command line's --timeout read the same text the same way and refuse it
 * with the same words.  Never prints: callers know where the text came from.
 */
#include "rules/duration.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "diag.h"

/*
 * Indexed by enum sf_time_unit.  Suffixes match in any case, as strace's
 * (src/util.c str2timescale_ex compares with strcasecmp); m and h are ours.
 */
static const struct {
	const char *suffix;
	const char *word;        /* for "a bare number is ..." */
	uint64_t ns;
} units[] = {
	[SF_UNIT_NS] = { "ns", "nanoseconds", 1 },
	[SF_UNIT_US] = { "us", "microseconds", 1000 },
	[SF_UNIT_MS] = { "ms", "milliseconds", 1000000 },
	[SF_UNIT_S] = { "s", "seconds", 1000000000 },
	[SF_UNIT_M] = { "m", "minutes", 60000000000 },
	[SF_UNIT_H] = { "h", "hours", 3600000000000 },
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

/* Fraction digits past this many are below a nanosecond of any unit. */
enum { MAX_FRACTION_DIGITS = 18 };

/* "WHAT \"TEXT\"; what would be right" (no TEXT when it is empty). */
static int refuse(char *why, size_t whylen, const char *what, const char *text,
		  enum sf_time_unit bare_unit)
{
	return sf_why(why, whylen, "%s%s%s%s; write a number with ns, us, ms, s, m or h, "
		      "e.g. 10ms (a bare number is %s)", what, *text ? " \"" : "", text,
		      *text ? "\"" : "", units[bare_unit].word);
}

/*
 * Digits with at most one '.': "5", "1.5", and as strace's parse_ts
 * (src/util.c, strtod) also ".5" and "5."; not ".", "1..5".  strtod's
 * other forms (a sign, leading blanks, 1e3, 0x10, inf) stay refused: this
 * grammar is exact to the nanosecond, and none of them is how a delay is
 * written (README, "Differences from strace").
 */
static bool is_decimal(const char *num, size_t len)
{
	const char *dot = memchr(num, '.', len);

	if (len == 0 || (len == 1 && dot))
		return false;
	return !dot || !memchr(dot + 1, '.', len - (size_t)(dot + 1 - num));
}

/* The unit SUFFIX names ("" is BARE), or -1. */
static int unit_of(const char *suffix, enum sf_time_unit bare)
{
	if (*suffix == '\0')
		return (int)bare;
	for (size_t i = 0; i < NUNITS; i++)
		if (strcasecmp(suffix, units[i].suffix) == 0)
			return (int)i;
	return -1;
}

/*
 * NUM (LEN characters, is_decimal) times UNIT_NS, rounded down; -1 past
 * UINT64_MAX.  128 bits hold any fraction times any unit exactly.
 */
static int scale(const char *num, size_t len, uint64_t unit_ns, uint64_t *ns)
{
	unsigned __int128 whole = 0, frac = 0, frac_div = 1;
	size_t i = 0;

	for (; i < len && num[i] != '.'; i++) {
		whole = whole * 10 + (unsigned)(num[i] - '0');
		if (whole > UINT64_MAX)
			return -1;
	}
	for (i++; i < len && frac_div < 1000000000000000000ull; i++) {
		frac = frac * 10 + (unsigned)(num[i] - '0');
		frac_div *= 10;
	}
	unsigned __int128 total = whole * unit_ns + frac * unit_ns / frac_div;
	if (total > UINT64_MAX)
		return -1;
	*ns = (uint64_t)total;
	return 0;
}

int sf_duration_parse(const char *text, enum sf_time_unit bare_unit, uint64_t *ns,
		      char *why, size_t whylen)
{
	size_t len = strspn(text, "0123456789.");
	int unit;

	if (*text == '\0')
		return refuse(why, whylen, "empty duration", text, bare_unit);
	if (*text == '-')
		return refuse(why, whylen, "negative duration", text, bare_unit);
	/* Also "nan", "inf", "+1", " 1": strtod's extras are no durations. */
	if (!is_decimal(text, len))
		return refuse(why, whylen, "bad duration", text, bare_unit);
	unit = unit_of(text + len, bare_unit);
	if (unit < 0)
		return refuse(why, whylen, "bad unit in duration", text, bare_unit);
	if (scale(text, len, units[unit].ns, ns) < 0)
		return sf_why(why, whylen, "duration \"%s\" is too long; the most is 2^64-1 ns, "
			      "about 584 years", text);
	return 0;
}
