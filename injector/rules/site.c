/*
 * Call sites: keys (FNV-1a over the exe's name and the frames) and the set
 * a record run keeps of those it has seen.
 */
#include "rules/site.h"

#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* A string and its end, so that "ab"+"c" and "a"+"bc" differ. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * A frame in no module (JIT code, a mapping gone) has only an address
 * that changes from run to run: it counts as a frame, not by where it is.
 */
static uint64_t hash_frame(uint64_t h, const struct sf_frame *f)
{
	if (!f->module)
		return hash_str(h, "?");
	h = hash_str(h, f->build_id ? f->build_id : base_name(f->module));
	return hash_bytes(h, &f->offset, sizeof(f->offset));
}

uint64_t sf_site_key(const char *exe, const struct sf_frames *stack)
{
	uint64_t h = hash_str(FNV_OFFSET, exe ? base_name(exe) : "?");
	unsigned n = stack && stack->n < SF_SITE_DEPTH ? stack->n : stack ? SF_SITE_DEPTH : 0;

	for (unsigned i = 0; i < n; i++)
		h = hash_frame(h, &stack->v[i]);
	return h;
}

uint64_t sf_site_of(const struct sf_call_view *view)
{
	return sf_site_key(view->ops->exe(view->ctx), view->ops->stack(view->ctx));
}

uint64_t sf_site_point_key(uint64_t site, unsigned rule, int abi, unsigned nr)
{
	uint64_t more[2] = { rule, (uint64_t)(unsigned)abi << 32 | nr };

	return hash_bytes(site, more, sizeof(more));
}

/* Where KEY is in V, or the free slot where it would go. */
static size_t slot_of(const uint64_t *v, size_t cap, uint64_t key)
{
	size_t i = (size_t)(key ^ key >> 29) & (cap - 1);

	while (v[i] && v[i] != key)
		i = (i + 1) & (cap - 1);
	return i;
}

static bool grow(struct sf_site_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	uint64_t *v = calloc(cap, sizeof(*v));

	if (!v)
		return false;
	for (size_t i = 0; i < s->cap; i++)
		if (s->v[i])
			v[slot_of(v, cap, s->v[i])] = s->v[i];
	free(s->v);
	s->v = v;
	s->cap = cap;
	return true;
}

bool sf_site_set_add(struct sf_site_set *s, uint64_t key)
{
	key = key ? key : 1;
	if ((s->used + 1) * 2 > s->cap && !grow(s))
		return true;
	size_t i = slot_of(s->v, s->cap, key);
	if (s->v[i])
		return false;
	s->v[i] = key;
	s->used++;
	return true;
}

void sf_site_set_release(struct sf_site_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
