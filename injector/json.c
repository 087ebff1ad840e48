/*
 * Text and JSON for every machine-readable output (the log, the summary,
 * explore's reports): one policy for bytes that are not UTF-8, and one way
 * of writing a jansson value.  Never builds JSON by hand.
 */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Well-formed sequences as in the Unicode standard, chapter 3, table 3-7. */
size_t sf_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t len;

	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2, c = u[0] & 0x1f, min = 0x80;
	else if ((u[0] & 0xf0) == 0xe0)
		len = 3, c = u[0] & 0x0f, min = 0x800;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4, c = u[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * One U+FFFD per bad byte rather than per "maximal subpart": simpler to
 * state, and the count of replacement characters tells how many bytes were
 * lost.  Lossy on purpose: JSON strings cannot carry raw bytes, and an
 * escape of our own (\xff) would be ambiguous with the same text typed.
 */
char *sf_utf8_clean(const char *s)
{
	size_t n = strlen(s), out = 0;
	char *t = n < SIZE_MAX / 3 ? malloc(3 * n + 1) : NULL;

	if (!t)
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = sf_utf8_decode(s + i, n - i, &cp);
		if (len) {
			memcpy(t + out, s + i, len);
			out += len;
			i += len;
		} else {
			memcpy(t + out, "\xef\xbf\xbd", 3);
			out += 3;
			i++;
		}
	}
	t[out] = 0;
	return t;
}

json_t *sf_json_text(const char *s)
{
	if (!s)
		return json_null();
	char *clean = sf_utf8_clean(s);
	json_t *v = clean ? json_string(clean) : NULL;
	free(clean);
	return v;
}

json_t *sf_json_u64(uint64_t v)
{
	char digits[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(digits, sizeof(digits), "%" PRIu64, v);
	return json_string(digits);
}

/* 15 digits: the times are rounded to microseconds first, so they print as written. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

int sf_json_write(const json_t *v, FILE *out)
{
	errno = 0;
	if (!v || json_dumpf(v, out, DUMP_FLAGS) < 0)
		return errno ? -errno : -ENOMEM;
	return 0;
}

int sf_json_write_line(const json_t *v, FILE *out)
{
	int rc = sf_json_write(v, out);

	if (rc == 0 && fputc('\n', out) == EOF)
		rc = errno ? -errno : -EIO;
	return rc;
}

json_t *sf_json_stack(const struct sf_frames *stack)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < stack->n; i++) {
		const struct sf_frame *f = &stack->v[i];
		json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "module", sf_json_text(f->module),
				      "build_id", sf_json_text(f->build_id), "offset", sf_json_u64(f->offset),
				      "function", sf_json_text(f->function), "file", sf_json_text(f->file),
				      "line", f->file ? json_integer(f->line) : json_null());
		if (json_array_append_new(a, o) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}
