/*
 * Unit tests of short I/O (engine/short_io.c): how many bytes short= lets
 * through of a transfer, at the boundaries of bytes and fractions.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>

#include "engine/short_io.h"

static void test_short_io__bytes_cap_the_count(void)
{
	struct sf_short sh = { .bytes = 100 };
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 1000), 100);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 101), 100);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, UINT64_MAX), 100);
}

static void test_short_io__a_count_within_the_bytes_is_left_as_is(void)
{
	struct sf_short sh = { .bytes = 100 };
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 100), 100);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 99), 99);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 0), 0);
}

static void test_short_io__fraction_rounds_down(void)
{
	struct sf_short sh = { .fraction = 0.25 };
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 1000), 250);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 7), 1);
	sh.fraction = 0.99;
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 100), 99);
	CU_ASSERT(sf_short_bytes(&sh, UINT64_MAX) < UINT64_MAX);
}

/* 0 bytes would read as end of file: a transfer that moves something keeps at least one. */
static void test_short_io__fraction_lets_at_least_one_byte_through(void)
{
	struct sf_short sh = { .fraction = 0.01 };
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 50), 1);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 1), 1);
	CU_ASSERT_EQUAL(sf_short_bytes(&sh, 0), 0);
}

void sf_test_register_short_io(void)
{
	CU_pSuite s = CU_add_suite("short_io", NULL, NULL);
	CU_add_test(s, "bytes cap the count", test_short_io__bytes_cap_the_count);
	CU_add_test(s, "a count within the bytes is left as is", test_short_io__a_count_within_the_bytes_is_left_as_is);
	CU_add_test(s, "fraction rounds down", test_short_io__fraction_rounds_down);
	CU_add_test(s, "fraction lets at least one byte through", test_short_io__fraction_lets_at_least_one_byte_through);
}
