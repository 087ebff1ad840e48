/*
 * Scenario: the rules of one run, loaded from libconfig files and -e specs.
 * Owns the rules; the engine reads them through rule.h only.
 */
#ifndef SF_SCENARIO_H
#define SF_SCENARIO_H

#include "rules/rule.h"
#include "sysfault/sysfault.h"

struct sf_scenario {
	struct sf_rules rules;
};

#endif
