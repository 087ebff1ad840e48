/*
 * explore --coverage DIR: the command's gcov data of every run of a
 * campaign, each run's written apart (GCOV_PREFIX in the run's own
 * directory), merged with gcov-tool, and made into tracefiles and HTML by
 * lcov and genhtml.  It must never write into the command's build tree, nor
 * let two runs write the same .gcda file.
 */
#ifndef SF_EXPLORE_COVERAGE_H
#define SF_EXPLORE_COVERAGE_H


struct sf_campaign;
struct sf_coverage;

/*
 * Before anything runs: checks that lcov, genhtml and gcov-tool are there,
 * that DIR is new, empty or a coverage directory of explore's, and, when
 * RESUMED (the report of `--resume`, as read) has finished points, that DIR
 * holds their data.  TMPDIR is the campaign's private directory, SELF this
 * sysfault (whose own gcov files, if it has any, are told apart).  Returns
 * 0, or SF_EXIT_USAGE after one line.
 */
int sf_coverage_open(struct sf_coverage **out, const char *dir, const char *tmpdir,
		     const char *self, const struct sf_campaign *resumed);
void sf_coverage_free(struct sf_coverage *cov);

/* ---- each run, whose files are under BOX (explore_run.c) ---- */

/*
 * Before a run: BOX/keep made empty, and *ENVP the environment to start it
 * with (explore's, GCOV_PREFIX=BOX/keep); free it with sf_coverage_env_free.
 * 0, or -1 (reported).
 */
int sf_coverage_run_begin(struct sf_coverage *cov, const char *box, char ***envp);
void sf_coverage_env_free(char **envp);
/*
 * After the clean run: its data is the clean run's.  0, or -1 after one
 * line when it wrote none (COMMAND is not instrumented).
 */
int sf_coverage_take_clean(struct sf_coverage *cov, const char *box, const char *command);
/* After a point's first run that a second one is to confirm: its data held in BOX meanwhile. */
void sf_coverage_hold(struct sf_coverage *cov, const char *box);
/* After a point's last run: its data, and what was held, added to the fault runs'. */
void sf_coverage_take_point(struct sf_coverage *cov, const char *box, const char *point);

/* ---- the end of a session ---- */

/*
 * Keeps the data in DIR with what it belongs to; when C is complete, writes
 * DIR/clean.info, faults.info, fault-only.info, never-reached.txt and
 * html/, and says what they hold in one line (unless -q).  0, or
 * SF_EXIT_USAGE after one line naming the tool that failed.
 */
int sf_coverage_finish(struct sf_coverage *cov, const struct sf_campaign *c);

#endif
