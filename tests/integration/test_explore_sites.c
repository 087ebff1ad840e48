/*
 * integ_explore_sites: explore by call site (README "Points by site") on
 * tests/targets/two_savers, whose save_a() and save_b() make the same
 * write through put(): one point per site however many calls each makes,
 * each named by its stack with file:line (function names only without
 * -g, module+offset when stripped, the same offsets), threads and forked children sites of their own, the
 * reproduction line failing that site's first call and no other, the
 * stack in the text, JSON and JUnit reports, and --resume holding a
 * campaign to its kind of points.
 */
#include <CUnit/CUnit.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define T 120.0

/* The "points" of the JSON report at PATH; NULL (and a failed assertion) when it cannot be read. */
static json_t *report_points(const char *path, json_t **doc)
{
	json_error_t err;

	*doc = json_load_file(path, 0, &err);
	if (!*doc)
		fprintf(stderr, "\n%s: %s\n", path, err.text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*doc);
	return json_object_get(*doc, "points");
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Frame I of point P's stack, or NULL. */
static const json_t *frame(const json_t *p, size_t i)
{
	return json_array_get(json_object_get(p, "stack"), i);
}

/* The point whose stack has function FN, or NULL. */
static const json_t *point_under(const json_t *points, const char *fn)
{
	for (size_t i = 0; i < json_array_size(points); i++) {
		const json_t *p = json_array_get(points, i);
		for (size_t k = 0; frame(p, k); k++)
			if (!strcmp(str(frame(p, k), "function"), fn))
				return p;
	}
	return NULL;
}

/* The offset of the frame of point P that is in a module whose file ends in MODULE, the K-th such. */
static json_int_t offset_in(const json_t *p, const char *module, unsigned k)
{
	for (size_t i = 0; frame(p, i); i++) {
		const char *m = str(frame(p, i), "module");
		size_t n = strlen(m), mn = strlen(module);
		if (n >= mn && !strcmp(m + n - mn, module) && k-- == 0)
			return json_integer_value(json_object_get(frame(p, i), "offset"));
	}
	return -1;
}

static void explore_savers(struct sf_proc *p, const char *json, const char *points, const char *target,
			   const char *s1, const char *s2, const char *s3)
{
	sf_proc_runl(p, T, sf_test_sysfault(), "explore", "-v", "-j", "2", "--seed", "1", "--points", points,
		     "--fail-on", "none", "--json", json, "-e", "write:error=EIO", "--",
		     sf_test_target(target), s1, s2, s3, NULL);
}

/* Runs the reproduction line of point P (a shell line): the call of FAILED, and no other, fails. */
static void assert_reproduction_fails(const json_t *p, const char *failed)
{
	struct sf_proc run;

	sf_proc_sh(&run, T, "%s", str(p, "reproduce"));
	SF_ASSERT_PROC(sf_has_line(run.out, failed), &run);
	CU_ASSERT_EQUAL(sf_count_lines_with(run.out, "errno="), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, " reached and injected"));
	sf_proc_release(&run);
}

static void test_explore_sites__one_point_per_function_named_with_its_line(void)
{
	struct sf_proc p;
	json_t *doc;
	const char *json = sf_test_tmpfile("sites-g.json", NULL);

	explore_savers(&p, json, "site", "two_savers", "a:1000", "b:1000", "a:3");
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *points = report_points(json, &doc);
	CU_ASSERT_STRING_EQUAL(str(doc, "points_by"), "site");
	CU_ASSERT_EQUAL(json_array_size(points), 2);
	const json_t *a = point_under(points, "save_a"), *b = point_under(points, "save_b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_EQUAL(a, b);
	CU_ASSERT(!strncmp(str(b, "point"), "site:", 5));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "occurrence")), 1001);
	/* Innermost first: the write, put() at its line, then save_b() where it calls put(). */
	const json_t *put = frame(b, 1), *save_b = frame(b, 2);
	CU_ASSERT_STRING_EQUAL(str(put, "function"), "put");
	CU_ASSERT_STRING_EQUAL(str(save_b, "function"), "save_b");
	CU_ASSERT_PTR_NOT_NULL(strstr(str(save_b, "file"), "two_savers.c"));
	CU_ASSERT(json_integer_value(json_object_get(save_b, "line")) > 0);
	/* Its reproduction fails save_b's first write, not save_a's, not save_b's later ones. */
	assert_reproduction_fails(b, "main b 1 ret=-1 errno=EIO");
	json_decref(doc);
	sf_proc_release(&p);
}

static void test_explore_sites__occurrence_keeps_a_point_per_call(void)
{
	struct sf_proc p;
	json_t *doc;
	const char *json = sf_test_tmpfile("sites-occ.json", NULL);

	explore_savers(&p, json, "occurrence", "two_savers", "a:20", "b:20", "a:3");
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *points = report_points(json, &doc);
	CU_ASSERT_STRING_EQUAL(str(doc, "points_by"), "occurrence");
	CU_ASSERT_EQUAL(json_array_size(points), 43);
	CU_ASSERT_STRING_EQUAL(str(json_array_get(points, 0), "point"), "1/0:write:1:r1");
	CU_ASSERT(json_is_null(json_object_get(json_array_get(points, 0), "stack")));
	json_decref(doc);
	sf_proc_release(&p);
}

/* Stripped: module+offset frames, the same offsets as the -g build, and the same two points. */
static void test_explore_sites__stripped_and_static_copies(void)
{
	struct sf_proc p, g;
	json_t *doc, *gdoc;
	const char *json = sf_test_tmpfile("sites-stripped.json", NULL);
	const char *gjson = sf_test_tmpfile("sites-g2.json", NULL);

	explore_savers(&g, gjson, "site", "two_savers", "a:5", "b:5", "a:1");
	explore_savers(&p, json, "site", "two_savers_stripped", "a:5", "b:5", "a:1");
	SF_ASSERT_PROC(p.status == 0 && g.status == 0, &p);
	json_t *points = report_points(json, &doc), *gpoints = report_points(gjson, &gdoc);
	CU_ASSERT_EQUAL_FATAL(json_array_size(points), 2);
	const json_t *first = json_array_get(points, 0), *gfirst = point_under(gpoints, "save_a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(gfirst);
	CU_ASSERT(json_is_null(json_object_get(frame(first, 1), "function")));
	for (unsigned k = 0; k < 2; k++) {
		json_int_t off = offset_in(first, "two_savers_stripped", k);
		CU_ASSERT(off > 0);
		CU_ASSERT_EQUAL(off, offset_in(gfirst, "two_savers", k));
	}
	assert_reproduction_fails(json_array_get(points, 1), "main b 1 ret=-1 errno=EIO");
	json_decref(doc);
	json_decref(gdoc);
	sf_proc_release(&p);
	sf_proc_release(&g);

	const char *sjson = sf_test_tmpfile("sites-static.json", NULL);
	explore_savers(&p, sjson, "site", "two_savers_static", "a:5", "b:5", "a:1");
	SF_ASSERT_PROC(p.status == 0, &p);
	points = report_points(sjson, &doc);
	CU_ASSERT_EQUAL(json_array_size(points), 2);
	const json_t *b = point_under(points, "save_b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	assert_reproduction_fails(b, "main b 1 ret=-1 errno=EIO");
	json_decref(doc);
	sf_proc_release(&p);
}

/* Without -g: the functions by name, no file:line (the C library's own frames may have theirs). */
static void test_explore_sites__without_debug_information(void)
{
	struct sf_proc p;
	json_t *doc;
	const char *json = sf_test_tmpfile("sites-nodebug.json", NULL);

	explore_savers(&p, json, "site", "two_savers_nodebug", "a:5", "b:5", "a:1");
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *points = report_points(json, &doc);
	CU_ASSERT_EQUAL(json_array_size(points), 2);
	const json_t *b = point_under(points, "save_b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_STRING_EQUAL(str(frame(b, 1), "function"), "put");
	CU_ASSERT(json_is_null(json_object_get(frame(b, 1), "file")));
	CU_ASSERT(json_is_null(json_object_get(frame(b, 2), "line")));
	json_decref(doc);
	sf_proc_release(&p);
}

/* A thread and a forked child reach put() by other stacks: sites of their own, failed there. */
static void test_explore_sites__threads_and_children_are_sites_of_their_own(void)
{
	struct sf_proc p;
	json_t *doc;
	const char *json = sf_test_tmpfile("sites-tree.json", NULL);

	explore_savers(&p, json, "site", "two_savers", "thread:a:3", "fork:b:3", "b:2");
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *points = report_points(json, &doc);
	CU_ASSERT_EQUAL_FATAL(json_array_size(points), 3);
	const json_t *child = NULL;
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(str(json_array_get(points, i), "lineage"), "1.1"))
			child = json_array_get(points, i);
	CU_ASSERT_PTR_NOT_NULL_FATAL(child);
	assert_reproduction_fails(child, "child b 1 ret=-1 errno=EIO");
	const json_t *thread = point_under(points, "start_thread");
	CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
	assert_reproduction_fails(thread, "thread a 1 ret=-1 errno=EIO");
	json_decref(doc);
	sf_proc_release(&p);
}

/* A finding's stack in the text and JUnit reports; a site that never comes is unreached. */
static void test_explore_sites__junit_carries_the_stack(void)
{
	struct sf_proc p;
	const char *junit = sf_test_tmpfile("sites.xml", NULL);

	/* The shell fails when two_savers reports an error: a finding per site. */
	sf_proc_sh(&p, T, "'%s' explore -q -j 2 --seed 1 --junit '%s' -e write:error=EIO -- "
		   "sh -c '! %s a:3 b:3 | grep -q errno'", sf_test_sysfault(), junit, sf_test_target("two_savers"));
	CU_ASSERT_EQUAL(p.status, 0);   /* failure is no finding by default */
	sf_proc_release(&p);
	sf_proc_sh(&p, T, "'%s' explore -q -j 2 --seed 1 --fail-on failure --junit '%s' -e write:error=EIO -- "
		   "sh -c '! %s a:3 b:3 | grep -q errno'", sf_test_sysfault(), junit, sf_test_target("two_savers"));
	SF_ASSERT_PROC(p.status == 1, &p);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.err, "sysfault: failure: exit status 1"), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.err, "sysfault:   #2 save_b (tests/targets/two_savers.c:"), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.err, "sysfault:   #2 save_a (tests/targets/two_savers.c:"), 1);
	char *xml = sf_read_file(junit);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	CU_ASSERT_EQUAL(sf_count_lines_with(xml, "--- stack of the failed call ---"), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(xml, "#2 save_b (tests/targets/two_savers.c:"), 1);
	free(xml);
	sf_proc_release(&p);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:error=EIO", "--point",
		     "site:0123456789abcdef:write:r1", "--", sf_test_target("two_savers"), "a:2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.out, "errno="), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "site:0123456789abcdef:write:r1 not reached"));
	sf_proc_release(&p);
}

static void test_explore_sites__resume_keeps_the_kind_of_points(void)
{
	struct sf_proc p;
	const char *json = sf_test_tmpfile("sites-resume.json", NULL);

	explore_savers(&p, json, "site", "two_savers", "a:2", "b:2", "a:1");
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--resume", json, "--points", "occurrence", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "has a point per site (--points site)"));
	sf_proc_release(&p);
	REFUSED("sysfault: --points 'line'", "explore", "--points", "line", "-e", "write:error=EIO", "--", "true");
	REFUSED("sysfault: points by site are for a record run", "run", "--points", "site", "--", "true");
}

void sf_test_register_explore_sites(void)
{
	CU_pSuite s = CU_add_suite("integ_explore_sites", NULL, NULL);

	sf_test_add_explore(s, "one point per function, named with its line",
			    test_explore_sites__one_point_per_function_named_with_its_line);
	sf_test_add_explore(s, "occurrence keeps a point per call", test_explore_sites__occurrence_keeps_a_point_per_call);
	sf_test_add_explore(s, "stripped and static copies", test_explore_sites__stripped_and_static_copies);
	sf_test_add_explore(s, "without debug information", test_explore_sites__without_debug_information);
	sf_test_add_explore(s, "threads and children are sites of their own",
			    test_explore_sites__threads_and_children_are_sites_of_their_own);
	sf_test_add_explore(s, "junit carries the stack", test_explore_sites__junit_carries_the_stack);
	sf_test_add_explore(s, "resume keeps the kind of points", test_explore_sites__resume_keeps_the_kind_of_points);
}
