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
#include <string.h>

#include "explore/explore.h"
#include "explore/sandbox.h"
#include "command/cli.h"
#include "sysfault/sysfault.h"
#include "text.h"


static const char usage_text[] =
	"usage: sysfault run [OPTIONS] -- COMMAND [ARG...]\n"
	"       sysfault check FILE...\n"
	"       sysfault list syscalls|errnos|signals|classes\n"
	"       sysfault explore [OPTIONS] -- COMMAND [ARG...]\n"
	"       sysfault merge [--json F] [--junit F] [--fail-on L] SHARD.json...\n"
	"\n"
	"run options:\n"
	"  -s, --scenario FILE   libconfig scenario (repeatable)\n"
	"  -e, --inject SPEC     strace's -e inject=/fault= syntax (repeatable)\n"
	"      --seed N          seed for probability rules\n"
	"      --log FILE        JSON Lines log of starts, injections and exits\n"
	"      --summary FMT     text (default, on stderr) | json | none\n"
	"      --timeout T       kill the whole tree after T (e.g. 500ms, 30s, 2m); exit 124\n"
	"      --engine E        auto (default) | ptrace | seccomp\n"
	"      --record FILE     list every call a rule would act on (JSON Lines); act on none\n"
	"      --point P         act only at failure point P (from --record or explore)\n"
	"      --loader-calls C  count | skip the dynamic loader's own calls, for rules that\n"
	"                        do not say (default: -e rules count them, files skip them)\n"
	"  -q, --quiet           no notes from sysfault (the summary stays unless --summary none)\n"
	"  -v, --verbose         say more\n"
	"\n"
	"exit status of run: the command's; 128+N if signal N killed it; 124 timeout;\n"
	"125 sysfault's own error (nothing run); 126 not executable; 127 not found\n"
	"\n"
	"explore: record every call the rules select, then fail each one alone in its own run\n"
	"  -s, -e, --seed, --engine   as for run (the same seed replays every run)\n"
	"  -j, --jobs N          runs at once (default: the number of CPUs)\n"
	"      --isolate LIST    what each run gets of its own: fs (default: the working\n"
	"                        directory and /tmp), net (adds a loopback network), or none\n"
	"      --no-isolate      runs share the working directory, /tmp and the network\n"
	"      --timeout T       per run (default: 10x the clean run, at least 10s)\n"
	"      --json FILE       JSON report (what merge reads)\n"
	"      --junit FILE      JUnit XML report, one testcase per point\n"
	"      --fail-on LIST    outcomes that fail: crash,hang,sanitizer (default),\n"
	"                        failure, unreached, flaky, or none\n"
	"      --shard K/N       run the K-th of N deterministic parts of the points\n"
	"      --max-points N    only the first N points (after --dedup)\n"
	"      --resume REPORT   finish the interrupted campaign of the JSON REPORT\n"
	"      --dedup           one point per process, executable, syscall, rule and clean result\n"
	"      --loader-calls C  skip (default) | count the dynamic loader's own calls, for\n"
	"                        rules that do not say; -e rules too\n"
	"  -q, --quiet           findings only;  -v, --verbose  every point\n"
	"exit status of explore and merge: 0 no finding; 1 findings; 125 usage error;\n"
	"128+N explore interrupted by signal N (130: Ctrl-C), its report incomplete\n";



enum { OPT_SEED = 256, OPT_LOG, OPT_SUMMARY, OPT_TIMEOUT, OPT_ENGINE, OPT_RECORD, OPT_POINT,
       OPT_LOADER_CALLS };

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
	{ "loader-calls", required_argument, NULL, OPT_LOADER_CALLS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
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
};

/* One option of `run`; returns 0 or an exit status. */
static int run_option(int c, const char *arg, struct sf_scenario *sc, struct run_request *rq)
{
	struct sf_run_options *o = &rq->opts;
	static const char *const engines[] = { "auto", "ptrace", "seccomp" };
	static const char *const summaries[] = { "text", "json", "none" };
	int i;

	switch (c) {
	case 's':
		return sf_scenario_load_file(sc, arg) ? SF_EXIT_USAGE : 0;
	case 'e':
		return sf_scenario_add_spec(sc, arg, "-e") ? SF_EXIT_USAGE : 0;
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
		if ((i = parse_choice(arg, engines, 3)) < 0)
			return sf_cli_usage("--engine '%s': expected auto, ptrace or seccomp", arg);
		o->engine = (enum sf_engine_kind[]){ SF_ENGINE_AUTO, SF_ENGINE_PTRACE, SF_ENGINE_SECCOMP }[i];
		return 0;
	case OPT_RECORD:
		o->record_path = arg;
		return 0;
	case OPT_POINT:
		o->point = arg;
		return 0;
	case OPT_LOADER_CALLS: {
		enum sf_loader_calls calls;
		if (sf_cli_loader_calls(arg, &calls))
			return SF_EXIT_USAGE;
		return sf_scenario_set_loader_calls(sc, calls) ? SF_EXIT_USAGE : 0;
	}
	case 'q':
		o->verbosity = -1;
		return 0;
	case 'v':
		o->verbosity = 1;
		return 0;
	default:
		return sf_cli_usage("%s", "unknown option to 'run'");
	}
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
	while (!status && (c = getopt_long(argc, argv, "+s:e:qv", run_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			status = sf_cli_bad_option(c, argv[optind - 1], run_options);
			break;
		}
		status = run_option(c, optarg, sc, &rq);
	}
	if (!status && optind >= argc)
		status = sf_cli_usage("%s", "no command to run: put it after '--'");
	if (!status) {
		if (sf_run(sc, &rq.opts, argv + optind, &res) < 0) {
			status = SF_EXIT_USAGE;
		} else {
			sf_report_summary(&res, rq.summary, stderr);
			status = res.exit_status;
			sf_result_release(&res);
		}
	}
	sf_scenario_free(sc);
	return status;
}

static int cmd_check(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return sf_cli_usage("%s", "check needs at least one scenario FILE");
	for (int i = 1; i < argc; i++) {
		struct sf_scenario *sc = sf_scenario_new();
		if (!sc || sf_scenario_load_file(sc, argv[i]) < 0) {
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
	static const char *const kinds[] = { "syscalls", "errnos", "signals", "classes" };
	int i;

	if (argc != 2 || (i = parse_choice(argv[1], kinds, 4)) < 0)
		return sf_cli_usage("%s", "list takes one of: syscalls, errnos, signals, classes");
	sf_list((enum sf_list_kind)i, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return sf_cli_usage("%s", "no subcommand: use run, check, list, explore or merge");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("sysfault %s\n", sf_version());
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	/* explore's runs: `__sandbox ... -- run ARGS` is `run ARGS` in a sandbox of its own */
	if (!strcmp(cmd, "__sandbox")) {
		int at = sf_sandbox_enter(argc - 1, argv + 1);
		return at < 0 ? SF_EXIT_USAGE : cmd_run(argc - 1 - at, argv + 1 + at);
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "explore"))
		return sf_explore_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return sf_merge_main(argc - 1, argv + 1);
	return sf_cli_usage("unknown subcommand '%s': use run, check, list, explore or merge", cmd);
}
