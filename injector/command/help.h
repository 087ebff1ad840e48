/*
 * The usage text of each subcommand: `sysfault help [COMMAND]`,
 * `sysfault COMMAND --help` and `sysfault --help`.  Text only: each
 * command parses its own options; tests/packaging/man-pages.sh checks that
 * every option shown here is in the man page.
 */
#ifndef SF_HELP_H
#define SF_HELP_H

#include <stdio.h>

/*
 * What a subcommand returns when -h or --help asked for its usage and it
 * printed it instead of running: main() exits 0 for it.  Outside 0..255,
 * so no exit status of the command can be mistaken for it.
 */
#define SF_CLI_HELP_SHOWN 1000

/* The usage of COMMAND ("run", "explore", ...), or NULL for an unknown one. */
const char *sf_help_text(const char *command);

/*
 * `sysfault help [COMMAND]`: the usage of COMMAND on OUT, or of every
 * command for NULL; returns 0, or 125 after one line (with "did you mean")
 * for a command that does not exist.
 */
int sf_help_show(const char *command, FILE *out);

/* -h, --help of COMMAND: its usage on stdout; returns SF_CLI_HELP_SHOWN. */
int sf_help_option(const char *command);

/* The subcommands, NULL-terminated, for "did you mean" and the usage lines. */
extern const char *const sf_help_commands[];

#endif
