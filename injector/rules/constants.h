/*
 * Symbolic constants an `args` condition may name (O_CREAT, AT_FDCWD...),
 * generated from the C library's headers (gen-constants.sh).
 */
#ifndef SF_CONSTANTS_H
#define SF_CONSTANTS_H

#include <stdbool.h>
#include <stdint.h>

struct sf_constant {
	const char *name;
	uint64_t value;
};
extern const struct sf_constant sf_constants[];   /* sorted by name */
extern const unsigned sf_constants_count;

/* The value of NAME ("O_CREAT"); false when there is no such constant. */
bool sf_constant_value(const char *name, uint64_t *value);
/* The known name nearest to NAME for "did you mean", or NULL. */
const char *sf_constant_suggest(const char *name);

#endif
