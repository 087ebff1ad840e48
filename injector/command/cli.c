/*
 * Command-line values shared by run, explore and merge, so that a duration
 * or a count means the same in each and is refused with the same words.
 */
#include "command/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfault/sysfault.h"

int sf_cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("sysfault: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see 'sysfault --help'\n", stderr);
	return SF_EXIT_USAGE;
}

bool sf_cli_duration(const char *s, double *seconds)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "", 1 }, { "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "m", 60 }, { "h", 3600 },
	};
	char *end;

	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !(v > 0))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(end, units[i].unit)) {
			*seconds = v * units[i].mult;
			return *seconds >= 1e-6 && *seconds < 1e9;
		}
	}
	return false;
}

bool sf_cli_count(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno && *v >= min && *v <= max;
}
