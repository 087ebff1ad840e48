/*
 * The sysfault command: turns argv into calls of libsysfault.  Usage
 * mistakes are one line and exit 125, and nothing is run.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "explore/explore.h"
#include "explore/sandbox.h"
#include "command/cli.h"
#include "command/strace_compat.h"
#include "command/help.h"
#include "command/scenario_find.h"
#include "sysfault/sysfault.h"
#include "rules/suggest.h"
#include "text.h"


enum { OPT_SEED = 256, OPT_LOG, OPT_SUMMARY, OPT_TIMEOUT, OPT_ENGINE, OPT_RECORD, OPT_POINT,
       OPT_POINTS, OPT_LOADER_CALLS,
       OPT_TRACE_FDS, OPT_IGNORE_DIR };

static const struct option run_options[] = {
	{ "scenario", required_argument, NULL, 's' },
	{ "inject", required_argument, NULL, 'e' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "point", required_argument, NULL, OPT_POINT },
	{ "points", required_argument, NULL, OPT_POINTS },
	{ "loader-calls", required_argument, NULL, OPT_LOADER_CALLS },
	{ "ignore-dir", required_argument, NULL, OPT_IGNORE_DIR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "attach", required_argument, NULL, 'p' },
	/* strace's, so that a recipe pastes whole (strace_compat.h). */
	{ "trace-path", required_argument, NULL, 'P' },
	{ "trace-fds", required_argument, NULL, OPT_TRACE_FDS },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_choice(const char *arg, const char *const names[], int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	return -1;
}

/* What `run` is asked, beyond the library's options. */
struct run_request {
	struct sf_run_options opts;
	enum sf_summary summary;
	struct sf_strace_compat strace;
	int *attach_pids;        /* -p, in the order given; opts.attach_pids points here */
	unsigned nattach, attach_cap;
};

/* -p PID[,PID...] (strace's spelling; repeatable): each a process id above 0. */
static int add_attach_pids(struct run_request *rq, const char *arg)
{
	for (const char *p = arg;; p++) {
		unsigned long pid;
		size_t len = strcspn(p, ",");
		char word[24];
		snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) ? len : sizeof(word) - 1), p);
		if (len >= sizeof(word) || !sf_cli_count(word, 1, INT_MAX, &pid))
			return sf_cli_usage("-p '%s': expected process ids above 0, separated by ','", arg);
		if (rq->nattach == rq->attach_cap) {
			unsigned cap = rq->attach_cap ? rq->attach_cap * 2 : 8;
			int *v = realloc(rq->attach_pids, cap * sizeof(*v));
			if (!v)
				return sf_cli_usage("%s", "out of memory");
			rq->attach_pids = v;
			rq->attach_cap = cap;
		}
		rq->attach_pids[rq->nattach++] = (int)pid;
		p += len;
		if (!*p)
			return 0;
	}
}

/* One option of `run`; returns 0 or an exit status. */
static int run_option(int c, const char *arg, struct sf_scenario *sc, struct run_request *rq)
{
	struct sf_run_options *o = &rq->opts;
	static const char *const engines[] = { "auto", "ptrace", "seccomp", "notify" };
	static const char *const summaries[] = { "text", "json", "none" };
	int i;

	switch (c) {
	case 's':
		return sf_cli_scenario_load(sc, arg, "-s");
	case 'e':
		return sf_strace_e(sc, &rq->strace, arg);
	case 'P':
		return sf_strace_trace_path(sc, arg);
	case OPT_IGNORE_DIR:
		return sf_scenario_ignore_dir(sc, arg) ? SF_EXIT_USAGE : 0;
	case OPT_TRACE_FDS:
		return sf_strace_trace_fds(sc, arg);
	case 'f':
		rq->strace.follow++;
		return 0;
	case 'o':
		rq->strace.output = arg;
		return 0;
	case OPT_SEED:
		o->has_seed = true;
		return sf_cli_seed(arg, &o->seed);
	case OPT_LOG:
		o->log_path = arg;
		return 0;
	case OPT_SUMMARY:
		if ((i = parse_choice(arg, summaries, 3)) < 0)
			return sf_cli_usage("--summary '%s': expected text, json or none", arg);
		rq->summary = (enum sf_summary[]){ SF_SUMMARY_TEXT, SF_SUMMARY_JSON, SF_SUMMARY_NONE }[i];
		return 0;
	case OPT_TIMEOUT: {
		double seconds;
		int rc = sf_cli_timeout("--timeout", arg, &seconds);
		o->timeout_ns = (uint64_t)(seconds * 1e9);
		return rc;
	}
	case OPT_ENGINE:
		if ((i = parse_choice(arg, engines, 4)) < 0)
			return sf_cli_usage("--engine '%s': expected auto, ptrace, seccomp or notify", arg);
		o->engine = (enum sf_engine_kind[]){ SF_ENGINE_AUTO, SF_ENGINE_PTRACE, SF_ENGINE_SECCOMP,
						     SF_ENGINE_NOTIFY }[i];
		return 0;
	case OPT_RECORD:
		o->record_path = arg;
		return 0;
	case OPT_POINT:
		o->point = arg;
		return 0;
	case OPT_POINTS:
		if (strcmp(arg, "site") && strcmp(arg, "occurrence"))
			return sf_cli_usage("--points '%s': expected site or occurrence", arg);
		o->record_by_site = !strcmp(arg, "site");
		return 0;
	case OPT_LOADER_CALLS: {
		enum sf_loader_calls calls;
		if (sf_cli_loader_calls(arg, &calls))
			return SF_EXIT_USAGE;
		return sf_scenario_set_loader_calls(sc, calls) ? SF_EXIT_USAGE : 0;
	}
	case 'q':
		o->verbosity = -1;
		/* strace's -qq: nothing of sysfault's own on stderr but errors. */
		if (++rq->strace.quiet > 1)
			rq->summary = SF_SUMMARY_NONE;
		return 0;
	case 'v':
		o->verbosity = 1;
		return 0;
	case 'p':
		return add_attach_pids(rq, arg);
	case 'h':
		return sf_help_option("run");
	default:
		return sf_cli_usage("%s", "unknown option to 'run'");
	}
}

/*
 * The command died by signal SIG: so does sysfault, as strace does, so
 * that a parent sees what it would have seen without sysfault (a shell
 * still says 128+N).  Without a core of sysfault's own over the
 * command's.  A signal that does not kill (a handler cannot be: SIG_DFL)
 * leaves the caller to exit 128+N.
 */
static void die_by_signal(int sig)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	fflush(NULL);
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

static int cmd_run(int argc, char **argv)
{
	struct run_request rq = { .summary = SF_SUMMARY_TEXT };
	struct sf_result res;
	struct sf_scenario *sc = sf_scenario_new();
	int c, status = 0;

	if (!sc)
		return SF_EXIT_USAGE;
	sf_run_options_init(&rq.opts);
	/* The command is nothing but this run: no tracer process of its own. */
	rq.opts.in_process = true;
	opterr = 0;
	optind = 1;
	while (!status && (c = getopt_long(argc, argv, "+s:e:qvhfP:o:p:", run_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			status = sf_cli_bad_option(c, argv[optind - 1], run_options);
			break;
		}
		status = run_option(c, optarg, sc, &rq);
	}
	if (!status && rq.nattach && optind < argc)
		status = sf_cli_usage("%s", "-p and a command exclude each other: attach to running "
				      "processes, or start COMMAND after '--'");
	else if (!status && !rq.nattach && optind >= argc)
		status = sf_cli_usage("%s", "no command to run: put it after '--' (or attach with -p PID)");
	rq.opts.attach_pids = rq.attach_pids;
	rq.opts.nattach = rq.nattach;
	FILE *summary_out = stderr;
	if (!status && rq.strace.output)
		status = sf_strace_open_output(&rq.strace, &summary_out);
	if (!status && rq.opts.verbosity > 0)
		sf_strace_explain(&rq.strace);
	int term_signal = 0;
	if (!status) {
		if (sf_run(sc, &rq.opts, rq.nattach ? NULL : argv + optind, &res) < 0) {
			status = SF_EXIT_USAGE;
		} else {
			sf_report_summary(&res, rq.summary, summary_out);
			status = res.exit_status;
			if (res.term_signal && status == 128 + res.term_signal)
				term_signal = res.term_signal;
			sf_result_release(&res);
		}
	}
	if (summary_out != stderr)
		fclose(summary_out);
	sf_scenario_free(sc);
	free(rq.attach_pids);
	if (term_signal)
		die_by_signal(term_signal);
	return status;
}

/* -h or --help as the only argument of a command that takes no options. */
static bool asks_help(int argc, char **argv)
{
	return argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
}

static int cmd_check(int argc, char **argv)
{
	int status = 0;

	if (asks_help(argc, argv))
		return sf_help_option("check");
	if (argc < 2)
		return sf_cli_usage("%s", "check needs at least one scenario FILE");
	for (int i = 1; i < argc; i++) {
		struct sf_scenario *sc = sf_scenario_new();
		if (!sc || sf_cli_scenario_load(sc, argv[i], NULL)) {
			status = SF_EXIT_USAGE;
		} else {
			sf_text_fputs(argv[i], stdout);   /* a path may hold any byte: text.h */
			printf(": %u rule%s\n", sf_scenario_rule_count(sc),
			       sf_scenario_rule_count(sc) == 1 ? "" : "s");
			sf_scenario_print(sc, stdout);
		}
		sf_scenario_free(sc);
	}
	return status;
}

static int cmd_list(int argc, char **argv)
{
	/* The library's tables (enum sf_list_kind order), then the command's own. */
	static const char *const kinds[] = { "syscalls", "errnos", "signals", "classes", "scenarios" };
	int i;

	if (asks_help(argc, argv))
		return sf_help_option("list");
	if (argc != 2 || (i = parse_choice(argv[1], kinds, 5)) < 0)
		return sf_cli_usage("%s", "list takes one of: syscalls, errnos, signals, classes, scenarios");
	if (i == 4)
		sf_cli_scenarios_list(stdout);
	else
		sf_list((enum sf_list_kind)i, stdout);
	return 0;
}

/* `sysfault help [COMMAND]`, and an option before any command (--help, -V). */
static int top_level(int argc, char **argv)
{
	static const char *const options[] = { "--help", "--version", NULL };
	const char *arg = argv[1];

	if (!strcmp(arg, "help"))
		return argc > 3 ? sf_cli_usage("%s", "help takes one COMMAND at most")
				: sf_help_show(argc == 3 ? argv[2] : NULL, stdout);
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
		return sf_help_show(NULL, stdout);
	if (!strcmp(arg, "--version") || !strcmp(arg, "-V")) {
		printf("sysfault %s\n", sf_version());
		return 0;
	}
	const char *near = sf_suggest_word(arg, options);
	if (near)
		return sf_cli_usage("unknown option '%s'; did you mean '%s'?", arg, near);
	return sf_cli_usage("unknown option '%s': a command comes first (run, check, list, explore, merge, help)", arg);
}

static int unknown_command(const char *cmd)
{
	const char *near = sf_suggest_word(cmd, sf_help_commands);

	if (near)
		return sf_cli_usage("unknown subcommand '%s'; did you mean '%s'?", cmd, near);
	return sf_cli_usage("unknown subcommand '%s': use run, check, list, explore, merge or help", cmd);
}

static int command(int argc, char **argv)
{
	const char *cmd = argv[0];

	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	/* explore's runs: `__sandbox ... -- run ARGS` is `run ARGS` in a sandbox of its own */
	if (!strcmp(cmd, "__sandbox")) {
		int at = sf_sandbox_enter(argc, argv);
		return at < 0 ? SF_EXIT_USAGE : cmd_run(argc - at, argv + at);
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv);
	if (!strcmp(cmd, "explore"))
		return sf_explore_main(argc, argv);
	if (!strcmp(cmd, "merge"))
		return sf_merge_main(argc, argv);
	return unknown_command(cmd);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return sf_cli_usage("%s", "no subcommand: use run, check, list, explore, merge or help");
	if (argv[1][0] == '-' || !strcmp(argv[1], "help"))
		return top_level(argc, argv);
	int status = command(argc - 1, argv + 1);
	/* A command's -h or --help printed its usage instead of running. */
	return status == SF_CLI_HELP_SHOWN ? 0 : status;
}
