/*
 * sf_run(): one run of a command under a scenario, from options to result,
 * in the process that traces (the caller's own with in_process, else the
 * tracer process of tracer.c).  Sets up what the engine needs (CPU
 * placement, the filter, log files, the seed, wake-ups) and undoes it.
 * Never writes to the scenario: what a run counts is the engine's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "engine/engine.h"
#include "engine/notify.h"
#include "engine/route.h"
#include "rules/scenario.h"
#include "engine/seccomp_filter.h"
#include "engine/launch.h"
#include "outfile.h"
#include "sysfault/sysfault.h"
#include "tracer.h"
#include "engine/wake.h"

/* What start() prepares for the run, released by sf_run_here(). */
struct run_setup {
	enum sf_engine_kind kind;        /* the engine chosen (never AUTO) */
	bool is_forced;                  /* --engine notify: no fallback without the listener */
	struct sf_route route;           /* notify: the path of each selected call */
	struct sf_seccomp_prog filter;   /* seccomp and notify */
	struct sf_seccomp_prog fallback; /* notify under auto: FILTER without its listener */
	struct sf_point point;           /* --point, parsed */
};

void sf_run_options_init(struct sf_run_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->engine = SF_ENGINE_AUTO;
}

static uint64_t pick_seed(const struct sf_scenario *sc, const struct sf_run_options *opts)
{
	uint64_t seed;

	if (opts->has_seed)
		return opts->seed;
	if (sf_scenario_seed(sc, &seed))
		return seed;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)getpid() ^ ((uint64_t)time(NULL) << 20);
	/* Keep it short enough to type back with --seed. */
	return seed % 1000000000u;
}

static int exit_status_of(const struct sf_engine *e, struct sf_result *res)
{
	res->timed_out = e->timed_out;
	if (e->timed_out && !e->is_attached)
		return SF_EXIT_TIMEOUT;
	/* -p: nothing of ours to take a status from; 0 once detached or all ended, as strace -p. */
	if (e->is_attached)
		return 0;
	if (!e->is_main_done)
		return SF_EXIT_USAGE;
	if (WIFSIGNALED(e->main_status)) {
		res->term_signal = WTERMSIG(e->main_status);
		return 128 + res->term_signal;
	}
	return WEXITSTATUS(e->main_status);
}

int sf_result_set_rules(struct sf_result *res, const struct sf_rules *rules,
			const struct sf_rule_tally *tally)
{
	res->rules = calloc(rules->n ? rules->n : 1, sizeof(*res->rules));
	if (!res->rules)
		return -ENOMEM;
	res->nrules = rules->n;
	res->injections = 0;
	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		res->rules[i] = (struct sf_rule_result){ r->name, r->origin, tally[i].matched,
							 tally[i].injected };
		res->injections += tally[i].injected;
	}
	return 0;
}

static int fill_result(const struct sf_scenario *sc, const struct sf_engine *e, const char *opts_point,
		       struct sf_result *res)
{
	if (sf_result_set_rules(res, &sc->rules, e->tally) < 0)
		return -ENOMEM;
	res->processes = sf_tracee_created(e->tracees);
	res->point = e->point ? opts_point : NULL;
	res->point_reached = e->is_point_reached;
	res->exit_status = exit_status_of(e, res);
	return 0;
}

/*
 * auto means notify for the commands sysfault starts, where the kernel has
 * it, else seccomp, else ptrace; SYSFAULT_ENGINE sets what auto means
 * (tests run every engine).  Attaching is ptrace's alone: a filter can
 * only be installed by the process itself (seccomp(2)), so auto means
 * ptrace there.
 */
static int choose_engine(enum sf_engine_kind asked, bool is_attach, enum sf_engine_kind *chosen)
{
	static const char *const names[] = { "auto", "ptrace", "seccomp", "notify" };
	const char *env = getenv("SYSFAULT_ENGINE");

	if (is_attach && (asked == SF_ENGINE_SECCOMP || asked == SF_ENGINE_NOTIFY)) {
		sf_error("--engine %s cannot attach to a running process (-p): a seccomp filter "
			 "cannot be added from outside; use --engine ptrace or auto", names[asked]);
		return -EINVAL;
	}
	*chosen = SF_ENGINE_PTRACE;
	if (is_attach)
		return 0;
	for (unsigned i = 1; asked == SF_ENGINE_AUTO && env && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(env, names[i]))
			asked = (enum sf_engine_kind)i;
	bool has_seccomp = sf_seccomp_available();
	if ((asked == SF_ENGINE_SECCOMP || asked == SF_ENGINE_NOTIFY) && !has_seccomp) {
		sf_error("--engine %s: this kernel has no seccomp filters; use --engine ptrace", names[asked]);
		return -ENOSYS;
	}
	bool has_notify = has_seccomp && sf_notify_available();
	if (asked == SF_ENGINE_NOTIFY && !has_notify) {
		sf_error("--engine notify: this kernel has no seccomp user notification with "
			 "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19); use --engine seccomp");
		return -ENOSYS;
	}
	if (asked == SF_ENGINE_AUTO)
		asked = has_notify ? SF_ENGINE_NOTIFY : has_seccomp ? SF_ENGINE_SECCOMP : SF_ENGINE_PTRACE;
	*chosen = asked;
	return 0;
}

static const char *engine_name(enum sf_engine_kind kind)
{
	return kind == SF_ENGINE_NOTIFY ? "notify" : kind == SF_ENGINE_SECCOMP ? "seccomp" : "ptrace";
}

/*
 * The notify engine's path for every selected call, and the filter that
 * sends each there.  auto also gets a filter without the listener, for a
 * process under another supervisor's (launch.c); --engine notify does not.
 */
static int build_notify_filter(const struct sf_scenario *sc, const struct sf_run_options *opts,
			       struct sf_engine *e, struct run_setup *rs)
{
	struct sf_route_run run = {
		.is_record = opts->record_path != NULL,
		.is_site_point = opts->point && rs->point.is_site,
		.logs_stacks = opts->log_path && opts->verbosity > 0,
		.watch_affinity = e->placement.is_pinned,
	};
	int err = sf_route_plan(&rs->route, &sc->rules, &run);

	if (err == 0)
		err = sf_seccomp_build(&sc->rules, e->placement.is_pinned, opts->point ? &rs->point : NULL,
				       rs->route.nlistened ? &rs->route : NULL, &rs->filter);
	if (err == 0 && rs->filter.has_listener && !rs->is_forced)
		err = sf_seccomp_without_listener(&rs->filter, &rs->fallback);
	return err;
}

/* A point run's filter (RS->point parsed) stops only the calls that reaching its point needs. */
static int build_filter(const struct sf_scenario *sc, const struct sf_run_options *opts,
			struct sf_engine *e, struct run_setup *rs)
{
	int err = 0;

	if (rs->kind == SF_ENGINE_NOTIFY)
		err = build_notify_filter(sc, opts, e, rs);
	else if (rs->kind == SF_ENGINE_SECCOMP)
		err = sf_seccomp_build(&sc->rules, e->placement.is_pinned, opts->point ? &rs->point : NULL,
				       NULL, &rs->filter);
	if (err < 0)
		sf_error("building the seccomp filter: %s; try --engine ptrace", strerror(-err));
	return err;
}

/* -v: the engine, and under notify which path each rule's calls take, and why. */
static void say_engine(const struct sf_scenario *sc, const struct sf_engine *e, const struct run_setup *rs)
{
	char line[512];

	sf_info("seed %llu, %s engine, register back end %s", (unsigned long long)e->seed,
		engine_name(rs->kind), e->regs->name);
	if (rs->kind != SF_ENGINE_NOTIFY)
		return;
	for (unsigned i = 0; i < sc->rules.n; i++) {
		const struct sf_rule *r = sc->rules.v[i];
		sf_route_describe(&rs->route, &sc->rules, i, line, sizeof(line));
		sf_info("rule %u (%s): %s", i + 1, r->origin ? r->origin : "?", line);
	}
}

/* Opens a JSON Lines output of the run; WHAT names it in the message. */
static int open_log(const char *path, const char *what, struct sf_log **log)
{
	if (!path)
		return 0;
	*log = sf_log_open(path);
	if (*log)
		return 0;
	int err = errno ? errno : ENOMEM;
	if (err == EACCES && sf_outfile_is_refused_link(path))
		sf_error("cannot write the %s '%s': a symlink in a sticky world-writable directory, "
			 "owned by neither you nor the directory's owner, is not followed; "
			 "remove it or choose another path", what, path);
	else
		sf_error("cannot write the %s '%s': %s", what, path, strerror(err));
	return -err;
}

/*
 * Closes a JSON Lines output, saying once if lines were lost (a full disk,
 * a closed pipe).  The run then fails, yet a failing command's status
 * stays what sysfault exits with: only a status of 0 becomes 125, and the
 * message says so (README, Exit status).  RES is NULL when the run failed.
 */
static void close_log(struct sf_log **log, const char *path, const char *what, struct sf_result *res)
{
	int err = sf_log_close(*log);

	*log = NULL;
	if (err == 0)
		return;
	bool is_replacing = res && res->exit_status == 0;
	sf_error("cannot write the %s '%s': %s; it is incomplete%s", what, path, strerror(-err),
		 is_replacing ? " (the command exited 0; sysfault exits 125)" : "");
	if (is_replacing)
		res->exit_status = SF_EXIT_USAGE;
}

static int start(const struct sf_scenario *sc, const struct sf_run_options *opts,
		 struct sf_engine *e, struct run_setup *rs)
{
	char why[256];
	struct sf_point *point = &rs->point;
	int err = choose_engine(opts->engine, opts->nattach > 0, &rs->kind);

	if (err < 0)
		return err;
	rs->is_forced = opts->engine == SF_ENGINE_NOTIFY;
	e->is_seccomp = rs->kind != SF_ENGINE_PTRACE;
	if (opts->point && opts->record_path) {
		sf_error("--record and --point exclude each other: record first, then run a point");
		return -EINVAL;
	}
	if (opts->point && sf_point_parse(opts->point, point, why, sizeof(why)) < 0) {
		sf_error("--point: %s", why);
		return -EINVAL;
	}
	if (opts->point && point->rule > sc->rules.n) {
		sf_error("--point '%s': there is no rule %u; %u rule%s given", opts->point,
			 point->rule, sc->rules.n, sc->rules.n == 1 ? " is" : "s are");
		return -EINVAL;
	}
	if ((err = build_filter(sc, opts, e, rs)) < 0)
		return err;
	e->rules = &sc->rules;
	e->seed = pick_seed(sc, opts);
	if (opts->record_by_site && !opts->record_path) {
		sf_error("%s", "points by site are for a record run: give --record FILE too");
		return -EINVAL;
	}
	e->point = opts->point ? point : NULL;
	e->is_record_by_site = opts->record_by_site;
	if ((err = open_log(opts->record_path, "record", &e->record)) < 0 ||
	    (err = open_log(opts->log_path, "log", &e->log)) < 0)
		return err;
	if (opts->timeout_ns)
		e->deadline_ns = sf_now_ns() + opts->timeout_ns;
	if (sf_engine_init(e) < 0) {
		sf_error("out of memory starting the engine");
		return -ENOMEM;
	}
	e->notify.is_awaited = rs->filter.has_handover;
	return 0;
}

int sf_run(const struct sf_scenario *sc, const struct sf_run_options *opts,
	   char *const argv[], struct sf_result *res)
{
	/* A command to start, or processes to attach to: one or the other. */
	if (!sc || !opts || !res || (opts->nattach ? argv || !opts->attach_pids : !argv || !argv[0]))
		return -EINVAL;
	return opts->in_process ? sf_run_here(sc, opts, argv, res) : sf_tracer_run(sc, opts, argv, res);
}

/* From the launch to the end of the tree; the engine is ready. */
static int trace(const struct sf_scenario *sc, const struct sf_run_options *opts,
		 struct sf_engine *e, const struct run_setup *rs, char *const argv[],
		 struct sf_result *res)
{
	const struct sf_seccomp_prog *fallback = rs->fallback.insns ? &rs->fallback : NULL;
	struct sf_launch launch = { 0 };
	int err = sf_wake_init();

	if (err < 0) {
		sf_error("timer_create: %s", strerror(-err));
		return err;
	}
	if (opts->nattach) {
		err = sf_engine_run_attached(e, opts->attach_pids, opts->nattach);
	} else {
		int cgroup = sf_placement_cgroup_fd(&e->placement);
		pid_t pid = e->is_seccomp ? sf_launch(&launch, argv, SF_PTRACE_OPTIONS_SECCOMP, &rs->filter, fallback, cgroup)
					  : sf_launch(&launch, argv, SF_PTRACE_OPTIONS, NULL, NULL, cgroup);
		if (pid > 0)
			sf_placement_launched(&e->placement, launch.cgroup_err);
		err = pid < 0 ? (int)pid : sf_engine_run(e, pid);
	}
	if (err == 0)
		err = fill_result(sc, e, opts->point, res);
	sf_launch_release(&launch);
	sf_wake_release();
	/* The record first: if it lost lines, the log's end line says so in its status. */
	close_log(&e->record, opts->record_path, "record", err == 0 ? res : NULL);
	sf_log_end(e->log, res->exit_status, e->seed, res->timed_out);
	close_log(&e->log, opts->log_path, "log", err == 0 ? res : NULL);
	return err;
}

int sf_run_here(const struct sf_scenario *sc, const struct sf_run_options *opts,
		char *const argv[], struct sf_result *res)
{
	struct sf_engine e = { 0 };
	struct run_setup rs = { 0 };
	int verbosity = sf_diag_verbosity();

	memset(res, 0, sizeof(*res));
	sf_diag_set_verbosity(opts->verbosity);
	/* Before the filter: it must watch affinity calls then.  Attached processes keep their CPUs. */
	if (!opts->nattach)
		sf_placement_pin(&e.placement);
	int err = start(sc, opts, &e, &rs);
	if (err == 0) {
		res->seed = e.seed;
		if (opts->verbosity > 0)
			say_engine(sc, &e, &rs);
		err = trace(sc, opts, &e, &rs, argv, res);
	}
	sf_placement_release(&e.placement);
	sf_seccomp_release(&rs.filter);
	sf_seccomp_release(&rs.fallback);
	sf_route_release(&rs.route);
	sf_log_close(e.log);
	sf_log_close(e.record);
	sf_engine_release(&e);
	sf_diag_set_verbosity(verbosity);
	if (err < 0)
		sf_result_release(res);
	return err;
}

void sf_result_release(struct sf_result *res)
{
	free(res->rules);
	res->rules = NULL;
	res->nrules = 0;
}
