/*
 * The notify engine's choice of path, per syscall number.  A call goes to
 * the listener only when its whole action can be decided and answered at
 * its entry: fail it, give it a value, let it run (not firing, or close
 * to have its result replaced as it returns), wait first (delay_enter),
 * queue a signal for its return (the caller waits killably, so the signal
 * stays pending until the call is done).  Anything that needs the call's
 * exit or a stopped thread keeps a ptrace stop, and since
 * the filter returns one action per number, so do the other rules'
 * calls of that number.  Nothing here reads a tracee.
 */
#include "engine/route.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/placement.h"
#include "rules/syscall_args.h"

/* The text of each reason, for -v. */
static const char *const why_text[] = {
	[SF_ROUTE_UNSELECTED] = "not selected",
	[SF_ROUTE_LISTENER] = "answered at its entry",
	[SF_ROUTE_DELAY_EXIT] = "delay_exit= holds the call at its exit",
	[SF_ROUTE_SUBSTITUTE] = "syscall= runs another call, whose result is written at its exit",
	[SF_ROUTE_RUNS_FIRST] = "the call runs first and its result is replaced at its exit",
	[SF_ROUTE_SHORT] = "short= cuts the arguments at the entry and puts them back at the exit",
	[SF_ROUTE_POKE] = "pokes write the caller's memory at a stop",
	[SF_ROUTE_CALLER] = "caller= unwinds the stack of a stopped thread",
	[SF_ROUTE_RECORD] = "a record run logs each call's clean result at its exit",
	[SF_ROUTE_SITE_POINT] = "a site point's calls are told by their stack, unwound from a stopped thread",
	[SF_ROUTE_STACK_LOG] = "-v with --log logs each injected call's stack, unwound from a stopped thread",
	[SF_ROUTE_AFFINITY] = "CPU placement rewrites the result at the exit",
	[SF_ROUTE_SHARED] = "another rule selects it too and needs ptrace",
};

/*
 * Whether the listener can let (ABI, NR) run first and have its result
 * replaced as it returns (notify.c, answer): only a call that runs to its
 * end with a ptrace interrupt pending.  close does: it releases the
 * descriptor before anything that can wait, and the kernel turns a
 * restart code into EINTR rather than restart it (fs/open.c).  A call
 * that can block (read, write, fsync on a pipe or socket) would see the
 * interrupt as a signal and stop without running.
 */
static bool runs_to_its_end(enum sf_abi abi, unsigned nr)
{
	const char *name = sf_syscall_name(abi, nr);

	return name && !strcmp(name, "close");
}

enum sf_route_why sf_route_rule_needs(const struct sf_rule *rule, enum sf_abi abi, unsigned nr)
{
	const struct sf_action *a = &rule->action;

	if (a->flags & SF_ACT_DELAY_EXIT)
		return SF_ROUTE_DELAY_EXIT;
	/* A substitute missing on this ABI leaves a skipped call (syscall_stop.c, substitute). */
	if ((a->flags & SF_ACT_SYSCALL) && a->substitute_nr[abi] >= 0)
		return SF_ROUTE_SUBSTITUTE;
	if ((a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL)) && sf_action_runs_first(a, abi, nr) &&
	    !runs_to_its_end(abi, nr))
		return SF_ROUTE_RUNS_FIRST;
	/* On a call short= does not apply to, the call runs whole: nothing to put back. */
	if ((a->flags & SF_ACT_SHORT) && sf_short_applies(abi, nr))
		return SF_ROUTE_SHORT;
	if (a->flags & (SF_ACT_POKE_ENTER | SF_ACT_POKE_EXIT))
		return SF_ROUTE_POKE;
	if (sf_filter_has_caller(&rule->filter))
		return SF_ROUTE_CALLER;
	return SF_ROUTE_LISTENER;
}

/* The path of (ABI, NR), which some rule selects; *BY: the rule that needs ptrace, if one does. */
static enum sf_route_why call_needs(const struct sf_rules *rules, const struct sf_route_run *run,
				    enum sf_abi abi, unsigned nr, uint32_t *by)
{
	if (run->is_record)
		return SF_ROUTE_RECORD;
	if (run->is_site_point)
		return SF_ROUTE_SITE_POINT;
	if (run->logs_stacks)
		return SF_ROUTE_STACK_LOG;
	if (run->watch_affinity && sf_placement_watches(abi, nr))
		return SF_ROUTE_AFFINITY;
	const struct sf_call_rules *list = &rules->calls[(unsigned)abi * SF_NR_LIMIT + nr];
	for (uint32_t j = 0; j < list->n; j++) {
		enum sf_route_why why = sf_route_rule_needs(rules->v[list->rule[j]], abi, nr);
		if (why != SF_ROUTE_LISTENER) {
			*by = list->rule[j];
			return why;
		}
	}
	return SF_ROUTE_LISTENER;
}

int sf_route_plan(struct sf_route *route, const struct sf_rules *rules, const struct sf_route_run *run)
{
	size_t n = (size_t)SF_ABI_COUNT * SF_NR_LIMIT;

	memset(route, 0, sizeof(*route));
	route->why = calloc(n, sizeof(*route->why));
	route->by = calloc(n, sizeof(*route->by));
	if (!route->why || !route->by) {
		sf_route_release(route);
		return -ENOMEM;
	}
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			size_t k = (size_t)abi * SF_NR_LIMIT + nr;
			if (!sf_rules_select(rules, (enum sf_abi)abi, nr))
				continue;
			route->why[k] = (uint8_t)call_needs(rules, run, (enum sf_abi)abi, nr, &route->by[k]);
			route->nlistened += route->why[k] == SF_ROUTE_LISTENER;
		}
	}
	return 0;
}

void sf_route_release(struct sf_route *route)
{
	free(route->why);
	free(route->by);
	memset(route, 0, sizeof(*route));
}

bool sf_route_listens(const struct sf_route *route, enum sf_abi abi, unsigned nr)
{
	return route && route->why && nr < SF_NR_LIMIT && route->nlistened &&
	       route->why[(size_t)abi * SF_NR_LIMIT + nr] == SF_ROUTE_LISTENER;
}

/* ---- -v ------------------------------------------------------------------ */

/* Calls of one rule that go to ptrace for one reason. */
struct why_group {
	enum sf_route_why why;
	uint32_t by;             /* SF_ROUTE_SHARED: the other rule's index */
	unsigned n;
	char names[96];
};

#define MAX_GROUPS 3
#define NAMES_SHOWN 3

struct description {
	unsigned nlistened;
	struct why_group g[MAX_GROUPS];
	unsigned ngroups;
	unsigned more;           /* ptrace calls past MAX_GROUPS reasons */
};

/* Whether NAME is one of the ", "-separated names in LIST. */
static bool has_name(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Adds the call's name once: the same call of another ABI goes the same way for the same reason. */
static void add_name(struct why_group *g, enum sf_abi abi, unsigned nr)
{
	size_t len = strlen(g->names);
	const char *name = sf_syscall_name(abi, nr);
	char num[16];

	if (!name) {
		snprintf(num, sizeof(num), "%u", nr);
		name = num;
	}
	if (has_name(g->names, name))
		return;
	if (++g->n > NAMES_SHOWN)
		return;
	snprintf(g->names + len, sizeof(g->names) - len, "%s%s", len ? ", " : "", name);
}

/* Whether WHY is a rule's own need (not the run's): then another rule's may be the reason. */
static bool is_rules_own(enum sf_route_why why)
{
	switch (why) {
	case SF_ROUTE_DELAY_EXIT:
	case SF_ROUTE_SUBSTITUTE:
	case SF_ROUTE_RUNS_FIRST:
	case SF_ROUTE_SHORT:
	case SF_ROUTE_POKE:
	case SF_ROUTE_CALLER:
		return true;
	default:
		return false;
	}
}

/* Files the call (ABI, NR) of rule I under the listener or under its reason's group. */
static void describe_call(const struct sf_route *route, unsigned i, enum sf_abi abi, unsigned nr,
			  struct description *d)
{
	size_t k = (size_t)abi * SF_NR_LIMIT + nr;
	enum sf_route_why why = (enum sf_route_why)route->why[k];
	uint32_t by = 0;

	if (why == SF_ROUTE_LISTENER) {
		d->nlistened++;
		return;
	}
	if (is_rules_own(why) && route->by[k] != i) {
		why = SF_ROUTE_SHARED;
		by = route->by[k];
	}
	for (unsigned j = 0; j < d->ngroups; j++) {
		if (d->g[j].why == why && d->g[j].by == by) {
			add_name(&d->g[j], abi, nr);
			return;
		}
	}
	if (d->ngroups == MAX_GROUPS) {
		d->more++;
		return;
	}
	struct why_group *g = &d->g[d->ngroups++];
	memset(g, 0, sizeof(*g));
	g->why = why;
	g->by = by;
	add_name(g, abi, nr);
}

static void print_group(const struct why_group *g, bool is_alone, const char *sep, char *buf, size_t size)
{
	size_t len = strlen(buf);
	char why[160];

	if (g->why == SF_ROUTE_SHARED)
		snprintf(why, sizeof(why), "rule %u selects it too and needs ptrace", g->by + 1);
	else
		snprintf(why, sizeof(why), "%s", why_text[g->why]);
	if (is_alone) {
		snprintf(buf + len, size - len, "ptrace: %s", why);
		return;
	}
	snprintf(buf + len, size - len, "%sptrace for %s%s (%s)", sep, g->names,
		 g->n > NAMES_SHOWN ? " and more" : "", why);
}

void sf_route_describe(const struct sf_route *route, const struct sf_rules *rules, unsigned i,
		       char *buf, size_t size)
{
	const struct sf_rule *r = rules->v[i];
	struct description d = { 0 };

	buf[0] = '\0';
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
			if (sf_sysset_has(&r->set, (enum sf_abi)abi, nr) &&
			    sf_rules_select(rules, (enum sf_abi)abi, nr))
				describe_call(route, i, (enum sf_abi)abi, nr, &d);
	if (d.ngroups == 0) {
		snprintf(buf, size, d.nlistened ? "notify" : "no call selected (-e trace=)");
		return;
	}
	if (d.nlistened)
		snprintf(buf, size, "notify");
	for (unsigned j = 0; j < d.ngroups; j++)
		print_group(&d.g[j], !d.nlistened && d.ngroups == 1, j ? "; " : d.nlistened ? ", " : "",
			    buf, size);
	if (d.more) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "; and %u more by ptrace", d.more);
	}
}
