/*
 * Which path answers each selected call under the notify engine: the
 * seccomp listener (notify.c), when every rule selecting the call can
 * decide and answer it at its entry, or a ptrace stop, when one of them
 * needs more (a stop at the exit, a stopped thread, a signal at the
 * return).  Decided once per run, per syscall number, from the rules
 * alone; the filter (seccomp_filter.c) returns USER_NOTIF or TRACE by it.
 * Never looks at a call.
 */
#ifndef SF_ROUTE_H
#define SF_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/rule.h"

/* Why a selected call goes to ptrace; SF_ROUTE_LISTENER when it need not. */
enum sf_route_why {
	SF_ROUTE_UNSELECTED,     /* no rule selects the call: it runs free */
	SF_ROUTE_LISTENER,
	SF_ROUTE_DELAY_EXIT,     /* delay_exit=: a hold at the call's exit */
	SF_ROUTE_SUBSTITUTE,     /* syscall=: another call runs, its result is written at the exit */
	SF_ROUTE_RUNS_FIRST,     /* call=run (close by default): the result is replaced at the exit */
	SF_ROUTE_SHORT,          /* short=: arguments cut at the entry, put back at the exit */
	SF_ROUTE_POKE,           /* poke_enter=/poke_exit=: memory written at a stop, read-only pages too */
	SF_ROUTE_CALLER,         /* caller=: the stack is unwound from a stopped thread */
	SF_ROUTE_RECORD,         /* a record run: each call's clean result, at its exit */
	SF_ROUTE_SITE_POINT,     /* a run of a site point: each candidate's stack, from a stopped thread */
	SF_ROUTE_STACK_LOG,      /* -v with --log: each injected call's stack, from a stopped thread */
	SF_ROUTE_AFFINITY,       /* CPU placement rewrites the call's result at its exit */
	SF_ROUTE_SHARED,         /* another rule selecting the call needs ptrace for it */
};

/* What the run adds to the rules' own needs. */
struct sf_route_run {
	bool is_record;          /* --record */
	bool is_site_point;      /* --point site:...: the point's calls are told by their stack */
	bool logs_stacks;        /* --log with -v: every inject line carries a stack */
	bool watch_affinity;     /* placement pins the tree (placement.h) */
};

struct sf_route {
	/* [abi * SF_NR_LIMIT + nr], for the calls some rule selects (sf_rules_select). */
	uint8_t *why;            /* enum sf_route_why */
	uint32_t *by;            /* SF_ROUTE_SHARED: the index of the rule that needs ptrace */
	unsigned nlistened;      /* selected (ABI, number) pairs the listener answers */
};

/* What RULE needs for (ABI, NR), by itself: SF_ROUTE_LISTENER or why ptrace. */
enum sf_route_why sf_route_rule_needs(const struct sf_rule *rule, enum sf_abi abi, unsigned nr);

/*
 * Decides the path of every call RULES select (finalized), with what RUN
 * adds.  Returns 0 or -ENOMEM.
 */
int sf_route_plan(struct sf_route *route, const struct sf_rules *rules, const struct sf_route_run *run);
void sf_route_release(struct sf_route *route);

/* Whether the listener answers (ABI, NR); false for a call no rule selects. */
bool sf_route_listens(const struct sf_route *route, enum sf_abi abi, unsigned nr);

/*
 * One line for -v about rule I of RULES, into BUF: "notify", "ptrace:
 * WHY", or "notify, ptrace for NAME... (WHY)" when only some of its calls
 * need ptrace.
 */
void sf_route_describe(const struct sf_route *route, const struct sf_rules *rules, unsigned i,
		       char *buf, size_t size);

#endif
