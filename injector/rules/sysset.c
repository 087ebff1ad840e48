/*
 * strace's syscall set grammar (src/basic_filters.c, qualify_syscall_tokens)
 * turned into one bit per (ABI, number).  Names come only from names.h;
 * nothing here knows a syscall by heart, and nothing here prints.
 */
#include "rules/sysset.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* The ABIs one token applies to: all of them, or the one its @ suffix names. */
struct abi_scope {
	int only;        /* an enum sf_abi, or -1 for every ABI */
};

static bool in_scope(struct abi_scope scope, int abi)
{
	return scope.only < 0 || scope.only == abi;
}

/* Splits a trailing "@64", "@32" or "@x32" off BODY (modified in place). */
static int split_abi(char *body, struct abi_scope *scope, char *why, size_t whylen)
{
	char *at = strrchr(body, '@');

	scope->only = -1;
	if (!at)
		return 0;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		if (strcmp(at + 1, sf_abi_designator(abi)) == 0) {
			scope->only = abi;
			*at = '\0';
			return 0;
		}
	}
	return sf_why(why, whylen, "unknown ABI \"@%s\" in \"%s\"; use @64, @32 or @x32",
		    at + 1, body);
}

/*
 * A number some ABI names selects it there.  A number no ABI names is
 * taken as a syscall newer than libseccomp's tables: since Linux 5.1 new
 * syscalls share one number on every ABI (424 and up), so it selects that
 * number on every ABI in scope.
 */
static bool add_number(struct sf_sysset *set, struct abi_scope scope, unsigned nr)
{
	bool found = false, is_named = false;

	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		is_named |= sf_syscall_name(abi, nr) != NULL;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		if (in_scope(scope, abi) && (!is_named || sf_syscall_name(abi, nr))) {
			sf_sysset_add(set, abi, nr);
			found = true;
		}
	}
	return found;
}

/* strace counts a class as found even when it has no member on an ABI. */
static bool add_class(struct sf_sysset *set, struct abi_scope scope, const char *name)
{
	unsigned mask;

	if (!sf_class_lookup(name, &mask))
		return false;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; in_scope(scope, abi) && nr < SF_NR_LIMIT; nr++)
			if (sf_syscall_name(abi, nr) && sf_syscall_has_class(abi, nr, mask))
				sf_sysset_add(set, abi, nr);
	return true;
}

static bool add_name(struct sf_sysset *set, struct abi_scope scope, const char *name)
{
	bool found = false;

	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		int nr = in_scope(scope, abi) ? sf_syscall_number(abi, name) : -1;
		if (nr >= 0 && nr < SF_NR_LIMIT) {
			sf_sysset_add(set, abi, (unsigned)nr);
			found = true;
		}
	}
	return found;
}

bool sf_is_decimal(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * Numbers past the last named one by more than this are no syscall:
 * libseccomp's tables may lag the kernel by a few releases (about ten new
 * calls a year), not by hundreds.
 */
#define NEWER_THAN_TABLES 64

/*
 * The highest number x86_64 or i386 names, and its name.  x32's own calls
 * sit at 512..547 apart from the shared numbering, so they say nothing
 * about how far the kernel's numbers reach.
 */
static unsigned highest_named(const char **name)
{
	unsigned top = 0;

	*name = NULL;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		if (abi == SF_ABI_X32)
			continue;
		for (unsigned nr = SF_NR_LIMIT; nr-- > top;) {
			if (sf_syscall_name(abi, nr)) {
				top = nr;
				*name = sf_syscall_name(abi, nr);
				break;
			}
		}
	}
	return top;
}

static int no_such_number(const char *nr, const char *abi, char *why, size_t whylen)
{
	const char *name;
	unsigned top = highest_named(&name);

	return sf_why(why, whylen, "syscall number %s is no syscall on %s; the highest known is "
		      "%u (%s): see 'sysfault list syscalls'", nr, abi, top, name ? name : "?");
}

/* The message for a token that selected nothing and had no '?'. */
static int not_found(const char *body, struct abi_scope scope, char *why, size_t whylen)
{
	const char *abi = scope.only < 0 ? "any ABI" : sf_abi_name(scope.only);
	const char *hint;

	if (*body >= '0' && *body <= '9')
		return no_such_number(body, abi, why, whylen);
	if (*body == '/')
		return sf_why(why, whylen, "regular expression \"%s\" matches no syscall on %s",
			    body, abi);
	if (scope.only >= 0 && add_name(&(struct sf_sysset){ 0 }, (struct abi_scope){ -1 }, body))
		return sf_why(why, whylen, "syscall \"%s\" does not exist on %s", body, abi);
	if (*body == '%') {
		hint = sf_suggest_class(body);
		if (hint)
			return sf_why(why, whylen, "unknown syscall class \"%s\"; did you mean \"%s\"?",
				    body, hint);
		return sf_why(why, whylen, "unknown syscall class \"%s\"; see 'sysfault list classes'",
			    body);
	}
	hint = sf_suggest_syscall(body);
	if (hint)
		return sf_why(why, whylen, "unknown syscall \"%s\"; did you mean \"%s\"?", body, hint);
	return sf_why(why, whylen, "unknown syscall \"%s\"; see 'sysfault list syscalls'", body);
}

/* Adds BODY (no '?', no '@') on the ABIs in SCOPE: 1 found, 0 not, -1 error. */
static int add_body(struct sf_sysset *set, struct abi_scope scope, const char *body,
		    char *why, size_t whylen)
{
	if (*body >= '0' && *body <= '9') {
		if (!sf_is_decimal(body))
			return sf_why(why, whylen, "bad syscall number \"%s\"; write digits only, or a name",
				    body);
		const char *top_name;
		unsigned long nr = strtoul(body, NULL, 10);
		if (nr >= SF_NR_LIMIT || nr > highest_named(&top_name) + NEWER_THAN_TABLES)
			return 0;
		return add_number(set, scope, (unsigned)nr);
	}
	if (*body == '/')
		return sf_sysset_add_regex(set, scope.only, body + 1, why, whylen);
	return add_class(set, scope, body) || add_name(set, scope, body);
}

int sf_sysset_add_token(struct sf_sysset *set, const char *token, char *why, size_t whylen)
{
	bool is_optional = false;
	struct abi_scope scope;
	int rc;

	while (*token == '?') {
		is_optional = true;
		token++;
	}
	if (*token == '\0')
		return sf_why(why, whylen, "empty syscall name%s; write a name, number, %%class or /regex",
			    is_optional ? " after '?'" : "");
	char *body = strdup(token);
	if (!body)
		return sf_why(why, whylen, "out of memory");
	rc = split_abi(body, &scope, why, whylen);
	if (rc == 0 && *body == '\0')
		rc = sf_why(why, whylen, "no syscall before \"%s\"; write e.g. read%s", token, token);
	if (rc == 0) {
		rc = add_body(set, scope, body, why, whylen);
		if (rc == 0)
			rc = is_optional ? 0 : not_found(body, scope, why, whylen);
		else if (rc > 0)
			rc = 0;
	}
	free(body);
	return rc;
}

/*
 * As strace (qualify_syscall_tokens splits with strtok_r), empty entries
 * ("write,", ",write", "read,,write") are skipped; a list of nothing but
 * commas selects nothing and is refused.
 */
static int add_list(struct sf_sysset *set, const char *list, const char *whole,
		    char *why, size_t whylen)
{
	const char *p = list + strspn(list, ",");

	if (*p == '\0')
		return sf_why(why, whylen, "no syscall in syscall list \"%s\"; %s",
			    whole, "name a syscall, a number, a %class or /regex");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0) {
			if (!comma)
				return 0;
			p = comma + 1;
			continue;
		}
		char *token = strndup(p, len);
		if (!token)
			return sf_why(why, whylen, "out of memory");
		int rc = sf_sysset_add_token(set, token, why, whylen);
		free(token);
		if (rc < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int sf_sysset_parse(struct sf_sysset *set, const char *text, char *why, size_t whylen)
{
	const char *s = text;
	bool is_inverted = false;

	memset(set, 0, sizeof(*set));
	if (strlen(text) > SF_SYSSET_TEXT_MAX)
		return sf_why(why, whylen, "syscall set \"%.20s...\" is %zu bytes long; the most is %d, "
			    "more than every syscall of every ABI needs", text, strlen(text),
			    SF_SYSSET_TEXT_MAX);
	/* As strace: each leading '!' inverts whatever the rest selects. */
	while (*s == '!') {
		is_inverted = !is_inverted;
		s++;
	}
	if (*s == '\0')
		return sf_why(why, whylen, "empty syscall set \"%s\"; %s", text,
			    "name a syscall, a number, a %class or /regex");
	if (strcmp(s, "all") == 0)
		is_inverted = !is_inverted;
	else if (strcmp(s, "none") != 0 && add_list(set, s, text, why, whylen) < 0)
		return -1;
	if (is_inverted)
		sf_sysset_invert(set);
	return 0;
}

void sf_sysset_invert(struct sf_sysset *set)
{
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			uint64_t bit = UINT64_C(1) << (nr % 64);
			if (sf_syscall_name(abi, nr))
				set->bits[abi][nr / 64] ^= bit;
			else
				set->bits[abi][nr / 64] &= ~bit;
		}
	}
}

int sf_sysset_is_empty(const struct sf_sysset *set)
{
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
			if (set->bits[abi][w])
				return 0;
	return 1;
}

void sf_sysset_print(const struct sf_sysset *set, enum sf_abi abi, FILE *out)
{
	const char *sep = "";

	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
		if (!sf_sysset_has(set, abi, nr))
			continue;
		const char *name = sf_syscall_name(abi, nr);
		if (name)
			fprintf(out, "%s%s", sep, name);
		else
			fprintf(out, "%s%u", sep, nr);
		sep = ",";
	}
}
