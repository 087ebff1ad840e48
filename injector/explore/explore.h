/*
 * explore: every failure point of a command, tried once each.  A campaign
 * records the points in a clean run, re-runs the command once per point
 * with only that call failing (`sysfault run --point`), classifies each
 * outcome and reports; `merge` joins the reports of shards.  Explore never
 * traces anything itself: every run is a child `sysfault run`.
 */
#ifndef SF_EXPLORE_H
#define SF_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum sf_outcome {
	SF_OUT_OK,          /* same exit status as the clean run */
	SF_OUT_FAILURE,     /* another exit status, no signal: handled cleanly */
	SF_OUT_CRASH,       /* killed by a signal */
	SF_OUT_HANG,        /* the run's timeout expired */
	SF_OUT_SANITIZER,   /* an ASan/UBSan/LSan/TSan report on stderr */
	SF_OUT_UNREACHED,   /* the point was not reached: nothing was injected */
	SF_OUT_COUNT
};

/* The "format" of explore's JSON report: its kind and major version. */
#define SF_EXPLORE_FORMAT "sysfault-explore/1"

#define SF_FAIL_ON_DEFAULT ((1u << SF_OUT_CRASH) | (1u << SF_OUT_HANG) | (1u << SF_OUT_SANITIZER))

/* One failure point and what its run did. */
struct sf_xpoint {
	/* from the record */
	unsigned long index;     /* 1-based place in the record: the order of reports */
	char *point;             /* "1.2/0:write:3:r1" */
	char *lineage;           /* "1.2" */
	unsigned thread;
	char *exe;               /* the process's executable when the call was made */
	char *syscall;
	unsigned rule;
	uint64_t occurrence;
	bool has_rval;           /* the call returned in the clean run */
	int64_t rval;            /* its clean result (negative: -errno): "clean_retval" */
	/* from its run */
	enum sf_outcome outcome;
	int exit_status;         /* of `sysfault run`: the command's, 128+N, 124 */
	char signal[24];         /* crash: "SIGSEGV"; empty otherwise */
	bool core;               /* crash: a core was dumped */
	char *stderr_tail;       /* the last lines of the command's stderr */
	char *reproduce;         /* a shell line that fails the same call */
};

/* A campaign: the command, its rules, the clean run and the points. */
struct sf_campaign {
	char **command;          /* the command and its arguments */
	size_t ncommand;
	char **rule_args;        /* "-s" FILE and "-e" SPEC, in command-line order */
	size_t nrule_args;
	char *engine;            /* --engine given to explore, or NULL */
	char *sysfault;          /* how the reproduction lines call sysfault */
	uint64_t seed;
	int clean_status;        /* exit status of the clean (record) run */
	double clean_seconds;
	double timeout_s;        /* per run */
	unsigned shard_k, shard_n;  /* 1-based; 0/0 when not sharded */
	unsigned long points_total; /* points of the whole campaign, before sharding */
	char digest[17];         /* of the whole campaign's point list (hex) */
	unsigned fail_on;        /* bit per outcome that is a finding */
	double seconds;          /* wall time of the campaign */
	struct sf_xpoint *points;
	size_t npoints, cap;
};

extern const char *const sf_outcome_names[SF_OUT_COUNT];

/* `sysfault explore ARGS` and `sysfault merge ARGS` (ARGV[0] is the subcommand). */
int sf_explore_main(int argc, char **argv);
int sf_merge_main(int argc, char **argv);

/* Parses "crash,hang" or "none" into outcome bits; -1 when a name is unknown. */
int sf_fail_on_parse(const char *list, unsigned *bits);
bool sf_xpoint_is_finding(const struct sf_campaign *c, const struct sf_xpoint *p);

void sf_campaign_release(struct sf_campaign *c);
/* A new zeroed point at the end of C->points; NULL when memory runs out. */
struct sf_xpoint *sf_campaign_add_point(struct sf_campaign *c);
void sf_xpoint_release(struct sf_xpoint *p);

/* ---- points (explore_points.c) ---- */

/* Reads a --record file into C->points, in record order; -errno (reported) on error. */
int sf_points_read_record(struct sf_campaign *c, const char *path);
/* Keeps the first point of each (lineage, exe, syscall, rule, clean result). */
void sf_points_dedup(struct sf_campaign *c);
/* Keeps the first MAX points. */
void sf_points_limit(struct sf_campaign *c, unsigned long max);
/* Sets the digest and points_total of the whole list, then keeps shard K of N (round robin). */
void sf_points_shard(struct sf_campaign *c, unsigned k, unsigned n);
/* Sorts by record index; false when two points share one index (same shard twice). */
bool sf_points_sort(struct sf_campaign *c);

/* ---- reports (explore_report.c) ---- */

/* Write the reports; 0, or -errno (reported). */
int sf_report_write_json(const struct sf_campaign *c, const char *path);
int sf_report_write_junit(const struct sf_campaign *c, const char *path);
/* Findings with their reproduction, unreached points, totals; VERBOSITY -1 findings only. */
void sf_report_print(const struct sf_campaign *c, FILE *out, int verbosity);
/* Reads a report written by sf_report_write_json, every field checked; -errno (reported) on error. */
int sf_report_read_json(struct sf_campaign *c, const char *path);
/* Exit status for the campaign: 1 when some point is a finding, else 0. */
int sf_report_status(const struct sf_campaign *c);

/* ---- runs (explore_run.c) ---- */

struct sf_explore_opts {
	unsigned jobs;
	bool has_timeout;
	double timeout_s;
	int verbosity;           /* -1 quiet, 0 normal, 1 verbose */
	bool show_progress;      /* a \r progress line on stderr */
	const char *tmpdir;      /* private directory for the runs' files */
};

/* Records the points: the clean run.  Returns 0, or 125 (reported) when it could not start. */
int sf_explore_record(struct sf_campaign *c, const struct sf_explore_opts *o);
/* Runs every point of C, -j at a time, and classifies each; -1 when interrupted. */
int sf_explore_run_points(struct sf_campaign *c, const struct sf_explore_opts *o);
/* Sets P->reproduce: a `sysfault run` line that fails the same call. */
int sf_explore_reproduce(const struct sf_campaign *c, struct sf_xpoint *p);

/* ---- one run's evidence (explore_classify.c) ---- */

/* What the clean run left, to compare each point's run with. */
struct sf_baseline {
	int exit_status;
	char main_signal[24];    /* the command's process was killed by this, or "" */
	unsigned crash_counts[65];  /* processes killed by each core-dumping signal */
	unsigned sanitizer_reports;
};

/* Reads a run's log (and its stderr file) into a baseline; false if the log has no end. */
bool sf_classify_baseline(const char *log, const char *err, struct sf_baseline *b);
/* Classifies the run of P from its log and stderr file against the clean run B. */
void sf_classify(const struct sf_baseline *b, const char *log, const char *err,
		 int wait_status, struct sf_xpoint *p);
/* The last lines of the file ERR, made valid UTF-8 by sf_utf8_clean, malloc'd ("" when none). */
char *sf_classify_tail(const char *err);

#endif
