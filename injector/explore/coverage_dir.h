/*
 * The directory of explore --coverage DIR: what it keeps from session to
 * session (gcda/clean and gcda/faults, the merged gcov trees, and a stamp
 * saying which campaign's finished points they hold) and the reports made
 * there from them once a campaign is finished.  It removes only what it
 * writes, and never writes where the command's notes files are.
 */
#ifndef SF_EXPLORE_COVERAGE_DIR_H
#define SF_EXPLORE_COVERAGE_DIR_H

#include <limits.h>
#include <stddef.h>

#include "explore/coverage_info.h"

struct sf_campaign;

struct sf_cov_dir {
	const char *dir;         /* DIR as given: the reports' paths and the messages */
	char gcda[PATH_MAX];     /* DIR/gcda, absolute */
	char kept[PATH_MAX];     /* DIR/gcda/faults: the fault runs' data of every session so far */
	char stamp[PATH_MAX];    /* DIR/sysfault-coverage */
	const char *err;         /* where the tools' stderr goes */
};

/*
 * D for DIR: made, or checked to be empty or explore's, and emptied of an
 * earlier campaign's outputs.  DONE > 0 (a resumed campaign, RESUMED its
 * report) keeps DIR's data, which must be of exactly RESUMED's DONE
 * finished points.  The stamp then says a session is under way.  0, or
 * SF_EXIT_USAGE after one line.
 */
int sf_cov_dir_prepare(struct sf_cov_dir *d, const char *dir, const char *err,
		       const struct sf_campaign *resumed, size_t done);
/*
 * The session's trees copied into DIR/gcda (CLEAN the clean run's, FAULTS
 * the fault runs' or NULL when DIR's are still current), then the stamp of
 * C's finished points.  0, or -1 after one line.
 */
int sf_cov_dir_save(const struct sf_cov_dir *d, const char *clean, const char *faults,
		    const struct sf_campaign *c);
/*
 * From DIR/gcda: clean.info and faults.info (lcov --capture), fault-only.info
 * and never-reached.txt (coverage_info.h, counted in SUMS), html/ (genhtml).
 * 0, or -1 after one line naming what failed.
 */
int sf_cov_dir_report(const struct sf_cov_dir *d, struct sf_trace_sums *sums);

#endif
