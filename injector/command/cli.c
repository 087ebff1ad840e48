/*
 * Command-line values shared by run, explore and merge, so that a duration
 * or a count means the same in each and is refused with the same words.
 */
#include "command/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/duration.h"
#include "rules/suggest.h"
#include "sysfault/sysfault.h"
#include "text.h"

/* The arguments it echoes are made visible (text.h): one line, whatever they hold. */
int sf_cli_usage(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fputs("sysfault: ", stderr);
	sf_text_fputs(line, stderr);
	fputs("; see 'sysfault --help'\n", stderr);
	return SF_EXIT_USAGE;
}

/* Timeouts past this are typos, and stay exact as doubles and as nanoseconds. */
#define TIMEOUT_MAX_S 1e9

/* duration.h's grammar with bare seconds; a timeout of 0 would end every run at once. */
static int timeout_seconds(const char *s, double *seconds, char *why, size_t whylen)
{
	uint64_t ns;

	if (sf_duration_parse(s, SF_UNIT_S, &ns, why, whylen) < 0)
		return -1;
	if (ns == 0 || ns >= (uint64_t)(TIMEOUT_MAX_S * 1e9)) {
		snprintf(why, whylen, "a timeout must be more than 0 and less than %.0fs",
			 TIMEOUT_MAX_S);
		return -1;
	}
	*seconds = (double)ns / 1e9;
	return 0;
}

int sf_cli_timeout(const char *option, const char *arg, double *seconds)
{
	char why[256];

	if (timeout_seconds(arg, seconds, why, sizeof(why)) == 0)
		return 0;
	return sf_cli_usage("%s '%s': %s", option, arg, why);
}

const char *sf_cli_suggest_option(const char *arg, const struct option *options)
{
	struct sf_suggestion sg;
	char name[64];

	if (!arg || strncmp(arg, "--", 2) != 0 || !options)
		return NULL;
	/* "--timout=5s" is getopt's spelling of an option with its value. */
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	sf_suggestion_init(&sg, name);
	for (; options->name; options++)
		sf_suggestion_offer(&sg, options->name, options->name);
	return sg.best;
}

int sf_cli_seed(const char *arg, uint64_t *seed)
{
	unsigned long v;

	if (!sf_cli_count(arg, 0, INT64_MAX, &v))
		return sf_cli_usage("--seed '%s': expected an integer from 0 to %lld", arg,
				    (long long)INT64_MAX);
	*seed = v;
	return 0;
}

int sf_cli_bad_option(int c, const char *bad, const struct option *options)
{
	const char *hint = c == '?' ? sf_cli_suggest_option(bad, options) : NULL;

	if (hint)
		return sf_cli_usage("unknown option '%s'; did you mean '--%s'?", bad, hint);
	if (c == ':')
		return sf_cli_usage("option '%s' lacks its value", bad);
	return sf_cli_usage("option '%s' is unknown or lacks its value", bad);
}

int sf_cli_name_bits(const char *list, const char *const names[], unsigned n, unsigned *bits)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	*bits = 0;
	if (!copy)
		return -1;
	if (strcmp(copy, "none"))
		for (char *name = strtok_r(copy, ",", &save); name && !rc; name = strtok_r(NULL, ",", &save)) {
			unsigned i = 0;
			while (i < n && strcmp(name, names[i]))
				i++;
			if (i == n)
				rc = -1;
			else
				*bits |= 1u << i;
		}
	free(copy);
	return rc;
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

int sf_cli_loader_calls(const char *arg, enum sf_loader_calls *calls)
{
	if (!strcmp(arg, "count"))
		*calls = SF_LOADER_CALLS_COUNT;
	else if (!strcmp(arg, "skip"))
		*calls = SF_LOADER_CALLS_SKIP;
	else
		return sf_cli_usage("--loader-calls '%s': expected count or skip", arg);
	return 0;
}
