/*
 * integ_explore_coverage: `explore --coverage DIR` on targets built with
 * gcc's --coverage (cov_saver, marker_cov).  The lines only fault runs
 * reached are the target's error branches, which the clean run's tracefile
 * has at 0 and the HTML marks covered; the handlers of steps no rule fails
 * are blocks never reached; -j2 gives the counts of -j1; libgcov's own
 * calls at exit are no failure points; a resumed campaign adds to the
 * interrupted one's data as if it had run whole, and a point's confirming
 * run counts with its point.  Without lcov, and on a target without
 * instrumentation, explore says so in one line and exits 125.  cov_saver
 * marks its lines: "fault: STEP", "never: STEP".
 */
#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define T 120.0
#define RULES "-e", "openat:error=EACCES", "-e", "write:error=EIO"

static void remove_tree(const char *path)
{
	struct sf_proc p;
	sf_proc_sh(&p, T, "rm -rf '%s'", path);
	sf_proc_release(&p);
}

/* A path in the tests' directory for a coverage directory, nothing there yet. */
static const char *fresh_dir(const char *name)
{
	const char *path = sf_test_tmpfile(name, NULL);
	remove_tree(path);
	return path;
}

static char *read_in(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return sf_read_file(path);
}

/* The lines of cov_saver.c that carry MARKER, into LINES; how many. */
static size_t marked_lines(const char *marker, unsigned *lines, size_t max)
{
	char *text = sf_read_file(sf_test_srcpath("tests/targets/cov_saver.c"));
	unsigned line = 1;
	size_t n = 0;

	for (const char *s = text; s && *s; line++) {
		const char *end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char *copy = strndup(s, len);
		if (copy && strstr(copy, marker) && n < max)
			lines[n++] = line;
		free(copy);
		s += len + (end != NULL);
	}
	free(text);
	return n;
}

/* The count of DA:LINE in the tracefile TEXT, or -1 when it has no such line. */
static long line_count(const char *text, unsigned line)
{
	char key[32];
	snprintf(key, sizeof(key), "\nDA:%u,", line);
	const char *at = text ? strstr(text, key) : NULL;
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Whether a block of never-reached.txt ("FILE:FIRST-LAST: FN: N lines") holds LINE. */
static bool is_never_reached(const char *text, unsigned line)
{
	for (const char *s = text; s && (s = strstr(s, "cov_saver.c:")); s++) {
		unsigned first, last;
		int n = sscanf(s, "cov_saver.c:%u-%u:", &first, &last);
		if (n == 1)
			last = first;
		if (n >= 1 && first <= line && line <= last)
			return true;
	}
	return false;
}

/* Explores cov_saver with the rules, at -j JOBS, into DIR; the run's output in P. */
static void explore_saver(struct sf_proc *p, const char *jobs, const char *dir, const char *json)
{
	sf_proc_runl(p, T, sf_test_sysfault(), "explore", "-j", jobs, "--seed", "1", "--coverage", dir,
		     "--json", json, RULES, "--", sf_test_target("cov_saver"), "/tmp/cov_saver.txt", NULL);
}

/* ---- one campaign's tracefiles and HTML ---- */

struct campaign {
	char dir[512];
	struct sf_proc p;
	char *clean, *faults, *only, *never, *json;
};

static const struct campaign *campaign_made;

static const struct campaign *campaign_j1(void)
{
	static struct campaign c;
	char json[512];

	if (campaign_made)
		return campaign_made;
	campaign_made = &c;
	snprintf(c.dir, sizeof(c.dir), "%s", fresh_dir("cov-j1"));
	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("cov-j1.json", NULL));
	explore_saver(&c.p, "1", c.dir, json);
	c.clean = read_in(c.dir, "clean.info");
	c.faults = read_in(c.dir, "faults.info");
	c.only = read_in(c.dir, "fault-only.info");
	c.never = read_in(c.dir, "never-reached.txt");
	c.json = sf_read_file(json);
	return &c;
}

static void test_explore_coverage__writes_the_tracefiles_and_html(void)
{
	const struct campaign *c = campaign_j1();
	char html[600];

	SF_ASSERT_PROC(c->p.status == 0, &c->p);
	CU_ASSERT_PTR_NOT_NULL(c->clean);
	CU_ASSERT_PTR_NOT_NULL(c->faults);
	CU_ASSERT_PTR_NOT_NULL(c->only);
	CU_ASSERT_PTR_NOT_NULL(c->never);
	snprintf(html, sizeof(html), "%s/html/index.html", c->dir);
	CU_ASSERT_EQUAL(access(html, R_OK), 0);
	/* the last line says what they hold and where */
	SF_ASSERT_PROC(sf_count_lines_with(c->p.err, "sysfault: coverage: 8 lines only fault runs reached (") == 1, &c->p);
	SF_ASSERT_PROC(sf_count_lines_with(c->p.err, ", 6 never reached in 3 blocks of functions they entered (") == 1,
		       &c->p);
	SF_ASSERT_PROC(strstr(c->p.err, "/html/index.html\n") != NULL, &c->p);
}

static void test_explore_coverage__error_branches_are_fault_only(void)
{
	const struct campaign *c = campaign_j1();
	unsigned lines[16];
	size_t n = marked_lines("/* fault: ", lines, 16);

	CU_ASSERT_EQUAL_FATAL(n, 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->only);
	for (size_t i = 0; i < n; i++) {
		if (line_count(c->only, lines[i]) <= 0 || line_count(c->clean, lines[i]) != 0)
			fprintf(stderr, "\n--- line %u: fault-only %ld, clean %ld\n", lines[i],
				line_count(c->only, lines[i]), line_count(c->clean, lines[i]));
		CU_ASSERT(line_count(c->only, lines[i]) > 0);
		CU_ASSERT_EQUAL(line_count(c->clean, lines[i]), 0);
		CU_ASSERT(line_count(c->faults, lines[i]) > 0);
	}
	/* report() only ever ran in fault runs: a function of the fault-only tracefile */
	CU_ASSERT_PTR_NOT_NULL(strstr(c->only, "\nFNDA:2,report\n"));
	CU_ASSERT_PTR_NULL(strstr(c->only, ",main\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->only, "\nLF:8\nLH:8\n"));
}

static void test_explore_coverage__untried_handlers_are_never_reached(void)
{
	const struct campaign *c = campaign_j1();
	unsigned lines[16];
	size_t n = marked_lines("/* never: ", lines, 16);

	CU_ASSERT_EQUAL_FATAL(n, 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->never);
	for (size_t i = 0; i < n; i++) {
		if (!is_never_reached(c->never, lines[i]))
			fprintf(stderr, "\n--- line %u is not in never-reached.txt:\n%s---\n", lines[i], c->never);
		CU_ASSERT(is_never_reached(c->never, lines[i]));
		CU_ASSERT_EQUAL(line_count(c->only, lines[i]), -1);
	}
	/* in main, the one function the fault runs entered that has such lines */
	CU_ASSERT_EQUAL(sf_count_lines(c->never), 3);
	CU_ASSERT_EQUAL(sf_count_lines_with(c->never, ": main: "), 3);
}

static void test_explore_coverage__the_html_marks_the_error_branch_covered(void)
{
	const struct campaign *c = campaign_j1();
	char path[600], open_line[64], rename_line[64];
	unsigned fault[1], never[1];

	CU_ASSERT_FATAL(marked_lines("/* fault: open */", fault, 1) == 1);
	CU_ASSERT_FATAL(marked_lines("/* never: rename */", never, 1) == 1);
	snprintf(path, sizeof(path), "%s/html/targets/cov_saver.c.gcov.html", c->dir);
	char *html = sf_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	snprintf(open_line, sizeof(open_line), "<a name=\"%u\">", fault[0]);
	snprintf(rename_line, sizeof(rename_line), "<a name=\"%u\">", never[0]);
	const char *at = strstr(html, open_line), *not_at = strstr(html, rename_line);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	CU_ASSERT_PTR_NOT_NULL_FATAL(not_at);
	CU_ASSERT(!strncmp(strstr(at, "</span>") + 7, "<span class=\"lineCov\">", 22));
	CU_ASSERT(!strncmp(strstr(not_at, "</span>") + 7, "<span class=\"lineNoCov\">", 24));
	free(html);
}

/* libgcov opens, writes and closes each .gcda at exit: calls of the instrumentation, not points. */
static void test_explore_coverage__gcov_calls_are_no_points(void)
{
	const struct campaign *c = campaign_j1();

	CU_ASSERT_PTR_NOT_NULL_FATAL(c->json);
	CU_ASSERT_PTR_NOT_NULL(strstr(c->json, "\"totals\":{\"points\":2,\"ok\":0,\"failure\":2,"));
	CU_ASSERT_PTR_NULL(strstr(c->json, ".gcda"));
}

/* Each run has a gcov directory of its own: two at once disturb nothing. */
static void test_explore_coverage__j2_gives_the_counts_of_j1(void)
{
	const struct campaign *c = campaign_j1();
	const char *dir = fresh_dir("cov-j2");
	char d2[512];
	struct sf_proc p;

	snprintf(d2, sizeof(d2), "%s", dir);
	explore_saver(&p, "2", d2, sf_test_tmpfile("cov-j2.json", NULL));
	SF_ASSERT_PROC(p.status == 0, &p);
	char *faults = read_in(d2, "faults.info"), *only = read_in(d2, "fault-only.info"),
	     *never = read_in(d2, "never-reached.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(faults);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->faults);
	CU_ASSERT_STRING_EQUAL(faults, c->faults);
	CU_ASSERT_STRING_EQUAL(only ? only : "", c->only ? c->only : "-");
	CU_ASSERT_STRING_EQUAL(never ? never : "", c->never ? c->never : "-");
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "sysfault: coverage: 8 lines only fault runs reached (") == 1, &p);
	free(faults); free(only); free(never);
	sf_proc_release(&p);
}

/* ---- refusals: one line, 125 ---- */

static void test_explore_coverage__without_lcov_nothing_runs(void)
{
	const char *proof = sf_test_tmpfile("cov-proof", NULL);
	char dir[512];
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-nolcov"));
	sf_proc_sh(&p, T, "PATH=/nonexistent exec '%s' explore --coverage '%s' -e openat:error=EIO -- /bin/touch '%s'",
		   sf_test_sysfault(), dir, proof);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(!strncmp(p.err, "sysfault: --coverage needs lcov and genhtml (Debian: apt-get install lcov)", 74),
		       &p);
	CU_ASSERT_EQUAL(access(proof, F_OK), -1);
	CU_ASSERT_EQUAL(access(dir, F_OK), -1);
	sf_proc_release(&p);
}

static void test_explore_coverage__a_target_without_instrumentation_is_one_line(void)
{
	char dir[512];
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-plain"));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--coverage", dir, "-e", "getppid:error=EIO", "--",
		     sf_test_target("marker"), "/nonexistent", "1", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "sysfault: --coverage: the clean run wrote no gcov data: ") == p.err, &p);
	SF_ASSERT_PROC(strstr(p.err, "marker is not built with gcc's --coverage") != NULL, &p);
	sf_proc_release(&p);
}

static void test_explore_coverage__a_directory_of_other_files_is_refused(void)
{
	char dir[512], file[600];

	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-other"));
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(file, sizeof(file), "%s/mine.txt", dir);
	FILE *f = fopen(file, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	REFUSED("sysfault: --coverage '", "explore", "--coverage", dir, "-e", "openat:error=EIO");
	CU_ASSERT_EQUAL(access(file, F_OK), 0);
	remove_tree(dir);
}

/* ---- interrupt and resume ---- */

/* A directory for marker_cov's files, outside /tmp and the working directory (which runs see unchanged). */
static const char *marker_dir(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "/var/tmp/sf-cov-%s-%d-XXXXXX", tag, (int)getpid());
	if (!mkdtemp(buf))
		return NULL;
	return buf;
}

/*
 * 5 points of marker_cov, SIGINT while the 3rd blocks; resumed with the
 * line explore printed, the data is that of the same campaign run whole.
 */
static void test_explore_coverage__resume_adds_to_the_interrupted_data(void)
{
	char mdir[512], dir[512], whole[512], json[512], script[4096];
	struct sf_proc p;

	if (!marker_dir(mdir, sizeof(mdir), "resume")) {
		fprintf(stderr, "integ_explore_coverage: not run: resume (no writable /var/tmp)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-resume"));
	snprintf(whole, sizeof(whole), "%s", fresh_dir("cov-whole"));
	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("cov-resume.json", NULL));
	snprintf(script, sizeof(script),
		 "'%s' explore --points occurrence -j 1 --seed 3 --timeout 20s --coverage '%s' -e sched_yield:error=EIO --json '%s' "
		 "-- '%s' '%s' 5 3:block-once & pid=$!; i=0; "
		 "while [ ! -e '%s/blocked-3' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; "
		 "kill -INT $pid; wait $pid; echo status=$?",
		 sf_test_sysfault(), dir, json, sf_test_target("marker_cov"), mdir, mdir);
	sf_proc_sh(&p, T, "%s", script);
	SF_ASSERT_PROC(sf_has_line(p.out, "status=130"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "sysfault: coverage: the gcov data of the 2 finished points is kept in ") == 1,
		       &p);
	const char *line = strstr(p.err, "to finish the campaign: ");
	SF_ASSERT_PROC(line && strstr(line, " --coverage ") && strstr(line, dir), &p);
	CU_ASSERT_EQUAL(access(json, F_OK), 0);
	char faults[600];
	snprintf(faults, sizeof(faults), "%s/faults.info", dir);
	CU_ASSERT_EQUAL(access(faults, F_OK), -1);   /* written once the campaign is finished */
	sf_proc_release(&p);

	/* another directory than the interrupted campaign's: refused, nothing run */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", json, "--coverage", whole, NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "it does not hold the gcov data of the 2 finished points") != NULL, &p);
	CU_ASSERT_EQUAL(access(whole, F_OK), -1);
	sf_proc_release(&p);

	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", json, "-j", "2", "--coverage", dir, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(strstr(p.err, "sysfault: 5 points: 0 ok, 5 failure, ") != NULL, &p);
	sf_proc_release(&p);
	/* the same campaign uninterrupted (blocked-3 is there now: nothing blocks) */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "3",
		     "--timeout", "20s", "--coverage", whole, "-e", "sched_yield:error=EIO", "--", sf_test_target("marker_cov"), mdir,
		     "5", "3:block-once", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
	char *resumed = read_in(dir, "faults.info"), *fresh = read_in(whole, "faults.info");
	CU_ASSERT_PTR_NOT_NULL_FATAL(resumed);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fresh);
	if (strcmp(resumed, fresh))
		fprintf(stderr, "\n--- resumed:\n%s--- uninterrupted:\n%s---\n", resumed, fresh);
	CU_ASSERT_STRING_EQUAL(resumed, fresh);
	CU_ASSERT_PTR_NOT_NULL(strstr(resumed, "\nFNDA:5,main\n"));   /* one run of each point, no more */
	free(resumed);
	free(fresh);
	remove_tree(mdir);
}

/* A point whose first run crashes is run again; its data counts once that run ends, as the others'. */
static void test_explore_coverage__a_confirming_run_counts_with_its_point(void)
{
	char mdir[512], dir[512];
	struct sf_proc p;

	if (!marker_dir(mdir, sizeof(mdir), "flaky")) {
		fprintf(stderr, "integ_explore_coverage: not run: a confirming run counts (no writable /var/tmp)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-flaky"));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "1",
		     "--coverage", dir, "-e", "sched_yield:error=EIO", "--", sf_test_target("marker_cov"), mdir, "3",
		     "2:crash-once", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, ", 1 flaky; 0 findings;"), &p);
	sf_proc_release(&p);
	char *faults = read_in(dir, "faults.info");
	CU_ASSERT_PTR_NOT_NULL_FATAL(faults);
	/* points 1 and 3, and point 2's second run: its first was killed by SIGSEGV and wrote nothing */
	if (!strstr(faults, "\nFNDA:3,main\n"))
		fprintf(stderr, "\n--- faults.info:\n%s---\n", faults);
	CU_ASSERT_PTR_NOT_NULL(strstr(faults, "\nFNDA:3,main\n"));
	free(faults);
	remove_tree(mdir);
}

/* ---- the run option it relies on ---- */

static void test_explore_coverage__ignore_dir_hides_calls_from_every_rule(void)
{
	char dir[512], in[600], open_in[700], open_fd[700];
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "%s", fresh_dir("cov-ignored"));
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(in, sizeof(in), "%s/in", dir);
	FILE *f = fopen(in, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("x\n", f);
	fclose(f);
	snprintf(open_in, sizeof(open_in), "open:%s", in);
	snprintf(open_fd, sizeof(open_fd), "open@5:%s", in);
	/* calls on the file in DIR are not counted: the other file's open is the 1st, its read the 1st */
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-q", "--summary", "none", "--ignore-dir", dir,
		     "--loader-calls", "skip", "-e", "openat:error=ENOENT:when=1", "-e", "read:error=EIO:when=1",
		     "--", sf_test_target("filter_calls"), open_in, "open:/dev/null", open_fd, "read:5",
		     "open@6:/dev/null", "read:6", NULL);
	SF_ASSERT_OUTCOMES(&p, "step", "ok ENOENT ok ok ok EIO");
	sf_proc_release(&p);
	REFUSED("sysfault: --ignore-dir '': ", "run", "--ignore-dir", "", "-e", "openat:error=EIO");
	remove_tree(dir);
}

/* ---- registration ---- */

struct coverage_test {
	const char *name;
	void (*run)(void);
	bool needs_lcov;
};

static const struct coverage_test tests[] = {
	{ "writes the tracefiles and html", test_explore_coverage__writes_the_tracefiles_and_html, true },
	{ "error branches are fault-only", test_explore_coverage__error_branches_are_fault_only, true },
	{ "untried handlers are never reached", test_explore_coverage__untried_handlers_are_never_reached, true },
	{ "the html marks the error branch covered", test_explore_coverage__the_html_marks_the_error_branch_covered, true },
	{ "gcov calls are no points", test_explore_coverage__gcov_calls_are_no_points, true },
	{ "j2 gives the counts of j1", test_explore_coverage__j2_gives_the_counts_of_j1, true },
	{ "without lcov nothing runs", test_explore_coverage__without_lcov_nothing_runs, false },
	{ "a target without instrumentation is one line",
	  test_explore_coverage__a_target_without_instrumentation_is_one_line, true },
	{ "a directory of other files is refused", test_explore_coverage__a_directory_of_other_files_is_refused, true },
	{ "resume adds to the interrupted data", test_explore_coverage__resume_adds_to_the_interrupted_data, true },
	{ "a confirming run counts with its point", test_explore_coverage__a_confirming_run_counts_with_its_point, true },
	{ "ignore-dir hides calls from every rule", test_explore_coverage__ignore_dir_hides_calls_from_every_rule, false },
};

/* Why lcov, genhtml or gcov-tool cannot be had here, or NULL. */
static const char *why_no_lcov(void)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "command -v lcov && command -v genhtml && command -v gcov-tool");
	int status = p.status;
	sf_proc_release(&p);
	return status == 0 ? NULL : "lcov, genhtml or gcov-tool not installed (apt-get install lcov)";
}

void sf_test_register_integ_explore_coverage(void)
{
	CU_pSuite s = CU_add_suite("integ_explore_coverage", NULL, NULL);
	const char *no_isolation = sf_test_explore_cannot_isolate();
	const char *no_lcov = why_no_lcov();

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const char *why = !tests[i].needs_lcov ? NULL : no_lcov ? no_lcov : no_isolation;
		if (!why)
			CU_add_test(s, tests[i].name, tests[i].run);
		else
			fprintf(stderr, "integ_explore_coverage: not run: %s (%s)\n", tests[i].name, why);
	}
}
