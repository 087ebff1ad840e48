/*
 * Per-unit trigger counters, allocated for the calls a unit makes and no
 * others: a tree of 1000 processes under rules selecting every syscall
 * must not cost 1000 copies of the syscall table.  Knows nothing of rules.
 */
#include "rules/counters.h"

#include <errno.h>
#include <stdlib.h>

/* A thread that makes one selected call should not pay for more. */
#define MAP_MIN_CAP 8u

/* The entry of KEY, or the free one where it would go: the map is never full. */
static struct sf_counter_entry *map_slot(struct sf_counters *c, uint32_t key)
{
	uint32_t mask = c->cap - 1;

	for (uint32_t i = sf_counters_hash(key) & mask;; i = (i + 1) & mask)
		if (!c->e[i].block || c->e[i].key == key)
			return &c->e[i];
}

/* Room for one more key in *UNIT, doubling it past 3/4 full so probes stay short. */
static int map_make_room(struct sf_counters **unit)
{
	struct sf_counters *old = *unit;

	if (old && (old->used + 1) * 4 <= old->cap * 3)
		return 0;
	uint32_t cap = old ? old->cap * 2 : MAP_MIN_CAP;
	struct sf_counters *c = calloc(1, sizeof(*c) + cap * sizeof(c->e[0]));
	if (!c)
		return -ENOMEM;
	c->cap = cap;
	for (uint32_t i = 0; old && i < old->cap; i++)
		if (old->e[i].block)
			*map_slot(c, old->e[i].key) = old->e[i];
	c->used = old ? old->used : 0;
	free(old);
	*unit = c;
	return 0;
}

/*
 * Gives entry E (of KEY) N counters; the ones it had keep their state.  A
 * block shorter than N means rules were appended and finalized after the
 * unit first made this call.
 */
static struct sf_counter *block_resize(struct sf_counters *c, struct sf_counter_entry *e,
				       uint32_t key, uint32_t n, uint32_t *fresh)
{
	uint32_t had = e->block ? e->block->n : 0;
	struct sf_counter_block *b = realloc(e->block, sizeof(*b) + (size_t)n * sizeof(b->c[0]));

	if (!b)
		return NULL;
	if (!e->block) {
		e->key = key;
		c->used++;
	}
	b->n = n;
	e->block = b;
	*fresh = had;
	return b->c;
}

struct sf_counter *sf_counters_get(struct sf_counters **unit, uint32_t key, uint32_t n,
				   uint32_t *fresh)
{
	struct sf_counter_entry *e = *unit ? map_slot(*unit, key) : NULL;

	if (e && e->block && e->block->n >= n) {
		*fresh = n;
		return e->block->c;
	}
	if (!e || !e->block) {
		if (map_make_room(unit) < 0)
			return NULL;
		e = map_slot(*unit, key);
	}
	return block_resize(*unit, e, key, n, fresh);
}

size_t sf_counters_held(const struct sf_counters *c)
{
	size_t n = 0;

	for (uint32_t i = 0; c && i < c->cap; i++)
		if (c->e[i].block)
			n += c->e[i].block->n;
	return n;
}

void sf_counters_free(struct sf_counters *c)
{
	for (uint32_t i = 0; c && i < c->cap; i++)
		free(c->e[i].block);
	free(c);
}
