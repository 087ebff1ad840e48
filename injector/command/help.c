/*
 * The usage text of each subcommand, kept together so that `sysfault
 * --help` shows the same words as `sysfault COMMAND --help`.  The man pages
 * say the same at length (tests/packaging/man-pages.sh holds them to it).
 */
#include "command/help.h"

#include <string.h>

#include "command/cli.h"
#include "rules/suggest.h"

static const char run_help[] =
	"usage: sysfault run [OPTIONS] -- COMMAND [ARG...]\n"
	"run COMMAND and every process it starts, failing the calls the rules select\n"
	"  -s, --scenario FILE   libconfig scenario, or the NAME of a ready-made one\n"
	"                        (sysfault list scenarios); repeatable\n"
	"  -e, --inject SPEC     strace's -e inject=/fault= syntax (repeatable)\n"
	"      --seed N          seed for probability rules\n"
	"      --log FILE        JSON Lines log of starts, injections and exits\n"
	"      --summary FMT     text (default, on stderr) | json | none\n"
	"      --timeout T       kill the whole tree after T (e.g. 500ms, 30s, 2m); exit 124\n"
	"      --engine E        auto (default) | ptrace | seccomp | notify\n"
	"      --record FILE     list every call a rule would act on (JSON Lines); act on none\n"
	"      --points site     with --record: one point per call site, not per call\n"
	"      --point P         act only at failure point P (from --record or explore)\n"
	"      --loader-calls C  count | skip the dynamic loader's own calls, for rules that\n"
	"                        do not say (default: -e rules count them, files skip them)\n"
	"  -p, --attach PID[,PID...]  seize running processes and their threads instead of\n"
	"                        running COMMAND (ptrace engine); Ctrl-C or --timeout detaches\n"
	"  -P, --trace-path PATH\n"
	"                        only calls whose path argument is PATH as written, or whose fd\n"
	"                        argument refers to it (strace's)\n"
	"      --trace-fds SET   only calls on these fd numbers (strace's; also ranges 3..9)\n"
	"      --ignore-dir DIR  no rule sees calls on files in DIR (a coverage build's gcov data)\n"
	"  -f, -ff, --follow-forks  accepted as strace's: forks are always followed\n"
	"  -o, --output FILE     strace's trace file: sysfault prints no trace; the summary goes there\n"
	"  -e trace=SET          strace's: only calls in SET are acted on (its other output\n"
	"                        qualifiers, signal= status= ..., are accepted and ignored)\n"
	"  -q, --quiet           no notes from sysfault (the summary stays unless --summary none)\n"
	"  -qq                   as -q, and no summary\n"
	"  -v, --verbose         say more\n"
	"  -h, --help            this text\n"
	"exit status: the command's; signal N re-raised if N killed it (a shell: 128+N);\n"
	"124 timeout; 125 sysfault's own error (nothing run); 126 not executable;\n"
	"127 not found; with -p: 0 once detached or all ended\n";

static const char check_help[] =
	"usage: sysfault check FILE...\n"
	"load each scenario FILE (or ready-made NAME) and print its rules as understood;\n"
	"exit 0, or 125 after one line naming the first mistake\n"
	"  -h, --help            this text\n";

static const char list_help[] =
	"usage: sysfault list syscalls|errnos|signals|classes|scenarios\n"
	"print one entry per line: syscall names and numbers per ABI, errno or signal\n"
	"names, strace's classes with their syscalls, or the ready-made scenarios with\n"
	"their descriptions and where they are\n"
	"  -h, --help            this text\n";

static const char explore_help[] =
	"usage: sysfault explore [OPTIONS] -- COMMAND [ARG...]\n"
	"       sysfault explore --resume REPORT [OPTIONS]\n"
	"record every call the rules select, then fail each one alone in its own run\n"
	"  -s, --scenario FILE   as for run: a file or a ready-made NAME; repeatable\n"
	"  -e, --inject SPEC     as for run; repeatable\n"
	"      --seed N          as for run (the same seed replays every run)\n"
	"      --engine E        as for run: auto | ptrace | seccomp | notify\n"
	"  -j, --jobs N          runs at once (default: the number of CPUs)\n"
	"      --isolate LIST    what each run gets of its own: fs (default: the working\n"
	"                        directory and /tmp), net (adds a loopback network), or none\n"
	"      --no-isolate      runs share the working directory, /tmp and the network\n"
	"      --timeout T       per run (default: 10x the clean run, at least 10s)\n"
	"      --json FILE       JSON report (what merge reads)\n"
	"      --junit FILE      JUnit XML report, one testcase per point\n"
	"      --coverage DIR    for a command built with gcc's --coverage: every run's gcov\n"
	"                        data, lcov tracefiles of what only fault runs reached and\n"
	"                        what no run did, and an HTML report, in DIR\n"
	"      --fail-on LIST    outcomes that fail: crash,hang,sanitizer (default),\n"
	"                        failure, unreached, flaky, or none\n"
	"      --shard K/N       run the K-th of N deterministic parts of the points\n"
	"      --max-points N    only the first N points (after --dedup)\n"
	"      --resume REPORT   finish the interrupted campaign of the JSON REPORT\n"
	"      --points P        site (default): one point per call site (the call's stack)\n"
	"                        and executable; occurrence: one per call\n"
	"      --dedup           one point per process, executable, syscall, rule and clean result\n"
	"      --loader-calls C  skip (default) | count the dynamic loader's own calls, for\n"
	"                        rules that do not say; -e rules too\n"
	"  -q, --quiet           findings only\n"
	"  -v, --verbose         every point\n"
	"  -h, --help            this text\n"
	"exit status: 0 no finding; 1 findings; 125 usage error or runs not possible;\n"
	"128+N interrupted by signal N (130: Ctrl-C), its report incomplete\n";

static const char merge_help[] =
	"usage: sysfault merge [OPTIONS] SHARD.json...\n"
	"join the JSON reports of every shard of one campaign (explore --shard K/N)\n"
	"      --json FILE       the merged JSON report\n"
	"      --junit FILE      the merged JUnit XML report\n"
	"      --fail-on LIST    outcomes that fail, as for explore (default: crash,hang,sanitizer)\n"
	"  -q, --quiet           findings only\n"
	"  -v, --verbose         every point\n"
	"  -h, --help            this text\n"
	"exit status: 0 no finding; 1 findings; 125 usage error or reports that do not belong together\n";

static const char help_help[] =
	"usage: sysfault help [COMMAND]\n"
	"the usage of COMMAND (run, check, list, explore, merge), or of all of them;\n"
	"sysfault COMMAND --help says the same.  The manual: man sysfault,\n"
	"man sysfault-explore, man sysfault-scenario, man libsysfault\n";

static const char top_help[] =
	"usage: sysfault run [OPTIONS] -- COMMAND [ARG...]\n"
	"       sysfault check FILE...\n"
	"       sysfault list syscalls|errnos|signals|classes|scenarios\n"
	"       sysfault explore [OPTIONS] -- COMMAND [ARG...]\n"
	"       sysfault merge [OPTIONS] SHARD.json...\n"
	"       sysfault help [COMMAND]\n"
	"  -h, --help            this text: the usage of every command, below\n"
	"  -V, --version         the version of sysfault\n";

const char *const sf_help_commands[] = { "run", "check", "list", "explore", "merge", "help", NULL };
static const char *const texts[] = { run_help, check_help, list_help, explore_help, merge_help, help_help };

const char *sf_help_text(const char *command)
{
	for (unsigned i = 0; sf_help_commands[i]; i++)
		if (!strcmp(command, sf_help_commands[i]))
			return texts[i];
	return NULL;
}

int sf_help_show(const char *command, FILE *out)
{
	if (!command) {
		fputs(top_help, out);
		for (unsigned i = 0; sf_help_commands[i]; i++)
			fprintf(out, "\n%s", texts[i]);
		return 0;
	}
	const char *text = sf_help_text(command);
	if (text) {
		fputs(text, out);
		return 0;
	}
	const char *near = sf_suggest_word(command, sf_help_commands);
	if (near)
		return sf_cli_usage("help: no command '%s'; did you mean '%s'?", command, near);
	return sf_cli_usage("help: no command '%s': use run, check, list, explore or merge", command);
}

int sf_help_option(const char *command)
{
	fputs(sf_help_text(command), stdout);
	return SF_CLI_HELP_SHOWN;
}
