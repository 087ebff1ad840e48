/*
 * explore's reports: JSON (read back by `merge` and `--resume`), JUnit XML
 * for CI systems, and the text summary on stderr.  Per-point fields hold
 * nothing that varies between runs (no times), so merged shards, and an
 * interrupted campaign resumed, equal a whole run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "explore/explore.h"
#include "explore/explore_json.h"
#include "report.h"
#include "rules/site.h"
#include "text.h"

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

/* What the record says of a point: all that a pending point has. */
static json_t *json_record_fields(const struct sf_xpoint *p)
{
	return json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:I,s:o,s:o,s:o}",
			 "index", (json_int_t)p->index, "point", sf_json_text(p->point),
			 "lineage", sf_json_text(p->lineage), "thread", (json_int_t)p->thread,
			 "exe", sf_json_text(p->exe), "syscall", text_or_null(p->syscall),
			 "rule", (json_int_t)p->rule, "occurrence", sf_json_u64(p->occurrence),
			 "clean_retval", p->has_rval ? json_integer(p->rval) : json_null(),
			 "stack", sf_xstack_json(&p->stack));
}

static json_t *json_runs(const struct sf_xpoint *p)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < p->nruns; i++) {
		if (json_array_append_new(a, json_string(sf_outcome_names[p->runs[i]])) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *json_point(const struct sf_xpoint *p)
{
	json_t *o = json_record_fields(p);
	json_t *run = json_pack("{s:s,s:o,s:i,s:o,s:b,s:o,s:o}",
				"outcome", sf_outcome_names[p->outcome], "runs", json_runs(p),
				"exit_status", p->exit_status, "signal", text_or_null(p->signal), "core", p->core,
				"stderr_tail", sf_json_text(p->stderr_tail ? p->stderr_tail : ""),
				"reproduce", sf_json_text(p->reproduce ? p->reproduce : ""));

	if (!o || !run || json_object_update(o, run) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(run);
	return o;
}

/* The done points' outcomes and findings: an interrupted campaign's pending ones have none. */
static void count(const struct sf_campaign *c, size_t totals[SF_OUT_COUNT], size_t *findings)
{
	memset(totals, 0, SF_OUT_COUNT * sizeof(totals[0]));
	*findings = 0;
	for (size_t i = 0; i < c->npoints; i++) {
		if (!c->points[i].is_done)
			continue;
		totals[c->points[i].outcome]++;
		*findings += sf_xpoint_is_finding(c, &c->points[i]);
	}
}

static json_t *json_totals(const struct sf_campaign *c)
{
	size_t totals[SF_OUT_COUNT], findings;
	json_t *o = json_object();

	count(c, totals, &findings);
	size_t done = c->npoints - sf_campaign_pending(c);
	int rc = o ? json_object_set_new(o, "points", json_integer((json_int_t)done)) : -1;
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

/* The done points in full (IS_DONE), or the pending ones' record fields, in record order. */
static json_t *json_points(const struct sf_campaign *c, bool is_done)
{
	json_t *points = json_array();

	for (size_t i = 0; points && i < c->npoints; i++) {
		const struct sf_xpoint *p = &c->points[i];
		if (p->is_done != is_done)
			continue;
		if (json_array_append_new(points, is_done ? json_point(p) : json_record_fields(p)) < 0) {
			json_decref(points);
			points = NULL;
		}
	}
	return points;
}

static json_t *json_report(const struct sf_campaign *c)
{
	char shard[32];

	snprintf(shard, sizeof(shard), "%u/%u", c->shard_k, c->shard_n);
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:{s:i,s:f},s:f,s:o,s:s,s:b,s:o,s:s?,s:I,s:s,s:f,s:b,s:o,s:o,s:o}",
			 "format", SF_EXPLORE_FORMAT, "command", json_strings(c->command, c->ncommand),
			 "rules", json_strings(c->rule_args, c->nrule_args),
			 "engine", text_or_null(c->engine), "seed", sf_json_u64(c->seed),
			 "clean", "exit_status", c->clean_status, "seconds", rounded(c->clean_seconds, 1e6),
			 "timeout_seconds", rounded(c->timeout_s, 1e3), "fail_on", json_fail_on(c->fail_on),
			 "points_by", c->is_by_site ? "site" : "occurrence", "dedup", c->is_dedup,
			 "max_points", c->max_points ? json_integer((json_int_t)c->max_points) : json_null(),
			 "shard", c->shard_n ? shard : NULL, "points_total", (json_int_t)c->points_total,
			 "points_digest", c->digest, "seconds", rounded(c->seconds, 1e3),
			 "complete", sf_campaign_pending(c) == 0, "pending", json_points(c, false),
			 "points", json_points(c, true), "totals", json_totals(c));
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
		if (json_is_array(v) && (!strcmp(key, "points") || (!strcmp(key, "pending") && json_array_size(v)))) {
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

/*
 * A regular file (or a new one) is written beside itself as PATH.tmp.PID
 * and renamed over it: --resume rewrites the very report it read, and a
 * second Ctrl-C or a full disk must not leave it half written.  Anything
 * else (/dev/stdout, a pipe, a symbolic link) is written in place.
 */
static FILE *open_report(const char *path, char *tmp, size_t size)
{
	struct stat st;

	tmp[0] = 0;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return fopen(path, "we");
	snprintf(tmp, size, "%s.tmp.%ld", path, (long)getpid());
	unlink(tmp);   /* left by a process of this pid that was killed */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	return f;
}

int sf_report_write_json(const struct sf_campaign *c, const char *path)
{
	char tmp[PATH_MAX + 32];
	json_t *doc = json_report(c);
	FILE *f = doc ? open_report(path, tmp, sizeof(tmp)) : NULL;

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
	} else {
		rc = close_checked(f, path);
	}
	if (!rc && tmp[0] && rename(tmp, path) < 0) {
		rc = -errno;
		sf_error("cannot write '%s': rename from '%s': %s", path, tmp, strerror(errno));
	}
	if (rc && tmp[0])
		unlink(tmp);
	return rc;
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

/* "crash: SIGSEGV", "hang: no end within 10.000s", ...: what outcome O of P's first run showed. */
static void describe_outcome(FILE *f, const struct sf_campaign *c, const struct sf_xpoint *p,
			     enum sf_outcome o)
{
	fprintf(f, "%s: ", sf_outcome_names[o]);
	switch (o) {
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
}

/* "crash: SIGSEGV at P", "flaky: crash: SIGSEGV at P, then ok when run again", "pending: ..." */
static void describe(FILE *f, const struct sf_campaign *c, const struct sf_xpoint *p)
{
	bool is_flaky = p->outcome == SF_OUT_FLAKY && p->nruns == 2;

	if (!p->is_done) {
		fprintf(f, "pending: not run, the campaign was interrupted, at %s", p->point);
		return;
	}
	if (is_flaky)
		fputs("flaky: ", f);
	describe_outcome(f, c, p, is_flaky ? p->runs[0] : p->outcome);
	fputs(" at ", f);
	fputs(p->point, f);
	if (is_flaky)
		fprintf(f, ", then %s when run again", sf_outcome_names[p->runs[1]]);
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

/* P's stack, at most MAX frames, a line each; PUT writes a frame's text escaped for the output. */
static void stack_lines(FILE *f, const struct sf_xpoint *p, unsigned max, const char *indent,
			void (*put)(FILE *, const char *))
{
	for (unsigned i = 0; i < p->stack.n && i < max; i++) {
		char *frame = sf_xframe_text(&p->stack.v[i]);
		fprintf(f, "%s#%u ", indent, i);
		put(f, frame ? frame : "?");
		fputc('\n', f);
		free(frame);
	}
	if (p->stack.n > max)
		fprintf(f, "%s(%u frame%s more)\n", indent, p->stack.n - max, p->stack.n - max == 1 ? "" : "s");
}

static void xml_put(FILE *f, const char *s)
{
	xml_text(f, s, false);
}

/* The body of a <failure>: the call and its stack, the stderr tail, the reproduction line. */
static void junit_details(FILE *f, const struct sf_xpoint *p)
{
	fputs("syscall ", f);
	xml_text(f, p->syscall, false);
	fputs(" in ", f);
	xml_text(f, p->exe, false);
	fprintf(f, ", exit status %d\n", p->exit_status);
	if (p->stack.n) {
		fputs("--- stack of the failed call ---\n", f);
		stack_lines(f, p, SF_FRAMES_MAX, "", xml_put);
	}
	fputs("--- stderr (last lines) ---\n", f);
	xml_text(f, p->stderr_tail, false);
	fputs("\n--- reproduce ---\n", f);
	xml_text(f, p->reproduce, false);
	fputc('\n', f);
}

/*
 * A flaky point that is no finding passes, as Maven Surefire writes a test
 * that failed once and passed on its rerun: a <flakyFailure> child, which
 * CI systems that do not know it ignore, and a <system-out> line.
 */
static void junit_flaky(FILE *f, const struct sf_xpoint *p, const char *what)
{
	fputs("      <flakyFailure message=\"", f);
	xml_text(f, what, true);
	fprintf(f, "\" type=\"%s\"><stackTrace>", sf_outcome_names[p->runs[0]]);
	junit_details(f, p);
	fputs("</stackTrace></flakyFailure>\n      <system-out>", f);
	xml_text(f, what, false);
	fputs("</system-out>\n", f);
}

static void junit_case(FILE *f, const struct sf_campaign *c, const struct sf_xpoint *p)
{
	char *what = description(c, p);

	fputs("    <testcase classname=\"sysfault.explore\" name=\"", f);
	xml_text(f, p->point, true);
	fputs("\">\n", f);
	if (p->is_done && sf_xpoint_is_finding(c, p)) {
		fputs("      <failure message=\"", f);
		xml_text(f, what, true);
		fprintf(f, "\" type=\"%s\">", sf_outcome_names[p->outcome]);
		junit_details(f, p);
		fputs("</failure>\n", f);
	} else if (p->outcome == SF_OUT_FLAKY && p->nruns == 2 && p->is_done) {
		junit_flaky(f, p, what);
	} else if (p->outcome == SF_OUT_UNREACHED || !p->is_done) {
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
	skipped += sf_campaign_pending(c);
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
	fprintf(f, "      <property name=\"complete\" value=\"%s\"/>\n",
		sf_campaign_pending(c) ? "false" : "true");
	fputs("    </properties>\n", f);
	for (size_t i = 0; i < c->npoints; i++)
		junit_case(f, c, &c->points[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return close_checked(f, path);
}

/* ---- text summary ---- */

/* Frames a finding shows without -v: the site's own, of which the outer ones name its caller. */
#define STACK_SHOWN SF_SITE_DEPTH

static void text_put(FILE *f, const char *s)
{
	sf_text_fputs(s, f);
}

void sf_report_print(const struct sf_campaign *c, FILE *out, int verbosity)
{
	size_t totals[SF_OUT_COUNT], findings;

	for (size_t i = 0; i < c->npoints; i++) {
		const struct sf_xpoint *p = &c->points[i];
		bool is_finding = p->is_done && sf_xpoint_is_finding(c, p);
		bool is_noted = p->outcome == SF_OUT_UNREACHED || p->outcome == SF_OUT_FLAKY;
		if (!is_finding && (!p->is_done || !is_noted || verbosity < 0))
			continue;
		/* Points, paths and commands come from the runs and the report read back: made visible. */
		char *what = description(c, p);
		fputs("sysfault: ", out);
		sf_text_fputs(what ? what : p->point, out);
		free(what);
		fputs(" (", out);
		sf_text_fputs(p->syscall, out);
		fputs(" in ", out);
		sf_text_fputs(p->exe, out);
		fputs(")\n", out);
		if (is_finding || p->outcome == SF_OUT_FLAKY) {
			stack_lines(out, p, verbosity > 0 ? SF_FRAMES_MAX : STACK_SHOWN, "sysfault:   ",
				    text_put);
			fputs("sysfault:   reproduce: ", out);
			sf_text_fputs(p->reproduce, out);
			fputc('\n', out);
		}
	}
	if (verbosity < 0)
		return;
	count(c, totals, &findings);
	size_t pending = sf_campaign_pending(c);
	if (pending)
		fprintf(out, "sysfault: %zu of %zu points (%zu pending)", c->npoints - pending, c->npoints, pending);
	else
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
		if (c->points[i].is_done && sf_xpoint_is_finding(c, &c->points[i]))
			return 1;
	return 0;
}
