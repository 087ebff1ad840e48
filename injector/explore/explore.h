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
#include <spawn.h>
#include <stdio.h>

#include "explore/explore_stack.h"

enum sf_outcome {
	SF_OUT_OK,          /* same exit status as the clean run */
	SF_OUT_FAILURE,     /* another exit status, no signal: handled cleanly */
	SF_OUT_CRASH,       /* killed by a signal */
	SF_OUT_HANG,        /* the run's timeout expired */
	SF_OUT_SANITIZER,   /* an ASan/UBSan/LSan/TSan report on stderr */
	SF_OUT_UNREACHED,   /* the point was not reached: nothing was injected */
	SF_OUT_FLAKY,       /* a crash, hang or sanitizer report that its second run did not repeat */
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
	struct sf_xstack stack;  /* a site point's call, innermost first; none for an occurrence */
	bool has_rval;           /* the call returned in the clean run */
	int64_t rval;            /* its clean result (negative: -errno): "clean_retval" */
	/* from its runs: the first, and a second one to confirm a crash, hang or sanitizer report */
	bool is_done;            /* its runs ended: false while pending (not run, or interrupted) */
	enum sf_outcome outcome; /* the verdict: the first run's, or flaky */
	enum sf_outcome runs[2]; /* what each run showed, in order */
	unsigned nruns;
	/* the evidence below is the first run's, the one that showed the finding */
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
	bool is_by_site;         /* --points site: a point per call site, else per occurrence */
	bool is_dedup;           /* --dedup and --max-points narrowed the list: */
	unsigned long max_points;   /* recorded so that --resume narrows it the same way */
	unsigned shard_k, shard_n;  /* 1-based; 0/0 when not sharded */
	unsigned long points_total; /* points of the whole campaign, before sharding */
	char digest[17];         /* of the whole campaign's point list (hex) */
	unsigned fail_on;        /* bit per outcome that is a finding */
	double seconds;          /* wall time of the campaign (of all its sessions, when resumed) */
	struct sf_xpoint *points;
	size_t npoints, cap;
};

extern const char *const sf_outcome_names[SF_OUT_COUNT];

/* `sysfault explore ARGS` and `sysfault merge ARGS` (ARGV[0] is the subcommand). */
int sf_explore_main(int argc, char **argv);
int sf_merge_main(int argc, char **argv);

/* Parses "crash,hang" or "none" into outcome bits; -1 when a name is unknown. */
int sf_fail_on_parse(const char *list, unsigned *bits);
/*
 * File actions for a run of explore's: stdin and stdout /dev/null, stderr
 * into ERR_PATH (made or truncated).  0 or an errno value, as posix_spawn's.
 */
int sf_spawn_quiet_actions(posix_spawn_file_actions_t *fa, const char *err_path);
/* The same for the option --fail-on ARG: 0, or 125 after the usage line. */
int sf_fail_on_option(const char *arg, unsigned *bits);
bool sf_xpoint_is_finding(const struct sf_campaign *c, const struct sf_xpoint *p);
/* Whether a first run with outcome O is run once more before it counts (crash, hang, sanitizer). */
bool sf_outcome_needs_confirming(enum sf_outcome o);
/* The points of C whose runs have not ended: 0 for a complete campaign. */
size_t sf_campaign_pending(const struct sf_campaign *c);

void sf_campaign_release(struct sf_campaign *c);
/* A new zeroed point at the end of C->points; NULL when memory runs out. */
struct sf_xpoint *sf_campaign_add_point(struct sf_campaign *c);
void sf_xpoint_release(struct sf_xpoint *p);

/* Arrays of N strings: a copy (NULL when memory runs out), freed, compared. */
char **sf_strings_dup(char *const *v, size_t n);
void sf_strings_free(char **v, size_t n);
bool sf_strings_equal(char *const *a, size_t na, char *const *b, size_t nb);

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

/* ---- reports (explore_report.c, explore_report_read.c) ---- */

/* Write the reports (of the done points; the pending ones marked so); 0, or -errno (reported). */
int sf_report_write_json(const struct sf_campaign *c, const char *path);
int sf_report_write_junit(const struct sf_campaign *c, const char *path);
/* Findings and flaky points with their reproduction, unreached ones, totals; VERBOSITY -1 findings only. */
void sf_report_print(const struct sf_campaign *c, FILE *out, int verbosity);
/*
 * Reads a report written by sf_report_write_json, every field checked; -errno
 * (reported) on error.  An incomplete report's pending points come after the
 * done ones, with is_done false and only their record fields.
 */
int sf_report_read_json(struct sf_campaign *c, const char *path);
/* Exit status for the campaign: 1 when some done point is a finding, else 0. */
int sf_report_status(const struct sf_campaign *c);

/* ---- runs (explore_run.c) ---- */

struct sf_sandbox;
struct sf_coverage;

struct sf_explore_opts {
	unsigned jobs;
	bool has_timeout;
	double timeout_s;
	int verbosity;           /* -1 quiet, 0 normal, 1 verbose */
	bool show_progress;      /* a \r progress line on stderr */
	const char *tmpdir;      /* private directory for the runs' files */
	const struct sf_sandbox *sandbox;  /* how each run is isolated (sandbox.h); NULL: --no-isolate */
	struct sf_coverage *coverage;      /* --coverage: the runs' gcov data (coverage.h); NULL without */
};

/* This sysfault, to start again for each run (/proc/self/exe, or its file under valgrind). */
const char *sf_explore_self(void);

/* Records the points: the clean run.  Returns 0, or 125 (reported) when it could not start. */
int sf_explore_record(struct sf_campaign *c, const struct sf_explore_opts *o);
/*
 * Runs every pending point of C, -j at a time, classifies each and confirms
 * its finding (sf_outcome_needs_confirming).  Returns 0; the signal number
 * when SIGINT, SIGTERM or SIGHUP stopped it (the runs in flight were killed
 * and their points stay pending); -1 (reported) when a run could not start.
 */
int sf_explore_run_points(struct sf_campaign *c, const struct sf_explore_opts *o);
/* Sets P->reproduce: a `sysfault run` line that fails the same call. */
int sf_explore_reproduce(const struct sf_campaign *c, struct sf_xpoint *p);
/* S as one shell word: bare when it is safe, else quoted so that a shell gives back its bytes. */
void sf_explore_shell_word(FILE *out, const char *s);

/* ---- resuming an interrupted campaign (explore_resume.c) ---- */

/* What the command line of `explore --resume` gave itself; the rest comes from the report. */
struct sf_resume_given {
	bool has_command, has_rules, has_seed, has_engine, has_shard, is_dedup, has_max_points,
	     has_timeout, has_fail_on, has_points;
};

/*
 * Makes C the campaign of the report R (read from PATH): what G says the
 * command line gave must equal R's, the rest is copied from R.  0, or
 * SF_EXIT_USAGE with one line said.
 */
int sf_resume_adopt(struct sf_campaign *c, const struct sf_campaign *r,
		    const struct sf_resume_given *g, const char *path);
/*
 * After C's own clean run, narrowed by --dedup and --max-points but not
 * split into shards: checks that it ends as R's did and records as many
 * points, every one of R's among them, then takes R's points (done and
 * pending, in record order), digest and totals.  0, or SF_EXIT_USAGE with
 * one line said.
 */
int sf_resume_carry(struct sf_campaign *c, struct sf_campaign *r, const char *path);
/*
 * The line that finishes an interrupted campaign: "SYSFAULT explore --resume
 * REPORT ..." with -j JOBS (0: none), --junit and --coverage when given (malloc'd).
 */
char *sf_resume_line(const struct sf_campaign *c, const char *report, unsigned jobs,
		     const char *junit, const char *coverage);

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
