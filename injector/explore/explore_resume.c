/*
 * `explore --resume`: finishing an interrupted campaign from its report.
 * The campaign is the report's; what the command line repeats must agree,
 * and so must a fresh clean run's list.  Never re-runs a point that is done.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cli.h"
#include "diag.h"
#include "explore/explore.h"
#include "sysfault/sysfault.h"

static int out_of_memory(const char *path)
{
	sf_error("out of memory resuming '%s'", path);
	return SF_EXIT_USAGE;
}

/* *V (N strings) replaced by a copy of FROM (NFROM); false when memory runs out. */
static bool take_strings(char ***v, size_t *n, char *const *from, size_t nfrom)
{
	char **copy = sf_strings_dup(from, nfrom);

	if (!copy)
		return false;
	sf_strings_free(*v, *n);
	*v = copy;
	*n = nfrom;
	return true;
}

static bool same_engine(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (!a || !strcmp(a, b));
}

/* WORDS as a shell line, as the report's "command" reads back (malloc'd, NULL when memory runs out). */
static char *shell_line(char *const *words, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(' ', out);
		sf_explore_shell_word(out, words[i]);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* 0 when what G says the command line gave (in C) is R's campaign; else 125, said in one line. */
static int disagreement(const struct sf_campaign *c, const struct sf_campaign *r,
			const struct sf_resume_given *g, const char *path)
{
	char shard[32] = "none";

	if (r->shard_n)
		snprintf(shard, sizeof(shard), "%u/%u", r->shard_k, r->shard_n);
	if (g->has_command && !sf_strings_equal(c->command, c->ncommand, r->command, r->ncommand)) {
		char *line = shell_line(r->command, r->ncommand);
		int status = sf_cli_usage("--resume '%s': the report explores another command (%s)", path,
					  line ? line : "?");
		free(line);
		return status;
	}
	if (g->has_rules && !sf_strings_equal(c->rule_args, c->nrule_args, r->rule_args, r->nrule_args)) {
		char *line = shell_line(r->rule_args, r->nrule_args);
		int status = sf_cli_usage("--resume '%s': the report's campaign has other rules (%s)", path,
					  line ? line : "?");
		free(line);
		return status;
	}
	if (g->has_seed && c->seed != r->seed)
		return sf_cli_usage("--resume '%s': the report's campaign has another seed (%llu)", path,
				    (unsigned long long)r->seed);
	if (g->has_engine && !same_engine(c->engine, r->engine))
		return sf_cli_usage("--resume '%s': the report's campaign has another --engine (%s)", path,
				    r->engine ? r->engine : "none given");
	if (g->has_shard && (c->shard_k != r->shard_k || c->shard_n != r->shard_n))
		return sf_cli_usage("--resume '%s': the report is of another shard (%s)", path, shard);
	if ((g->is_dedup && !r->is_dedup) || (g->has_max_points && c->max_points != r->max_points)) {
		char max[40] = "no --max-points";
		if (r->max_points)
			snprintf(max, sizeof(max), "--max-points %lu", r->max_points);
		return sf_cli_usage("--resume '%s': the report's campaign was narrowed otherwise (%s, %s)",
				    path, r->is_dedup ? "--dedup" : "no --dedup", max);
	}
	if (g->has_points && c->is_by_site != r->is_by_site)
		return sf_cli_usage("--resume '%s': the report's campaign has a point per %s", path,
				    r->is_by_site ? "site (--points site)" : "occurrence (--points occurrence)");
	/* The report keeps the timeout to the millisecond. */
	if (g->has_timeout && fabs(c->timeout_s - r->timeout_s) >= 0.0005)
		return sf_cli_usage("--resume '%s': the report's runs had another --timeout (%.3fs)", path,
				    r->timeout_s);
	return 0;
}

int sf_resume_adopt(struct sf_campaign *c, const struct sf_campaign *r,
		    const struct sf_resume_given *g, const char *path)
{
	int status = disagreement(c, r, g, path);

	if (status)
		return status;
	if (!take_strings(&c->command, &c->ncommand, r->command, r->ncommand) ||
	    !take_strings(&c->rule_args, &c->nrule_args, r->rule_args, r->nrule_args))
		return out_of_memory(path);
	free(c->engine);
	c->engine = r->engine ? strdup(r->engine) : NULL;
	c->seed = r->seed;
	c->shard_k = r->shard_k;
	c->shard_n = r->shard_n;
	c->is_dedup = r->is_dedup;
	c->is_by_site = r->is_by_site;
	c->max_points = r->max_points;
	c->timeout_s = r->timeout_s;
	if (!g->has_fail_on)
		c->fail_on = r->fail_on;
	return r->engine && !c->engine ? out_of_memory(path) : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The point of R (one shard's, or all) that C's list no longer has, or
 * NULL.  By name, not by place: the record interleaves the calls of
 * several processes as they happen to run, so a command such as
 * `tar czf` (tar and gzip) lists the same points in another order from
 * one clean run to the next.
 */
static const char *missing_point(const struct sf_campaign *c, const struct sf_campaign *r, bool *is_oom)
{
	char **names = calloc(c->npoints + 1, sizeof(*names));
	const char *missing = NULL;

	*is_oom = !names;
	for (size_t i = 0; names && i < c->npoints; i++)
		names[i] = c->points[i].point;
	if (names && c->npoints > 1)
		qsort(names, c->npoints, sizeof(*names), by_name);
	for (size_t i = 0; names && !missing && i < r->npoints; i++) {
		const char *key = r->points[i].point;
		if (!bsearch(&key, names, c->npoints, sizeof(*names), by_name))
			missing = key;
	}
	free(names);
	return missing;
}

int sf_resume_carry(struct sf_campaign *c, struct sf_campaign *r, const char *path)
{
	static const char anew[] = "the command, its input or its environment changed, or it is not deterministic; start the campaign anew";
	bool is_oom;

	if (!sf_points_sort(r))
		return sf_cli_usage("--resume '%s': the report holds a point twice", path);
	if (c->clean_status != r->clean_status)
		return sf_cli_usage("--resume '%s': the clean run now exits with status %d, the report's with %d: %s",
				    path, c->clean_status, r->clean_status, anew);
	if (c->npoints != r->points_total)
		return sf_cli_usage("--resume '%s': the clean run now records %zu points, the report's %lu: %s",
				    path, c->npoints, r->points_total, anew);
	const char *missing = missing_point(c, r, &is_oom);
	if (is_oom)
		return out_of_memory(path);
	if (missing)
		return sf_cli_usage("--resume '%s': the clean run no longer records point %s: %s", path, missing, anew);
	/*
	 * The report's points, pending ones included, with its digest: the
	 * finished report must be the one the first clean run would have made,
	 * and a call's clean result (a pid, a time) may differ in this one.
	 */
	struct sf_xpoint *points = c->points;
	size_t npoints = c->npoints, cap = c->cap;
	c->points = r->points, c->npoints = r->npoints, c->cap = r->cap;
	r->points = points, r->npoints = npoints, r->cap = cap;
	c->points_total = r->points_total;
	memcpy(c->digest, r->digest, sizeof(c->digest));
	c->clean_seconds = r->clean_seconds;
	return 0;
}

char *sf_resume_line(const struct sf_campaign *c, const char *report, unsigned jobs, const char *junit,
		     const char *coverage)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	sf_explore_shell_word(out, c->sysfault);
	fputs(" explore --resume ", out);
	sf_explore_shell_word(out, report);
	if (jobs)
		fprintf(out, " -j %u", jobs);
	if (junit) {
		fputs(" --junit ", out);
		sf_explore_shell_word(out, junit);
	}
	if (coverage) {
		fputs(" --coverage ", out);
		sf_explore_shell_word(out, coverage);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
