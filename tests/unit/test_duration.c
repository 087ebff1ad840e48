/*
 * unit_duration: the one duration grammar (rules/duration.h) that delays and
 * --timeout share: the same suffixes and the same refusals everywhere, only
 * the unit of a bare number differs (us for delays as in strace, s for --timeout).
 */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "command/cli.h"
#include "rules/duration.h"
#include "rules/spec.h"

static const struct {
	const char *text;
	enum sf_time_unit bare;
	uint64_t ns;
} accepted[] = {
	{ "5", SF_UNIT_US, 5000 },                    /* delay_enter=5: strace's microseconds */
	{ "5", SF_UNIT_S, 5000000000 },               /* --timeout 5: seconds */
	{ "0", SF_UNIT_US, 0 },
	{ "7ns", SF_UNIT_S, 7 },
	{ "10us", SF_UNIT_S, 10000 },
	{ "5ms", SF_UNIT_US, 5000000 },
	{ "2s", SF_UNIT_US, 2000000000 },
	{ "1m", SF_UNIT_US, 60000000000 },
	{ "1h", SF_UNIT_US, 3600000000000 },
	{ "1.5ms", SF_UNIT_US, 1500000 },
	{ "1.5", SF_UNIT_S, 1500000000 },
	{ "0.5h", SF_UNIT_S, 1800000000000 },
	{ "1.000s", SF_UNIT_S, 1000000000 },          /* what explore's reproduce lines print */
	{ "1.9ns", SF_UNIT_S, 1 },                    /* rounded down to the nanosecond */
	{ "0.999999999999999999999h", SF_UNIT_S, 3599999999999 },
	{ "5MS", SF_UNIT_US, 5000000 },               /* any case, as strace */
	{ "007s", SF_UNIT_US, 7000000000 },
	{ "18446744073709551615ns", SF_UNIT_US, UINT64_MAX },
	{ "5124095h", SF_UNIT_US, 5124095 * 3600000000000ull },
	{ ".5s", SF_UNIT_US, 500000000 },             /* as strace's parse_ts (strtod) */
	{ ".5", SF_UNIT_S, 500000000 },
	{ "1.", SF_UNIT_US, 1000 },
	{ "2.ms", SF_UNIT_US, 2000000 },
};

static void test_duration__accepted_values(void)
{
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		char why[256] = "";
		uint64_t ns = 12345;
		int rc = sf_duration_parse(accepted[i].text, accepted[i].bare, &ns, why, sizeof(why));

		if (rc != 0 || ns != accepted[i].ns)
			fprintf(stderr, "\n\"%s\": rc %d, %llu ns (%s)\n", accepted[i].text, rc,
				(unsigned long long)ns, why);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(ns, accepted[i].ns);
	}
}

#define HINT_US "; write a number with ns, us, ms, s, m or h, e.g. 10ms (a bare number is microseconds)"
#define HINT_S "; write a number with ns, us, ms, s, m or h, e.g. 10ms (a bare number is seconds)"

static const struct {
	const char *text;
	enum sf_time_unit bare;
	const char *why;
} refused[] = {
	{ "", SF_UNIT_US, "empty duration" HINT_US },
	{ "", SF_UNIT_S, "empty duration" HINT_S },
	{ "-1", SF_UNIT_US, "negative duration \"-1\"" HINT_US },
	{ "-5ms", SF_UNIT_S, "negative duration \"-5ms\"" HINT_S },
	{ "+1", SF_UNIT_US, "bad duration \"+1\"" HINT_US },
	{ " 1", SF_UNIT_US, "bad duration \" 1\"" HINT_US },
	{ "ms", SF_UNIT_US, "bad duration \"ms\"" HINT_US },
	{ "nan", SF_UNIT_S, "bad duration \"nan\"" HINT_S },
	{ "inf", SF_UNIT_S, "bad duration \"inf\"" HINT_S },
	{ "infinity", SF_UNIT_US, "bad duration \"infinity\"" HINT_US },
	{ ".", SF_UNIT_US, "bad duration \".\"" HINT_US },
	{ ".s", SF_UNIT_US, "bad duration \".s\"" HINT_US },
	{ "1..5ms", SF_UNIT_US, "bad duration \"1..5ms\"" HINT_US },
	{ "1.2.3", SF_UNIT_US, "bad duration \"1.2.3\"" HINT_US },
	{ "10xs", SF_UNIT_US, "bad unit in duration \"10xs\"" HINT_US },
	{ "10 ms", SF_UNIT_US, "bad unit in duration \"10 ms\"" HINT_US },
	{ "10ms ", SF_UNIT_US, "bad unit in duration \"10ms \"" HINT_US },
	{ "1e3", SF_UNIT_S, "bad unit in duration \"1e3\"" HINT_S },
	{ "0x10", SF_UNIT_S, "bad unit in duration \"0x10\"" HINT_S },
	{ "5d", SF_UNIT_S, "bad unit in duration \"5d\"" HINT_S },
	{ "5sec", SF_UNIT_S, "bad unit in duration \"5sec\"" HINT_S },
	{ "18446744073709551616ns", SF_UNIT_US,
	  "duration \"18446744073709551616ns\" is too long; the most is 2^64-1 ns, about 584 years" },
	{ "5124096h", SF_UNIT_US,
	  "duration \"5124096h\" is too long; the most is 2^64-1 ns, about 584 years" },
	{ "99999999999999999999s", SF_UNIT_US,
	  "duration \"99999999999999999999s\" is too long; the most is 2^64-1 ns, about 584 years" },
	{ "99999999999999999999999999999", SF_UNIT_S,
	  "duration \"99999999999999999999999999999\" is too long; the most is 2^64-1 ns, about 584 years" },
};

static void test_duration__malformed_values_are_refused_with_one_line(void)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char why[256] = "";
		uint64_t ns = 12345;
		int rc = sf_duration_parse(refused[i].text, refused[i].bare, &ns, why, sizeof(why));

		if (rc != -1 || strcmp(why, refused[i].why) != 0)
			fprintf(stderr, "\n\"%s\": rc %d\n got: %s\nwant: %s\n", refused[i].text, rc,
				why, refused[i].why);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(why, refused[i].why);
		CU_ASSERT_EQUAL(ns, 12345);   /* untouched on failure */
	}
}

/* delay_enter= / delay_exit= are the grammar with bare microseconds. */
static void test_duration__delays_read_bare_numbers_as_microseconds(void)
{
	char why[256];
	uint64_t ns = 0;

	CU_ASSERT_EQUAL(sf_spec_parse_delay("5", &ns, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(ns, 5000);
	CU_ASSERT_EQUAL(sf_spec_parse_delay("1h", &ns, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(ns, 3600000000000);
	CU_ASSERT_EQUAL(sf_spec_parse_delay("soon", &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "bad duration \"soon\"" HINT_US);
}

/* sf_cli_timeout() with stderr sent to /dev/null: its line is integ_cli's to read. */
static int quiet_timeout(const char *arg, double *s)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	int rc;

	fflush(stderr);
	dup2(null, STDERR_FILENO);
	rc = sf_cli_timeout("--timeout", arg, s);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(null);
	close(saved);
	return rc;
}

/* --timeout is the grammar with bare seconds, and more than 0. */
static void test_duration__timeouts_read_bare_numbers_as_seconds(void)
{
	double s = 0;

	CU_ASSERT(quiet_timeout("5", &s) == 0);
	CU_ASSERT_DOUBLE_EQUAL(s, 5.0, 1e-12);
	CU_ASSERT(quiet_timeout("1h", &s) == 0);
	CU_ASSERT_DOUBLE_EQUAL(s, 3600.0, 1e-9);
	CU_ASSERT(quiet_timeout("250us", &s) == 0);
	CU_ASSERT_DOUBLE_EQUAL(s, 250e-6, 1e-15);
	CU_ASSERT(quiet_timeout("1ns", &s) == 0);
	CU_ASSERT(quiet_timeout("0", &s) != 0);
	CU_ASSERT(quiet_timeout("0ms", &s) != 0);
	CU_ASSERT(quiet_timeout("1000000000s", &s) != 0);
	CU_ASSERT(quiet_timeout("soon", &s) != 0);
	CU_ASSERT(quiet_timeout("-1s", &s) != 0);
	CU_ASSERT(quiet_timeout("nan", &s) != 0);
	CU_ASSERT(quiet_timeout("", &s) != 0);
}

static void test_duration__timeout_option_exits_125(void)
{
	double s = 0;

	CU_ASSERT_EQUAL(quiet_timeout("30s", &s), 0);
	CU_ASSERT_DOUBLE_EQUAL(s, 30.0, 1e-12);
	CU_ASSERT_EQUAL(quiet_timeout("soon", &s), 125);
	CU_ASSERT_EQUAL(quiet_timeout("0", &s), 125);
}

void sf_test_register_duration(void);
void sf_test_register_duration(void)
{
	CU_pSuite s = CU_add_suite("unit_duration", NULL, NULL);

	CU_add_test(s, "accepted_values", test_duration__accepted_values);
	CU_add_test(s, "malformed_values_are_refused_with_one_line",
		    test_duration__malformed_values_are_refused_with_one_line);
	CU_add_test(s, "delays_read_bare_numbers_as_microseconds",
		    test_duration__delays_read_bare_numbers_as_microseconds);
	CU_add_test(s, "timeouts_read_bare_numbers_as_seconds",
		    test_duration__timeouts_read_bare_numbers_as_seconds);
	CU_add_test(s, "timeout_option_exits_125", test_duration__timeout_option_exits_125);
}
