/*
 * explore's list of points: read from a record run's JSON Lines, then
 * narrowed (dedup, --max-points) and split into shards.  Every step keeps
 * record order, so every shard of a campaign computes the same list.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "engine/stack.h"
#include "explore/explore.h"
#include "explore/explore_json.h"
#include "input.h"
#include "report.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The fields of a point line, ranges checked (R notes a bad one); -ENOMEM when memory runs out. */
static int add_point(struct sf_campaign *c, struct sf_jread *r, const json_t *ev)
{
	struct sf_xpoint *p = sf_campaign_add_point(c);

	if (!p)
		return -ENOMEM;
	p->index = c->npoints;
	p->point = strdup(sf_jread_str(r, ev, "point"));
	p->lineage = strdup(sf_jread_str(r, ev, "lineage"));
	p->exe = strdup(sf_jread_str(r, ev, "exe"));
	p->syscall = dup_or_empty(sf_jread_str_or_null(r, ev, "syscall"));
	p->thread = (unsigned)sf_jread_int(r, ev, "thread", 0, UINT_MAX);
	p->rule = (unsigned)sf_jread_int(r, ev, "rule", 1, UINT_MAX);
	p->occurrence = (uint64_t)sf_jread_int(r, ev, "occurrence", 1, INT64_MAX);
	p->outcome = SF_OUT_UNREACHED;
	if (sf_xstack_read(r, ev, &p->stack) < 0)
		return -ENOMEM;
	return p->point && p->lineage && p->exe && p->syscall ? 0 : -ENOMEM;
}

/*
 * A result line follows its point on the same thread, but other threads'
 * lines may come between: match it to the last point of that tid.
 */
static void add_result(struct sf_campaign *c, struct sf_jread *r, const json_t *ev, const long *tids)
{
	long tid = (long)sf_jread_int(r, ev, "tid", 0, INT_MAX);
	int64_t retval = sf_jread_int(r, ev, "retval", INT64_MIN, INT64_MAX);

	for (size_t i = c->npoints; !sf_jread_failed(r) && i-- > 0;) {
		if (tids[i] == tid) {
			if (!c->points[i].has_rval) {
				c->points[i].has_rval = true;
				c->points[i].rval = retval;
			}
			return;
		}
	}
}

/* One line of the record: the format line first, then points and results; others are skipped. */
static int read_line(struct sf_campaign *c, struct sf_jread *r, const json_t *ev, long **tids)
{
	const char *event = sf_jread_str(r, ev, "event");

	if (r->line == 1) {
		if (strcmp(event, "log"))
			sf_jread_fail(r, "the first line is not the log's format line");
		sf_jread_format(r, ev, SF_LOG_FORMAT);
	} else if (!strcmp(event, "point")) {
		long *more = realloc(*tids, (c->npoints + 1) * sizeof(**tids));
		if (!more)
			return -ENOMEM;
		*tids = more;
		more[c->npoints] = (long)sf_jread_int(r, ev, "tid", 0, INT_MAX);
		return add_point(c, r, ev);
	} else if (!strcmp(event, "result")) {
		add_result(c, r, ev, *tids);
	}
	return 0;
}

/* The source lines of the points' frames, looked up here once per module for the whole record. */
static int add_sources(struct sf_campaign *c)
{
	struct sf_sources *sources = NULL;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < c->npoints; i++) {
		if (!c->points[i].stack.n)
			continue;
		if (!sources && !(sources = sf_sources_new()))
			return -ENOMEM;
		rc = sf_xstack_add_sources(&c->points[i].stack, sources);
	}
	sf_sources_free(sources);
	return rc;
}

int sf_points_read_record(struct sf_campaign *c, const char *path)
{
	struct sf_jread r = { .path = path };
	char why[256], max[32];
	int fd = sf_input_open(path, why, sizeof(why));
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0, total = 0;
	long *tids = NULL;
	ssize_t len;
	int rc = 0;

	if (!f) {
		rc = fd < 0 ? fd : -errno;
		sf_error("cannot read the record '%s': %s", path, fd < 0 ? why : strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while (rc == 0 && !sf_jread_failed(&r) && (len = getline(&line, &cap, f)) > 0) {
		/* input.h's cap, counted as read: a record is read line by line. */
		if ((total += (size_t)len) > SF_INPUT_REPORT_MAX) {
			sf_jread_fail(&r, "larger than %s, the most a record may be",
				      sf_input_size_text(SF_INPUT_REPORT_MAX, max, sizeof(max)));
			break;
		}
		r.line++;
		json_t *ev = sf_jread_parse(&r, line, (size_t)len);
		if (ev)
			rc = read_line(c, &r, ev, &tids);
		json_decref(ev);
	}
	if (rc == 0 && !sf_jread_failed(&r) && r.line == 0)
		sf_jread_fail(&r, "empty: the run wrote no format line");
	free(line);
	free(tids);
	fclose(f);
	if (rc == 0 && !sf_jread_failed(&r))
		rc = add_sources(c);
	if (rc == -ENOMEM)
		sf_error("out of memory reading the record '%s'", path);
	else if (sf_jread_failed(&r))
		rc = sf_jread_report(&r);
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
