/*
 * integ_loader: calls made from the dynamic loader's own code (ld.so, the
 * executable's PT_INTERP) are skipped by scenario-file rules and by
 * explore, and counted by -e rules as strace counts them (README,
 * "Counting"); `loader_calls` and --loader-calls choose otherwise.  The
 * loader's calls stay skipped in dlopen, in threads, in forked children
 * and after an exec; a static program has none.
 */
#include "harness.h"

#include <stdlib.h>

#define T 30.0

/* Every openat fails; what the rule does with the loader's is the file's KEYS. */
static const char *openat_file(const char *name, const char *top, const char *rule)
{
	char text[512];

	snprintf(text, sizeof(text), "%s\nrules = ( { syscalls = \"openat\"; error = \"ENOENT\"; %s } );\n",
		 top, rule);
	return sf_test_tmpfile(name, text);
}

/* ld.so gave up: what a failed libc.so.6 open or read ends in (exit 127). */
static int died_in_the_loader(const struct sf_proc *p)
{
	return p->status == 127 && strstr(p->err, "error while loading shared libraries") != NULL;
}

/* ---- scenario files skip them, -e counts them ---- */

static void test_loader__a_file_rule_fails_the_programs_calls_only(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", openat_file("skip.cfg", "", ""), "--",
		     sf_test_target("calls"), "openat", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);   /* ld.so opened libc.so.6 */
	SF_ASSERT_OUTCOMES(&p, "openat", "ENOENT ENOENT");
	SF_ASSERT_PROC(strstr(p.err, "matched 2, injected 2") != NULL, &p);
	sf_proc_release(&p);
}

static void test_loader__an_e_rule_counts_the_loaders_calls_as_strace(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "openat:error=ENOENT", "--",
		     sf_test_target("calls"), "openat", "1", NULL);
	SF_ASSERT_PROC(died_in_the_loader(&p), &p);
	SF_ASSERT_PROC(strstr(p.err, "cannot open shared object file") != NULL, &p);
	sf_proc_release(&p);
	/* the first read is ld.so's, of libc.so.6's ELF header */
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "read:error=EIO:when=1", "--",
		     sf_test_target("calls"), "read", "1", NULL);
	SF_ASSERT_PROC(died_in_the_loader(&p) && strstr(p.err, "cannot read file data") != NULL, &p);
	sf_proc_release(&p);
}

/* ---- choosing otherwise ---- */

static void test_loader__the_run_option_counts_them_for_a_file(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", openat_file("opt-count.cfg", "", ""),
		     "--loader-calls", "count", "--", sf_test_target("calls"), "openat", "1", NULL);
	SF_ASSERT_PROC(died_in_the_loader(&p), &p);
	sf_proc_release(&p);
}

static void test_loader__the_run_option_skips_them_for_e_rules(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--loader-calls=skip", "-e", "openat:error=ENOENT",
		     "-e", "read:error=EIO:when=1", "--", sf_test_target("calls"), "openat,read", "1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "openat", "ENOENT");
	SF_ASSERT_OUTCOMES(&p, "read", "EIO");   /* the program's first read, ld.so's passed by */
	sf_proc_release(&p);
}

static void test_loader__the_file_key_counts_them(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s",
		     openat_file("top-count.cfg", "loader_calls = \"count\";", ""), "--",
		     sf_test_target("calls"), "openat", "1", NULL);
	SF_ASSERT_PROC(died_in_the_loader(&p), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s",
		     openat_file("rule-count.cfg", "", "loader_calls = \"count\";"), "--",
		     sf_test_target("calls"), "openat", "1", NULL);
	SF_ASSERT_PROC(died_in_the_loader(&p), &p);
	sf_proc_release(&p);
}

static void test_loader__a_rule_that_says_wins_over_its_file_and_the_option(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s",
		     openat_file("rule-skip.cfg", "loader_calls = \"count\";", "loader_calls = \"skip\";"),
		     "--loader-calls", "count", "--", sf_test_target("calls"), "openat", "1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "openat", "ENOENT");
	sf_proc_release(&p);
}

static void test_loader__check_shows_whether_a_rule_counts_them(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "check", openat_file("check-skip.cfg", "", ""),
		     openat_file("check-count.cfg", "", "loader_calls = \"count\";"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "  loader_calls: skip") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "  loader_calls: count") == 1, &p);
	sf_proc_release(&p);
}

static void test_loader__bad_choices_are_one_line(void)
{
	const char *bad = sf_test_tmpfile("bad-loader.cfg", "loader_calls = \"cuont\";\nrules = ( );\n");
	char start[600];

	REFUSED("sysfault: --loader-calls 'maybe': expected count or skip",
		"run", "--loader-calls", "maybe", "-e", "openat:error=ENOENT");
	REFUSED("sysfault: --loader-calls 'all': expected count or skip",
		"explore", "--loader-calls", "all", "-e", "openat:error=ENOENT");
	snprintf(start, sizeof(start), "%s:1: unknown loader_calls \"cuont\"; did you mean \"count\"?", bad);
	REFUSED(start, "run", "-s", bad);
}

/* ---- the loader's calls after start-up ---- */

static void test_loader__dlopen_is_the_loaders_open_is_the_programs(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", openat_file("dlopen.cfg", "", ""), "--",
		     sf_test_target("loader"), "open", "/dev/null", "dlopen", "libm.so.6", NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "open /dev/null ret=-1 errno=ENOENT"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "dlopen libm.so.6 ok"), &p);
	sf_proc_release(&p);
}

static void test_loader__threads_and_forked_children_share_the_range(void)
{
	static const char *const how[] = { "thread", "fork" };
	struct sf_proc p;

	for (int i = 0; i < 2; i++) {
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", openat_file("share.cfg", "", ""), "--",
			     sf_test_target("loader"), how[i], "open", "/dev/null", "dlopen", "libm.so.6", NULL);
		SF_ASSERT_PROC(sf_has_line(p.out, "open /dev/null ret=-1 errno=ENOENT"), &p);
		SF_ASSERT_PROC(sf_has_line(p.out, "dlopen libm.so.6 ok"), &p);
		sf_proc_release(&p);
	}
}

static void test_loader__an_exec_finds_the_new_programs_loader(void)
{
	struct sf_proc p;
	char calls[512];

	snprintf(calls, sizeof(calls), "%s", sf_test_target("calls"));
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", openat_file("exec.cfg", "", ""), "--",
		     sf_test_target("loader"), "exec", calls, "openat", "1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);   /* the new ld.so, elsewhere in memory, opened libc */
	SF_ASSERT_OUTCOMES(&p, "openat", "ENOENT");
	sf_proc_release(&p);
}

/* set_tid_address: ld.so's when it sets up the first thread, the program's own when static. */
static void test_loader__a_static_program_has_nothing_skipped(void)
{
	const char *cfg = sf_test_tmpfile("static.cfg",
		"rules = ( { syscalls = \"set_tid_address\"; delay_enter = \"1us\"; } );\n");
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--",
		     sf_test_target("calls_static"), "getpid", "1", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "matched 1, injected 1") != NULL, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--",
		     sf_test_target("calls"), "getpid", "1", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "matched 0, injected 0") != NULL, &p);
	sf_proc_release(&p);
}

/* ---- explore ---- */

/* explore's JSON report on `calls openat,read 2` with EXTRA (or NULL), as text. */
static char *explore_report(const char *name, const char *extra, const char *value)
{
	char json[512];
	struct sf_proc p;

	snprintf(json, sizeof(json), "%s", sf_test_tmpfile(name, NULL));
	if (extra)
		sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "-j", "2", "--seed", "1",
			     "-e", "openat:error=ENOENT", "-e", "read:error=EIO", extra, value, "--json", json,
			     "--", sf_test_target("calls"), "openat,read", "2", NULL);
	else
		sf_proc_runl(&p, T, sf_test_sysfault(), "explore", "--points", "occurrence", "-q", "-j", "2", "--seed", "1",
			     "-e", "openat:error=ENOENT", "-e", "read:error=EIO", "--json", json,
			     "--", sf_test_target("calls"), "openat,read", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
	return sf_read_file(json);
}

static void test_loader__explore_has_no_point_in_the_loader(void)
{
	char *skip = explore_report("explore-skip.json", NULL, NULL);
	char *count = explore_report("explore-count.json", "--loader-calls", "count");

	CU_ASSERT_PTR_NOT_NULL_FATAL(skip);
	CU_ASSERT_PTR_NOT_NULL_FATAL(count);
	/* the program's own: two openat, the one opening /dev/null for reading, two reads */
	CU_ASSERT_EQUAL(sf_count_lines_with(skip, "\"point\":\"1/0:openat:"), 3);
	CU_ASSERT_EQUAL(sf_count_lines_with(skip, "\"point\":\"1/0:read:"), 2);
	CU_ASSERT(strstr(skip, "\"points_total\":5,") != NULL);
	/* no failed point: ld.so, which never retries, is not among them */
	CU_ASSERT_EQUAL(sf_count_lines_with(skip, "\"exit_status\":127"), 0);
	/* the choice travels with the rules: to every run and reproduction line */
	CU_ASSERT(strstr(skip, "\"rules\":[\"-e\",\"openat:error=ENOENT\",\"-e\",\"read:error=EIO\","
			       "\"--loader-calls\",\"skip\"]") != NULL);
	CU_ASSERT_EQUAL(sf_count_lines_with(skip, "--loader-calls skip --seed 1 --point"), 5);
	/* counted, ld.so's openat of libc.so.6 and read of its header come first */
	CU_ASSERT(sf_count_lines_with(count, "\"point\":\"1/0:openat:") > 3);
	CU_ASSERT(sf_count_lines_with(count, "\"point\":\"1/0:read:") > 2);
	CU_ASSERT(sf_count_lines_with(count, "\"exit_status\":127") > 0);
	free(skip);
	free(count);
}

void sf_test_register_integ_loader(void)
{
	CU_pSuite s = CU_add_suite("integ_loader", NULL, NULL);
	CU_add_test(s, "a file's rule fails the program's calls only", test_loader__a_file_rule_fails_the_programs_calls_only);
	CU_add_test(s, "an -e rule counts the loader's calls, as strace", test_loader__an_e_rule_counts_the_loaders_calls_as_strace);
	CU_add_test(s, "--loader-calls count counts them for a file", test_loader__the_run_option_counts_them_for_a_file);
	CU_add_test(s, "--loader-calls skip skips them for -e rules", test_loader__the_run_option_skips_them_for_e_rules);
	CU_add_test(s, "loader_calls = \"count\" counts them", test_loader__the_file_key_counts_them);
	CU_add_test(s, "a rule that says wins over its file and the option", test_loader__a_rule_that_says_wins_over_its_file_and_the_option);
	CU_add_test(s, "check shows whether a rule counts them", test_loader__check_shows_whether_a_rule_counts_them);
	CU_add_test(s, "bad choices are one line", test_loader__bad_choices_are_one_line);
	CU_add_test(s, "dlopen is the loader's, open the program's", test_loader__dlopen_is_the_loaders_open_is_the_programs);
	CU_add_test(s, "threads and forked children share the range", test_loader__threads_and_forked_children_share_the_range);
	CU_add_test(s, "an exec finds the new program's loader", test_loader__an_exec_finds_the_new_programs_loader);
	CU_add_test(s, "a static program has nothing skipped", test_loader__a_static_program_has_nothing_skipped);
	sf_test_add_explore(s, "explore has no point in the loader", test_loader__explore_has_no_point_in_the_loader);
}
