/*
 * integ_explore: `sysfault explore` finds exactly the error-path bugs
 * planted in the buggy target, each with its class and syscall and no
 * false alarm; shards merged equal the whole campaign; the JSON and JUnit
 * reports have the documented shape; a finding's reproduction line, run
 * alone, fails the same way; usage mistakes are one line and exit 125.
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define T 60.0

/* The three rules of every campaign on buggy: its planted bugs sit behind each. */
#define BUGGY_RULES "-e", "openat:error=ENOENT", "-e", "read:error=EINTR", "-e", "write:error=EIO"

struct buggy_files {
	char cfg[512], in[512], out[512];
};

/* Fresh input files for buggy; a chunk of 4096 reads "hello" in one read and one at EOF. */
static void buggy_files(struct buggy_files *f, const char *tag)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.cfg", tag);
	snprintf(f->cfg, sizeof(f->cfg), "%s", sf_test_tmpfile(name, "4096\n"));
	snprintf(name, sizeof(name), "%s.in", tag);
	snprintf(f->in, sizeof(f->in), "%s", sf_test_tmpfile(name, "hello\n"));
	snprintf(name, sizeof(name), "%s.out", tag);
	snprintf(f->out, sizeof(f->out), "%s", sf_test_tmpfile(name, NULL));
}

/* Lines of TEXT holding every one of the NULL-terminated needles. */
static int count_lines_with_all(const char *text, const char *first, ...)
{
	const char *needles[8];
	int n = 0, count = 0;
	va_list ap;

	needles[n++] = first;
	va_start(ap, first);
	while (n < 7 && (needles[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	for (const char *s = text; s && *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = strndup(s, len);
		int all = 1;
		for (int i = 0; i < n; i++)
			all &= strstr(line, needles[i]) != NULL;
		count += all;
		free(line);
		s = e ? e + 1 : NULL;
	}
	return count;
}

/* The "points" array of a JSON report, as text (malloc'd), or NULL. */
static char *points_of(const char *json)
{
	const char *start = json ? strstr(json, "\"points\":[") : NULL;
	const char *end = start ? strstr(start, "\n],\n\"totals\"") : NULL;
	return end ? strndup(start, (size_t)(end - start)) : NULL;
}

/* The reproduction line printed after the finding that contains WHAT. */
static char *reproduction_of(const char *err, const char *what)
{
	const char *at = strstr(err, what);
	const char *line = at ? strstr(at, "sysfault:   reproduce: ") : NULL;
	if (!line)
		return NULL;
	line += strlen("sysfault:   reproduce: ");
	return strndup(line, strcspn(line, "\n"));
}

/* ---- the planted bugs ---- */

static void test_explore__finds_exactly_the_planted_bugs(void)
{
	struct buggy_files f;
	struct sf_proc p;
	const char *json = sf_test_tmpfile("planted.json", NULL);
	char json_path[512];

	snprintf(json_path, sizeof(json_path), "%s", json);
	buggy_files(&f, "planted");
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--timeout", "1s", "--seed", "7",
		     BUGGY_RULES, "--json", json_path, "--", sf_test_target("buggy"), f.cfg, f.in, f.out, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	/* a failed open of the config: NULL dereference */
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: crash: SIGSEGV at 1/0:openat:", "(openat in ", NULL) == 1, &p);
	/* a failed write of the output: abort() */
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: crash: SIGABRT at 1/0:write:", "(write in ", NULL) == 1, &p);
	/* EINTR on either read of the input (data, then end of file): waits forever */
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: hang: ", " at 1/0:read:", "(read in ", NULL) == 2, &p);
	/* nothing else: every other point is handled (ok or a clean failure) */
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault:   reproduce: ") == 4, &p);
	SF_ASSERT_PROC(strstr(p.err, "; 4 findings; seed 7\n") != NULL, &p);

	char *text = sf_read_file(json_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT(sf_json_valid(text, strlen(text)));
	CU_ASSERT_EQUAL(count_lines_with_all(text, "\"syscall\":\"openat\"", "\"outcome\":\"crash\"", "\"signal\":\"SIGSEGV\"", NULL), 1);
	CU_ASSERT_EQUAL(count_lines_with_all(text, "\"syscall\":\"write\"", "\"outcome\":\"crash\"", "\"signal\":\"SIGABRT\"", NULL), 1);
	CU_ASSERT_EQUAL(count_lines_with_all(text, "\"syscall\":\"read\"", "\"outcome\":\"hang\"", "\"exit_status\":124", NULL), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"crash\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"hang\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"sanitizer\""), 0);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"outcome\":\"unreached\""), 0);
	/* correct handling is seen too: the missing input is a clean failure */
	CU_ASSERT_EQUAL(count_lines_with_all(text, "\"outcome\":\"failure\"", "buggy: cannot open ", NULL), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"findings\":4}"));
	free(text);
	sf_proc_release(&p);
}

static void test_explore__a_reproduction_line_run_alone_fails_the_same_way(void)
{
	struct buggy_files f;
	struct sf_proc p, r;

	buggy_files(&f, "repro");
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "3",
		     "-e", "openat:error=ENOENT", "-e", "write:error=EIO",
		     "--", sf_test_target("buggy"), f.cfg, f.in, f.out, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	char *segv = reproduction_of(p.err, "crash: SIGSEGV at ");
	char *abrt = reproduction_of(p.err, "crash: SIGABRT at ");
	SF_ASSERT_PROC(segv && abrt, &p);
	if (segv && abrt) {
		sf_proc_sh(&r, T, "%s", segv);
		SF_ASSERT_PROC(r.status == 128 + 11, &r);   /* SIGSEGV */
		SF_ASSERT_PROC(strstr(r.err, "reached and injected") != NULL, &r);
		sf_proc_release(&r);
		sf_proc_sh(&r, T, "%s", abrt);
		SF_ASSERT_PROC(r.status == 128 + 6, &r);    /* SIGABRT */
		sf_proc_release(&r);
	}
	free(segv);
	free(abrt);
	sf_proc_release(&p);
}

/* ---- sharding ---- */

/* Explores buggy (no hangs, so it is quick) with EXTRA options, into JSON. */
static char *explore_json(const struct buggy_files *f, const char *name, const char *jobs,
			  const char *shard, int *status)
{
	char json[512];
	struct sf_proc p;

	snprintf(json, sizeof(json), "%s", sf_test_tmpfile(name, NULL));
	if (shard)
		sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "-j", jobs, "--seed", "11",
			     "-e", "openat:error=ENOENT", "-e", "write:error=EIO", "--shard", shard,
			     "--json", json, "--", sf_test_target("buggy"), f->cfg, f->in, f->out, NULL);
	else
		sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "-j", jobs, "--seed", "11",
			     "-e", "openat:error=ENOENT", "-e", "write:error=EIO",
			     "--json", json, "--", sf_test_target("buggy"), f->cfg, f->in, f->out, NULL);
	*status = p.status;
	SF_ASSERT_PROC(p.status == 1, &p);
	sf_proc_release(&p);
	return strdup(json);
}

static void test_explore__merged_shards_equal_the_whole_campaign(void)
{
	struct buggy_files f;
	struct sf_proc p;
	int status;

	buggy_files(&f, "shard");
	char *whole = explore_json(&f, "whole.json", "2", NULL, &status);
	char *s1 = explore_json(&f, "shard1.json", "2", "1/2", &status);
	char *s2 = explore_json(&f, "shard2.json", "1", "2/2", &status);
	char merged[512], junit[512];
	snprintf(merged, sizeof(merged), "%s", sf_test_tmpfile("merged.json", NULL));
	snprintf(junit, sizeof(junit), "%s", sf_test_tmpfile("merged.xml", NULL));

	/* given in any order */
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", "--json", merged, "--junit", junit, s2, s1, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);   /* the crashes are findings */
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault:   reproduce: ") == 2, &p);
	sf_proc_release(&p);

	char *tw = sf_read_file(whole), *t1 = sf_read_file(s1), *t2 = sf_read_file(s2), *tm = sf_read_file(merged);
	char *pw = points_of(tw), *p1 = points_of(t1), *p2 = points_of(t2), *pm = points_of(tm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
	CU_ASSERT_STRING_EQUAL(pm, pw);
	/* each shard ran part of the points, and together all of them */
	int n1 = sf_count_lines_with(p1, "\"index\":"), n2 = sf_count_lines_with(p2, "\"index\":");
	CU_ASSERT(n1 > 0 && n2 > 0);
	CU_ASSERT_EQUAL(n1 + n2, sf_count_lines_with(pw, "\"index\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t1, "\"shard\":\"1/2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(tm, "\"shard\":null"));
	CU_ASSERT(sf_json_valid(tm, strlen(tm)));

	/* a shard missing or given twice is refused */
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", s1, NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 && strstr(p.err, "shard 2/2 is missing"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", s1, s1, s2, NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	sf_proc_release(&p);

	free(pw); free(p1); free(p2); free(pm);
	free(tw); free(t1); free(t2); free(tm);
	free(whole); free(s1); free(s2);
}

static void test_explore__jobs_do_not_change_the_outcomes(void)
{
	struct buggy_files f;
	int status;

	buggy_files(&f, "jobs");
	char *one = explore_json(&f, "j1.json", "1", NULL, &status);
	char *two = explore_json(&f, "j2.json", "2", NULL, &status);
	char *t1 = sf_read_file(one), *t2 = sf_read_file(two);
	char *p1 = points_of(t1), *p2 = points_of(t2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p2);
	CU_ASSERT_STRING_EQUAL(p1, p2);
	free(p1); free(p2); free(t1); free(t2); free(one); free(two);
}

/* ---- reports ---- */

static void test_explore__junit_is_well_formed_with_one_testcase_per_point(void)
{
	struct buggy_files f;
	struct sf_proc p;
	char xml[512];

	buggy_files(&f, "junit");
	snprintf(xml, sizeof(xml), "%s", sf_test_tmpfile("report.xml", NULL));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "5",
		     "-e", "openat:error=ENOENT", "-e", "write:error=EIO", "--junit", xml,
		     "--", sf_test_target("buggy"), f.cfg, f.in, f.out, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	sf_proc_release(&p);

	char *text = sf_read_file(xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	char total[32];
	int cases = sf_count_lines_with(text, "<testcase classname=\"sysfault.explore\" name=\"1/0:");
	snprintf(total, sizeof(total), "tests=\"%d\"", cases);
	CU_ASSERT(cases > 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, total));
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "<failure message=\"crash: SIGSEGV at 1/0:openat:"), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "<failure message=\"crash: SIGABRT at 1/0:write:"), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "<failure "), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "--- reproduce ---"), 2);
	free(text);

	/* a real XML parser accepts it (CI installs python3; said so by name without it) */
	sf_proc_sh(&p, T, "command -v python3 >/dev/null || { echo no-python3; exit 0; }; python3 -c '"
		   "import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); "
		   "print(len(d.getElementsByTagName(\"testcase\")))' %s", xml);
	SF_ASSERT_PROC(p.status == 0, &p);
	if (!strcmp(p.out, "no-python3\n"))
		fprintf(stderr, "integ_explore: not run: JUnit report read by python3's XML parser "
			"(python3 not found)\n");
	else
		SF_ASSERT_PROC(atoi(p.out) == cases, &p);
	sf_proc_release(&p);
}

/* ---- outcomes beyond the planted bugs ---- */

static void test_explore__a_point_not_reached_is_unreached_never_ok(void)
{
	const char *flag = sf_test_tmpfile("ran-once", NULL);
	char script[1024];
	struct sf_proc p;

	/*
	 * The first run calls getppid twice; every later run calls nothing.
	 * --no-isolate: the runs must share /tmp to see the clean run's flag.
	 */
	snprintf(script, sizeof(script), "[ -e %s ] && exit 0; : > %s; exec %s getppid 2",
		 flag, flag, sf_test_target("calls"));
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "--no-isolate", "-j", "2", "--seed", "1",
		     "-e", "getppid:error=EIO", "--", "/bin/sh", "-c", script, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);   /* unreached is not a finding by default */
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: unreached: ", "(getppid in ", NULL) >= 2, &p);
	SF_ASSERT_PROC(strstr(p.err, " 0 findings;") != NULL, &p);
	sf_proc_release(&p);

	unlink(flag);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "--no-isolate", "-q", "--fail-on", "unreached",
		     "--seed", "1", "-e", "getppid:error=EIO", "--", "/bin/sh", "-c", script, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	sf_proc_release(&p);
}

static void test_explore__a_crash_in_a_child_process_is_a_crash(void)
{
	struct buggy_files f;
	char script[2048];
	struct sf_proc p;

	buggy_files(&f, "child");
	/* the shell exits 0 whatever buggy does */
	snprintf(script, sizeof(script), "%s %s %s %s; exit 0", sf_test_target("buggy"), f.cfg, f.in, f.out);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "2",
		     "-e", "write:error=EIO", "--", "/bin/sh", "-c", script, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: crash: SIGABRT at 1.1/0:write:", NULL) == 1, &p);
	sf_proc_release(&p);
}

static void test_explore__sanitizer_output_with_a_clean_exit_is_a_finding(void)
{
	char script[1024];
	struct sf_proc p;

	/* cat failing for any reason makes the shell print an UBSan report, then exit 0 */
	snprintf(script, sizeof(script), "cat /etc/hostname > /dev/null || "
		 "echo 'x.c:1:1: runtime error: load of null pointer' >&2; exit 0");
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--seed", "4",
		     "-e", "read:error=EIO", "--", "/bin/sh", "-c", script, NULL);
	SF_ASSERT_PROC(p.status == 1, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: sanitizer: ") >= 1, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: crash: ") == 0, &p);
	sf_proc_release(&p);
}

/* ---- usage ---- */


static void test_explore__usage_mistakes_are_one_line_and_125(void)
{
	REFUSED("sysfault: explore needs rules", "explore");
	REFUSED("sysfault: --shard '3/2'", "explore", "-e", "write:error=EIO", "--shard", "3/2");
	REFUSED("sysfault: --fail-on 'crash,bogus'", "explore", "-e", "write:error=EIO", "--fail-on", "crash,bogus");
	REFUSED("sysfault: -j '0'", "explore", "-e", "write:error=EIO", "-j", "0");
	REFUSED("sysfault: --timeout 'soon'", "explore", "-e", "write:error=EIO", "--timeout", "soon");
	REFUSED("sysfault: --max-points 'x'", "explore", "-e", "write:error=EIO", "--max-points", "x");
	REFUSED("sysfault: -e 'wirte:error=EIO'", "explore", "-e", "wirte:error=EIO");
	REFUSED("sysfault: option '--bogus'", "explore", "--bogus", "-e", "write:error=EIO");

	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-e", "write:error=EIO", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 && strstr(p.err, "see 'sysfault --help'"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "merge", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-e", "write:error=EIO", "--",
		     "/nonexistent/sf-no-such-command", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	sf_proc_release(&p);
}

static void test_explore__max_points_and_dedup_narrow_the_campaign(void)
{
	struct buggy_files f;
	struct sf_proc p;

	buggy_files(&f, "narrow");
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "--max-points", "2", "--seed", "1",
		     "-e", "openat:error=ENOENT", "--", sf_test_target("buggy"), f.cfg, f.in, f.out, NULL);
	SF_ASSERT_PROC(strstr(p.err, "sysfault: 2 points: ") != NULL, &p);
	sf_proc_release(&p);
	/* every read of the input returns a different count; the config's 0 and the input's 0 are alike */
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "--dedup", "-v", "--seed", "1", "--timeout", "1s",
		     "-e", "read:error=EINTR", "--", sf_test_target("buggy"), f.cfg, f.in, f.out, NULL);
	SF_ASSERT_PROC(strstr(p.err, "points recorded, ") != NULL, &p);
	SF_ASSERT_PROC(count_lines_with_all(p.err, "sysfault: hang: ", NULL) == 1, &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_explore(void)
{
	CU_pSuite s = CU_add_suite("integ_explore", NULL, NULL);

	sf_test_add_explore(s, "finds exactly the planted bugs", test_explore__finds_exactly_the_planted_bugs);
	sf_test_add_explore(s, "a reproduction line run alone fails the same way",
		    test_explore__a_reproduction_line_run_alone_fails_the_same_way);
	sf_test_add_explore(s, "merged shards equal the whole campaign", test_explore__merged_shards_equal_the_whole_campaign);
	sf_test_add_explore(s, "jobs do not change the outcomes", test_explore__jobs_do_not_change_the_outcomes);
	sf_test_add_explore(s, "junit is well formed with one testcase per point",
		    test_explore__junit_is_well_formed_with_one_testcase_per_point);
	sf_test_add_explore(s, "a point not reached is unreached, never ok",
		    test_explore__a_point_not_reached_is_unreached_never_ok);
	sf_test_add_explore(s, "a crash in a child process is a crash", test_explore__a_crash_in_a_child_process_is_a_crash);
	sf_test_add_explore(s, "sanitizer output with a clean exit is a finding",
		    test_explore__sanitizer_output_with_a_clean_exit_is_a_finding);
	CU_add_test(s, "usage mistakes are one line and 125", test_explore__usage_mistakes_are_one_line_and_125);
	sf_test_add_explore(s, "max-points and dedup narrow the campaign",
		    test_explore__max_points_and_dedup_narrow_the_campaign);
}
