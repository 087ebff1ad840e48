/*
 * Unit tests of explore's pieces that need no run: the JSON reader (typed
 * fields, malformed input), reading a record (and refusing a bad one), dedup, --max-points, sharding
 * round robin with its digest, and sorting shards back into record order;
 * a point run killed by the signal `run` re-raised is classified as before.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explore/explore.h"
#include "explore/explore_json.h"
#include "sysfault/sysfault.h"

static json_t *parse(struct sf_jread *r, const char *s)
{
	memset(r, 0, sizeof(*r));
	r->path = "t.json";
	return sf_jread_parse(r, s, strlen(s));
}

static void test_explore__json_reads_typed_fields(void)
{
	struct sf_jread r;
	json_t *v = parse(&r, " {\"a\":[1,2],\"s\":\"x\\n\\u00e9\\ud83d\\ude00\\\"\",\"n\":-9007199254740993,"
			  "\"t\":true,\"z\":null,\"r\":2.5,\"o\":{}} ");
	int64_t i = 7;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(json_array_size(sf_jread_array(&r, v, "a")), 2);
	CU_ASSERT_STRING_EQUAL(sf_jread_str(&r, v, "s"), "x\n\xc3\xa9\xf0\x9f\x98\x80\"");
	CU_ASSERT_EQUAL(sf_jread_int(&r, v, "n", INT64_MIN, 0), -9007199254740993LL);   /* exact, not through a double */
	CU_ASSERT(sf_jread_bool(&r, v, "t"));
	CU_ASSERT_PTR_NULL(sf_jread_str_or_null(&r, v, "z"));
	CU_ASSERT(!sf_jread_int_or_null(&r, v, "z", 0, 9, &i));
	CU_ASSERT_EQUAL(i, 7);
	CU_ASSERT_DOUBLE_EQUAL(sf_jread_seconds(&r, v, "r"), 2.5, 1e-9);
	CU_ASSERT_PTR_NOT_NULL(sf_jread_object(&r, v, "o"));
	CU_ASSERT(!sf_jread_failed(&r));
	/* a wrong type is noted, with the field's name, and the first problem is kept */
	CU_ASSERT_STRING_EQUAL(sf_jread_str(&r, v, "n"), "");
	CU_ASSERT_STRING_EQUAL(r.why, "field 'n' is -9007199254740993, not a string");
	sf_jread_str(&r, v, "missing");
	CU_ASSERT_STRING_EQUAL(r.why, "field 'n' is -9007199254740993, not a string");
	json_decref(v);
}

static void test_explore__json_refuses_malformed_input(void)
{
	const char *bad[] = { "", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "\"x", "\"\\q\"", "tru",
			      "01x", "{} {}", "{\"a\":1", "{\"a\":\"a\nb\"}", "[\"\\u12\"]", "-", "1e",
			      "[1]", "\"text\"", "{\"a\":1,\"a\":2}", "{\"a\":\"\\u0000\"}",
			      "{\"a\":\"\\udc00\"}", "{\"a\":\"\xff\"}", "{\"a\":1e400}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sf_jread r;
		json_t *v = parse(&r, bad[i]);
		if (v || !sf_jread_failed(&r))
			fprintf(stderr, "\naccepted: %s\n", bad[i]);
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT(sf_jread_failed(&r));
		json_decref(v);
	}
}

/* A record of points: N reads of 100 bytes then one of 0, in lineage 1. */
static void write_record(const char *path)
{
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"event\":\"log\",\"time\":0.0,\"format\":\"sysfault-log/1\"}\n", f);
	for (int i = 1; i <= 6; i++) {
		fprintf(f, "{\"event\":\"point\",\"time\":0.1,\"point\":\"1/0:read:%d:r1\",\"lineage\":\"1\","
			"\"thread\":0,\"pid\":10,\"tid\":10,\"exe\":\"/bin/x\",\"abi\":\"x86_64\","
			"\"syscall\":\"read\",\"nr\":0,\"rule\":1,\"occurrence\":%d}\n", i, i);
		/* another thread's line between a point and its result */
		if (i == 2)
			fputs("{\"event\":\"point\",\"time\":0.1,\"point\":\"1/1:read:1:r1\",\"lineage\":\"1\","
			      "\"thread\":1,\"pid\":10,\"tid\":11,\"exe\":\"/bin/x\",\"abi\":\"x86_64\","
			      "\"syscall\":\"read\",\"nr\":0,\"rule\":1,\"occurrence\":1}\n", f);
		if (i < 6)   /* the last call never returned */
			fprintf(f, "{\"event\":\"result\",\"time\":0.2,\"pid\":10,\"tid\":10,\"retval\":%d}\n",
				i < 5 ? 100 : 0);
	}
	fclose(f);
}

static void read_campaign(struct sf_campaign *c)
{
	char path[] = "/tmp/sf-unit-record-XXXXXX";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	write_record(path);
	memset(c, 0, sizeof(*c));
	CU_ASSERT_EQUAL(sf_points_read_record(c, path), 0);
	unlink(path);
}

static void test_explore__record_gives_points_with_their_clean_results(void)
{
	struct sf_campaign c;

	read_campaign(&c);
	CU_ASSERT_EQUAL_FATAL(c.npoints, 7);
	CU_ASSERT_STRING_EQUAL(c.points[0].point, "1/0:read:1:r1");
	CU_ASSERT_EQUAL(c.points[0].index, 1);
	CU_ASSERT_STRING_EQUAL(c.points[2].point, "1/1:read:1:r1");
	CU_ASSERT(!c.points[2].has_rval);    /* thread 1's call never reported a result */
	CU_ASSERT(c.points[1].has_rval && c.points[1].rval == 100);
	CU_ASSERT(c.points[5].has_rval && c.points[5].rval == 0);
	CU_ASSERT(!c.points[6].has_rval);
	CU_ASSERT_STRING_EQUAL(c.points[6].exe, "/bin/x");
	sf_campaign_release(&c);
}

static char diag_line[512];

static void catch_line(enum sf_diag_kind kind, const char *line, void *arg)
{
	snprintf(diag_line, sizeof(diag_line), "%s", line);
}

/* Reads a record holding TEXT; returns what sf_points_read_record returned, its message in diag_line. */
static int read_record_text(const char *text)
{
	char path[] = "/tmp/sf-unit-record-XXXXXX";
	int fd = mkstemp(path);
	struct sf_campaign c = { 0 };

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	diag_line[0] = 0;
	sf_diag_set_sink(catch_line, NULL);
	int rc = sf_points_read_record(&c, path);
	sf_diag_set_sink(NULL, NULL);
	unlink(path);
	sf_campaign_release(&c);
	return rc;
}

#define LOG_LINE "{\"event\":\"log\",\"time\":0.0,\"format\":\"sysfault-log/1\"}\n"
#define POINT_LINE(occ) "{\"event\":\"point\",\"time\":0.1,\"pid\":10,\"tid\":10,\"point\":\"1/0:read:1:r1\"," \
	"\"lineage\":\"1\",\"thread\":0,\"exe\":\"/bin/x\",\"abi\":\"x86_64\",\"syscall\":\"read\",\"nr\":0," \
	"\"rule\":1,\"occurrence\":" occ "}\n"

static void test_explore__a_bad_record_is_refused_with_file_and_line(void)
{
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE POINT_LINE("1")), 0);
	/* numbers out of range, or reals where an integer is wanted: refused, never cast */
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE POINT_LINE("1e19")), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_line, ":2: field 'occurrence' is not an integer in range 1 to "));
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE POINT_LINE("0")), -EINVAL);
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE POINT_LINE("-1e19")), -EINVAL);
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE POINT_LINE("18446744073709551616")), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_line, ":2: not JSON: "));
	CU_ASSERT_EQUAL(read_record_text(LOG_LINE "{\"event\":\"result\",\"time\":0.2,\"pid\":10,\"tid\":10,"
					 "\"retval\":1.5}\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_line, "field 'retval' is not an integer"));
	/* no format line, another format, nothing at all */
	CU_ASSERT_EQUAL(read_record_text(POINT_LINE("1")), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_line, ":1: the first line is not the log's format line"));
	CU_ASSERT_EQUAL(read_record_text("{\"event\":\"log\",\"time\":0.0,\"format\":\"sysfault-log/9\"}\n"), -EINVAL);
	CU_ASSERT_EQUAL(read_record_text(""), -EINVAL);
}

static void test_explore__dedup_keeps_the_first_of_alike_points(void)
{
	struct sf_campaign c;

	read_campaign(&c);
	sf_points_dedup(&c);
	/* 100 (thread 0), no result (thread 1), 0, no result: lineage, not thread, is the process */
	CU_ASSERT_EQUAL_FATAL(c.npoints, 3);
	CU_ASSERT_STRING_EQUAL(c.points[0].point, "1/0:read:1:r1");
	CU_ASSERT_STRING_EQUAL(c.points[1].point, "1/1:read:1:r1");
	CU_ASSERT_STRING_EQUAL(c.points[2].point, "1/0:read:5:r1");
	sf_points_limit(&c, 2);
	CU_ASSERT_EQUAL(c.npoints, 2);
	sf_campaign_release(&c);
}

static void test_explore__shards_split_round_robin_and_sort_back(void)
{
	struct sf_campaign whole, s1, s2;

	read_campaign(&whole);
	sf_points_shard(&whole, 0, 0);
	read_campaign(&s1);
	sf_points_shard(&s1, 1, 2);
	read_campaign(&s2);
	sf_points_shard(&s2, 2, 2);
	CU_ASSERT_EQUAL(s1.npoints, 4);
	CU_ASSERT_EQUAL(s2.npoints, 3);
	CU_ASSERT_EQUAL(s1.points_total, 7);
	CU_ASSERT_STRING_EQUAL(s1.digest, whole.digest);
	CU_ASSERT_STRING_EQUAL(s2.digest, whole.digest);
	CU_ASSERT_EQUAL(s1.points[1].index, 3);
	CU_ASSERT_EQUAL(s2.points[0].index, 2);

	/* shard 2's points then shard 1's, sorted: the whole list */
	for (size_t i = 0; i < s1.npoints; i++)
		*sf_campaign_add_point(&s2) = s1.points[i];
	s1.npoints = 0;
	CU_ASSERT(sf_points_sort(&s2));
	CU_ASSERT_EQUAL_FATAL(s2.npoints, whole.npoints);
	for (size_t i = 0; i < whole.npoints; i++)
		CU_ASSERT_STRING_EQUAL(s2.points[i].point, whole.points[i].point);
	/* the same point twice is refused */
	struct sf_xpoint *dup = sf_campaign_add_point(&s2);
	dup->index = 1;
	CU_ASSERT(!sf_points_sort(&s2));
	sf_campaign_release(&whole);
	sf_campaign_release(&s1);
	sf_campaign_release(&s2);
}

static void test_explore__fail_on_lists_are_parsed(void)
{
	unsigned bits;

	CU_ASSERT_EQUAL(sf_fail_on_parse("crash,hang,sanitizer", &bits), 0);
	CU_ASSERT_EQUAL(bits, SF_FAIL_ON_DEFAULT);
	CU_ASSERT_EQUAL(sf_fail_on_parse("none", &bits), 0);
	CU_ASSERT_EQUAL(bits, 0);
	CU_ASSERT_EQUAL(sf_fail_on_parse("unreached,failure", &bits), 0);
	CU_ASSERT_EQUAL(bits, (1u << SF_OUT_UNREACHED) | (1u << SF_OUT_FAILURE));
	CU_ASSERT_EQUAL(sf_fail_on_parse("ok", &bits), -1);   /* ok is never a finding */
	CU_ASSERT_EQUAL(sf_fail_on_parse("crash,bogus", &bits), -1);
	CU_ASSERT_EQUAL(sf_fail_on_parse("", &bits), -1);
}

/* The text summary shows a report's strings with control characters made visible: one line each. */
static void test_explore__text_summary_cannot_be_forged(void)
{
	struct sf_campaign c = { .fail_on = SF_FAIL_ON_DEFAULT };
	struct sf_xpoint *p = sf_campaign_add_point(&c);
	char *text = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p->point = strdup("1/0:write:1:r1\nsysfault: 0 findings");
	p->lineage = strdup("1");
	p->exe = strdup("/bin/\x1b[2Jprog");
	p->syscall = strdup("write");
	p->stderr_tail = strdup("");
	p->reproduce = strdup("sysfault run\r--");
	p->is_done = true;
	p->outcome = p->runs[0] = SF_OUT_CRASH;
	p->nruns = 1;
	snprintf(p->signal, sizeof(p->signal), "SIGSEGV");
	FILE *f = open_memstream(&text, &len);
	sf_report_print(&c, f, 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "sysfault: crash: SIGSEGV at 1/0:write:1:r1\\nsysfault: 0 findings "
				      "(write in /bin/\\x1b[2Jprog)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "sysfault:   reproduce: sysfault run\\r--\n"));
	CU_ASSERT_PTR_NULL(strchr(text, '\x1b'));
	CU_ASSERT_PTR_NULL(strchr(text, '\r'));
	free(text);
	sf_campaign_release(&c);
}

/* Classifies a point run that left LOG_TEXT, ended with WAIT_STATUS, against a clean run that exited 0. */
static void classify_text(const char *log_text, int wait_status, struct sf_xpoint *p)
{
	char path[] = "/tmp/sf-unit-log-XXXXXX";
	int fd = mkstemp(path);
	struct sf_baseline b = { 0 };

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, log_text, strlen(log_text)) == (ssize_t)strlen(log_text));
	close(fd);
	memset(p, 0, sizeof(*p));
	sf_classify(&b, path, "/nonexistent/sf-unit-stderr", wait_status, p);
	unlink(path);
}

#define RUN_LINES LOG_LINE \
	"{\"event\":\"start\",\"time\":0.1,\"pid\":10,\"tid\":10,\"parent\":9,\"is_thread\":false}\n" \
	"{\"event\":\"exec\",\"time\":0.2,\"pid\":10,\"tid\":10,\"path\":\"/bin/x\"}\n" \
	"{\"event\":\"inject\",\"time\":0.3,\"pid\":10,\"tid\":10,\"point\":\"1/0:read:1:r1\"}\n"
#define KILLED_LINES \
	"{\"event\":\"exit\",\"time\":0.4,\"pid\":10,\"tid\":10,\"signal\":\"SIGSEGV\",\"core\":false}\n" \
	"{\"event\":\"end\",\"time\":0.5,\"exit_status\":139,\"seed\":1,\"timed_out\":false}\n"

/*
 * `sysfault run` re-raises the signal that killed the command, so a point
 * run now ends WIFSIGNALED where it exited 128+N: it is the same crash,
 * exit status 128+N, from its log; and without the log's end, the same
 * exit status from the wait status either way.
 */
static void test_explore__a_reraised_signal_is_classified_as_an_exit_of_128_plus_n(void)
{
	struct sf_xpoint re, old;

	classify_text(RUN_LINES KILLED_LINES, SIGSEGV, &re);
	classify_text(RUN_LINES KILLED_LINES, 139 << 8, &old);
	CU_ASSERT(re.outcome == SF_OUT_CRASH && old.outcome == SF_OUT_CRASH);
	CU_ASSERT(re.exit_status == 139 && old.exit_status == 139);
	CU_ASSERT_STRING_EQUAL(re.signal, "SIGSEGV");
	classify_text(RUN_LINES, SIGSEGV, &re);
	classify_text(RUN_LINES, 139 << 8, &old);
	CU_ASSERT(re.outcome == old.outcome && re.exit_status == 139 && old.exit_status == 139);
}

void sf_test_register_unit_explore(void)
{
	CU_pSuite s = CU_add_suite("unit_explore", NULL, NULL);

	CU_add_test(s, "json reads typed fields", test_explore__json_reads_typed_fields);
	CU_add_test(s, "json refuses malformed input", test_explore__json_refuses_malformed_input);
	CU_add_test(s, "record gives points with their clean results",
		    test_explore__record_gives_points_with_their_clean_results);
	CU_add_test(s, "a bad record is refused with file and line",
		    test_explore__a_bad_record_is_refused_with_file_and_line);
	CU_add_test(s, "dedup keeps the first of alike points", test_explore__dedup_keeps_the_first_of_alike_points);
	CU_add_test(s, "shards split round robin and sort back",
		    test_explore__shards_split_round_robin_and_sort_back);
	CU_add_test(s, "fail-on lists are parsed", test_explore__fail_on_lists_are_parsed);
	CU_add_test(s, "text summary cannot be forged", test_explore__text_summary_cannot_be_forged);
	CU_add_test(s, "a re-raised signal is classified as an exit of 128+N",
		    test_explore__a_reraised_signal_is_classified_as_an_exit_of_128_plus_n);
}
