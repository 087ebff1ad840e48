/*
 * Values the subcommands share on the command line (durations, counts) and
 * their one-line usage error.  Parsing only: nothing here runs anything.
 */
#ifndef SF_CLI_H
#define SF_CLI_H

#include <stdbool.h>

/* "sysfault: <message>; see 'sysfault --help'" on stderr; returns 125. */
int sf_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "30s", "500ms", "250us", "2m", "1h", "1.5s"; a bare number is seconds. */
bool sf_cli_duration(const char *s, double *seconds);

/* A whole decimal number in [MIN, MAX]. */
bool sf_cli_count(const char *s, unsigned long min, unsigned long max, unsigned long *v);

#endif
