/*
 * JSON reader for explore and merge: a recursive-descent parser into a tree
 * of sf_jval.  Strict about syntax (a shard report cut short must not be
 * merged as if whole); nesting is bounded so bad input cannot exhaust the stack.
 */
#include "explore/explore_json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct parser {
	const char *s, *end;
	int depth;
};

static void skip_ws(struct parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static bool literal(struct parser *p, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, lit, n))
		return false;
	p->s += n;
	return true;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A \uXXXX escape at P->s (after the backslash and 'u'), pairs included. */
static bool unicode_escape(struct parser *p, char *out, size_t *len)
{
	if (p->end - p->s < 4)
		return false;
	int cp = hex4(p->s);
	if (cp < 0)
		return false;
	p->s += 4;
	if (cp >= 0xd800 && cp < 0xdc00 && p->end - p->s >= 6 && p->s[0] == '\\' && p->s[1] == 'u') {
		int lo = hex4(p->s + 2);
		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			p->s += 6;
		}
	}
	*len += put_utf8(out + *len, (unsigned)cp);
	return true;
}

/* The decoded string never outgrows its escaped form, so one allocation of that size holds it. */
static char *string(struct parser *p)
{
	if (p->s >= p->end || *p->s != '"')
		return NULL;
	const char *start = ++p->s;
	char *out = malloc((size_t)(p->end - start) + 1);
	size_t len = 0;

	while (out && p->s < p->end) {
		unsigned char c = (unsigned char)*p->s++;
		if (c == '"') {
			out[len] = 0;
			return out;
		}
		if (c < 0x20)
			break;
		if (c != '\\') {
			out[len++] = (char)c;
			continue;
		}
		if (p->s >= p->end)
			break;
		char e = *p->s++;
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *at = strchr(from, e);
		if (e == 'u') {
			if (!unicode_escape(p, out, &len))
				break;
		} else if (at && e) {
			out[len++] = to[at - from];
		} else {
			break;
		}
	}
	free(out);
	return NULL;
}

static bool number(struct parser *p, struct sf_jval *v)
{
	const char *start = p->s;
	bool is_int = true;

	if (p->s < p->end && *p->s == '-')
		p->s++;
	if (p->s >= p->end || *p->s < '0' || *p->s > '9')
		return false;
	while (p->s < p->end && ((*p->s >= '0' && *p->s <= '9') || strchr(".eE+-", *p->s))) {
		if (strchr(".eE", *p->s))
			is_int = false;
		p->s++;
	}
	char buf[64];
	size_t n = (size_t)(p->s - start);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, start, n);
	buf[n] = 0;
	char *end;
	errno = 0;
	v->num = strtod(buf, &end);
	if (*end || !isfinite(v->num))
		return false;
	v->inum = is_int ? strtoll(buf, NULL, 10) : (int64_t)v->num;
	v->type = SF_JNUM;
	return true;
}

static bool value(struct parser *p, struct sf_jval *v);
static void release(struct sf_jval *v);

static bool grow(struct sf_jval *v, size_t *cap, bool keyed)
{
	if (v->n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	struct sf_jval *items = realloc(v->items, ncap * sizeof(*items));
	if (!items)
		return false;
	v->items = items;
	if (keyed) {
		char **keys = realloc(v->keys, ncap * sizeof(*keys));
		if (!keys)
			return false;
		v->keys = keys;
	}
	*cap = ncap;
	return true;
}

/* An array or object; items are counted in V->n only once fully parsed, so freeing is safe at any point. */
static bool members(struct parser *p, struct sf_jval *v, bool keyed)
{
	char close = keyed ? '}' : ']';
	size_t cap = 0;

	v->type = keyed ? SF_JOBJ : SF_JARR;
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		if (!grow(v, &cap, keyed))
			return false;
		if (keyed) {
			skip_ws(p);
			if (!(key = string(p)))
				return false;
			skip_ws(p);
			if (p->s >= p->end || *p->s++ != ':') {
				free(key);
				return false;
			}
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (!value(p, &v->items[v->n])) {
			free(key);
			release(&v->items[v->n]);
			return false;
		}
		if (keyed)
			v->keys[v->n] = key;
		v->n++;
		skip_ws(p);
		if (p->s >= p->end)
			return false;
		if (*p->s == close) {
			p->s++;
			return true;
		}
		if (*p->s++ != ',')
			return false;
	}
}

static bool value(struct parser *p, struct sf_jval *v)
{
	bool ok = false;

	skip_ws(p);
	if (p->s >= p->end || ++p->depth > MAX_DEPTH)
		return false;
	switch (*p->s) {
	case '{': ok = members(p, v, true); break;
	case '[': ok = members(p, v, false); break;
	case '"':
		v->str = string(p);
		v->type = SF_JSTR;
		ok = v->str != NULL;
		break;
	case 't': v->type = SF_JBOOL; ok = v->b = literal(p, "true"); break;
	case 'f': v->type = SF_JBOOL; ok = literal(p, "false"); break;
	case 'n': v->type = SF_JNULL; ok = literal(p, "null"); break;
	default: ok = number(p, v); break;
	}
	p->depth--;
	return ok;
}

/* Frees what V holds, not V itself. */
static void release(struct sf_jval *v)
{
	for (size_t i = 0; i < v->n; i++) {
		release(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

struct sf_jval *sf_json_parse(const char *s, size_t len)
{
	struct parser p = { s, s + len, 0 };
	struct sf_jval *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	if (!value(&p, v)) {
		release(v);
		free(v);
		return NULL;
	}
	skip_ws(&p);
	if (p.s != p.end) {
		release(v);
		free(v);
		return NULL;
	}
	return v;
}

void sf_json_free(struct sf_jval *v)
{
	if (!v)
		return;
	release(v);
	free(v);
}

const struct sf_jval *sf_json_get(const struct sf_jval *v, const char *key)
{
	if (!v || v->type != SF_JOBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const char *sf_json_str(const struct sf_jval *v, const char *key, const char *def)
{
	const struct sf_jval *m = sf_json_get(v, key);
	return m && m->type == SF_JSTR ? m->str : def;
}

int64_t sf_json_int(const struct sf_jval *v, const char *key, int64_t def)
{
	const struct sf_jval *m = sf_json_get(v, key);
	return m && m->type == SF_JNUM ? m->inum : def;
}

bool sf_json_bool(const struct sf_jval *v, const char *key, bool def)
{
	const struct sf_jval *m = sf_json_get(v, key);
	return m && m->type == SF_JBOOL ? m->b : def;
}
