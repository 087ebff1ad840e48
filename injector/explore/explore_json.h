/*
 * Reading what sysfault itself writes (the log and record lines of `run`,
 * explore's report for `merge`) with jansson: strict syntax, no duplicate
 * keys, and every field read with its type and range checked, so that a
 * bad file is one clean message and never a guess or undefined behaviour.
 */
#ifndef SF_EXPLORE_JSON_H
#define SF_EXPLORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One file being read, and the first problem found in it.  The getters
 * below never fail loudly: they note the problem here and return a
 * harmless value, so a caller reads every field, then checks once.
 */
struct sf_jread {
	const char *path;
	unsigned long line;      /* of a JSON Lines file, from 1; 0 for a whole document */
	char where[64];          /* the object being read ("points[3]"), or "" for the top */
	char why[320];           /* the first problem; "" while there is none */
};

/* Parses TEXT (LEN bytes) as one JSON object; NULL with R->why set. */
json_t *sf_jread_parse(struct sf_jread *r, const char *text, size_t len);
/* Reads the whole file R->path as one JSON object; NULL with R->why set. */
json_t *sf_jread_load(struct sf_jread *r);

/* Member KEY of OBJ: an integer from MIN to MAX (reals, even 1e19, are not integers). */
int64_t sf_jread_int(struct sf_jread *r, const json_t *obj, const char *key, int64_t min, int64_t max);
/* Same, or null: returns false (and leaves *V) when the member is null. */
bool sf_jread_int_or_null(struct sf_jread *r, const json_t *obj, const char *key, int64_t min,
			  int64_t max, int64_t *v);
/* A number of seconds: finite and >= 0, integer or real. */
double sf_jread_seconds(struct sf_jread *r, const json_t *obj, const char *key);
/* A string ("" on a problem, never NULL); the _or_null form returns NULL for null. */
const char *sf_jread_str(struct sf_jread *r, const json_t *obj, const char *key);
const char *sf_jread_str_or_null(struct sf_jread *r, const json_t *obj, const char *key);
bool sf_jread_bool(struct sf_jread *r, const json_t *obj, const char *key);
/* An array or an object member (NULL on a problem). */
const json_t *sf_jread_array(struct sf_jread *r, const json_t *obj, const char *key);
const json_t *sf_jread_object(struct sf_jread *r, const json_t *obj, const char *key);
/* Checks the member "format" of OBJ is FORMAT ("sysfault-explore/1"). */
void sf_jread_format(struct sf_jread *r, const json_t *obj, const char *format);
/* Records a problem of the caller's own ("WHAT"), unless one is already there. */
void sf_jread_fail(struct sf_jread *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline bool sf_jread_failed(const struct sf_jread *r)
{
	return r->why[0] != 0;
}

/* Reports R's problem once, as "PATH[:LINE]: WHY"; returns -EINVAL. */
int sf_jread_report(const struct sf_jread *r);

#endif
