/*
 * unit_when: strace's when= grammar and trigger arithmetic (when.h).  The
 * expectations restate strace's documented forms: N, N+, N+S, N..M, N..M+S.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "rules/when.h"

static struct sf_when parsed(const char *text)
{
	struct sf_when w = { 0, 0, 0 };
	char why[256] = "";

	if (sf_when_parse(text, &w, why, sizeof(why)) != 0)
		fprintf(stderr, "\nwhen=%s rejected: %s\n", text, why);
	return w;
}

static void assert_when(const char *text, unsigned first, unsigned last, unsigned step)
{
	struct sf_when w = parsed(text);

	CU_ASSERT_EQUAL(w.first, first);
	CU_ASSERT_EQUAL(w.last, last);
	CU_ASSERT_EQUAL(w.step, step);
}

/* Which of the calls 1..N fire, as a string of call numbers "2,4,6". */
static void fire_sequence(const char *text, unsigned n, char *buf, size_t size)
{
	struct sf_when w = parsed(text);
	uint16_t first = w.first, last = w.last;
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned call = 1; call <= n; call++)
		if (sf_when_step(&w, &first, &last))
			len += (size_t)snprintf(buf + len, size - len, "%s%u", len ? "," : "", call);
}

static void assert_fires(const char *text, unsigned n, const char *expected)
{
	char got[4096];

	fire_sequence(text, n, got, sizeof(got));
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "\nwhen=%s fired at [%s], expected [%s]\n", text, got, expected);
	CU_ASSERT_STRING_EQUAL(got, expected);
}

static void test_when__every_is_default(void)
{
	struct sf_when w = sf_when_every();

	CU_ASSERT_EQUAL(w.first, 1);
	CU_ASSERT_EQUAL(w.last, SF_WHEN_LAST_INF);
	CU_ASSERT_EQUAL(w.step, 1);
}

static void test_when__forms(void)
{
	assert_when("3", 3, SF_WHEN_LAST_INF, 0);
	assert_when("3+", 3, SF_WHEN_LAST_INF, 1);
	assert_when("3+4", 3, SF_WHEN_LAST_INF, 4);
	assert_when("2..5", 2, 5, 1);
	assert_when("2..5+", 2, 5, 1);
	assert_when("2..5+2", 2, 5, 2);
	assert_when("007", 7, SF_WHEN_LAST_INF, 0);
}

static void test_when__bounds_accepted(void)
{
	assert_when("1", 1, SF_WHEN_LAST_INF, 0);
	assert_when("65535", 65535, SF_WHEN_LAST_INF, 0);
	assert_when("1+65535", 1, SF_WHEN_LAST_INF, 65535);
	assert_when("1..65534", 1, 65534, 1);
	assert_when("5..5", 5, 5, 1);
	assert_when("65534..65534+65535", 65534, 65534, 65535);
}

static void test_when__malformed_rejected(void)
{
	static const char *const bad[] = {
		"", "0", "-1", "+1", " 1", "1 ", "65536", "99999999999", "1+0", "1+65536",
		"4-", "5+-", "6++", "8+-1", "9+1+", "-2+", "-3+0", "1.", "1.2", "1...2",
		"1..", "3..2", "1..65535", "1..65536", "1..2+0", "1..2++", "x", "1x",
		"1+x", "1..x", "..3", "+", "1,2", "0..3", "1..2..3",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sf_when w = sf_when_every();
		char why[256] = "";
		int rc = sf_when_parse(bad[i], &w, why, sizeof(why));
		if (rc == 0)
			fprintf(stderr, "\nwhen=%s was accepted\n", bad[i]);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT(why[0] != '\0');
		/* A failed parse leaves the trigger untouched. */
		CU_ASSERT_EQUAL(w.first, 1);
	}
}

static void test_when__error_names_the_trigger(void)
{
	struct sf_when w;
	char why[256];

	CU_ASSERT_EQUAL(sf_when_parse("1..65535", &w, why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "1..65535"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "N..M+S"));
}

static void test_when__once(void)
{
	assert_fires("3", 20, "3");
	assert_fires("1", 5, "1");
}

static void test_when__every_call(void)
{
	assert_fires("1+", 6, "1,2,3,4,5,6");
	assert_fires("4+", 7, "4,5,6,7");
}

static void test_when__step(void)
{
	assert_fires("4+3", 12, "4,7,10");
	assert_fires("1+2", 7, "1,3,5,7");
}

static void test_when__range(void)
{
	assert_fires("2..5", 10, "2,3,4,5");
	assert_fires("5..5", 10, "5");
	assert_fires("2..5+", 10, "2,3,4,5");
}

static void test_when__range_with_step(void)
{
	assert_fires("2..6+2", 12, "2,4,6");
	assert_fires("2..7+2", 12, "2,4,6");
	assert_fires("1..10+3", 20, "1,4,7,10");
}

static void test_when__range_end_is_last_firing(void)
{
	/* The last call of the range is 65534; nothing fires after it. */
	struct sf_when w = parsed("65533..65534");
	uint16_t first = w.first, last = w.last;
	unsigned fired = 0, at = 0;

	for (unsigned call = 1; call <= 70000; call++)
		if (sf_when_step(&w, &first, &last)) {
			fired++;
			at = call;
		}
	CU_ASSERT_EQUAL(fired, 2);
	CU_ASSERT_EQUAL(at, 65534);
}

static void test_when__infinite_never_stops(void)
{
	struct sf_when w = parsed("1+");
	uint16_t first = w.first, last = w.last;
	unsigned fired = 0;

	for (unsigned call = 1; call <= 100000; call++)
		fired += (unsigned)sf_when_step(&w, &first, &last);
	CU_ASSERT_EQUAL(fired, 100000);
}

static void test_when__format_is_canonical(void)
{
	static const char *const cases[][2] = {
		{ "3", "3" }, { "3+", "3+" }, { "3+1", "3+" }, { "3+4", "3+4" },
		{ "2..5", "2..5" }, { "2..5+", "2..5" }, { "2..5+1", "2..5" },
		{ "2..5+2", "2..5+2" }, { "01", "1" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_when w = parsed(cases[i][0]);
		sf_when_format(&w, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, cases[i][1]);
	}
	struct sf_when every = sf_when_every();
	sf_when_format(&every, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1+");
}

void sf_test_register_when(void);
void sf_test_register_when(void)
{
	CU_pSuite s = CU_add_suite("unit_when", NULL, NULL);

	CU_add_test(s, "every_is_default", test_when__every_is_default);
	CU_add_test(s, "forms", test_when__forms);
	CU_add_test(s, "bounds_accepted", test_when__bounds_accepted);
	CU_add_test(s, "malformed_rejected", test_when__malformed_rejected);
	CU_add_test(s, "error_names_the_trigger", test_when__error_names_the_trigger);
	CU_add_test(s, "once", test_when__once);
	CU_add_test(s, "every_call", test_when__every_call);
	CU_add_test(s, "step", test_when__step);
	CU_add_test(s, "range", test_when__range);
	CU_add_test(s, "range_with_step", test_when__range_with_step);
	CU_add_test(s, "range_end_is_last_firing", test_when__range_end_is_last_firing);
	CU_add_test(s, "infinite_never_stops", test_when__infinite_never_stops);
	CU_add_test(s, "format_is_canonical", test_when__format_is_canonical);
}
