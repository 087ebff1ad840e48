/*
 * explore's reports: JSON (read back by `merge`), JUnit XML for CI systems,
 * and the text summary on stderr.  Per-point fields hold nothing that
 * varies between runs (no times), so merged shards equal a whole run.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "explore/explore.h"
#include "explore/explore_json.h"
#include "report.h"

/* SECONDS to the 1/PER_SECOND (1e3: ms), so the report prints 1.234, not 1.2340000000000002. */
static double rounded(double seconds, double per_second)
{
	return (double)(long long)(seconds * per_second + 0.5) / per_second;
}

static json_t *text_or_null(const char *s)
{
	return s && *s ? sf_json_text(s) : json_null();
}

static json_t *json_strings(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++) {
		if (json_array_append_new(a, sf_json_text(v[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *json_point(const struct sf_xpoint *p)
{
	return json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:I,s:o,s:o,s:s,s:i,s:o,s:b,s:o,s:o}",
			 "index", (json_int_t)p->index, "point", sf_json_text(p->point),
			 "lineage", sf_json_text(p->lineage), "thread", (json_int_t)p->thread,
			 "exe", sf_json_text(p->exe), "syscall", text_or_null(p->syscall),
			 "rule", (json_int_t)p->rule, "occurrence", sf_json_u64(p->occurrence),
			 "clean_retval", p->has_rval ? json_integer(p->rval) : json_null(),
			 "outcome", sf_outcome_names[p->outcome], "exit_status", p->exit_status,
			 "signal", text_or_null(p->signal), "core", p->core,
			 "stderr_tail", sf_json_text(p->stderr_tail ? p->stderr_tail : ""),
			 "reproduce", sf_json_text(p->reproduce ? p->reproduce : ""));
}

static void count(const struct sf_campaign *c, size_t totals[SF_OUT_COUNT], size_t *findings)
{
	memset(totals, 0, SF_OUT_COUNT * sizeof(totals[0]));
	*findings = 0;
	for (size_t i = 0; i < c->npoints; i++) {
		totals[c->points[i].outcome]++;
		*findings += sf_xpoint_is_finding(c, &c->points[i]);
	}
}

static json_t *json_totals(const struct sf_campaign *c)
{
	size_t totals[SF_OUT_COUNT], findings;
	json_t *o = json_object();

	count(c, totals, &findings);
	int rc = o ? json_object_set_new(o, "points", json_integer((json_int_t)c->npoints)) : -1;
	for (int k = 0; rc == 0 && k < SF_OUT_COUNT; k++)
		rc = json_object_set_new(o, sf_outcome_names[k], json_integer((json_int_t)totals[k]));
	if (rc == 0)
		rc = json_object_set_new(o, "findings", json_integer((json_int_t)findings));
	if (rc < 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *json_fail_on(unsigned fail_on)
{
	json_t *a = json_array();

	for (int k = 0; a && k < SF_OUT_COUNT; k++) {
		if ((fail_on & (1u << k)) && json_array_append_new(a, json_string(sf_outcome_names[k])) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *json_report(const struct sf_campaign *c)
{
	char shard[32];
	json_t *points = json_array();

	snprintf(shard, sizeof(shard), "%u/%u", c->shard_k, c->shard_n);
	for (size_t i = 0; points && i < c->npoints; i++) {
		if (json_array_append_new(points, json_point(&c->points[i])) < 0) {
			json_decref(points);
			points = NULL;
		}
	}
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:{s:i,s:f},s:f,s:o,s:s?,s:I,s:s,s:f,s:o,s:o}",
			 "format", SF_EXPLORE_FORMAT, "command", json_strings(c->command, c->ncommand),
			 "rules", json_strings(c->rule_args, c->nrule_args),
			 "engine", text_or_null(c->engine), "seed", sf_json_u64(c->seed),
			 "clean", "exit_status", c->clean_status, "seconds", rounded(c->clean_seconds, 1e6),
			 "timeout_seconds", rounded(c->timeout_s, 1e3), "fail_on", json_fail_on(c->fail_on),
			 "shard", c->shard_n ? shard : NULL, "points_total", (json_int_t)c->points_total,
			 "points_digest", c->digest, "seconds", rounded(c->seconds, 1e3),
			 "points", points, "totals", json_totals(c));
}

/*
 * One member per line and one point per line, as jansson cannot lay it
 * out: a report is read with grep and diff as often as with a parser.
 * Every key and value is still written by jansson.
 */
static int write_laid_out(const json_t *doc, FILE *f)
{
	const char *key;
	json_t *v;
	int rc = 0;
	bool is_first = true;

	fputc('{', f);
	json_object_foreach((json_t *)doc, key, v) {
		json_t *k = json_string(key);
		if (!is_first)
			fputs(",\n", f);
		is_first = false;
		rc = rc ? rc : sf_json_write(k, f);
		json_decref(k);
		fputc(':', f);
		if (!strcmp(key, "points") && json_is_array(v)) {
			fputc('[', f);
			for (size_t i = 0; i < json_array_size(v); i++) {
				fputs(i ? ",\n" : "\n", f);
				rc = rc ? rc : sf_json_write(json_array_get(v, i), f);
			}
			fputs("\n]", f);
		} else {
			rc = rc ? rc : sf_json_write(v, f);
		}
	}
	fputs("}\n", f);
	return rc;
}

static int close_checked(FILE *f, const char *path)
{
	int rc = ferror(f) ? -EIO : 0;

	if (fclose(f) == EOF && !rc)
		rc = -errno;
	if (rc)
		sf_error("cannot write '%s': %s", path, strerror(-rc));
	return rc;
}

int sf_report_write_json(const struct sf_campaign *c, const char *path)
{
	json_t *doc = json_report(c);
	FILE *f = doc ? fopen(path, "we") : NULL;

	if (!doc) {
		sf_error("out of memory writing '%s'", path);
		return -ENOMEM;
	}
	if (!f) {
		int rc = -errno;
		sf_error("cannot write '%s': %s", path, strerror(errno));
		json_decref(doc);
		return rc;
	}
	int rc = write_laid_out(doc, f);
	json_decref(doc);
	if (rc) {
		fclose(f);
		sf_error("cannot write '%s': %s", path, strerror(-rc));
		return rc;
	}
	return close_checked(f, path);
}

/* ---- JUnit ---- */

/* The characters XML 1.0 allows (its production Char); the others cannot even be escaped. */
static bool is_xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/*
 * XML 1.0 text or attribute value: the five entities; bytes that are not
 * UTF-8 and characters XML forbids become U+FFFD, the JSON reports' policy
 * (sf_utf8_clean).  Tab, newline and CR are written as references where a
 * parser would otherwise normalise them (all three in attributes, CR in text).
 */
static void xml_text(FILE *f, const char *s, bool is_attr)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = sf_utf8_decode(s + i, n - i, &cp);
		if (!len || !is_xml_char(cp)) {
			fputs("\xef\xbf\xbd", f);
			i += len ? len : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': case '\r':
			if (is_attr || cp == '\r')
				fprintf(f, "&#%u;", (unsigned)cp);
			else
				fputc((int)cp, f);
			break;
		default:
			fwrite(s + i, 1, len, f);
		}
		i += len;
	}
}

/* "crash: SIGSEGV at P", "hang: no end within 10.000s at P", ... */
static void describe(FILE *f, const struct sf_campaign *c, const struct sf_xpoint *p)
{
	fprintf(f, "%s: ", sf_outcome_names[p->outcome]);
	switch (p->outcome) {
	case SF_OUT_CRASH:
		fprintf(f, "%s%s", p->signal, p->core ? " (core dumped)" : "");
		break;
	case SF_OUT_HANG:
		fprintf(f, "no end within %.3fs", c->timeout_s);
		break;
	case SF_OUT_SANITIZER:
		fprintf(f, "report on stderr, exit status %d", p->exit_status);
		break;
	case SF_OUT_UNREACHED:
		fputs("the call was not reached", f);
		break;
	default:
		fprintf(f, "exit status %d (clean run: %d)", p->exit_status, c->clean_status);
	}
	fputs(" at ", f);
	fputs(p->point, f);
}

static char *description(const struct sf_campaign *c, const struct sf_xpoint *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	describe(f, c, p);
	fclose(f);
	return text;
}

static void junit_case(FILE *f, const struct sf_campaign *c, const struct sf_xpoint *p)
{
	char *what = description(c, p);

	fputs("    <testcase classname=\"sysfault.explore\" name=\"", f);
	xml_text(f, p->point, true);
	fputs("\">\n", f);
	if (sf_xpoint_is_finding(c, p)) {
		fputs("      <failure message=\"", f);
		xml_text(f, what, true);
		fprintf(f, "\" type=\"%s\">", sf_outcome_names[p->outcome]);
		fputs("syscall ", f);
		xml_text(f, p->syscall, false);
		fputs(" in ", f);
		xml_text(f, p->exe, false);
		fprintf(f, ", exit status %d\n--- stderr (last lines) ---\n", p->exit_status);
		xml_text(f, p->stderr_tail, false);
		fputs("\n--- reproduce ---\n", f);
		xml_text(f, p->reproduce, false);
		fputs("\n</failure>\n", f);
	} else if (p->outcome == SF_OUT_UNREACHED) {
		fputs("      <skipped message=\"", f);
		xml_text(f, what, true);
		fputs("\"/>\n", f);
	} else {
		fputs("      <system-out>", f);
		xml_text(f, what, false);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
	free(what);
}

int sf_report_write_junit(const struct sf_campaign *c, const char *path)
{
	FILE *f = fopen(path, "we");
	size_t totals[SF_OUT_COUNT], findings, skipped = 0;

	if (!f) {
		int rc = -errno;
		sf_error("cannot write '%s': %s", path, strerror(errno));
		return rc;
	}
	count(c, totals, &findings);
	if (!(c->fail_on & (1u << SF_OUT_UNREACHED)))
		skipped = totals[SF_OUT_UNREACHED];
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"sysfault explore\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n"
		"  <testsuite name=\"sysfault explore\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n"
		"    <properties>\n      <property name=\"command\" value=\"",
		c->npoints, findings, skipped, c->seconds, c->npoints, findings, skipped, c->seconds);
	for (size_t i = 0; i < c->ncommand; i++) {
		if (i)
			fputc(' ', f);
		xml_text(f, c->command[i], true);
	}
	fprintf(f, "\"/>\n      <property name=\"seed\" value=\"%" PRIu64 "\"/>\n", c->seed);
	if (c->shard_n)
		fprintf(f, "      <property name=\"shard\" value=\"%u/%u\"/>\n", c->shard_k, c->shard_n);
	fputs("    </properties>\n", f);
	for (size_t i = 0; i < c->npoints; i++)
		junit_case(f, c, &c->points[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return close_checked(f, path);
}

/* ---- text summary ---- */

void sf_report_print(const struct sf_campaign *c, FILE *out, int verbosity)
{
	size_t totals[SF_OUT_COUNT], findings;

	for (size_t i = 0; i < c->npoints; i++) {
		const struct sf_xpoint *p = &c->points[i];
		bool is_finding = sf_xpoint_is_finding(c, p);
		if (!is_finding && (p->outcome != SF_OUT_UNREACHED || verbosity < 0))
			continue;
		fputs("sysfault: ", out);
		describe(out, c, p);
		fprintf(out, " (%s in %s)\n", p->syscall, p->exe);
		if (is_finding)
			fprintf(out, "sysfault:   reproduce: %s\n", p->reproduce);
	}
	if (verbosity < 0)
		return;
	count(c, totals, &findings);
	fprintf(out, "sysfault: %zu point%s", c->npoints, c->npoints == 1 ? "" : "s");
	if (c->shard_n)
		fprintf(out, " (shard %u/%u of %lu)", c->shard_k, c->shard_n, c->points_total);
	for (int o = 0; o < SF_OUT_COUNT; o++)
		fprintf(out, "%s %zu %s", o ? "," : ":", totals[o], sf_outcome_names[o]);
	fprintf(out, "; %zu finding%s; seed %" PRIu64 "\n", findings, findings == 1 ? "" : "s", c->seed);
	fflush(out);
}

int sf_report_status(const struct sf_campaign *c)
{
	for (size_t i = 0; i < c->npoints; i++)
		if (sf_xpoint_is_finding(c, &c->points[i]))
			return 1;
	return 0;
}

/* ---- reading a report back (merge) ---- */

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

/* Point I of the report; -ENOMEM when memory runs out, else 0 with R noting a bad field. */
static int read_point(struct sf_campaign *c, struct sf_jread *r, const json_t *v, size_t i)
{
	struct sf_xpoint *p = sf_campaign_add_point(c);

	if (!p)
		return -ENOMEM;
	snprintf(r->where, sizeof(r->where), "points[%zu]", i);
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
	const char *outcome = sf_jread_str(r, v, "outcome");
	if (!sf_jread_failed(r) && outcome_of(outcome) < 0)
		sf_jread_fail(r, "field '%s.outcome' is '%s', not an outcome", r->where, outcome);
	p->outcome = outcome_of(outcome) < 0 ? SF_OUT_UNREACHED : (enum sf_outcome)outcome_of(outcome);
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
	return 0;
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
	json_decref(doc);
	if (rc == -ENOMEM)
		sf_error("out of memory reading '%s'", path);
	else if (sf_jread_failed(&r))
		rc = sf_jread_report(&r);
	return rc;
}
