/*
 * sf_run(): one run of a command under a scenario, from options to result.
 * Owns the process-wide set-up the engine needs (signal mask, signalfd,
 * log file, seed) and restores it afterwards.
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
#include "rules/scenario.h"
#include "engine/seccomp_filter.h"
#include "engine/launch.h"
#include "sysfault/sysfault.h"
#include "engine/wake.h"

void sf_run_options_init(struct sf_run_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->engine = SF_ENGINE_AUTO;
	opts->summary = SF_SUMMARY_TEXT;
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
	if (e->timed_out) {
		res->timed_out = true;
		return SF_EXIT_TIMEOUT;
	}
	if (!e->is_main_done)
		return SF_EXIT_USAGE;
	if (WIFSIGNALED(e->main_status)) {
		res->term_signal = WTERMSIG(e->main_status);
		return 128 + res->term_signal;
	}
	return WEXITSTATUS(e->main_status);
}

static int fill_result(struct sf_scenario *sc, const struct sf_engine *e, const char *opts_point,
		       struct sf_result *res)
{
	const struct sf_rules *rules = &sc->rules;

	res->rules = calloc(rules->n ? rules->n : 1, sizeof(*res->rules));
	if (!res->rules)
		return -ENOMEM;
	res->nrules = rules->n;
	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		res->rules[i] = (struct sf_rule_result){ r->name, r->origin, r->matched, r->injected };
		res->injections += r->injected;
	}
	res->processes = sf_tracee_created(e->tracees);
	res->point = e->point ? opts_point : NULL;
	res->point_reached = e->is_point_reached;
	res->exit_status = exit_status_of(e, res);
	return 0;
}

/*
 * auto means seccomp for the commands sysfault starts, where the kernel
 * has it; SYSFAULT_ENGINE sets what auto means (tests run both engines).
 */
static int choose_engine(enum sf_engine_kind asked, bool *is_seccomp)
{
	const char *env = getenv("SYSFAULT_ENGINE");

	if (asked == SF_ENGINE_AUTO && env && !strcmp(env, "ptrace"))
		asked = SF_ENGINE_PTRACE;
	else if (asked == SF_ENGINE_AUTO && env && !strcmp(env, "seccomp"))
		asked = SF_ENGINE_SECCOMP;
	bool has_seccomp = sf_seccomp_available();
	if (asked == SF_ENGINE_SECCOMP && !has_seccomp) {
		sf_error("--engine seccomp: this kernel has no seccomp filters; use --engine ptrace");
		return -1;
	}
	*is_seccomp = asked == SF_ENGINE_SECCOMP || (asked == SF_ENGINE_AUTO && has_seccomp);
	return 0;
}

static int start(struct sf_scenario *sc, const struct sf_run_options *opts,
		 struct sf_engine *e, struct sf_seccomp_prog *filter, struct sf_point *point)
{
	char why[256];

	if (choose_engine(opts->engine, &e->is_seccomp) < 0)
		return -1;
	if (sf_rules_finalize(&sc->rules) < 0) {
		sf_error("out of memory preparing the rules");
		return -1;
	}
	int err = e->is_seccomp ? sf_seccomp_build(&sc->rules, e->placement.is_pinned, filter) : 0;
	if (err < 0) {
		sf_error("building the seccomp filter: %s; try --engine ptrace", strerror(-err));
		return -1;
	}
	e->rules = &sc->rules;
	e->seed = pick_seed(sc, opts);
	if (opts->point && opts->record_path) {
		sf_error("--record and --point exclude each other: record first, then run a point");
		return -1;
	}
	if (opts->point && sf_point_parse(opts->point, point, why, sizeof(why)) < 0) {
		sf_error("--point: %s", why);
		return -1;
	}
	e->point = opts->point ? point : NULL;
	if (opts->record_path) {
		e->record = sf_log_open(opts->record_path);
		if (!e->record) {
			sf_error("cannot write the record '%s': %s", opts->record_path, strerror(errno));
			return -1;
		}
	}
	if (opts->log_path) {
		e->log = sf_log_open(opts->log_path);
		if (!e->log) {
			sf_error("cannot write the log '%s': %s", opts->log_path, strerror(errno));
			return -1;
		}
	}
	if (opts->timeout_ns)
		e->deadline_ns = sf_now_ns() + opts->timeout_ns;
	if (sf_engine_init(e) < 0) {
		sf_error("out of memory starting the engine");
		return -1;
	}
	return 0;
}

int sf_run(struct sf_scenario *sc, const struct sf_run_options *opts,
	   char *const argv[], struct sf_result *res)
{
	struct sf_engine e = { 0 };
	struct sf_seccomp_prog filter = { 0 };
	struct sf_point point;
	struct sf_launch launch = { 0 };
	int rc = -1;

	memset(res, 0, sizeof(*res));
	sf_diag_set_verbosity(opts->verbosity);
	sf_placement_pin(&e.placement);   /* before the filter: it must watch affinity calls then */
	if (start(sc, opts, &e, &filter, &point) < 0)
		goto out;
	res->seed = e.seed;
	if (opts->verbosity > 0)
		sf_info("seed %llu, %s engine, register back end %s", (unsigned long long)e.seed,
			e.is_seccomp ? "seccomp" : "ptrace", e.regs->name);
	int err = sf_wake_init();
	if (err < 0) {
		sf_error("timer_create: %s", strerror(-err));
		goto out;
	}
	pid_t pid = e.is_seccomp ? sf_launch(&launch, argv, SF_PTRACE_OPTIONS_SECCOMP, &filter)
				 : sf_launch(&launch, argv, SF_PTRACE_OPTIONS, NULL);
	if (pid > 0 && sf_engine_run(&e, pid) == 0 && fill_result(sc, &e, opts->point, res) == 0)
		rc = 0;
	sf_launch_release(&launch);
	sf_wake_release();
	sf_log_end(e.log, res->exit_status, e.seed, res->timed_out);
out:
	sf_placement_unpin(&e.placement, NULL, 0);
	sf_seccomp_release(&filter);
	sf_log_close(e.log);
	sf_log_close(e.record);
	sf_engine_release(&e);
	return rc;
}

void sf_result_release(struct sf_result *res)
{
	free(res->rules);
	res->rules = NULL;
	res->nrules = 0;
}
