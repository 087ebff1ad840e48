/*
 * Trigger counters of one counting unit (a thread, a thread group or the
 * whole tree), kept only for the calls the unit made: a map from a call's
 * key to one counter per rule selecting that call.  Knows nothing of rules.
 */
#ifndef SF_COUNTERS_H
#define SF_COUNTERS_H

#include <stdint.h>

#include "rules/rule.h"

/* Trigger state of one rule for one call in one unit. */
struct sf_counter {
	uint16_t first, last;    /* strace's countdowns, see sf_when_step() */
	uint32_t seen;           /* calls counted so far */
};

/*
 * The map itself, here only so that sf_counters_find() can be inlined in
 * sf_rules_decide(), which runs at every selected stop: open addressing,
 * linear probing, nothing removed while the unit lives.
 */
struct sf_counter_block {
	uint32_t n;
	struct sf_counter c[];         /* one per rule selecting the call, in file order */
};

struct sf_counter_entry {
	uint32_t key;
	struct sf_counter_block *block;  /* NULL: the entry is free */
};

struct sf_counters {
	uint32_t cap, used;            /* cap a power of two, used <= cap * 3 / 4 */
	struct sf_counter_entry e[];
};

/* Keys differ mostly in the low bits (nr) and by 1024s (ABI): mix both into the low bits. */
static inline uint32_t sf_counters_hash(uint32_t key)
{
	key *= 0x9e3779b1u;
	return key ^ (key >> 16);
}

/*
 * The fast path: the N counters C keeps for KEY when they sit at the first
 * place probed, else NULL (then sf_counters_get() finds or makes them).
 */
static inline struct sf_counter *sf_counters_find(struct sf_counters *c, uint32_t key, uint32_t n)
{
	if (!c)
		return NULL;
	const struct sf_counter_entry *e = &c->e[sf_counters_hash(key) & (c->cap - 1)];
	return e->block && e->key == key && e->block->n >= n ? e->block->c : NULL;
}

/*
 * The counters *UNIT keeps for the call KEY, at least N of them, in the
 * order of the rules selecting the call; the map (and *UNIT) is created
 * on first use.  *FRESH receives the index of the first counter the caller
 * must initialise: 0 for a new block, N when every one is already in use.
 * Returns NULL when memory runs out (*UNIT is then unchanged).
 */
struct sf_counter *sf_counters_get(struct sf_counters **unit, uint32_t key, uint32_t n,
				   uint32_t *fresh);

#endif
