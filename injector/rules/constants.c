/*
 * Lookups in the generated table of constants (gen-constants.sh).
 */
#include "rules/constants.h"

#include <stdlib.h>
#include <string.h>

#include "rules/suggest.h"

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct sf_constant *)entry)->name);
}

bool sf_constant_value(const char *name, uint64_t *value)
{
	const struct sf_constant *c = bsearch(name, sf_constants, sf_constants_count,
					      sizeof(*sf_constants), by_name);
	if (!c)
		return false;
	*value = c->value;
	return true;
}

const char *sf_constant_suggest(const char *name)
{
	struct sf_suggestion sg;

	sf_suggestion_init(&sg, name);
	for (unsigned i = 0; i < sf_constants_count; i++)
		sf_suggestion_offer(&sg, sf_constants[i].name, sf_constants[i].name);
	return sg.best;
}
