/*
 * JSON reader for explore and merge: jansson parses; this file only checks
 * each field's type and range and words the one message a bad file gets.
 * Nothing here converts a number jansson did not give as an integer.
 */
#include "explore/explore_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"

void sf_jread_fail(struct sf_jread *r, const char *fmt, ...)
{
	va_list ap;

	if (sf_jread_failed(r))
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* "points[3].exit_status" for KEY read in R->where. */
static const char *field(const struct sf_jread *r, const char *key, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", r->where, r->where[0] ? "." : "", key);
	return buf;
}

/* V as JSON, cut short: enough to show what was found instead. */
static const char *shown(const json_t *v, char *buf, size_t size)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	snprintf(buf, size, "%.40s%s", text ? text : "?", text && strlen(text) > 40 ? "..." : "");
	free(text);
	return buf;
}

/* Member KEY of OBJ, which must be there; NULL with the problem noted. */
static const json_t *member(struct sf_jread *r, const json_t *obj, const char *key)
{
	char name[128];
	const json_t *v = json_object_get(obj, key);

	if (!v)
		sf_jread_fail(r, "field '%s' is missing", field(r, key, name, sizeof(name)));
	return v;
}

static void wrong_type(struct sf_jread *r, const char *key, const json_t *v, const char *expected)
{
	char name[128], text[64];

	sf_jread_fail(r, "field '%s' is %s, not %s", field(r, key, name, sizeof(name)),
		      shown(v, text, sizeof(text)), expected);
}

/*
 * TEXT as one JSON object.  IS_WHOLE_FILE: TEXT is the whole of R's file, so
 * an error's line is jansson's; else R's line (a JSON Lines record) stays.
 */
static json_t *parse_object(struct sf_jread *r, const char *text, size_t len, bool is_whole_file)
{
	json_error_t err;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);

	if (!v) {
		if (is_whole_file)
			r->line = (unsigned long)(err.line > 0 ? err.line : 0);
		sf_jread_fail(r, "not JSON: column %d: %s", err.column, err.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		sf_jread_fail(r, "not a JSON object");
		json_decref(v);
		return NULL;
	}
	return v;
}

json_t *sf_jread_parse(struct sf_jread *r, const char *text, size_t len)
{
	return parse_object(r, text, len, false);
}

/* Read by input.h, not json_loadf(): a FIFO or /dev/zero named as a report is one line, not a hang. */
json_t *sf_jread_load(struct sf_jread *r)
{
	char why[320], *text;
	size_t len;

	if (sf_input_read(r->path, SF_INPUT_REPORT_MAX, "a report", &text, &len, why, sizeof(why)) < 0) {
		sf_jread_fail(r, "%s", why);
		return NULL;
	}
	json_t *v = parse_object(r, text, len, true);
	free(text);
	return v;
}

/*
 * jansson gives an integer only for a literal without fraction or
 * exponent that fits json_int_t (it refuses larger ones outright), so
 * 1e19 or 1e308 arrive as reals and are refused here: never cast.
 */
static bool integer_in_range(struct sf_jread *r, const json_t *v, const char *key, int64_t min,
			     int64_t max, int64_t *out)
{
	char name[128], text[64];

	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		sf_jread_fail(r, "field '%s' is not an integer in range %" PRId64 " to %" PRId64 " (%s)",
			      field(r, key, name, sizeof(name)), min, max, shown(v, text, sizeof(text)));
		return false;
	}
	*out = (int64_t)json_integer_value(v);
	return true;
}

int64_t sf_jread_int(struct sf_jread *r, const json_t *obj, const char *key, int64_t min, int64_t max)
{
	const json_t *v = member(r, obj, key);
	int64_t out = min;

	if (v)
		integer_in_range(r, v, key, min, max, &out);
	return out;
}

bool sf_jread_int_or_null(struct sf_jread *r, const json_t *obj, const char *key, int64_t min,
			  int64_t max, int64_t *v)
{
	const json_t *m = json_object_get(obj, key);

	return m && !json_is_null(m) && integer_in_range(r, m, key, min, max, v);
}

double sf_jread_seconds(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = member(r, obj, key);

	/* jansson's reals are always finite: it refuses 1e400 while parsing. */
	if (v && (!json_is_number(v) || json_number_value(v) < 0)) {
		wrong_type(r, key, v, "a number of seconds >= 0");
		return 0;
	}
	return v ? json_number_value(v) : 0;
}

const char *sf_jread_str(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = member(r, obj, key);

	if (v && !json_is_string(v))
		wrong_type(r, key, v, "a string");
	return json_is_string(v) ? json_string_value(v) : "";
}

const char *sf_jread_str_or_null(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (v && !json_is_null(v) && !json_is_string(v))
		wrong_type(r, key, v, "a string or null");
	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool sf_jread_bool(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = member(r, obj, key);

	if (v && !json_is_boolean(v))
		wrong_type(r, key, v, "true or false");
	return json_is_true(v);
}

const json_t *sf_jread_array(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = member(r, obj, key);

	if (v && !json_is_array(v))
		wrong_type(r, key, v, "an array");
	return json_is_array(v) ? v : NULL;
}

const json_t *sf_jread_object(struct sf_jread *r, const json_t *obj, const char *key)
{
	const json_t *v = member(r, obj, key);

	if (v && !json_is_object(v))
		wrong_type(r, key, v, "an object");
	return json_is_object(v) ? v : NULL;
}

void sf_jread_format(struct sf_jread *r, const json_t *obj, const char *format)
{
	const char *got = sf_jread_str(r, obj, "format");

	if (!sf_jread_failed(r) && strcmp(got, format))
		sf_jread_fail(r, "format '%s', where this sysfault reads '%s' (written by another version?)",
			      got, format);
}

int sf_jread_report(const struct sf_jread *r)
{
	char origin[4200];

	if (r->line)
		snprintf(origin, sizeof(origin), "%s:%lu", r->path, r->line);
	else
		snprintf(origin, sizeof(origin), "%s", r->path);
	sf_user_error(origin, "%s", r->why[0] ? r->why : "unreadable");
	return -EINVAL;
}
