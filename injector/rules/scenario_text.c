/*
 * A scenario's text for libconfig (scenario_text.h): read, includes joined
 * in, integer literals checked.  A lexer of libconfig 1.5's own token rules
 * (lib/scanner.l), never a parser: libconfig still parses every byte.
 */
#include "rules/scenario_text.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"

/* libconfig's own limit (lib/scanctx.c, MAX_INCLUDE_DEPTH). */
enum { MAX_INCLUDE_DEPTH = 10 };

/* The file being scanned and where the scan is in it. */
struct scan {
	const char *file;
	const char *s;
	size_t len, i;
	size_t copied;           /* bytes of S already in the joined text */
	unsigned line;
	unsigned depth;
};

static int fail(struct sf_text_problem *p, int err, const struct scan *sc, const char *fmt, ...)
	SF_PRINTF(4, 5);

/* Records the problem at SC's file and line; returns ERR. */
static int fail(struct sf_text_problem *p, int err, const struct scan *sc, const char *fmt, ...)
{
	va_list ap;

	snprintf(p->origin, sizeof(p->origin), "%s:%u", sc->file, sc->line);
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return err;
}

/* ---- The joined text ---------------------------------------------------- */

static int append(struct sf_scenario_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->size) {
		size_t size = t->size ? t->size : 65536;
		while (size < t->len + n + 1)
			size *= 2;
		char *grown = realloc(t->text, size);
		if (!grown)
			return -ENOMEM;
		t->text = grown;
		t->size = size;
	}
	memcpy(t->text + t->len, s, n);
	t->len += n;
	t->text[t->len] = '\0';
	for (size_t i = 0; i < n; i++)
		t->line += s[i] == '\n';
	return 0;
}

/* From the joined text's current line on, FILE's lines from FILE_LINE. */
static int add_piece(struct sf_scenario_text *t, const char *file, unsigned file_line)
{
	struct sf_text_piece *more = realloc(t->pieces, (t->npieces + 1) * sizeof(*more));

	if (!more)
		return -ENOMEM;
	t->pieces = more;
	t->pieces[t->npieces++] = (struct sf_text_piece){ t->line, file, file_line };
	return 0;
}

static int flush(struct sf_scenario_text *t, struct scan *sc, size_t upto)
{
	int rc = append(t, sc->s + sc->copied, upto - sc->copied);

	sc->copied = upto;
	return rc;
}

void sf_scenario_text_origin(const struct sf_scenario_text *t, unsigned line, char *buf, size_t size)
{
	for (size_t k = t->npieces; k-- > 0;) {
		const struct sf_text_piece *pc = &t->pieces[k];
		if (pc->first <= line) {
			snprintf(buf, size, "%s:%u", pc->file, pc->file_line + (line - pc->first));
			return;
		}
	}
	snprintf(buf, size, "%s:%u", t->nfiles ? t->files[0] : "?", line);
}

/* ---- Integer literals ---------------------------------------------------- */

enum literal { LIT_OTHER, LIT_INT, LIT_INT64, LIT_HEX, LIT_HEX64 };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The end of scanner.l's `[eE][-+]?[0-9]+` at J, or J when there is none. */
static size_t exponent(const char *s, size_t n, size_t j)
{
	size_t k = j + 1;

	if (j >= n || (s[j] != 'e' && s[j] != 'E'))
		return j;
	if (k < n && (s[k] == '-' || s[k] == '+'))
		k++;
	if (k >= n || !is_digit(s[k]))
		return j;
	while (k < n && is_digit(s[k]))
		k++;
	return k;
}

/* `L` or `LL` after a literal ending at I makes it 64-bit. */
static size_t suffix(const char *s, size_t n, size_t i, enum literal *kind, enum literal plain,
		     enum literal wide)
{
	*kind = plain;
	if (i < n && s[i] == 'L') {
		*kind = wide;
		i += i + 1 < n && s[i + 1] == 'L' ? 2 : 1;
	}
	return i;
}

/*
 * The length of the number token at S (flex's longest match among
 * scanner.l's {float}, {integer}, {integer64}, {hex}, {hex64}), at least 1.
 */
static size_t number_at(const char *s, size_t n, enum literal *kind)
{
	size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits;

	*kind = LIT_OTHER;
	if (i == 0 && n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_xdigit(s[2])) {
		for (i = 2; i < n && is_xdigit(s[i]); i++)
			;
		return suffix(s, n, i, kind, LIT_HEX, LIT_HEX64);
	}
	for (digits = i; i < n && is_digit(s[i]); i++)
		;
	digits = i - digits;
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++)
			;
		return exponent(s, n, i);
	}
	if (digits && exponent(s, n, i) > i)
		return exponent(s, n, i);
	if (!digits)
		return 1;
	return suffix(s, n, i, kind, LIT_INT, LIT_INT64);
}

/*
 * libconfig 1.5 as Debian 12 ships it reads {integer} with atoi() and
 * {hex} with strtoul() cast to int, so 4294967297 silently becomes 1;
 * with L, atoll() and strtoull() saturate (fixed upstream in 1.6, commit
 * "Recognize long integers without the need for L extension").  No
 * setting's value can tell: the literal itself is read again here.
 */
static void check_literal(struct sf_scenario_text *t, const struct scan *sc, size_t len,
			  enum literal kind)
{
	const char *s = sc->s + sc->i;
	bool is_hex = kind == LIT_HEX || kind == LIT_HEX64;
	bool is_wide = kind == LIT_INT64 || kind == LIT_HEX64;
	char *end;
	int64_t v;
	bool fits64;

	errno = 0;
	if (is_hex) {
		unsigned long long u = strtoull(s, &end, 16);
		fits64 = errno != ERANGE && u <= INT64_MAX;
		v = (int64_t)u;
	} else {
		v = strtoll(s, &end, 10);
		fits64 = errno != ERANGE;
	}
	bool fits = fits64 && (is_wide || (v >= (is_hex ? 0 : INT_MIN) && v <= INT_MAX));
	if (fits || t->bad_int.origin[0])
		return;
	int shown = (int)(len < 60 ? len : 60);
	const char *more = len > 60 ? "..." : "";
	struct sf_text_problem *p = &t->bad_int;
	snprintf(p->origin, sizeof(p->origin), "%s:%u", sc->file, sc->line);
	if (!fits64)
		snprintf(p->why, sizeof(p->why), "integer %.*s%s does not fit in 64 bits; the most is %"
			 PRId64, shown, s, more, INT64_MAX);
	else
		snprintf(p->why, sizeof(p->why), "integer %.*s%s is out of range for libconfig without "
			 "a suffix (it would read %d); write %.*sL for a 64-bit integer",
			 shown, s, more, (int)(uint32_t)(uint64_t)v, (int)(end - s), s);
}

/* ---- Includes ------------------------------------------------------------ */

static int add_file(struct sf_scenario_text *t, const char *path, const struct scan *from,
		    struct sf_text_problem *p);

/* The length of `[ \t]*@include[ \t]+"` at S (scanner.l's include_open, at a line's start), or 0. */
static size_t include_open(const char *s, size_t n)
{
	size_t i = strspn(s, " \t"), blanks;

	if (i + 8 > n || strncmp(s + i, "@include", 8) != 0)
		return 0;
	i += 8;
	blanks = strspn(s + i, " \t");
	if (blanks == 0 || i + blanks >= n || s[i + blanks] != '"')
		return 0;
	return i + blanks + 1;
}

/* The file name of the directive at SC's position into NAME, as scanner.l's <INCLUDE> reads it. */
static int include_name(struct scan *sc, size_t open, char *name, size_t size,
			struct sf_text_problem *p)
{
	size_t j = sc->i + open, k = 0;

	for (; j < sc->len && sc->s[j] != '"'; j++) {
		char c = sc->s[j];
		if (c == '\\') {
			if (j + 1 >= sc->len || (sc->s[j + 1] != '\\' && sc->s[j + 1] != '"'))
				return fail(p, -EINVAL, sc, "bad \\ in an @include file name; "
					    "write \\\\ for a backslash, \\\" for a quote");
			c = sc->s[++j];
		}
		if (k + 1 >= size)
			return fail(p, -EINVAL, sc, "@include file name too long");
		name[k++] = c;
	}
	if (j >= sc->len)
		return fail(p, -EINVAL, sc, "@include file name has no closing quote");
	name[k] = '\0';
	return (int)(j + 1 - sc->i);
}

/*
 * Joins the included file in place of the directive.  libconfig 1.5 would
 * look for it in the current directory (config_read_file sets no include
 * directory, and config_set_include_dir puts its directory before absolute
 * names too): here it is relative to the including file, as a reader
 * of the file expects, and absolute names stay absolute.
 */
static int include(struct sf_scenario_text *t, struct scan *sc, size_t open, struct sf_text_problem *p)
{
	char name[4096], path[8192];
	int used = include_name(sc, open, name, sizeof(name), p);

	if (used < 0)
		return used;
	const char *slash = strrchr(sc->file, '/');
	if (name[0] == '/' || !slash)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - sc->file), sc->file, name);
	if (sc->depth + 1 > MAX_INCLUDE_DEPTH)
		return fail(p, -EINVAL, sc, "@include \"%s\" nested more than %d deep; does a file include itself?",
			    path, MAX_INCLUDE_DEPTH);
	int rc = flush(t, sc, sc->i);
	if (rc == 0)
		rc = add_file(t, path, sc, p);
	if (rc == 0 && t->len && t->text[t->len - 1] != '\n')
		rc = append(t, "\n", 1);
	if (rc == 0)
		rc = add_piece(t, sc->file, sc->line);
	for (size_t j = sc->i; j < sc->i + (size_t)used; j++)
		sc->line += sc->s[j] == '\n';
	sc->i += (size_t)used;
	sc->copied = sc->i;
	return rc;
}

/* ---- The scan ------------------------------------------------------------ */

static bool is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c) || c == '-' || c == '_';
}

enum state { IN_CODE, IN_STRING, IN_COMMENT };

/* One token or character of code (not in a string or comment) at SC->i. */
static int scan_code(struct sf_scenario_text *t, struct scan *sc, bool is_bol, enum state *state,
		     struct sf_text_problem *p)
{
	const char *s = sc->s + sc->i;
	size_t n = sc->len - sc->i, len = 1, open;
	enum literal kind;

	if (is_bol && (open = include_open(s, n)))
		return include(t, sc, open, p);
	if (s[0] == '"') {
		*state = IN_STRING;
	} else if (s[0] == '/' && n > 1 && s[1] == '*') {
		*state = IN_COMMENT;
		len = 2;
	} else if (s[0] == '#' || (s[0] == '/' && n > 1 && s[1] == '/')) {
		len = strcspn(s, "\n");
	} else if (is_name_start(s[0])) {
		while (len < n && is_name_char(s[len]))
			len++;
	} else if (is_digit(s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		len = number_at(s, n, &kind);
		if (kind != LIT_OTHER)
			check_literal(t, sc, len, kind);
	}
	sc->i += len;
	return 0;
}

static int scan(struct sf_scenario_text *t, struct scan *sc, struct sf_text_problem *p)
{
	enum state state = IN_CODE;
	bool is_bol = true;
	int rc = add_piece(t, sc->file, 1);

	while (rc == 0 && sc->i < sc->len) {
		const char *s = sc->s + sc->i;
		bool was_bol = is_bol;
		is_bol = false;
		if (*s == '\0')
			return fail(p, -EINVAL, sc, "a NUL byte; a scenario is text");
		if (*s == '\n') {
			sc->line++;
			sc->i++;
			is_bol = true;
		} else if (state == IN_STRING) {
			bool is_escape = s[0] == '\\' && sc->i + 1 < sc->len && (s[1] == '"' || s[1] == '\\');
			state = s[0] == '"' ? IN_CODE : IN_STRING;
			sc->i += is_escape ? 2 : 1;
		} else if (state == IN_COMMENT) {
			bool is_end = s[0] == '*' && sc->i + 1 < sc->len && s[1] == '/';
			state = is_end ? IN_CODE : IN_COMMENT;
			sc->i += is_end ? 2 : 1;
		} else {
			rc = scan_code(t, sc, was_bol, &state, p);
		}
	}
	return rc ? rc : flush(t, sc, sc->len);
}

/* Reads PATH (included by FROM, or the scenario itself) and joins it in. */
static int add_file(struct sf_scenario_text *t, const char *path, const struct scan *from,
		    struct sf_text_problem *p)
{
	char why[512], max[32];
	char *text, **files = realloc(t->files, (t->nfiles + 1) * sizeof(*files));
	size_t len;

	if (!files || !(files[t->nfiles] = strdup(path))) {
		if (files)
			t->files = files;
		snprintf(p->origin, sizeof(p->origin), "%s", path);
		snprintf(p->why, sizeof(p->why), "out of memory");
		return -ENOMEM;
	}
	t->files = files;
	const char *file = t->files[t->nfiles++];
	int rc = sf_input_read(path, SF_INPUT_SCENARIO_MAX, "a scenario", &text, &len, why, sizeof(why));
	if (rc == 0 && t->len + len > SF_INPUT_SCENARIO_MAX) {
		free(text);
		rc = -EFBIG;
		snprintf(why, sizeof(why), "with the files it includes, larger than %s, the most a scenario may be",
			 sf_input_size_text(SF_INPUT_SCENARIO_MAX, max, sizeof(max)));
	}
	if (rc < 0) {
		if (!from) {
			snprintf(p->origin, sizeof(p->origin), "%s", path);
			snprintf(p->why, sizeof(p->why), "%s", why);
			return rc;
		}
		/* A missing or unreadable include is a mistake at its line; too big or no memory stay so. */
		return fail(p, rc == -ENOMEM || rc == -EFBIG ? rc : -EINVAL, from, "@include \"%s\": %s",
			    path, why);
	}
	struct scan sc = { .file = file, .s = text, .len = len, .line = 1,
			   .depth = from ? from->depth + 1 : 0 };
	rc = scan(t, &sc, p);
	free(text);
	return rc;
}

int sf_scenario_text_read(struct sf_scenario_text *t, const char *path, struct sf_text_problem *p)
{
	memset(t, 0, sizeof(*t));
	t->line = 1;
	p->origin[0] = p->why[0] = '\0';
	int rc = add_file(t, path, NULL, p);
	if (rc == 0 && !t->text)
		rc = append(t, "", 0);
	if (rc == -ENOMEM && !p->why[0]) {
		snprintf(p->origin, sizeof(p->origin), "%s", path);
		snprintf(p->why, sizeof(p->why), "out of memory");
	}
	return rc;
}

void sf_scenario_text_release(struct sf_scenario_text *t)
{
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->files);
	free(t->pieces);
	free(t->text);
	memset(t, 0, sizeof(*t));
}
