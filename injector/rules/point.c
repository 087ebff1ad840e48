/*
 * Failure points: parsing, formatting and matching.  What "the same call"
 * means follows the rule's counting scope: a thread-scope occurrence names
 * a thread, a process-scope one a process, a tree-scope one the whole run.
 */
#include "rules/point.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules/site.h"

static bool is_lineage(const char *s, size_t n)
{
	bool digit_before = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit_before = true;
		else if (s[i] == '.' && digit_before)
			digit_before = false;
		else
			return false;
	}
	return digit_before;
}

static int parse_uint(const char *s, char stop, uint64_t *out, const char **end)
{
	char *e;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &e, 10);
	if (errno || *e != stop)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

static int parse_syscall(const char *s, size_t n, struct sf_point *p)
{
	char name[64];
	const char *at = memchr(s, '@', n);
	size_t len = at ? (size_t)(at - s) : n;

	if (len == 0 || len >= sizeof(name))
		return -1;
	memcpy(name, s, len);
	name[len] = 0;
	p->abi = SF_ABI_X86_64;
	if (at) {
		size_t dn = n - len - 1;
		p->abi = -1;
		for (int abi = 0; abi < SF_ABI_COUNT; abi++)
			if (strlen(sf_abi_designator(abi)) == dn && !strncmp(at + 1, sf_abi_designator(abi), dn))
				p->abi = abi;
		if (p->abi < 0)
			return -1;
	}
	int nr = sf_syscall_number(p->abi, name);
	if (nr < 0) {
		char *e;
		unsigned long v = strtoul(name, &e, 10);
		if (*e || v >= SF_NR_LIMIT)
			return -1;
		nr = (int)v;
	}
	p->nr = (unsigned)nr;
	return 0;
}

#define SITE_PREFIX "site:"

/* "site:HEX:SYSCALL:rRULE" */
static int parse_site(const char *text, struct sf_point *p, char *why, size_t whylen)
{
#define SITE_SHAPE "\"%s\" is not a site point; write site:KEY:SYSCALL:rRULE with a 16-digit hex KEY, e.g. site:5f0c2d9e81b3a476:write:r1"
	const char *key = text + strlen(SITE_PREFIX);
	const char *colon = strchr(key, ':');
	const char *colon2 = colon ? strchr(colon + 1, ':') : NULL;
	uint64_t v;
	const char *end;

	if (!colon || colon - key != 16 || !colon2 || colon2[1] != 'r')
		return sf_why(why, whylen, SITE_SHAPE, text);
	for (const char *d = key; d < colon; d++)
		if (!isxdigit((unsigned char)*d))
			return sf_why(why, whylen, SITE_SHAPE, text);
	p->site = strtoull(key, NULL, 16);
	if (parse_syscall(colon + 1, (size_t)(colon2 - colon - 1), p))
		return sf_why(why, whylen, "unknown syscall in point \"%s\"; see 'sysfault list syscalls'", text);
	if (parse_uint(colon2 + 2, '\0', &v, &end) || v == 0 || v > UINT32_MAX)
		return sf_why(why, whylen, SITE_SHAPE, text);
	p->rule = (unsigned)v;
	p->is_site = true;
	p->occurrence = 1;
	snprintf(p->lineage, sizeof(p->lineage), "?");
	return 0;
}

int sf_point_parse(const char *text, struct sf_point *p, char *why, size_t whylen)
{
#define SHAPE "\"%s\" is not a point; write LINEAGE/THREAD:SYSCALL:OCCURRENCE:rRULE, e.g. 1.2/0:write:3:r1"
	const char *slash = strchr(text, '/');
	const char *colon = slash ? strchr(slash, ':') : NULL;
	const char *colon2 = colon ? strchr(colon + 1, ':') : NULL;
	uint64_t v;
	const char *end;

	memset(p, 0, sizeof(*p));
	if (!strncmp(text, SITE_PREFIX, strlen(SITE_PREFIX)))
		return parse_site(text, p, why, whylen);
	if (!slash || !colon || !colon2 || (size_t)(slash - text) >= sizeof(p->lineage) ||
	    !is_lineage(text, (size_t)(slash - text)))
		return sf_why(why, whylen, SHAPE, text);
	memcpy(p->lineage, text, (size_t)(slash - text));
	if (parse_uint(slash + 1, ':', &v, &end) || v > UINT32_MAX)
		return sf_why(why, whylen, SHAPE, text);
	p->thread = (unsigned)v;
	if (parse_syscall(colon + 1, (size_t)(colon2 - colon - 1), p))
		return sf_why(why, whylen, "unknown syscall in point \"%s\"; see 'sysfault list syscalls'", text);
	if (parse_uint(colon2 + 1, ':', &v, &end) || v == 0)
		return sf_why(why, whylen, SHAPE, text);
	p->occurrence = v;
	if (end[1] != 'r' || parse_uint(end + 2, '\0', &v, &end) || v == 0 || v > UINT32_MAX)
		return sf_why(why, whylen, SHAPE, text);
	p->rule = (unsigned)v;
	return 0;
}

void sf_point_format(const struct sf_point *p, char *buf, size_t size)
{
	const char *name = sf_syscall_name(p->abi, p->nr);
	char nrbuf[16];

	if (!name) {
		snprintf(nrbuf, sizeof(nrbuf), "%u", p->nr);
		name = nrbuf;
	}
	if (p->is_site) {
		snprintf(buf, size, SITE_PREFIX "%016" PRIx64 ":%s%s%s:r%u", p->site, name,
			 p->abi == SF_ABI_X86_64 ? "" : "@",
			 p->abi == SF_ABI_X86_64 ? "" : sf_abi_designator(p->abi), p->rule);
		return;
	}
	snprintf(buf, size, "%s/%u:%s%s%s:%" PRIu64 ":r%u", p->lineage, p->thread, name,
		 p->abi == SF_ABI_X86_64 ? "" : "@", p->abi == SF_ABI_X86_64 ? "" : sf_abi_designator(p->abi),
		 p->occurrence, p->rule);
}

bool sf_point_matches(const struct sf_point *p, const struct sf_rule *rule,
		      const char *lineage, unsigned thread, const struct sf_call_view *view,
		      uint64_t occurrence)
{
	if (rule->index + 1 != p->rule || (int)view->abi != p->abi || view->nr != p->nr)
		return false;
	if (p->is_site)
		return sf_site_of(view) == p->site;
	if (occurrence != p->occurrence)
		return false;
	switch (rule->scope) {
	case SF_SCOPE_TREE:
		return true;
	case SF_SCOPE_PROCESS:
		return !strcmp(lineage, p->lineage);
	case SF_SCOPE_THREAD:
	default:
		return !strcmp(lineage, p->lineage) && thread == p->thread;
	}
}

/* Whether RULE (an index) selects NR of ABI. */
static bool rule_selects(const struct sf_rules *rules, unsigned rule, enum sf_abi abi, unsigned nr)
{
	if (!sf_rules_select(rules, abi, nr))
		return false;
	const struct sf_call_rules *list = &rules->calls[(unsigned)abi * SF_NR_LIMIT + nr];
	for (uint32_t j = 0; j < list->n; j++)
		if (list->rule[j] == rule)
			return true;
	return false;
}

bool sf_point_needs_call(const struct sf_point *p, const struct sf_rules *rules, enum sf_abi abi,
			 unsigned nr)
{
	if ((int)abi == p->abi && nr == p->nr)
		return true;
	if (p->abi < 0 || p->abi >= SF_ABI_COUNT || !sf_rules_select(rules, (enum sf_abi)p->abi, p->nr))
		return false;
	const struct sf_call_rules *mine = &rules->calls[(unsigned)p->abi * SF_NR_LIMIT + p->nr];
	for (uint32_t j = 0; j < mine->n; j++) {
		unsigned r = mine->rule[j];
		if (r + 1 < p->rule && rules->v[r]->limit && rule_selects(rules, r, abi, nr))
			return true;
	}
	return false;
}
