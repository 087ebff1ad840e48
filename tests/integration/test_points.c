/*
 * Failure points through the command line: --record lists every call a
 * rule would act on, named by process lineage and thread, and injects
 * nothing; --point acts at exactly that call in a new run.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define T 30.0

static void test_points__record_names_parent_and_child_and_injects_nothing(void)
{
	const char *rec = sf_test_tmpfile("forker.rec", NULL);
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--record", rec, "-e", "getppid:error=EIO:when=2",
		     "--", sf_test_target("forker"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok ok ok");
	char *text = sf_read_file(rec);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"point\":\"1/0:getppid:2:r1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"point\":\"1.1/0:getppid:2:r1\""));
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"point\""), 2);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"result\""), 2);
	free(text);
	sf_proc_release(&p);
}

static void test_points__point_run_fails_only_that_call(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--point", "1.1/0:getppid:2:r1",
		     "-e", "getppid:error=EIO:when=2", "--", sf_test_target("forker"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	SF_ASSERT_PROC(strstr(p.err, "point 1.1/0:getppid:2:r1 reached and injected") != NULL, &p);
	sf_proc_release(&p);
}

static void test_points__point_not_reached_is_said(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json", "--point", "1.5/0:getppid:2:r1",
		     "-e", "getppid:error=EIO:when=2", "--", sf_test_target("forker"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "child", "ok ok ok");
	SF_ASSERT_PROC(strstr(p.err, "\"point_reached\":false") != NULL, &p);
	sf_proc_release(&p);
}

/*
 * A point run stops only the calls its point needs: here also getppid,
 * because rule 1, ahead of the point's rule on write, has a limit that its
 * getppid used up, so that rule 2 took the write in the record.
 */
static void test_points__an_earlier_limited_rule_is_still_counted(void)
{
	struct sf_proc p;
	const char *cfg = sf_test_tmpfile("limited.cfg",
		"rules = ( { syscalls = [ \"getppid\", \"write\" ]; error = \"EIO\"; limit = 1; },\n"
		"          { syscalls = \"write\"; error = \"ENOSPC\"; } );\n");

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--point", "1/0:write:1:r2", "--",
		     sf_test_target("calls"), "getppid,write", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ENOSPC ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok");
	SF_ASSERT_PROC(strstr(p.err, "point 1/0:write:1:r2 reached and injected") != NULL, &p);
	sf_proc_release(&p);
}

/* Past its point, a run still gives a call that runs first its result at the exit, then leaves the rest. */
static void test_points__past_the_point_the_calls_run_untouched(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:error=ENOSPC:call=run", "-e",
		     "getppid:error=EIO", "--point", "1/0:write:2:r1", "--", sf_test_target("calls"),
		     "getppid,write", "4", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ENOSPC ok ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok ok");
	sf_proc_release(&p);
}

static void test_points__bad_point_is_refused_and_nothing_runs(void)
{
	struct sf_proc p;
	const char *proof = sf_test_tmpfile("point-proof", NULL);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--point", "1/0:getppid:0:r1",
		     "-e", "getppid:error=EIO", "--", "touch", proof, NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1, &p);
	CU_ASSERT_NOT_EQUAL(access(proof, F_OK), 0);
	sf_proc_release(&p);
}

void sf_test_register_integ_points(void)
{
	CU_pSuite s = CU_add_suite("integ_points", NULL, NULL);

	CU_add_test(s, "record names parent and child and injects nothing",
		    test_points__record_names_parent_and_child_and_injects_nothing);
	CU_add_test(s, "point run fails only that call", test_points__point_run_fails_only_that_call);
	CU_add_test(s, "point not reached is said", test_points__point_not_reached_is_said);
	CU_add_test(s, "an earlier limited rule is still counted", test_points__an_earlier_limited_rule_is_still_counted);
	CU_add_test(s, "past the point the calls run untouched", test_points__past_the_point_the_calls_run_untouched);
	CU_add_test(s, "bad point is refused and nothing runs", test_points__bad_point_is_refused_and_nothing_runs);
}
