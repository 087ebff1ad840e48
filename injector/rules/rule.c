/*
 * Rule matching.  Each rule counts, per counting unit and per syscall
 * number, the calls it selects (strace's arithmetic); the first rule in
 * order whose trigger fires acts.  A call walks only the rules that select
 * it (sf_rules.calls); units keep counters in counters.c.  Never calls ptrace.
 */
#include "rules/rule.h"

#include <errno.h>
#include <stdlib.h>

#include "rules/counters.h"
#include "rules/when.h"

/* The key of (ABI, NR) in sf_rules.calls and in a unit's counters. */
static uint32_t call_key(enum sf_abi abi, unsigned nr)
{
	return (uint32_t)abi * SF_NR_LIMIT + nr;
}

/*
 * Appends rule I to the list of KEY.  Rules are indexed in ascending
 * order, so a list that ends in I has it already: a finalize retried after
 * -ENOMEM adds nothing twice.
 */
static int list_add(struct sf_rules *rules, uint32_t key, uint32_t i)
{
	struct sf_call_rules *l = &rules->calls[key];

	if (l->n && l->rule[l->n - 1] == i)
		return 0;
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		uint32_t *v = realloc(l->rule, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->rule = v;
		l->cap = cap;
	}
	l->rule[l->n++] = i;
	rules->npairs++;
	return 0;
}

/* Adds rule I to the list of every call its set selects: word by word, bit by bit. */
static int index_rule(struct sf_rules *rules, const struct sf_rule *r, uint32_t i)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++) {
			uint64_t bits = r->set.bits[abi][w];
			rules->any.bits[abi][w] |= bits;
			for (; bits; bits &= bits - 1) {
				unsigned nr = w * 64 + (unsigned)__builtin_ctzll(bits);
				if (list_add(rules, call_key(abi, nr), i) < 0)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/*
 * Whether R counts the calls made from the program interpreter's code: as
 * its file says, else as the run was told (--loader-calls, TOLD), else as
 * its kind goes: a file's rule skips them, so that a scenario meets the
 * program and not ld.so, which never retries a failed call; an -e rule
 * counts them, as strace does, so a pasted recipe hits the same calls.
 */
static bool counts_loader_calls(const struct sf_rule *r, enum sf_loader_calls told)
{
	enum sf_loader_calls c = r->loader_calls != SF_LOADER_CALLS_DEFAULT ? r->loader_calls : told;

	if (c == SF_LOADER_CALLS_DEFAULT)
		return !r->is_from_file;
	return c == SF_LOADER_CALLS_COUNT;
}

int sf_rules_finalize(struct sf_rules *rules)
{
	/* Every time: a rule or the run's --loader-calls may have changed since. */
	rules->skips_loader_calls = false;
	for (unsigned i = 0; i < rules->n; i++) {
		struct sf_rule *r = rules->v[i];

		r->index = i;
		r->is_filtered = !sf_filter_is_empty(&r->filter);
		r->counts_loader_calls = counts_loader_calls(r, rules->loader_calls);
		rules->skips_loader_calls |= !r->counts_loader_calls;
	}
	if (!rules->calls && rules->nindexed < rules->n) {
		rules->calls = calloc(SF_ABI_COUNT * SF_NR_LIMIT, sizeof(*rules->calls));
		if (!rules->calls)
			return -ENOMEM;
	}
	/* Only the new rules: the lists of the others are done. */
	for (; rules->nindexed < rules->n; rules->nindexed++)
		if (index_rule(rules, rules->v[rules->nindexed], rules->nindexed) < 0)
			return -ENOMEM;
	return 0;
}

bool sf_rules_traced(const struct sf_rules *rules, enum sf_abi abi, unsigned nr)
{
	return !rules->has_traced || sf_sysset_has(&rules->traced, abi, nr);
}

size_t sf_rules_pair_count(const struct sf_rules *rules)
{
	return rules->npairs;
}

bool sf_rules_select(const struct sf_rules *rules, enum sf_abi abi, unsigned nr)
{
	return sf_sysset_has(&rules->any, abi, nr) && sf_rules_traced(rules, abi, nr);
}

bool sf_rules_skip_loader_calls(const struct sf_rules *rules)
{
	return rules->skips_loader_calls;
}

static struct sf_counters **unit_of(struct sf_units *u, enum sf_scope scope)
{
	switch (scope) {
	case SF_SCOPE_PROCESS:
		return u->process;
	case SF_SCOPE_TREE:
		return u->tree;
	case SF_SCOPE_THREAD:
	default:
		return u->thread;
	}
}

/*
 * The counters of call KEY in UNIT, one per rule of LIST, made on the
 * unit's first such call: each starts as its rule's `when` says.
 */
static struct sf_counter *counters_make(const struct sf_rules *rules,
					const struct sf_call_rules *list,
					struct sf_counters **unit, uint32_t key)
{
	uint32_t fresh;
	struct sf_counter *c = sf_counters_get(unit, key, list->n, &fresh);

	for (uint32_t j = fresh; c && j < list->n; j++) {
		const struct sf_when *w = &rules->v[list->rule[j]]->when;
		c[j] = (struct sf_counter){ w->first, w->last, 0 };
	}
	return c;
}

static struct sf_counter *counters_for(const struct sf_rules *rules,
				       const struct sf_call_rules *list,
				       struct sf_counters **unit, uint32_t key)
{
	struct sf_counter *c = sf_counters_find(*unit, key, list->n);

	return c ? c : counters_make(rules, list, unit, key);
}

/* splitmix64: a well-mixed hash so a roll depends only on its inputs. */
static uint64_t mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/*
 * The roll is a pure function of the seed and of where the call stands
 * (rule, thread, syscall, occurrence), not of the order in which the
 * tracer happens to see threads: the same seed replays the same run.
 */
static bool roll(const struct sf_rule *r, uint64_t seed, const struct sf_units *u,
		 enum sf_abi abi, unsigned nr, uint32_t seen)
{
	if (r->probability >= 1.0)
		return true;
	uint64_t serial = r->scope == SF_SCOPE_THREAD ? u->thread_serial
			: r->scope == SF_SCOPE_PROCESS ? u->process_serial : 0;
	uint64_t h = mix64(seed ^ mix64(r->index + 1));
	h = mix64(h ^ serial);
	h = mix64(h ^ ((uint64_t)abi << 32 | nr));
	h = mix64(h ^ seen);
	return (double)(h >> 11) * 0x1.0p-53 < r->probability;
}

const struct sf_rule *sf_rules_decide(const struct sf_rules *rules, struct sf_rule_tally *tally,
				      struct sf_units *units, uint64_t seed,
				      const struct sf_call_view *view, bool is_loader_call,
				      uint64_t *occurrence)
{
	const struct sf_rule *acting = NULL;
	/* The unit's counters of this call, per scope: one lookup per call, not per rule. */
	struct sf_counter *by_scope[SF_SCOPE_TREE + 1] = { NULL };
	enum sf_abi abi = view->abi;
	unsigned nr = view->nr;

	if (!sf_rules_select(rules, abi, nr))
		return NULL;
	if (sf_trace_select_is_set(&rules->select) && !sf_trace_select_matches(&rules->select, view))
		return NULL;
	if (rules->ignored.n && sf_ignored_dirs_match(&rules->ignored, view))
		return NULL;
	uint32_t key = call_key(abi, nr);
	const struct sf_call_rules *list = &rules->calls[key];
	for (uint32_t j = 0; j < list->n; j++) {
		unsigned i = list->rule[j];
		const struct sf_rule *r = rules->v[i];
		struct sf_rule_tally *t = &tally[i];
		if (is_loader_call && !r->counts_loader_calls)
			continue;
		if (r->is_filtered && !sf_filter_matches(&r->filter, view))
			continue;
		unsigned s = r->scope <= SF_SCOPE_TREE ? r->scope : SF_SCOPE_THREAD;
		if (!by_scope[s])
			by_scope[s] = counters_for(rules, list, unit_of(units, r->scope), key);
		if (!by_scope[s])
			continue;
		struct sf_counter *st = &by_scope[s][j];
		st->seen++;
		t->matched++;
		if (!sf_when_step(&r->when, &st->first, &st->last) || acting)
			continue;
		if (r->limit && t->fired >= r->limit)
			continue;
		if (!roll(r, seed, units, abi, nr, st->seen))
			continue;
		acting = r;
		t->fired++;
		if (occurrence)
			*occurrence = st->seen;
	}
	return acting;
}
