/*
 * Unit tests of explore --coverage's tracefile sets (coverage_info.c): lcov
 * tracefiles read back (sections of one file merged, lcov 2's FN with an
 * end line, malformed records refused), the lines only fault runs reached,
 * and the blocks no run reached in the functions fault runs entered.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/coverage_info.h"

static int parse(struct sf_trace *t, const char *text, unsigned long *lineno)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int rc = in ? sf_trace_parse(t, in, lineno) : -ENOMEM;

	if (in)
		fclose(in);
	return rc;
}

/* What WRITE gives for CLEAN and FAULTS (malloc'd); their sums in SUMS. */
static char *written(void (*write)(const struct sf_trace *, const struct sf_trace *, FILE *, struct sf_trace_sums *),
		     const char *clean, const char *faults, struct sf_trace_sums *sums)
{
	struct sf_trace c, f;
	char *text = NULL;
	size_t len = 0;

	memset(sums, 0, sizeof(*sums));
	CU_ASSERT_EQUAL_FATAL(parse(&c, clean, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(parse(&f, faults, NULL), 0);
	FILE *out = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	write(&c, &f, out, sums);
	fclose(out);
	sf_trace_release(&c);
	sf_trace_release(&f);
	return text;
}

static void test_coverage_info__sections_of_one_file_are_merged(void)
{
	struct sf_trace t;
	const char *text = "TN:t\nSF:/s/h.h\nFN:3,inl\nFNDA:1,inl\nDA:4,1\nDA:3,2,abcdef\nLF:2\nLH:2\nend_of_record\n"
			   "TN:t\nSF:/s/a.c\nFN:10,12,f\nFNDA:0,f\nDA:11,0\nBRDA:11,0,0,-\nend_of_record\n"
			   "TN:t\nSF:/s/h.h\nFN:3,inl\nFNDA:4,inl\nDA:3,5\nDA:5,-1\nend_of_record\n";

	CU_ASSERT_EQUAL_FATAL(parse(&t, text, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(t.nfiles, 2);
	/* in path order, each line once with the counts of every section */
	CU_ASSERT_STRING_EQUAL(t.files[0].path, "/s/a.c");
	CU_ASSERT_EQUAL(t.files[0].fns[0].end, 12);
	const struct sf_trace_file *h = &t.files[1];
	CU_ASSERT_EQUAL_FATAL(h->nlines, 3);
	CU_ASSERT(h->lines[0].line == 3 && h->lines[0].count == 7);
	CU_ASSERT(h->lines[1].line == 4 && h->lines[1].count == 1);
	CU_ASSERT(h->lines[2].line == 5 && h->lines[2].count == 0);   /* gcov's -1 is no run */
	CU_ASSERT_EQUAL_FATAL(h->nfns, 1);
	CU_ASSERT(h->fns[0].count == 5 && h->fns[0].end == 0);
	sf_trace_release(&t);
}

static void test_coverage_info__malformed_records_are_refused(void)
{
	const char *bad[] = { "DA:1,1\n", "SF:/a\nDA:x,1\n", "SF:/a\nDA:1\n", "SF:/a\nDA:1,2x\n",
			      "SF:/a\nFN:1\n", "SF:/a\nFN:1,\n", "SF:/a\nFNDA:1\n", "SF:/a\nDA:99999999999,1\n" };
	struct sf_trace t;
	unsigned long line;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(&t, bad[i], &line);
		if (rc != -EINVAL)
			fprintf(stderr, "\n--- accepted: %s", bad[i]);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_EQUAL(line, i ? 2 : 1);
	}
	/* what is not needed is passed over, whatever it holds */
	CU_ASSERT_EQUAL(parse(&t, "VER:2\nTN:\nSF:/a\nBRDA:x\nLF:nonsense\nend_of_record\n", NULL), 0);
	sf_trace_release(&t);
}

static const char clean[] =
	"SF:/s/a.c\nFN:1,main\nFNDA:1,main\nFN:20,fail\nFNDA:0,fail\nFN:30,unused\nFNDA:0,unused\n"
	"DA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nDA:5,1\nDA:6,0\nDA:7,0\nDA:20,0\nDA:21,0\nDA:30,0\nDA:31,0\nend_of_record\n";
static const char faults[] =
	"SF:/s/a.c\nFN:1,main\nFNDA:3,main\nFN:20,fail\nFNDA:2,fail\nFN:30,unused\nFNDA:0,unused\n"
	"DA:1,3\nDA:2,3\nDA:3,2\nDA:4,0\nDA:5,1\nDA:6,0\nDA:7,0\nDA:20,2\nDA:21,0\nDA:30,0\nDA:31,0\nend_of_record\n"
	"SF:/s/only.c\nFN:1,g\nFNDA:1,g\nDA:1,1\nDA:2,0\nend_of_record\n";

static void test_coverage_info__fault_only_is_what_the_clean_run_missed(void)
{
	struct sf_trace_sums sums;
	char *text = written(sf_trace_write_fault_only, clean, faults, &sums);

	CU_ASSERT_STRING_EQUAL(text,
			       "TN:fault_only\nSF:/s/a.c\nFN:20,fail\nFNDA:2,fail\nFNF:1\nFNH:1\n"
			       "DA:3,2\nDA:20,2\nLF:2\nLH:2\nend_of_record\n"
			       /* a file only fault runs loaded: all they reached */
			       "TN:fault_only\nSF:/s/only.c\nFN:1,g\nFNDA:1,g\nFNF:1\nFNH:1\n"
			       "DA:1,1\nLF:1\nLH:1\nend_of_record\n");
	CU_ASSERT_EQUAL(sums.fault_only_lines, 3);
	CU_ASSERT_EQUAL(sums.fault_only_fns, 2);
	free(text);
}

static void test_coverage_info__never_reached_blocks_are_in_entered_functions(void)
{
	struct sf_trace_sums sums;
	char *text = written(sf_trace_write_never_reached, clean, faults, &sums);

	/* main's 4 (a block: 3 reached between), 6-7; fail's 21; none of unused, which no run entered */
	CU_ASSERT_STRING_EQUAL(text, "/s/a.c:4: main: 1 line\n/s/a.c:6-7: main: 2 lines\n/s/a.c:21: fail: 1 line\n"
			       "/s/only.c:2: g: 1 line\n");
	CU_ASSERT_EQUAL(sums.never_lines, 5);
	CU_ASSERT_EQUAL(sums.never_blocks, 4);
	free(text);
}

/* lcov 2 says where a function ends: a line after it is in no function. */
static void test_coverage_info__an_end_line_bounds_the_function(void)
{
	struct sf_trace_sums sums;
	const char *f = "SF:/s/b.c\nFN:1,3,f\nFNDA:1,f\nDA:1,1\nDA:2,0\nDA:3,0\nDA:5,0\nend_of_record\n";
	char *text = written(sf_trace_write_never_reached, "", f, &sums);

	CU_ASSERT_STRING_EQUAL(text, "/s/b.c:2-3: f: 2 lines\n");
	free(text);
}

void sf_test_register_unit_coverage_info(void)
{
	CU_pSuite s = CU_add_suite("unit_coverage_info", NULL, NULL);

	CU_add_test(s, "sections of one file are merged", test_coverage_info__sections_of_one_file_are_merged);
	CU_add_test(s, "malformed records are refused", test_coverage_info__malformed_records_are_refused);
	CU_add_test(s, "fault-only is what the clean run missed", test_coverage_info__fault_only_is_what_the_clean_run_missed);
	CU_add_test(s, "never-reached blocks are in entered functions",
		    test_coverage_info__never_reached_blocks_are_in_entered_functions);
	CU_add_test(s, "an end line bounds the function", test_coverage_info__an_end_line_bounds_the_function);
}
