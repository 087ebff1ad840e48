/*
 * The tracer process of a library run (tracer.c), and the run itself as it
 * happens inside whichever process traces (run.c).
 */
#ifndef SF_TRACER_H
#define SF_TRACER_H

#include "rules/rule.h"
#include "sysfault/sysfault.h"

/* sf_run() in a child process that is the tracer; same contract as sf_run(). */
int sf_tracer_run(const struct sf_scenario *sc, const struct sf_run_options *opts,
		  char *const argv[], struct sf_result *res);

/*
 * The run in the calling process, which it takes over for the duration
 * (waitpid on any child, handlers of INT/TERM/HUP/QUIT/ALRM/PIPE, a timer).
 */
int sf_run_here(const struct sf_scenario *sc, const struct sf_run_options *opts,
		char *const argv[], struct sf_result *res);

/*
 * RESULT's per-rule lines: each rule's name and origin from RULES, its
 * counts from TALLY[index]; the total of injections.  0 or -ENOMEM.
 */
int sf_result_set_rules(struct sf_result *res, const struct sf_rules *rules,
			const struct sf_rule_tally *tally);

#endif
