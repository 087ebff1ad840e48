/*
 * A small JSON reader for what sysfault itself writes: the record and log
 * lines of `run`, and explore's reports (for `merge`).  It builds a tree of
 * values; it is not a general-purpose library and never writes JSON.
 */
#ifndef SF_EXPLORE_JSON_H
#define SF_EXPLORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sf_jtype { SF_JNULL, SF_JBOOL, SF_JNUM, SF_JSTR, SF_JARR, SF_JOBJ };

struct sf_jval {
	enum sf_jtype type;
	bool b;
	double num;
	int64_t inum;            /* the number when it is an integer */
	char *str;               /* SF_JSTR: decoded, NUL-terminated */
	size_t n;                /* SF_JARR, SF_JOBJ: number of items */
	struct sf_jval *items;   /* SF_JARR, SF_JOBJ */
	char **keys;             /* SF_JOBJ: key of each item */
};

/* Parses the JSON text S (LEN bytes); NULL when it is not one valid value. */
struct sf_jval *sf_json_parse(const char *s, size_t len);
void sf_json_free(struct sf_jval *v);

/* Member KEY of object V, or NULL (also when V is NULL or not an object). */
const struct sf_jval *sf_json_get(const struct sf_jval *v, const char *key);
/* Member KEY as a string, integer or boolean; DEF when absent or of another type. */
const char *sf_json_str(const struct sf_jval *v, const char *key, const char *def);
int64_t sf_json_int(const struct sf_jval *v, const char *key, int64_t def);
bool sf_json_bool(const struct sf_jval *v, const char *key, bool def);

#endif
