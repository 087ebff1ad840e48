/*
 * Helpers for integration tests: run build/sysfault (or any command) with a
 * deadline, capture its stdout, stderr and exit status.
 */
#ifndef SF_TEST_HARNESS_H
#define SF_TEST_HARNESS_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct sf_proc {
	int status;        /* exit status, or 128+N when killed by signal N */
	int timed_out;     /* the deadline passed and the command was killed */
	char *out;         /* stdout, NUL-terminated */
	char *err;         /* stderr, NUL-terminated */
	double seconds;    /* wall time */
};

/* Path of build/sysfault, of a target program, of a file in the source tree. */
const char *sf_test_sysfault(void);
const char *sf_test_target(const char *name);   /* static buffer per call ring */
const char *sf_test_srcpath(const char *rel);

/*
 * Runs ARGV (NULL-terminated) with a deadline of TIMEOUT_S seconds; on
 * expiry the whole process group is killed.  STDIN is /dev/null.
 */
int sf_proc_run(struct sf_proc *p, double timeout_s, char *const argv[]);
/* Same, with a shell command line (sh -c). */
int sf_proc_sh(struct sf_proc *p, double timeout_s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sf_proc_release(struct sf_proc *p);

/* Whether a line of TEXT equals LINE exactly; count of lines that start with PREFIX. */
int sf_has_line(const char *text, const char *line);
int sf_count_prefix(const char *text, const char *prefix);
/* Value of "KEY=" in the first line of TEXT that has it ("KEY=VALUE" tokens), or NULL. */
const char *sf_kv(const char *text, const char *key, char *buf, size_t size);

/* CUnit assertion with the output shown on failure (none if the run never started). */
#define SF_ASSERT_PROC(cond, p) do { \
	if (!(cond)) fprintf(stderr, "\n--- status %d\n--- stdout:\n%s--- stderr:\n%s---\n", \
			     (p)->status, (p)->out ? (p)->out : "", (p)->err ? (p)->err : ""); \
	CU_ASSERT(cond); } while (0)

#endif

/*
 * Added for the integration suites (integ_*).
 */

/* Runs a NULL-terminated list of arguments, e.g.
 * sf_proc_runl(&p, 10, sf_test_sysfault(), "run", "--", target, NULL). */
int sf_proc_runl(struct sf_proc *p, double timeout_s, const char *arg0, ...)
	__attribute__((sentinel));

/* A fresh file in this run's private temp directory with CONTENT (NULL: the
 * file is not created, only its path made); returns its path (ring buffer). */
const char *sf_test_tmpfile(const char *name, const char *content);

/*
 * What a target observed for its calls "PREFIX 1" .. "PREFIX N", as words:
 * the errno name when the line has errno=, "ok" when it has none, or
 * "missing" when there is no such line.  N is the number
 * of words in EXPECTED; used as
 *   SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok EIO ok");
 */
const char *sf_outcomes(const char *text, const char *prefix, int n);
int sf_word_count(const char *s);
#define SF_ASSERT_OUTCOMES(p, prefix, expected) do { \
	const char *got_ = sf_outcomes((p)->out, prefix, sf_word_count(expected)); \
	if (strcmp(got_, expected)) \
		fprintf(stderr, "\n--- \"%s\": expected \"%s\", observed \"%s\"\n", \
			prefix, expected, got_); \
	SF_ASSERT_PROC(!strcmp(got_, expected), p); } while (0)

/* Value of KEY= in the line that starts with "PREFIX " (or is PREFIX), or NULL. */
const char *sf_line_kv(const char *text, const char *prefix, const char *key,
		       char *buf, size_t size);
/* Number of lines of TEXT that contain NEEDLE. */
int sf_count_lines_with(const char *text, const char *needle);
/* Number of lines of TEXT (a final line without '\n' counts). */
int sf_count_lines(const char *text);
/* Whether S..S+LEN is exactly one JSON value (surrounding blanks allowed). */
int sf_json_valid(const char *s, size_t len);
/* Contents of a file (malloc'd, NUL-terminated) or NULL. */
char *sf_read_file(const char *path);

/*
 * Runs sysfault with ARGS (NULL-terminated), then "--" and a command that
 * would create a file, and asserts bad input's contract: exit 125, one
 * line on stderr starting with LINE_START, nothing on stdout, and the
 * command never ran.  REFUSED(start, args...) builds the list.
 */
void sf_assert_refused(const char *line_start, const char *const args[]);
#define REFUSED(start, ...) do { \
	const char *args_[] = {__VA_ARGS__, NULL}; \
	sf_assert_refused(start, args_); } while (0)

/*
 * explore isolates every run by default (a mount namespace); where this
 * machine cannot, explore refuses with one line.  That line (without
 * "sysfault: "), or NULL when explore can isolate here; asked once.
 */
const char *sf_test_explore_cannot_isolate(void);
/*
 * Adds test FN named NAME to S, a test that runs explore; where explore
 * cannot isolate, prints "SUITE: not run: NAME (why)" instead.
 */
void sf_test_add_explore(CU_pSuite s, const char *name, CU_TestFunc fn);
