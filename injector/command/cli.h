/*
 * Values the subcommands share on the command line (durations, counts),
 * their one-line usage error and "did you mean" for long options.  Parsing
 * only: nothing here runs anything.
 */
#ifndef SF_CLI_H
#define SF_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "sysfault/sysfault.h"

/* "sysfault: <message>; see 'sysfault --help'" on stderr; returns 125. */
int sf_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * --timeout: rules/duration.h's grammar ("30s", "500ms", "2m", "1h", "1.5");
 * a bare number is seconds, and 0 is refused.  sf_cli_timeout() prints
 * "sysfault: OPTION 'ARG': <the parser's reason>; see 'sysfault --help'"
 * and returns 125 when ARG is no timeout, 0 otherwise.
 */
int sf_cli_timeout(const char *option, const char *arg, double *seconds);

/*
 * The long option of OPTIONS (getopt_long's table, ended by a NULL name)
 * nearest to ARG as written ("--timout" or "--timout=5s"), by suggest.h's
 * rule, for "did you mean '--timeout'?"; NULL when nothing is close.
 */
struct option;
const char *sf_cli_suggest_option(const char *arg, const struct option *options);
/*
 * getopt_long's '?' or ':' (C) for the word BAD: the one usage line, with
 * "did you mean" when an option of OPTIONS is close.  Returns 125.
 */
int sf_cli_bad_option(int c, const char *bad, const struct option *options);

/*
 * --seed: a whole number from 0 to INT64_MAX, the range of a scenario's
 * `seed` and of a JSON integer (explore's report keeps it for merge).
 * Returns 0, or 125 after the usage line.
 */
int sf_cli_seed(const char *arg, uint64_t *seed);

/*
 * A list option such as --fail-on or --isolate: "none", or names of
 * NAMES[0..N-1] joined by commas.  Sets bit I of *BITS for NAMES[I] (none
 * for "none", or a list of commas only); 0, or -1 at a name not in NAMES.
 */
int sf_cli_name_bits(const char *list, const char *const names[], unsigned n, unsigned *bits);

/* A whole decimal number in [MIN, MAX]. */
bool sf_cli_count(const char *s, unsigned long min, unsigned long max, unsigned long *v);

/*
 * --loader-calls count|skip, for run and explore alike: stores the choice
 * in *CALLS and returns 0, or 125 after the usage line.
 */
int sf_cli_loader_calls(const char *arg, enum sf_loader_calls *calls);

#endif
