/*
 * integ_explore_resume: a campaign interrupted by SIGINT leaves a valid
 * report of the points it finished, marked incomplete, and exits 130;
 * `--resume` finishes it into the report an uninterrupted campaign writes;
 * resume refuses another campaign's report, merge an incomplete one.  A
 * crash that its second run does not repeat is flaky, not a finding.
 * The marker target's files live outside the working directory and /tmp,
 * which every run of a campaign sees as they were before it.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define T 60.0

/* A fresh directory for the marker target's files, outside /tmp and the working directory. */
static const char *marker_dir(const char *tag)
{
	static char ring[4][512];
	static unsigned next;
	char *dir = ring[next++ % 4];

	snprintf(dir, sizeof(ring[0]), "/var/tmp/sf-resume-%s-%d-XXXXXX", tag, (int)getpid());
	if (!mkdtemp(dir)) {
		/* no /var/tmp: the tests' own directory, which a sandboxed run may not see change */
		snprintf(dir, sizeof(ring[0]), "%s", sf_test_tmpfile(tag, NULL));
		CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	}
	return dir;
}

static void remove_dir(const char *dir)
{
	struct sf_proc p;
	sf_proc_sh(&p, T, "rm -rf '%s'", dir);
	sf_proc_release(&p);
}

/* TEXT without the lines that hold times (the campaign's and the clean run's seconds), malloc'd. */
static char *without_times(const char *text)
{
	char *out = calloc(1, strlen(text ? text : "") + 1);
	size_t n = 0;

	for (const char *s = text; out && s && *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) + 1 : strlen(s);
		if (strncmp(s, "\"seconds\":", 10) && strncmp(s, "\"clean\":", 8)) {
			memcpy(out + n, s, len);
			n += len;
		}
		s += len;
	}
	return out;
}

/* ---- interrupt and resume ---- */

/* One campaign of 6 points interrupted by SIGINT while the 4th runs, made once. */
struct partial {
	char dir[512], json[512], junit[512], copy[512];
	int status;          /* of explore */
	char *err;           /* its stderr */
	char *text;          /* the report as it was left */
};

static const char *marker(void)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s", sf_test_target("marker"));
	return path;
}

static const struct partial *partial_made;

static const struct partial *partial(void)
{
	static struct partial c;
	struct sf_proc p;

	if (partial_made)
		return partial_made;
	partial_made = &c;
	snprintf(c.dir, sizeof(c.dir), "%s", marker_dir("partial"));
	snprintf(c.json, sizeof(c.json), "%s", sf_test_tmpfile("partial.json", NULL));
	snprintf(c.junit, sizeof(c.junit), "%s", sf_test_tmpfile("partial.xml", NULL));
	snprintf(c.copy, sizeof(c.copy), "%s", sf_test_tmpfile("partial-copy.json", NULL));
	/* -j 1: points 1 to 3 are done when the 4th blocks, and SIGINT comes */
	sf_proc_sh(&p, T, "%s explore --points occurrence -j 1 --seed 3 --timeout 20s -e sched_yield:error=EIO --json %s --junit %s "
		   "-- %s %s 6 4:block-once & pid=$!; i=0; "
		   "while [ ! -e %s/blocked-4 ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; "
		   "kill -INT $pid; wait $pid; echo status=$?; cp %s %s",
		   sf_test_sysfault(), c.json, c.junit, marker(), c.dir, c.dir, c.json, c.copy);
	const char *at = strstr(p.out ? p.out : "", "status=");
	c.status = at ? atoi(at + 7) : -1;
	c.err = strdup(p.err ? p.err : "");
	c.text = sf_read_file(c.copy);
	sf_proc_release(&p);
	return &c;
}

static void test_explore_resume__sigint_leaves_a_valid_partial_report(void)
{
	const struct partial *c = partial();

	if (c->status != 130)
		fprintf(stderr, "\n--- stderr:\n%s---\n", c->err);
	CU_ASSERT_EQUAL(c->status, 130);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->text);
	CU_ASSERT(sf_json_valid(c->text, strlen(c->text)));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->text, "\n\"complete\":false,\n"));
	/* the finished points with their outcomes; the one in flight and the rest pending */
	CU_ASSERT_EQUAL(sf_count_lines_with(c->text, "\"outcome\":\"failure\""), 3);
	CU_ASSERT_EQUAL(sf_count_lines_with(c->text, "\"outcome\":"), 3);
	CU_ASSERT_EQUAL(sf_count_lines_with(c->text, "{\"index\":"), 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(c->text, "{\"index\":4,\"point\":\"1/0:sched_yield:4:r1\","));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->text, "\"totals\":{\"points\":3,"));
	/* one line says how to finish it */
	CU_ASSERT_EQUAL(sf_count_lines_with(c->err, "sysfault: interrupted by SIGINT: 3 of 6 points done; "
					    "to finish the campaign: "), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(c->err, " explore --resume "), 1);
	/* JUnit: the pending points are skipped testcases */
	char *xml = sf_read_file(c->junit);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "tests=\"6\" failures=\"0\" errors=\"0\" skipped=\"3\""));
	CU_ASSERT_EQUAL(sf_count_lines_with(xml, "<skipped message=\"pending: "), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<property name=\"complete\" value=\"false\"/>"));
	free(xml);
}

static void test_explore_resume__resume_finishes_it_as_an_uninterrupted_campaign(void)
{
	const struct partial *c = partial();
	char whole[512];
	struct sf_proc p;

	CU_ASSERT_EQUAL_FATAL(c->status, 130);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", c->json, "-j", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);   /* handled failures only */
	SF_ASSERT_PROC(strstr(p.err, "sysfault: 6 points: 0 ok, 6 failure, ") != NULL, &p);
	sf_proc_release(&p);
	/* the same campaign without interruption (the marker is there now: nothing blocks) */
	snprintf(whole, sizeof(whole), "%s", sf_test_tmpfile("whole.json", NULL));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "3", "--timeout", "20s",
		     "-e", "sched_yield:error=EIO", "--json", whole, "--", marker(), c->dir, "6", "4:block-once", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);

	char *resumed = sf_read_file(c->json), *fresh = sf_read_file(whole);
	CU_ASSERT_PTR_NOT_NULL_FATAL(resumed);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fresh);
	char *a = without_times(resumed), *b = without_times(fresh);
	if (strcmp(a, b))
		fprintf(stderr, "\n--- resumed:\n%s--- uninterrupted:\n%s---\n", a, b);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_NULL(strstr(resumed, "\n\"complete\":true,\n\"pending\":[],\n"));
	free(a); free(b); free(resumed); free(fresh);
}

static void test_explore_resume__resume_refuses_the_report_of_another_campaign(void)
{
	const char *dir = marker_dir("other");
	char json[512], cmd_dir[512];
	struct sf_proc p;

	snprintf(cmd_dir, sizeof(cmd_dir), "%s", dir);
	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("other.json", NULL));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "--seed", "1", "-e", "sched_yield:error=EIO",
		     "--json", json, "--", marker(), cmd_dir, "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
	/* another command: one line, 125, nothing run */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", json, "-e", "sched_yield:error=EIO",
		     "--", marker(), cmd_dir, "3", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "the report explores another command") != NULL, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", json, "--seed", "2", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "another seed (1)") != NULL, &p);
	sf_proc_release(&p);
	/* no report at all */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", "/nonexistent/sf.json", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	sf_proc_release(&p);
	remove_dir(cmd_dir);
}

static void test_explore_resume__merge_refuses_an_incomplete_report(void)
{
	const struct partial *c = partial();
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c->text);
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", c->copy, NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, "is the report of an interrupted campaign (3 points pending)") != NULL, &p);
	sf_proc_release(&p);
}

/* ---- findings confirmed ---- */

static void test_explore_resume__a_crash_not_repeated_is_flaky_and_no_finding(void)
{
	const char *d = marker_dir("flaky");
	char dir[512], json[512], xml[512];
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "%s", d);
	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("flaky.json", NULL));
	snprintf(xml, sizeof(xml), "%s", sf_test_tmpfile("flaky.xml", NULL));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "1", "-e", "sched_yield:error=EIO",
		     "--json", json, "--junit", xml, "--", marker(), dir, "3", "2:crash-once", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);   /* flaky is not in the default --fail-on */
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: flaky: crash: SIGSEGV at 1/0:sched_yield:2:r1, then failure when run again (sched_yield in ") == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, ", 1 flaky; 0 findings;") != NULL, &p);
	sf_proc_release(&p);
	char *text = sf_read_file(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"flaky\",\"runs\":[\"crash\",\"failure\"],\"exit_status\":139,\"signal\":\"SIGSEGV\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"flaky\":1,\"findings\":0}"));
	free(text);
	char *junit = sf_read_file(xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(junit);
	CU_ASSERT_PTR_NOT_NULL(strstr(junit, "failures=\"0\""));
	CU_ASSERT_EQUAL(sf_count_lines_with(junit, "<flakyFailure message=\"flaky: crash: SIGSEGV at 1/0:sched_yield:2:r1, then failure when run again\" type=\"crash\">"), 1);
	free(junit);

	/* --fail-on flaky opts in (a fresh directory: the crash happens once more) */
	remove_dir(dir);
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "--fail-on", "crash,flaky", "--seed", "1",
		     "-e", "sched_yield:error=EIO", "--", marker(), dir, "3", "2:crash-once", NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: flaky: crash: SIGSEGV at 1/0:sched_yield:2:r1") == 1, &p);
	sf_proc_release(&p);
	remove_dir(dir);
}

static void test_explore_resume__a_crash_repeated_is_a_finding(void)
{
	const char *d = marker_dir("crash");
	char dir[512], json[512];
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "%s", d);
	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("crash.json", NULL));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "1", "-e", "sched_yield:error=EIO",
		     "--json", json, "--", marker(), dir, "3", "2:crash", NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: crash: SIGSEGV at 1/0:sched_yield:2:r1 (sched_yield in ") == 1, &p);
	SF_ASSERT_PROC(strstr(p.err, ", 0 flaky; 1 finding;") != NULL, &p);
	sf_proc_release(&p);
	char *text = sf_read_file(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"crash\",\"runs\":[\"crash\",\"crash\"]"), 1);
	/* points that need no confirmation ran once */
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"failure\",\"runs\":[\"failure\"]"), 2);
	free(text);
	remove_dir(dir);
}

/* The suite's cleanup: the partial campaign's marker directory, if it was made. */
static int remove_partial_dir(void)
{
	const struct partial *c = partial_made;

	if (c && c->dir[0])
		remove_dir(c->dir);
	return 0;
}

void sf_test_register_integ_explore_resume(void)
{
	CU_pSuite s = CU_add_suite("integ_explore_resume", NULL, remove_partial_dir);

	sf_test_add_explore(s, "sigint leaves a valid partial report", test_explore_resume__sigint_leaves_a_valid_partial_report);
	sf_test_add_explore(s, "merge refuses an incomplete report", test_explore_resume__merge_refuses_an_incomplete_report);
	sf_test_add_explore(s, "resume finishes it as an uninterrupted campaign",
		    test_explore_resume__resume_finishes_it_as_an_uninterrupted_campaign);
	sf_test_add_explore(s, "resume refuses the report of another campaign",
		    test_explore_resume__resume_refuses_the_report_of_another_campaign);
	sf_test_add_explore(s, "a crash not repeated is flaky and no finding",
		    test_explore_resume__a_crash_not_repeated_is_flaky_and_no_finding);
	sf_test_add_explore(s, "a crash repeated is a finding", test_explore_resume__a_crash_repeated_is_a_finding);
}
