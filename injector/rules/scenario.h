/*
 * Scenario: the rules of a run, loaded from libconfig files and -e specs.
 * Owns the rules; the engine reads them through rule.h only.  Loading is
 * the only thing that changes it: a run never writes to it, so one
 * scenario serves any number of runs, one after another or at once.
 */
#ifndef SF_SCENARIO_H
#define SF_SCENARIO_H

#include "rules/rule.h"
#include "sysfault/sysfault.h"

struct sf_scenario {
	struct sf_rules rules;   /* finalized after every load */
	char *name;              /* of the first file that has one, or NULL */
	bool has_seed;           /* a file set `seed` */
	uint64_t seed;
};

#endif
