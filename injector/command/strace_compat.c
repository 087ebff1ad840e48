/*
 * strace's options on sysfault's command line.  The qualifiers of -e that
 * only shape strace's trace are accepted so that a recipe pastes whole;
 * trace= is still parsed as a syscall set, so that a typo there is the
 * same mistake it is for strace.
 */
#include "command/strace_compat.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "command/cli.h"
#include "outfile.h"
#include "text.h"

/* strace's -e qualifiers that choose what its trace shows, not what runs. */
static const char *const output_qualifiers[] = {
	"trace", "t", "abbrev", "a", "verbose", "v", "raw", "x", "signal", "signals", "s",
	"read", "reads", "r", "write", "writes", "w", "quiet", "silent", "silence", "q",
	"status", "decode-fds", "decode-fd", "decode-pids", "decode-pid", "kvm", "trace-fds",
	NULL,
};

int sf_strace_trace_path(struct sf_scenario *sc, const char *path)
{
	return sf_scenario_trace_path(sc, path) ? SF_EXIT_USAGE : 0;
}

int sf_strace_trace_fds(struct sf_scenario *sc, const char *set)
{
	return sf_scenario_trace_fds(sc, set) ? SF_EXIT_USAGE : 0;
}

/* The qualifier of ARG ("trace" of "trace=open") when it is one of strace's output ones. */
static bool is_output_qualifier(const char *arg, size_t *len)
{
	const char *eq = strchr(arg, '=');

	if (!eq)
		return false;
	*len = (size_t)(eq - arg);
	for (int i = 0; output_qualifiers[i]; i++)
		if (strlen(output_qualifiers[i]) == *len && strncmp(arg, output_qualifiers[i], *len) == 0)
			return true;
	return false;
}

/* trace=SET (and t=): strace injects only into what it traces, so the rules act only there. */
static int trace_set(struct sf_scenario *sc, const char *arg, size_t len)
{
	if (strncmp(arg, "trace", len) != 0 && strncmp(arg, "t", len) != 0)
		return 0;
	return sf_scenario_trace_syscalls(sc, arg + len + 1) ? SF_EXIT_USAGE : 0;
}

int sf_strace_e(struct sf_scenario *sc, struct sf_strace_compat *st, const char *arg)
{
	size_t len;

	if (strncmp(arg, "trace-fds=", 10) == 0)
		return sf_strace_trace_fds(sc, arg + 10);
	if (is_output_qualifier(arg, &len)) {
		if (!st->qualifier)
			st->qualifier = arg;
		return trace_set(sc, arg, len);
	}
	return sf_scenario_add_spec(sc, arg, "-e") ? SF_EXIT_USAGE : 0;
}

int sf_strace_open_output(const struct sf_strace_compat *st, FILE **out)
{
	int fd = sf_outfile_open(st->output);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		int err = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		return sf_cli_usage("-o '%s': %s", st->output, strerror(err));
	}
	*out = f;
	return 0;
}

/* "sysfault: BEFORE<user text, made visible>AFTER" on stderr. */
static void note(const char *before, const char *user, const char *after)
{
	fprintf(stderr, "sysfault: %s", before);
	sf_text_fputs(user, stderr);
	fprintf(stderr, "%s\n", after);
}

void sf_strace_explain(const struct sf_strace_compat *st)
{
	if (st->follow)
		note("-f: every process and thread the command starts is traced, always", "", "");
	if (st->quiet > 1)
		note("-qq: no notes and no summary", "", "");
	if (st->output)
		note("-o ", st->output, ": sysfault prints no trace; the summary goes there");
	if (st->qualifier)
		note("-e ", st->qualifier, ": sysfault prints no trace; as in strace, -e trace= "
		     "limits injection to the calls it names, the other output options change nothing");
}
