/*
 * Reading explore's JSON report back, for `merge` and `explore --resume`:
 * every field with its type and range checked, and the fields that must
 * agree (an outcome and its runs, "complete" and "pending") checked
 * together, so that a bad report is one line and never a guess.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "explore/explore.h"
#include "explore/explore_json.h"

static int outcome_of(const char *name)
{
	for (int o = 0; o < SF_OUT_COUNT; o++)
		if (name && !strcmp(name, sf_outcome_names[o]))
			return o;
	return -1;
}

/* Member KEY of DOC, an array of strings, copied; NULL when memory runs out. */
static char **strings_of(struct sf_jread *r, const json_t *doc, const char *key, size_t *n)
{
	const json_t *a = sf_jread_array(r, doc, key);
	size_t len = json_array_size(a);
	char **v = calloc(len + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; v && i < len; i++) {
		const json_t *item = json_array_get(a, i);
		if (!json_is_string(item))
			sf_jread_fail(r, "field '%s[%zu]' is not a string", key, i);
		if (!(v[i] = strdup(json_is_string(item) ? json_string_value(item) : ""))) {
			while (i-- > 0)
				free(v[i]);
			free(v);
			return NULL;
		}
		*n = i + 1;
	}
	return v;
}

static char *dup_str(struct sf_jread *r, const json_t *v, const char *key)
{
	return strdup(sf_jread_str(r, v, key));
}

/* The record's fields of a point, done or pending (R->where names it); -ENOMEM for its stack. */
static int read_record_fields(struct sf_xpoint *p, struct sf_jread *r, const json_t *v)
{
	p->index = (unsigned long)sf_jread_int(r, v, "index", 1, INT64_MAX);
	p->point = dup_str(r, v, "point");
	p->lineage = dup_str(r, v, "lineage");
	p->thread = (unsigned)sf_jread_int(r, v, "thread", 0, UINT_MAX);
	p->exe = dup_str(r, v, "exe");
	const char *syscall = sf_jread_str_or_null(r, v, "syscall");
	p->syscall = strdup(syscall ? syscall : "");
	p->rule = (unsigned)sf_jread_int(r, v, "rule", 1, UINT_MAX);
	p->occurrence = (uint64_t)sf_jread_int(r, v, "occurrence", 1, INT64_MAX);
	if (!json_object_get(v, "clean_retval"))
		sf_jread_fail(r, "field '%s.clean_retval' is missing", r->where);
	p->has_rval = sf_jread_int_or_null(r, v, "clean_retval", INT64_MIN, INT64_MAX, &p->rval);
	return sf_xstack_read(r, v, &p->stack);
}

/* "runs": one outcome, or two when the first was confirmed; flaky exactly when they differ. */
static void read_runs(struct sf_xpoint *p, struct sf_jread *r, const json_t *v)
{
	const json_t *runs = sf_jread_array(r, v, "runs");
	size_t n = json_array_size(runs);

	if (!sf_jread_failed(r) && (n < 1 || n > 2))
		sf_jread_fail(r, "field '%s.runs' holds %zu outcomes, not 1 or 2", r->where, n);
	for (size_t i = 0; !sf_jread_failed(r) && i < n; i++) {
		int o = outcome_of(json_string_value(json_array_get(runs, i)));
		if (o < 0 || o == SF_OUT_FLAKY)
			sf_jread_fail(r, "field '%s.runs[%zu]' is not the outcome of a run", r->where, i);
		else
			p->runs[p->nruns++] = (enum sf_outcome)o;
	}
	bool is_flaky = p->nruns == 2 && p->runs[0] != p->runs[1];
	if (!sf_jread_failed(r) && p->nruns && (p->outcome == SF_OUT_FLAKY) != is_flaky)
		sf_jread_fail(r, "field '%s.outcome' is '%s' where its runs say %s", r->where,
			      sf_outcome_names[p->outcome], is_flaky ? "flaky" : "otherwise");
	if (!sf_jread_failed(r) && !is_flaky && p->runs[0] != p->outcome)
		sf_jread_fail(r, "field '%s.runs[0]' is not its outcome", r->where);
}

/* Point I of the report; -ENOMEM when memory runs out, else 0 with R noting a bad field. */
static int read_point(struct sf_campaign *c, struct sf_jread *r, const json_t *v, size_t i)
{
	struct sf_xpoint *p = sf_campaign_add_point(c);

	if (!p)
		return -ENOMEM;
	snprintf(r->where, sizeof(r->where), "points[%zu]", i);
	p->is_done = true;
	if (read_record_fields(p, r, v) < 0)
		return -ENOMEM;
	const char *outcome = sf_jread_str(r, v, "outcome");
	if (!sf_jread_failed(r) && outcome_of(outcome) < 0)
		sf_jread_fail(r, "field '%s.outcome' is '%s', not an outcome", r->where, outcome);
	p->outcome = outcome_of(outcome) < 0 ? SF_OUT_UNREACHED : (enum sf_outcome)outcome_of(outcome);
	read_runs(p, r, v);
	p->exit_status = (int)sf_jread_int(r, v, "exit_status", 0, 255);
	const char *sig = sf_jread_str_or_null(r, v, "signal");
	if (sig && strlen(sig) >= sizeof(p->signal))
		sf_jread_fail(r, "field '%s.signal' is not a signal name", r->where);
	snprintf(p->signal, sizeof(p->signal), "%s", sig ? sig : "");
	p->core = sf_jread_bool(r, v, "core");
	p->stderr_tail = dup_str(r, v, "stderr_tail");
	p->reproduce = dup_str(r, v, "reproduce");
	r->where[0] = 0;
	return p->point && p->lineage && p->exe && p->syscall && p->stderr_tail && p->reproduce
	       ? 0 : -ENOMEM;
}

/* Pending point I: its record fields only; -ENOMEM, else 0 with R noting a bad field. */
static int read_pending(struct sf_campaign *c, struct sf_jread *r, const json_t *v, size_t i)
{
	struct sf_xpoint *p = sf_campaign_add_point(c);

	if (!p)
		return -ENOMEM;
	snprintf(r->where, sizeof(r->where), "pending[%zu]", i);
	if (read_record_fields(p, r, v) < 0)
		return -ENOMEM;
	p->outcome = SF_OUT_UNREACHED;
	r->where[0] = 0;
	return p->point && p->lineage && p->exe && p->syscall ? 0 : -ENOMEM;
}

static void read_shard(struct sf_campaign *c, struct sf_jread *r, const json_t *doc)
{
	const char *shard = sf_jread_str_or_null(r, doc, "shard");
	char end;

	if (!json_object_get(doc, "shard"))
		sf_jread_fail(r, "field 'shard' is missing");
	if (shard && (sscanf(shard, "%u/%u%c", &c->shard_k, &c->shard_n, &end) != 2 ||
		      c->shard_k < 1 || c->shard_k > c->shard_n))
		sf_jread_fail(r, "field 'shard' is '%s', not K/N with 1 <= K <= N", shard);
}

static void read_fail_on(struct sf_campaign *c, struct sf_jread *r, const json_t *doc)
{
	const json_t *fail_on = sf_jread_array(r, doc, "fail_on");

	c->fail_on = 0;
	for (size_t i = 0; i < json_array_size(fail_on); i++) {
		int o = outcome_of(json_string_value(json_array_get(fail_on, i)));
		if (o < 0)
			sf_jread_fail(r, "field 'fail_on[%zu]' is not an outcome", i);
		else
			c->fail_on |= 1u << o;
	}
}

/* "points_by": "site" or "occurrence"; a report from before sites were explored has none. */
static bool points_by_site(struct sf_jread *r, const json_t *doc)
{
	if (!json_object_get(doc, "points_by"))
		return false;
	const char *by = sf_jread_str(r, doc, "points_by");
	if (!sf_jread_failed(r) && strcmp(by, "site") && strcmp(by, "occurrence"))
		sf_jread_fail(r, "field 'points_by' is '%s', not site or occurrence", by);
	return !strcmp(by, "site");
}

static int read_header(struct sf_campaign *c, struct sf_jread *r, const json_t *doc)
{
	sf_jread_format(r, doc, SF_EXPLORE_FORMAT);
	if (sf_jread_failed(r))
		return 0;   /* another format: its other fields would only add noise */
	c->command = strings_of(r, doc, "command", &c->ncommand);
	c->rule_args = strings_of(r, doc, "rules", &c->nrule_args);
	if (!c->command || !c->rule_args)
		return -ENOMEM;
	if (!c->ncommand)
		sf_jread_fail(r, "field 'command' is empty");
	const char *engine = sf_jread_str_or_null(r, doc, "engine");
	if (engine && !(c->engine = strdup(engine)))
		return -ENOMEM;
	c->seed = (uint64_t)sf_jread_int(r, doc, "seed", 0, INT64_MAX);
	const json_t *clean = sf_jread_object(r, doc, "clean");
	snprintf(r->where, sizeof(r->where), "clean");
	c->clean_status = (int)sf_jread_int(r, clean, "exit_status", 0, 255);
	c->clean_seconds = sf_jread_seconds(r, clean, "seconds");
	r->where[0] = 0;
	c->timeout_s = sf_jread_seconds(r, doc, "timeout_seconds");
	c->seconds = sf_jread_seconds(r, doc, "seconds");
	c->points_total = (unsigned long)sf_jread_int(r, doc, "points_total", 0, INT64_MAX);
	const char *digest = sf_jread_str(r, doc, "points_digest");
	if (strlen(digest) != 16 || strspn(digest, "0123456789abcdef") != 16)
		sf_jread_fail(r, "field 'points_digest' is '%s', not 16 hex digits", digest);
	snprintf(c->digest, sizeof(c->digest), "%s", digest);
	read_shard(c, r, doc);
	read_fail_on(c, r, doc);
	c->is_dedup = sf_jread_bool(r, doc, "dedup");
	c->is_by_site = points_by_site(r, doc);
	int64_t max = 0;
	if (!json_object_get(doc, "max_points"))
		sf_jread_fail(r, "field 'max_points' is missing");
	if (sf_jread_int_or_null(r, doc, "max_points", 1, INT64_MAX, &max))
		c->max_points = (unsigned long)max;
	return 0;
}

/* The pending points, after the done ones; "complete" must say whether there are any. */
static int read_pending_points(struct sf_campaign *c, struct sf_jread *r, const json_t *doc)
{
	bool is_complete = sf_jread_bool(r, doc, "complete");
	const json_t *pending = sf_jread_array(r, doc, "pending");
	int rc = 0;

	if (!sf_jread_failed(r) && is_complete != (json_array_size(pending) == 0))
		sf_jread_fail(r, "field 'complete' is %s but 'pending' holds %zu points",
			      is_complete ? "true" : "false", json_array_size(pending));
	for (size_t i = 0; rc == 0 && !sf_jread_failed(r) && i < json_array_size(pending); i++)
		rc = read_pending(c, r, json_array_get(pending, i), i);
	return rc;
}

int sf_report_read_json(struct sf_campaign *c, const char *path)
{
	struct sf_jread r = { .path = path };
	json_t *doc = sf_jread_load(&r);
	const json_t *points = NULL;
	int rc = doc ? read_header(c, &r, doc) : 0;

	if (rc == 0 && !sf_jread_failed(&r))
		points = sf_jread_array(&r, doc, "points");
	for (size_t i = 0; rc == 0 && !sf_jread_failed(&r) && i < json_array_size(points); i++)
		rc = read_point(c, &r, json_array_get(points, i), i);
	if (rc == 0 && !sf_jread_failed(&r))
		rc = read_pending_points(c, &r, doc);
	json_decref(doc);
	if (rc == -ENOMEM)
		sf_error("out of memory reading '%s'", path);
	else if (sf_jread_failed(&r))
		rc = sf_jread_report(&r);
	return rc;
}
