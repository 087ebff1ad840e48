/*
 * explore's reports: JSON (read back by `merge`), JUnit XML for CI systems,
 * and the text summary on stderr.  Per-point fields hold nothing that
 * varies between runs (no times), so merged shards equal a whole run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "explore/explore.h"
#include "explore/explore_json.h"
#include "report.h"

static void json_str_or_null(FILE *f, const char *s)
{
	if (s && *s)
		sf_json_string(f, s);
	else
		fputs("null", f);
}

static void json_strings(FILE *f, char *const *v, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		sf_json_string(f, v[i]);
	}
	fputc(']', f);
}

static void json_point(FILE *f, const struct sf_xpoint *p)
{
	fprintf(f, "{\"index\":%lu,\"point\":", p->index);
	sf_json_string(f, p->point);
	fputs(",\"lineage\":", f);
	sf_json_string(f, p->lineage);
	fprintf(f, ",\"thread\":%u,\"exe\":", p->thread);
	sf_json_string(f, p->exe);
	fputs(",\"syscall\":", f);
	sf_json_string(f, p->syscall);
	fprintf(f, ",\"rule\":%u,\"occurrence\":%" PRIu64 ",\"clean_rval\":", p->rule, p->occurrence);
	if (p->has_rval)
		fprintf(f, "%" PRId64, p->rval);
	else
		fputs("null", f);
	fprintf(f, ",\"outcome\":\"%s\",\"exit_status\":%d,\"signal\":", sf_outcome_names[p->outcome],
		p->exit_status);
	json_str_or_null(f, p->signal);
	fprintf(f, ",\"core\":%s,\"stderr_tail\":", p->core ? "true" : "false");
	sf_json_string(f, p->stderr_tail ? p->stderr_tail : "");
	fputs(",\"reproduce\":", f);
	sf_json_string(f, p->reproduce ? p->reproduce : "");
	fputc('}', f);
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

static int close_checked(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f)) {
		sf_error("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int sf_report_write_json(const struct sf_campaign *c, const char *path)
{
	FILE *f = fopen(path, "we");
	size_t totals[SF_OUT_COUNT], findings;

	if (!f) {
		sf_error("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	fputs("{\"command\":", f);
	json_strings(f, c->command, c->ncommand);
	fputs(",\n\"rules\":", f);
	json_strings(f, c->rule_args, c->nrule_args);
	fputs(",\n\"engine\":", f);
	json_str_or_null(f, c->engine);
	fprintf(f, ",\n\"seed\":%" PRIu64 ",\n\"clean\":{\"exit_status\":%d,\"seconds\":%.6f},\n"
		"\"timeout_seconds\":%.3f,\n\"fail_on\":[", c->seed, c->clean_status, c->clean_seconds,
		c->timeout_s);
	for (int o = 0, n = 0; o < SF_OUT_COUNT; o++)
		if (c->fail_on & (1u << o))
			fprintf(f, "%s\"%s\"", n++ ? "," : "", sf_outcome_names[o]);
	fputs("],\n\"shard\":", f);
	if (c->shard_n)
		fprintf(f, "\"%u/%u\"", c->shard_k, c->shard_n);
	else
		fputs("null", f);
	fprintf(f, ",\n\"points_total\":%lu,\n\"points_digest\":\"%s\",\n\"seconds\":%.3f,\n\"points\":[",
		c->points_total, c->digest, c->seconds);
	for (size_t i = 0; i < c->npoints; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_point(f, &c->points[i]);
	}
	count(c, totals, &findings);
	fprintf(f, "\n],\n\"totals\":{\"points\":%zu", c->npoints);
	for (int o = 0; o < SF_OUT_COUNT; o++)
		fprintf(f, ",\"%s\":%zu", sf_outcome_names[o], totals[o]);
	fprintf(f, ",\"findings\":%zu}}\n", findings);
	return close_checked(f, path);
}

/* ---- JUnit ---- */

/* XML 1.0 text: the five entities, and tabs and newlines kept (stderr tails are already valid UTF-8). */
static void xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
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
	xml_text(f, p->point);
	fputs("\">\n", f);
	if (sf_xpoint_is_finding(c, p)) {
		fputs("      <failure message=\"", f);
		xml_text(f, what);
		fprintf(f, "\" type=\"%s\">", sf_outcome_names[p->outcome]);
		fputs("syscall ", f);
		xml_text(f, p->syscall);
		fputs(" in ", f);
		xml_text(f, p->exe);
		fprintf(f, ", exit status %d\n--- stderr (last lines) ---\n", p->exit_status);
		xml_text(f, p->stderr_tail);
		fputs("\n--- reproduce ---\n", f);
		xml_text(f, p->reproduce);
		fputs("\n</failure>\n", f);
	} else if (p->outcome == SF_OUT_UNREACHED) {
		fputs("      <skipped message=\"", f);
		xml_text(f, what);
		fputs("\"/>\n", f);
	} else {
		fputs("      <system-out>", f);
		xml_text(f, what);
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
		sf_error("cannot write '%s': %s", path, strerror(errno));
		return -1;
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
		xml_text(f, c->command[i]);
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

static char **strings_of(const struct sf_jval *a, size_t *n)
{
	if (!a || a->type != SF_JARR)
		return NULL;
	char **v = calloc(a->n + 1, sizeof(*v));
	for (size_t i = 0; v && i < a->n; i++) {
		v[i] = strdup(a->items[i].type == SF_JSTR ? a->items[i].str : "");
		if (!v[i] || a->items[i].type != SF_JSTR) {
			for (size_t k = 0; k <= i; k++)
				free(v[k]);
			free(v);
			return NULL;
		}
	}
	*n = a->n;
	return v;
}

static char *dup_str(const struct sf_jval *v, const char *key)
{
	return strdup(sf_json_str(v, key, ""));
}

static int read_point(struct sf_campaign *c, const struct sf_jval *v)
{
	int outcome = outcome_of(sf_json_str(v, "outcome", NULL));
	const struct sf_jval *rval = sf_json_get(v, "clean_rval");
	struct sf_xpoint *p;

	if (outcome < 0 || sf_json_int(v, "index", 0) < 1 || !(p = sf_campaign_add_point(c)))
		return -1;
	p->index = (unsigned long)sf_json_int(v, "index", 0);
	p->point = dup_str(v, "point");
	p->lineage = dup_str(v, "lineage");
	p->exe = dup_str(v, "exe");
	p->syscall = dup_str(v, "syscall");
	p->thread = (unsigned)sf_json_int(v, "thread", 0);
	p->rule = (unsigned)sf_json_int(v, "rule", 0);
	p->occurrence = (uint64_t)sf_json_int(v, "occurrence", 0);
	p->has_rval = rval && rval->type == SF_JNUM;
	p->rval = p->has_rval ? rval->inum : 0;
	p->outcome = (enum sf_outcome)outcome;
	p->exit_status = (int)sf_json_int(v, "exit_status", 0);
	snprintf(p->signal, sizeof(p->signal), "%s", sf_json_str(v, "signal", ""));
	p->core = sf_json_bool(v, "core", false);
	p->stderr_tail = dup_str(v, "stderr_tail");
	p->reproduce = dup_str(v, "reproduce");
	return p->point && p->lineage && p->exe && p->syscall && p->stderr_tail && p->reproduce ? 0 : -1;
}

static int read_header(struct sf_campaign *c, const struct sf_jval *doc)
{
	const struct sf_jval *clean = sf_json_get(doc, "clean");
	const char *shard = sf_json_str(doc, "shard", NULL), *engine = sf_json_str(doc, "engine", NULL);
	const struct sf_jval *fail_on = sf_json_get(doc, "fail_on");

	c->command = strings_of(sf_json_get(doc, "command"), &c->ncommand);
	c->rule_args = strings_of(sf_json_get(doc, "rules"), &c->nrule_args);
	if (!c->command || !c->rule_args || !clean || sf_json_int(doc, "seed", -1) < 0)
		return -1;
	c->engine = engine ? strdup(engine) : NULL;
	c->seed = (uint64_t)sf_json_int(doc, "seed", 0);
	c->clean_status = (int)sf_json_int(clean, "exit_status", 0);
	c->clean_seconds = sf_json_get(clean, "seconds") ? sf_json_get(clean, "seconds")->num : 0;
	c->timeout_s = sf_json_get(doc, "timeout_seconds") ? sf_json_get(doc, "timeout_seconds")->num : 0;
	c->seconds = sf_json_get(doc, "seconds") ? sf_json_get(doc, "seconds")->num : 0;
	c->points_total = (unsigned long)sf_json_int(doc, "points_total", 0);
	snprintf(c->digest, sizeof(c->digest), "%s", sf_json_str(doc, "points_digest", ""));
	if (shard && (sscanf(shard, "%u/%u", &c->shard_k, &c->shard_n) != 2 || c->shard_k < 1 ||
		      c->shard_k > c->shard_n))
		return -1;
	c->fail_on = 0;
	for (size_t i = 0; fail_on && fail_on->type == SF_JARR && i < fail_on->n; i++) {
		int o = outcome_of(fail_on->items[i].str);
		if (o < 0)
			return -1;
		c->fail_on |= 1u << o;
	}
	return 0;
}

int sf_report_read_json(struct sf_campaign *c, const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;

	if (!f) {
		sf_error("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	char buf[65536];
	FILE *mem = open_memstream(&text, &len);
	size_t n;
	while (mem && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(f);
	if (!mem || fclose(mem) != 0) {
		free(text);
		sf_error("out of memory reading '%s'", path);
		return -1;
	}
	struct sf_jval *doc = sf_json_parse(text, len);
	free(text);
	const struct sf_jval *points = sf_json_get(doc, "points");
	int rc = doc && points && points->type == SF_JARR ? read_header(c, doc) : -1;
	for (size_t i = 0; rc == 0 && i < points->n; i++)
		rc = read_point(c, &points->items[i]);
	sf_json_free(doc);
	if (rc < 0)
		sf_error("'%s' is not a report of sysfault explore --json", path);
	return rc;
}
