/*
 * Failure points: one call of one thread, named so that the same call can
 * be found again in another run of the same command: the process by its
 * lineage of fork indices ("1" the command, "1.2" its second child), the
 * thread by its creation index in the process, then the syscall, the rule
 * and the occurrence its trigger counted.  Written "1.2/0:write:3:r1"
 * (an ABI other than x86_64 as "write@32").  A site point names instead
 * the first call that the rule acts on from one call site (rules/site.h),
 * in whichever process and at whichever occurrence it comes:
 * "site:5f0c2d9e81b3a476:write:r1".
 */
#ifndef SF_POINT_H
#define SF_POINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/rule.h"

struct sf_point {
	char lineage[256];
	unsigned thread;
	int abi;
	unsigned nr;
	unsigned rule;           /* 1-based, file order */
	uint64_t occurrence;     /* of a site point: where the record saw it first (not matched) */
	bool is_site;
	uint64_t site;           /* sf_site_key() */
};

/* Parses TEXT; returns 0, or -1 with a reason in WHY. */
int sf_point_parse(const char *text, struct sf_point *p, char *why, size_t whylen);
/* The text form; a LINEAGE longer than the struct holds is never produced. */
void sf_point_format(const struct sf_point *p, char *buf, size_t size);

/*
 * Whether the call VIEW shows, made by thread THREAD of the process of
 * LINEAGE, on which RULE fired at OCCURRENCE, is P.  A site point unwinds
 * the stack, and only for a call of its rule and syscall.
 */
bool sf_point_matches(const struct sf_point *p, const struct sf_rule *rule,
		      const char *lineage, unsigned thread, const struct sf_call_view *view,
		      uint64_t occurrence);

/*
 * Whether a run of P must see the calls NR of ABI for P to be reached as
 * the record reached it: P's own syscall, whose rules decide in order (an
 * earlier rule that fires takes the call); and every call of an earlier
 * rule on that syscall that has a `limit`, whose count of fired calls,
 * across all its syscalls, says whether it takes P's call.  Every other
 * count is per syscall, and P's own rule fires at P as long as it fired
 * no more often before it than in the record.
 */
bool sf_point_needs_call(const struct sf_point *p, const struct sf_rules *rules, enum sf_abi abi,
			 unsigned nr);

#endif
