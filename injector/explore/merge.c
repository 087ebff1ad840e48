/*
 * `sysfault merge`: joins the JSON reports of the shards of one campaign
 * into the report the unsharded campaign would have written (points in
 * record order), and exits as explore would.  Refuses shards of different
 * campaigns (a merged report must never mix two commands or two seeds) and
 * interrupted ones, whose verdict is not known yet.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "command/cli.h"
#include "command/help.h"
#include "explore/explore.h"
#include "sysfault/sysfault.h"

enum { OPT_JSON = 256, OPT_JUNIT, OPT_FAIL_ON };

static const struct option merge_options[] = {
	{ "json", required_argument, NULL, OPT_JSON },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Why shard S cannot join the campaign C (read from FIRST), or NULL. */
static const char *mismatch(const struct sf_campaign *c, const struct sf_campaign *s)
{
	if (!sf_strings_equal(c->command, c->ncommand, s->command, s->ncommand))
		return "another command";
	if (!sf_strings_equal(c->rule_args, c->nrule_args, s->rule_args, s->nrule_args))
		return "other rules";
	if (c->seed != s->seed)
		return "another seed";
	if ((c->engine == NULL) != (s->engine == NULL) || (c->engine && strcmp(c->engine, s->engine)))
		return "another engine";
	if (c->is_by_site != s->is_by_site)
		return "points of another kind (--points site or occurrence)";
	if (!c->shard_n || c->shard_n != s->shard_n)
		return "another number of shards (or is not a shard)";
	if (c->points_total != s->points_total || strcmp(c->digest, s->digest))
		return "other points: its clean run recorded a different list (a nondeterministic command?)";
	return NULL;
}

/* 0, or 125 with one line when the report PATH (read into C) has points pending. */
static int refuse_incomplete(const struct sf_campaign *c, const char *path)
{
	size_t pending = sf_campaign_pending(c);

	if (!pending)
		return 0;
	return sf_cli_usage("'%s' is the report of an interrupted campaign (%zu point%s pending): finish it first with 'sysfault explore --resume %s'",
			    path, pending, pending == 1 ? "" : "s", path);
}

/* Moves the points of S to the end of C. */
static int take_points(struct sf_campaign *c, struct sf_campaign *s)
{
	for (size_t i = 0; i < s->npoints; i++) {
		struct sf_xpoint *p = sf_campaign_add_point(c);
		if (!p)
			return -1;
		*p = s->points[i];
	}
	s->npoints = 0;
	return 0;
}

static int join(struct sf_campaign *c, char **files, int n)
{
	bool *seen = calloc(c->shard_n + 1, sizeof(*seen));

	if (!seen)
		return SF_EXIT_USAGE;
	seen[c->shard_k] = true;
	int status = 0;
	for (int i = 1; !status && i < n; i++) {
		struct sf_campaign s = { 0 };
		const char *why = NULL;
		if (sf_report_read_json(&s, files[i]) < 0)
			status = SF_EXIT_USAGE;
		else if (sf_campaign_pending(&s))
			status = refuse_incomplete(&s, files[i]);
		else if ((why = mismatch(c, &s)))
			status = sf_cli_usage("'%s' is not a shard of the campaign of '%s': %s", files[i], files[0], why);
		else if (seen[s.shard_k])
			status = sf_cli_usage("'%s': shard %u/%u is given twice", files[i], s.shard_k, s.shard_n);
		else if (take_points(c, &s) < 0)
			status = SF_EXIT_USAGE;
		if (!status) {
			seen[s.shard_k] = true;
			if (s.seconds > c->seconds)
				c->seconds = s.seconds;   /* wall time: the shards ran side by side */
		}
		sf_campaign_release(&s);
	}
	for (unsigned k = 1; !status && k <= c->shard_n; k++)
		if (!seen[k])
			status = sf_cli_usage("shard %u/%u is missing: merge needs the report of every shard", k, c->shard_n);
	free(seen);
	if (status)
		return status;
	if (!sf_points_sort(c) || c->npoints != c->points_total)
		return sf_cli_usage("the shards hold %zu points where the campaign has %lu", c->npoints, c->points_total);
	c->shard_k = c->shard_n = 0;
	return 0;
}

int sf_merge_main(int argc, char **argv)
{
	struct sf_campaign c = { 0 };
	const char *json = NULL, *junit = NULL;
	unsigned fail_on = 0;
	bool has_fail_on = false;   /* else the default, crash,hang,sanitizer */
	int ch, verbosity = 0;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+qvh", merge_options, NULL)) != -1) {
		if (ch == OPT_JSON) {
			json = optarg;
		} else if (ch == OPT_JUNIT) {
			junit = optarg;
		} else if (ch == OPT_FAIL_ON) {
			if (sf_fail_on_option(optarg, &fail_on))
				return SF_EXIT_USAGE;
			has_fail_on = true;
		} else if (ch == 'q' || ch == 'v') {
			verbosity = ch == 'q' ? -1 : 1;
		} else if (ch == 'h') {
			return sf_help_option("merge");
		} else {
			return sf_cli_bad_option(ch, argv[optind - 1], merge_options);
		}
	}
	if (optind >= argc)
		return sf_cli_usage("%s", "merge needs the JSON reports of the shards");
	sf_diag_set_verbosity(verbosity);
	int status = sf_report_read_json(&c, argv[optind]) < 0 ? SF_EXIT_USAGE : 0;
	if (!status)
		status = refuse_incomplete(&c, argv[optind]);
	if (!status && !c.shard_n && argc - optind > 1)
		status = sf_cli_usage("'%s' is not a shard (explore ran without --shard)", argv[optind]);
	if (!status && c.shard_n)
		status = join(&c, argv + optind, argc - optind);
	/* Its own rule, not the shards': shards often run with --fail-on none so that merge is the gate. */
	if (!status)
		c.fail_on = has_fail_on ? fail_on : SF_FAIL_ON_DEFAULT;
	if (!status && json && sf_report_write_json(&c, json) < 0)
		status = SF_EXIT_USAGE;
	if (!status && junit && sf_report_write_junit(&c, junit) < 0)
		status = SF_EXIT_USAGE;
	if (!status) {
		sf_report_print(&c, stderr, verbosity);
		status = sf_report_status(&c);
	}
	sf_campaign_release(&c);
	return status;
}
