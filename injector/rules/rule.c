/*
 * Rule matching and trigger counters.  Each rule counts, per counting unit
 * and per syscall number, the calls it selects (strace's arithmetic); the
 * first rule in order whose trigger fires acts.  Never calls ptrace.
 */
#include "rules/rule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules/when.h"

/* Trigger state of one (rule, syscall) slot in one unit. */
struct sf_counter_init {
	uint16_t first, last;
};

struct sf_counter {
	uint16_t first, last;    /* strace's countdowns, see sf_when_step() */
	uint32_t seen;           /* calls counted so far */
};

struct sf_counters {
	unsigned n;
	struct sf_counter c[];
};

void sf_counters_free(struct sf_counters *c)
{
	free(c);
}

static unsigned rule_assign_slots(struct sf_rule *r, unsigned base)
{
	unsigned n = 0;

	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
			r->slot[abi * SF_NR_LIMIT + nr] =
				sf_sysset_has(&r->set, abi, nr) ? base + n++ : SF_NO_SLOT;
	r->slot_base = base;
	r->nslots = n;
	return n;
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
	unsigned total = 0;

	memset(&rules->any, 0, sizeof(rules->any));
	rules->skips_loader_calls = false;
	for (unsigned i = 0; i < rules->n; i++) {
		struct sf_rule *r = rules->v[i];

		r->index = i;
		r->counts_loader_calls = counts_loader_calls(r, rules->loader_calls);
		rules->skips_loader_calls |= !r->counts_loader_calls;
		free(r->slot);
		r->slot = malloc(sizeof(*r->slot) * SF_ABI_COUNT * SF_NR_LIMIT);
		if (!r->slot)
			return -ENOMEM;
		total += rule_assign_slots(r, total);
		for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
			for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
				rules->any.bits[abi][w] |= r->set.bits[abi][w];
	}
	free(rules->init);
	rules->init = calloc(total ? total : 1, sizeof(*rules->init));
	if (!rules->init)
		return -ENOMEM;
	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		for (unsigned s = 0; s < r->nslots; s++) {
			rules->init[r->slot_base + s].first = r->when.first;
			rules->init[r->slot_base + s].last = r->when.last;
		}
	}
	rules->nslots = total;
	return 0;
}

bool sf_rules_select(const struct sf_rules *rules, enum sf_abi abi, unsigned nr)
{
	return sf_sysset_has(&rules->any, abi, nr);
}

bool sf_rules_skip_loader_calls(const struct sf_rules *rules)
{
	return rules->skips_loader_calls;
}

static struct sf_counters *counters_get(const struct sf_rules *rules,
					struct sf_counters **unit)
{
	struct sf_counters *c = *unit;

	if (c)
		return c;
	c = malloc(sizeof(*c) + rules->nslots * sizeof(c->c[0]));
	if (!c)
		return NULL;
	c->n = rules->nslots;
	for (unsigned s = 0; s < c->n; s++)
		c->c[s] = (struct sf_counter){ rules->init[s].first, rules->init[s].last, 0 };
	*unit = c;
	return c;
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
				      struct sf_units *units, uint64_t seed, enum sf_abi abi,
				      unsigned nr, bool is_loader_call, uint64_t *occurrence)
{
	const struct sf_rule *acting = NULL;

	if (!sf_rules_select(rules, abi, nr))
		return NULL;
	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		struct sf_rule_tally *t = &tally[i];
		uint32_t slot = r->slot[abi * SF_NR_LIMIT + nr];
		if (slot == SF_NO_SLOT || (is_loader_call && !r->counts_loader_calls))
			continue;
		struct sf_counters *c = counters_get(rules, unit_of(units, r->scope));
		if (!c)
			continue;
		struct sf_counter *st = &c->c[slot];
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
