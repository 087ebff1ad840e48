/*
 * What explore --coverage runs as children, gcov-tool, lcov and genhtml
 * (from PATH, each one's stderr kept for the line that says why it
 * failed), and the gcov trees they work on: PREFIX/<the object's absolute
 * directory>/NAME.gcda, as libgcov writes under GCOV_PREFIX=PREFIX.
 * Nothing here decides what is merged or reported.
 */
#ifndef SF_EXPLORE_COVERAGE_TOOL_H
#define SF_EXPLORE_COVERAGE_TOOL_H

#include <stdbool.h>
#include <stddef.h>

/* DIR/NAME into BUF; false (BUF empty) when it does not fit. */
bool sf_cov_join(char *buf, size_t size, const char *dir, const char *name);
/* Whether PATH names anything (a dangling link too). */
bool sf_cov_exists(const char *path);

/* 0 when lcov, genhtml and gcov-tool are all in PATH; else SF_EXIT_USAGE after one line. */
int sf_cov_tools_check(void);
/*
 * Runs ARGV (ARGV[0] found in PATH) with stdin and stdout /dev/null, stderr
 * into the file ERR, no signal blocked; IS_GROUPED puts it in a process
 * group of its own.  0 when it exited 0, else -1.
 */
int sf_cov_tool_run(const char *err, char *const argv[], bool is_grouped);
/* The last line of ERR: what the tool said went wrong. */
void sf_cov_tool_reason(const char *err, char *buf, size_t size);

/*
 * Calls FN on every regular file below ROOT with its path relative to ROOT;
 * stops at the first non-zero FN returns, and returns that (else 0).
 */
int sf_gcov_tree_walk(const char *root, int (*fn)(void *ctx, const char *root, const char *rel), void *ctx);
/* Whether REL names a data file (.gcda). */
bool sf_gcov_is_data(const char *rel);
/* Whether the tree holds a data file: whether a run wrote any. */
bool sf_gcov_tree_has_data(const char *tree);

#endif
