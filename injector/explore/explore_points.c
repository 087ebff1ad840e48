/*
 * explore's list of points: read from a record run's JSON Lines, then
 * narrowed (dedup, --max-points) and split into shards.  Every step keeps
 * record order, so every shard of a campaign computes the same list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "explore/explore.h"
#include "explore/explore_json.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int add_point(struct sf_campaign *c, const struct sf_jval *ev)
{
	struct sf_xpoint *p = sf_campaign_add_point(c);

	if (!p)
		return -1;
	p->index = c->npoints;
	p->point = dup_or_empty(sf_json_str(ev, "point", NULL));
	p->lineage = dup_or_empty(sf_json_str(ev, "lineage", NULL));
	p->exe = dup_or_empty(sf_json_str(ev, "exe", NULL));
	p->syscall = dup_or_empty(sf_json_str(ev, "syscall", NULL));
	p->thread = (unsigned)sf_json_int(ev, "thread", 0);
	p->rule = (unsigned)sf_json_int(ev, "rule", 0);
	p->occurrence = (uint64_t)sf_json_int(ev, "occurrence", 0);
	p->outcome = SF_OUT_UNREACHED;
	return p->point && p->lineage && p->exe && p->syscall ? 0 : -1;
}

/*
 * A result line follows its point on the same thread, but other threads'
 * lines may come between: match it to the last point of that tid.
 */
static void add_result(struct sf_campaign *c, const struct sf_jval *ev, const long *tids)
{
	long tid = (long)sf_json_int(ev, "tid", -1);

	for (size_t i = c->npoints; i-- > 0;) {
		if (tids[i] == tid) {
			if (!c->points[i].has_rval) {
				c->points[i].has_rval = true;
				c->points[i].rval = sf_json_int(ev, "rval", 0);
			}
			return;
		}
	}
}

int sf_points_read_record(struct sf_campaign *c, const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, ntids = 0;
	long *tids = NULL;
	ssize_t len;
	int rc = 0;

	if (!f) {
		sf_error("cannot read the record '%s': %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
		struct sf_jval *ev = sf_json_parse(line, (size_t)len);
		const char *event = sf_json_str(ev, "event", "");
		if (!ev) {
			sf_error("the record '%s' has a line that is not JSON", path);
			rc = -1;
		} else if (!strcmp(event, "point")) {
			long *more = realloc(tids, (ntids + 1) * sizeof(*tids));
			if (!more || add_point(c, ev) < 0) {
				free(more ? more : tids);
				tids = NULL;
				sf_error("out of memory reading the record");
				rc = -1;
			} else {
				tids = more;
				tids[ntids++] = (long)sf_json_int(ev, "tid", -1);
			}
		} else if (!strcmp(event, "result")) {
			add_result(c, ev, tids);
		}
		sf_json_free(ev);
	}
	free(line);
	free(tids);
	fclose(f);
	return rc;
}

static bool same_shape(const struct sf_xpoint *a, const struct sf_xpoint *b)
{
	return !strcmp(a->lineage, b->lineage) && !strcmp(a->exe, b->exe) &&
	       !strcmp(a->syscall, b->syscall) && a->rule == b->rule &&
	       a->has_rval == b->has_rval && (!a->has_rval || a->rval == b->rval);
}

/* Quadratic in the worst case; a hash would only pay off far beyond the sizes a campaign can run. */
void sf_points_dedup(struct sf_campaign *c)
{
	size_t kept = 0;

	for (size_t i = 0; i < c->npoints; i++) {
		bool is_dup = false;
		for (size_t j = 0; j < kept && !is_dup; j++)
			is_dup = same_shape(&c->points[j], &c->points[i]);
		if (is_dup)
			sf_xpoint_release(&c->points[i]);
		else
			c->points[kept++] = c->points[i];
	}
	c->npoints = kept;
}

void sf_points_limit(struct sf_campaign *c, unsigned long max)
{
	while (c->npoints > max)
		sf_xpoint_release(&c->points[--c->npoints]);
}

/* FNV-1a over the point names: shards compare it to know they explored the same list. */
static void digest(struct sf_campaign *c)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < c->npoints; i++) {
		for (const char *s = c->points[i].point; ; s++) {
			h ^= (unsigned char)*s;
			h *= 0x100000001b3ull;
			if (!*s)
				break;
		}
	}
	snprintf(c->digest, sizeof(c->digest), "%016llx", (unsigned long long)h);
}

void sf_points_shard(struct sf_campaign *c, unsigned k, unsigned n)
{
	size_t kept = 0;

	digest(c);
	c->points_total = c->npoints;
	c->shard_k = k;
	c->shard_n = n;
	if (!n)
		return;
	/* Round robin rather than slices: neighbouring points tend to cost alike. */
	for (size_t i = 0; i < c->npoints; i++) {
		if (i % n == k - 1)
			c->points[kept++] = c->points[i];
		else
			sf_xpoint_release(&c->points[i]);
	}
	c->npoints = kept;
}

static int by_index(const void *a, const void *b)
{
	const struct sf_xpoint *x = a, *y = b;
	return x->index < y->index ? -1 : x->index > y->index;
}

bool sf_points_sort(struct sf_campaign *c)
{
	if (c->npoints > 1)
		qsort(c->points, c->npoints, sizeof(c->points[0]), by_index);
	for (size_t i = 1; i < c->npoints; i++)
		if (c->points[i].index == c->points[i - 1].index)
			return false;
	return true;
}
