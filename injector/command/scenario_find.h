/*
 * Ready-made scenarios by name: `-s disk-full` for the installed
 * disk-full.cfg, and `sysfault list scenarios`.  Where they are looked for
 * is decided here alone (README "Installing"); loading is the library's.
 */
#ifndef SF_SCENARIO_FIND_H
#define SF_SCENARIO_FIND_H

#include <stdio.h>

#include "sysfault/sysfault.h"

/*
 * Adds the rules of ARG to SC: a path, or a file of that name in the
 * working directory, as sf_scenario_load_file() takes it; else, for a bare
 * NAME (no '/'), NAME or NAME.cfg in the first scenario directory that has
 * it.  OPTION ("-s") names the option in messages, NULL for an operand.
 * Returns 0, or 125 after one line: the library's for a bad file, else one
 * naming the places searched, with "did you mean" when a name is close.
 */
int sf_cli_scenario_load(struct sf_scenario *sc, const char *arg, const char *option);

/*
 * `sysfault list scenarios`: per scenario directory that holds any, a
 * "# DIR" line, then "NAME  DESCRIPTION" per .cfg file not shadowed by an
 * earlier directory, DESCRIPTION being the file's first comment line.
 */
void sf_cli_scenarios_list(FILE *out);

#endif
