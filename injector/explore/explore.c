/*
 * `sysfault explore`: the campaign from the command line to the reports.
 * Record the points in a clean run, narrow them (dedup, --max-points,
 * --shard), run each once, then report.  Usage mistakes are one line and
 * exit 125 before anything runs.
 */
#include "command/cli.h"
#include "command/help.h"
#include "command/scenario_find.h"
#include "explore/coverage.h"
#include "explore/explore.h"
#include "explore/sandbox.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "rules/names.h"
#include "sysfault/sysfault.h"

const char *const sf_outcome_names[SF_OUT_COUNT] = {
	"ok", "failure", "crash", "hang", "sanitizer", "unreached", "flaky",
};

/* A finding's outcomes are failure and beyond: "ok" is never one. */
int sf_fail_on_parse(const char *list, unsigned *bits)
{
	unsigned names;

	if (sf_cli_name_bits(list, sf_outcome_names + SF_OUT_FAILURE, SF_OUT_COUNT - SF_OUT_FAILURE,
			     &names) < 0)
		return -1;
	*bits = names << SF_OUT_FAILURE;
	return *bits || !strcmp(list, "none") ? 0 : -1;
}

int sf_fail_on_option(const char *arg, unsigned *bits)
{
	if (sf_fail_on_parse(arg, bits) == 0)
		return 0;
	return sf_cli_usage("--fail-on '%s': expected a list of crash, hang, sanitizer, failure, "
			    "unreached, flaky, or none", arg);
}

bool sf_xpoint_is_finding(const struct sf_campaign *c, const struct sf_xpoint *p)
{
	return (c->fail_on & (1u << p->outcome)) != 0;
}

/*
 * Independent of --fail-on on purpose: the outcomes must not depend on it,
 * since shards run with --fail-on none and merge applies its own.
 */
bool sf_outcome_needs_confirming(enum sf_outcome o)
{
	return o == SF_OUT_CRASH || o == SF_OUT_HANG || o == SF_OUT_SANITIZER;
}

size_t sf_campaign_pending(const struct sf_campaign *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->npoints; i++)
		n += !c->points[i].is_done;
	return n;
}

struct sf_xpoint *sf_campaign_add_point(struct sf_campaign *c)
{
	if (c->npoints == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct sf_xpoint *v = realloc(c->points, cap * sizeof(*v));
		if (!v)
			return NULL;
		c->points = v;
		c->cap = cap;
	}
	struct sf_xpoint *p = &c->points[c->npoints++];
	memset(p, 0, sizeof(*p));
	return p;
}

void sf_xpoint_release(struct sf_xpoint *p)
{
	free(p->point);
	free(p->lineage);
	free(p->exe);
	free(p->syscall);
	sf_xstack_release(&p->stack);
	free(p->stderr_tail);
	free(p->reproduce);
	memset(p, 0, sizeof(*p));
}

void sf_strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

char **sf_strings_dup(char *const *v, size_t n)
{
	char **copy = calloc(n + 1, sizeof(*copy));

	for (size_t i = 0; copy && i < n; i++) {
		if (!(copy[i] = strdup(v[i]))) {
			sf_strings_free(copy, i);
			return NULL;
		}
	}
	return copy;
}

bool sf_strings_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

void sf_campaign_release(struct sf_campaign *c)
{
	for (size_t i = 0; i < c->npoints; i++)
		sf_xpoint_release(&c->points[i]);
	free(c->points);
	sf_strings_free(c->command, c->ncommand);
	sf_strings_free(c->rule_args, c->nrule_args);
	free(c->engine);
	free(c->sysfault);
	memset(c, 0, sizeof(*c));
}

/* ---- options ---- */

struct explore_args {
	struct sf_explore_opts run;
	struct sf_scenario *sc;  /* only to check the rules before anything runs */
	bool has_seed, is_dedup;
	unsigned long max_points;   /* 0: all */
	const char *json, *junit;
	const char *coverage;       /* --coverage DIR */
	bool has_jobs, has_engine, has_fail_on, has_points;
	const char *resume;         /* --resume REPORT: the campaign to finish */
	enum sf_loader_calls loader_calls;  /* --loader-calls; DEFAULT means skip here */
	struct sf_campaign report;  /* the --resume report, as read */
	unsigned isolate;           /* --isolate, --no-isolate: SF_ISOLATE_* bits, 0 for none */
	struct sf_sandbox *sandbox; /* what that gives the runs; NULL for none */
};

enum { OPT_SEED = 256, OPT_ENGINE, OPT_TIMEOUT, OPT_JSON, OPT_JUNIT, OPT_FAIL_ON, OPT_SHARD,
       OPT_MAX_POINTS, OPT_DEDUP, OPT_RESUME, OPT_LOADER_CALLS,
       OPT_ISOLATE, OPT_NO_ISOLATE, OPT_POINTS, OPT_COVERAGE };

static const struct option explore_options[] = {
	{ "scenario", required_argument, NULL, 's' },
	{ "inject", required_argument, NULL, 'e' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "isolate", required_argument, NULL, OPT_ISOLATE },
	{ "no-isolate", no_argument, NULL, OPT_NO_ISOLATE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "coverage", required_argument, NULL, OPT_COVERAGE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "resume", required_argument, NULL, OPT_RESUME },
	{ "dedup", no_argument, NULL, OPT_DEDUP },
	{ "points", required_argument, NULL, OPT_POINTS },
	{ "loader-calls", required_argument, NULL, OPT_LOADER_CALLS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int push_arg(struct sf_campaign *c, const char *a, const char *b)
{
	char **v = realloc(c->rule_args, (c->nrule_args + 2) * sizeof(*v));

	if (!v)
		return -1;
	c->rule_args = v;
	v[c->nrule_args] = strdup(a);
	v[c->nrule_args + 1] = strdup(b);
	c->nrule_args += 2;
	return v[c->nrule_args - 2] && v[c->nrule_args - 1] ? 0 : -1;
}

static int rule_option(int ch, const char *arg, struct explore_args *a, struct sf_campaign *c)
{
	/* A ready-made NAME stays a name in the runs and the report: every shard reads it alike. */
	int rc = ch == 's' ? sf_cli_scenario_load(a->sc, arg, "-s") : sf_scenario_add_spec(a->sc, arg, "-e");

	if (rc)
		return SF_EXIT_USAGE;
	return push_arg(c, ch == 's' ? "-s" : "-e", arg) < 0 ? SF_EXIT_USAGE : 0;
}

/* One option; returns 0 or an exit status. */
static int explore_option(int ch, const char *arg, struct explore_args *a, struct sf_campaign *c)
{
	unsigned long v;

	switch (ch) {
	case 's':
	case 'e':
		return rule_option(ch, arg, a, c);
	case 'j':
		if (!sf_cli_count(arg, 1, 4096, &v))
			return sf_cli_usage("-j '%s': expected a number of runs at once, 1 to 4096", arg);
		a->run.jobs = (unsigned)v;
		a->has_jobs = true;
		return 0;
	case OPT_ISOLATE:
		if (sf_isolate_parse(arg, &a->isolate) < 0)
			return sf_cli_usage("--isolate '%s': expected a list of fs, net, or none", arg);
		return 0;
	case OPT_NO_ISOLATE:
		a->isolate = 0;
		return 0;
	case OPT_SEED:
		a->has_seed = true;
		return sf_cli_seed(arg, &c->seed);
	case OPT_ENGINE:
		if (strcmp(arg, "auto") && strcmp(arg, "ptrace") && strcmp(arg, "seccomp") && strcmp(arg, "notify"))
			return sf_cli_usage("--engine '%s': expected auto, ptrace, seccomp or notify", arg);
		free(c->engine);
		c->engine = strdup(arg);
		a->has_engine = true;
		return 0;
	case OPT_TIMEOUT:
		if (sf_cli_timeout("--timeout", arg, &a->run.timeout_s))
			return SF_EXIT_USAGE;
		a->run.has_timeout = true;
		return 0;
	case OPT_JSON:
		a->json = arg;
		return 0;
	case OPT_JUNIT:
		a->junit = arg;
		return 0;
	case OPT_COVERAGE:
		if (!*arg)
			return sf_cli_usage("%s", "--coverage '': expected a directory for the gcov data and reports");
		a->coverage = arg;
		return 0;
	case OPT_FAIL_ON:
		if (sf_fail_on_option(arg, &c->fail_on))
			return SF_EXIT_USAGE;
		a->has_fail_on = true;
		return 0;
	case OPT_SHARD: {
		unsigned k, n;
		char end;
		if (sscanf(arg, "%u/%u%c", &k, &n, &end) != 2 || k < 1 || n < 1 || k > n || n > 100000)
			return sf_cli_usage("--shard '%s': expected K/N with 1 <= K <= N, e.g. 2/4", arg);
		c->shard_k = k;
		c->shard_n = n;
		return 0;
	}
	case OPT_MAX_POINTS:
		if (!sf_cli_count(arg, 1, ULONG_MAX, &a->max_points))
			return sf_cli_usage("--max-points '%s': expected a number >= 1", arg);
		return 0;
	case OPT_RESUME:
		a->resume = arg;
		return 0;
	case OPT_DEDUP:
		a->is_dedup = true;
		return 0;
	case OPT_POINTS:
		if (strcmp(arg, "site") && strcmp(arg, "occurrence"))
			return sf_cli_usage("--points '%s': expected site or occurrence", arg);
		c->is_by_site = !strcmp(arg, "site");
		a->has_points = true;
		return 0;
	case OPT_LOADER_CALLS:
		return sf_cli_loader_calls(arg, &a->loader_calls);
	case 'q':
		a->run.verbosity = -1;
		return 0;
	case 'v':
		a->run.verbosity = 1;
		return 0;
	case 'h':
		return sf_help_option("explore");
	default:
		return sf_cli_usage("%s", "unknown option to 'explore'");
	}
}

static uint64_t random_seed(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	return v;
}

/*
 * --resume: the report's campaign, where the command line must agree with
 * it, and the report's rules checked as if given here (a scenario file may
 * have gone).  The clean run gets the campaign's timeout: it ran within it.
 */
static int adopt_report(struct explore_args *a, struct sf_campaign *c)
{
	struct sf_resume_given g = {
		.has_command = c->ncommand > 0, .has_rules = c->nrule_args > 0, .has_seed = a->has_seed,
		.has_engine = a->has_engine, .has_shard = c->shard_n > 0, .is_dedup = a->is_dedup,
		.has_max_points = a->max_points > 0, .has_timeout = a->run.has_timeout,
		.has_fail_on = a->has_fail_on, .has_points = a->has_points,
	};

	c->timeout_s = a->run.timeout_s;
	if (sf_report_read_json(&a->report, a->resume) < 0)
		return SF_EXIT_USAGE;
	int status = sf_resume_adopt(c, &a->report, &g, a->resume);
	for (size_t i = 0; !status && !g.has_rules && i + 1 < c->nrule_args; i += 2) {
		const char *opt = c->rule_args[i], *arg = c->rule_args[i + 1];
		if (strcmp(opt, "--loader-calls") &&   /* not a rule: how the rules read ld.so's calls */
		    (!strcmp(opt, "-s") ? sf_cli_scenario_load(a->sc, arg, "-s") : sf_scenario_add_spec(a->sc, arg, "-e")) != 0)
			status = SF_EXIT_USAGE;
	}
	a->run.has_timeout = true;
	a->run.timeout_s = c->timeout_s;
	return status;
}

static int parse_args(int argc, char **argv, struct explore_args *a, struct sf_campaign *c)
{
	int ch, status = 0;

	opterr = 0;
	optind = 1;
	while (!status && (ch = getopt_long(argc, argv, "+s:e:j:qvh", explore_options, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return sf_cli_bad_option(ch, argv[optind - 1], explore_options);
		status = explore_option(ch, optarg, a, c);
	}
	if (status)
		return status;
	if (optind >= argc && !a->resume)
		return sf_cli_usage("%s", "no command to explore: put it after '--'");
	if (!c->nrule_args && !a->resume)
		return sf_cli_usage("%s", "explore needs rules: give -s FILE or -e SPEC");
	/*
	 * ld.so never retries a failed call, so its points would only show it
	 * giving up: skipped for every rule that does not say, -e ones too.
	 * Passed with the rules, it reaches the record, every point's run and
	 * every reproduction line, which must all count the same calls.
	 */
	if (c->nrule_args && push_arg(c, "--loader-calls",
				      a->loader_calls == SF_LOADER_CALLS_COUNT ? "count" : "skip") < 0)
		return SF_EXIT_USAGE;
	c->is_dedup = a->is_dedup;
	c->max_points = a->max_points;
	c->ncommand = (size_t)(argc - optind);
	c->command = calloc(c->ncommand + 1, sizeof(*c->command));
	for (size_t i = 0; c->command && i < c->ncommand; i++)
		if (!(c->command[i] = strdup(argv[optind + (int)i])))
			return SF_EXIT_USAGE;
	if (!c->command)
		return SF_EXIT_USAGE;
	if (a->resume)
		return adopt_report(a, c);
	if (!a->has_seed && !sf_scenario_seed(a->sc, &c->seed))
		c->seed = random_seed();
	return 0;
}

/* ---- the private directory ---- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (asprintf(&dir, "%s/sysfault-explore-XXXXXX", base && *base ? base : "/tmp") < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		sf_error("cannot make a temporary directory '%s': %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* ---- the campaign ---- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The per-run timeout when none was given: ten times the clean run, and
 * at least 10 s, so a loaded CI machine does not turn slow runs into hangs.
 */
static double default_timeout(double clean_seconds)
{
	double t = clean_seconds * 10;
	return t < 10 ? 10 : t;
}

/*
 * Where an interrupted campaign keeps its points when no --json was asked
 * for: a new file in the current directory, so that stopping never throws
 * the finished runs away and never overwrites anything.
 */
static char *fallback_report(void)
{
	char *path = strdup("sysfault-explore-XXXXXX.json");
	int fd = path ? mkstemps(path, 5) : -1;

	if (fd < 0) {
		sf_error("cannot create a report in the current directory: %s", strerror(errno));
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static int write_reports(const struct sf_campaign *c, const struct explore_args *a, const char *json)
{
	if (json && sf_report_write_json(c, json) < 0)
		return SF_EXIT_USAGE;
	if (a->junit && sf_report_write_junit(c, a->junit) < 0)
		return SF_EXIT_USAGE;
	return 0;
}

/*
 * A campaign stopped by signal SIGNO (or, SIGNO 0, by a run that could not
 * start): the report written holds the finished points, and one line says
 * how to finish the rest.  128+N as a shell reports a command killed by N.
 */
static int stopped(const struct sf_campaign *c, const struct explore_args *a, const char *json,
		   int signo, int status)
{
	char name[24];
	char *line = json && !status ? sf_resume_line(c, json, a->has_jobs ? a->run.jobs : 0, a->junit, a->coverage)
				     : NULL;
	size_t pending = sf_campaign_pending(c);

	if (signo && sf_signal_name(signo, name, sizeof(name)))
		sf_error("interrupted by %s: %zu of %zu points done; to finish the campaign: %s", name,
			 c->npoints - pending, c->npoints, line ? line : "(no report was written)");
	else
		sf_error("stopped: %zu of %zu points done; to finish the campaign: %s",
			 c->npoints - pending, c->npoints, line ? line : "(no report was written)");
	free(line);
	return status ? status : signo ? 128 + signo : SF_EXIT_USAGE;
}

/* --dedup, --max-points, then --shard; resumed, the report's points replace the shard. */
static int narrow(struct sf_campaign *c, struct explore_args *a)
{
	if (c->is_dedup)
		sf_points_dedup(c);
	if (c->max_points)
		sf_points_limit(c, c->max_points);
	/* The clean run is re-run for its baseline (the report has none) and to check the points. */
	if (a->resume)
		return sf_resume_carry(c, &a->report, a->resume);
	sf_points_shard(c, c->shard_k, c->shard_n);
	return 0;
}

static int campaign(struct sf_campaign *c, struct explore_args *a)
{
	double t0 = now_s();
	int status = sf_explore_record(c, &a->run);

	if (status)
		return status;
	unsigned long recorded = c->npoints;
	if (!recorded)
		sf_warning("the clean run made no call the rules select: nothing to explore");
	if (narrow(c, a))
		return SF_EXIT_USAGE;
	c->timeout_s = a->run.has_timeout ? a->run.timeout_s : default_timeout(c->clean_seconds);
	if (a->run.verbosity > 0)
		sf_info("clean run: exit status %d in %.3fs; %lu points recorded, %zu to run (%zu pending), -j %u, timeout %.3fs, seed %llu",
			c->clean_status, c->clean_seconds, recorded, c->npoints, sf_campaign_pending(c),
			a->run.jobs, c->timeout_s, (unsigned long long)c->seed);
	int rc = sf_explore_run_points(c, &a->run);
	c->seconds = now_s() - t0 + (a->resume ? a->report.seconds : 0);
	/* Resumed, the report is brought up to date where it is unless --json says otherwise. */
	const char *json = a->json ? a->json : a->resume;
	char *fallback = !json && rc ? fallback_report() : NULL;
	status = write_reports(c, a, json ? json : fallback);
	sf_report_print(c, stderr, a->run.verbosity);
	int covered = a->run.coverage ? sf_coverage_finish(a->run.coverage, c) : 0;
	if (!status)
		status = covered;
	if (rc)
		status = stopped(c, a, json ? json : fallback, rc > 0 ? rc : 0, status);
	free(fallback);
	return status ? status : sf_report_status(c);
}

int sf_explore_main(int argc, char **argv)
{
	struct sf_campaign c = { .fail_on = SF_FAIL_ON_DEFAULT, .is_by_site = true };
	struct explore_args a = { .run = { .jobs = 0 } };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	a.run.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	a.isolate = SF_ISOLATE_FS;
	a.sc = sf_scenario_new();
	c.sysfault = strdup(program_invocation_name);
	int status = a.sc && c.sysfault ? parse_args(argc, argv, &a, &c) : SF_EXIT_USAGE;
	sf_scenario_free(a.sc);
	a.sc = NULL;
	char *dir = status ? NULL : make_tmpdir();
	if (!status && !dir)
		status = SF_EXIT_USAGE;
	if (!status) {
		sf_diag_set_verbosity(a.run.verbosity);
		a.run.tmpdir = dir;
		a.run.show_progress = a.run.verbosity >= 0 && isatty(2) && !getenv("CI");
		if (a.coverage)
			status = sf_coverage_open(&a.run.coverage, a.coverage, dir, sf_explore_self(),
						  a.resume ? &a.report : NULL);
		if (!status && sf_sandbox_prepare(&a.sandbox, a.isolate, dir, a.run.jobs, a.coverage != NULL) < 0)
			status = SF_EXIT_USAGE;
		a.run.sandbox = a.sandbox;
		if (!status)
			status = campaign(&c, &a);
	}
	sf_sandbox_free(a.sandbox);
	sf_coverage_free(a.run.coverage);
	if (dir && !getenv("SYSFAULT_KEEP_TMP"))
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	sf_campaign_release(&c);
	sf_campaign_release(&a.report);
	return status;
}
