/*
 * Lifecycle of rules and of the ordered rule list: allocation with strace's
 * defaults, ownership, release.  Matching and counters live in rule.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "rules/when.h"

struct sf_rule *sf_rule_new(void)
{
	struct sf_rule *rule = calloc(1, sizeof(*rule));

	if (!rule)
		return NULL;
	rule->when = sf_when_every();
	rule->probability = 1.0;
	rule->scope = SF_SCOPE_THREAD;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		rule->action.substitute_nr[abi] = -1;
	return rule;
}

void sf_rule_free(struct sf_rule *rule)
{
	if (!rule)
		return;
	free(rule->name);
	free(rule->origin);
	sf_filter_release(&rule->filter);
	sf_pokes_release(&rule->action.poke_enter);
	sf_pokes_release(&rule->action.poke_exit);
	free(rule);
}

void sf_pokes_release(struct sf_pokes *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->v[i].bytes);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

void sf_rules_init(struct sf_rules *rules)
{
	memset(rules, 0, sizeof(*rules));
}

void sf_rules_release(struct sf_rules *rules)
{
	for (unsigned i = 0; i < rules->n; i++)
		sf_rule_free(rules->v[i]);
	free(rules->v);
	for (unsigned k = 0; rules->calls && k < SF_ABI_COUNT * SF_NR_LIMIT; k++)
		free(rules->calls[k].rule);
	free(rules->calls);
	sf_trace_select_release(&rules->select);
	sf_ignored_dirs_release(&rules->ignored);
	memset(rules, 0, sizeof(*rules));
}

int sf_rules_append(struct sf_rules *rules, struct sf_rule *rule)
{
	if (rules->n == rules->cap) {
		unsigned cap = rules->cap ? rules->cap * 2 : 8;
		struct sf_rule **v = realloc(rules->v, cap * sizeof(*v));
		if (!v) {
			sf_rule_free(rule);  /* ownership passes even on failure */
			return -ENOMEM;
		}
		rules->v = v;
		rules->cap = cap;
	}
	rules->v[rules->n++] = rule;
	return 0;
}
