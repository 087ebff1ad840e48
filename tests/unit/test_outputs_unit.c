/*
 * Unit tests of what every machine-readable output shares: the UTF-8
 * decoder and the one replacement policy (each bad byte becomes U+FFFD),
 * JSON text and 64-bit integers as jansson writes them, and the reader's
 * refusal of numbers that are not integers in range (1e19, 1e308, -1e19).
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore_json.h"
#include "report.h"
#include "text.h"

#define FFFD "\xef\xbf\xbd"

/* Well-formed sequences, and the code point each decodes to. */
static void test_outputs__utf8_decodes_every_length_and_the_limits(void)
{
	static const struct { const char *s; size_t len; uint32_t cp; } good[] = {
		{ "a", 1, 0x61 }, { "\x7f", 1, 0x7f }, { "\xc2\x80", 2, 0x80 }, { "\xc3\xa9", 2, 0xe9 },
		{ "\xdf\xbf", 2, 0x7ff }, { "\xe0\xa0\x80", 3, 0x800 }, { "\xed\x9f\xbf", 3, 0xd7ff },
		{ "\xee\x80\x80", 3, 0xe000 }, { FFFD, 3, 0xfffd }, { "\xf0\x90\x80\x80", 4, 0x10000 },
		{ "\xf0\x9f\x98\x80", 4, 0x1f600 }, { "\xf4\x8f\xbf\xbf", 4, 0x10ffff },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint32_t cp = 0;
		CU_ASSERT_EQUAL(sf_utf8_decode(good[i].s, strlen(good[i].s), &cp), good[i].len);
		CU_ASSERT_EQUAL(cp, good[i].cp);
	}
}

/* What jansson and XML parsers refuse, the decoder refuses too. */
static void test_outputs__utf8_refuses_what_parsers_refuse(void)
{
	static const char *const bad[] = {
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf",          /* stray continuation, overlong */
		"\xe0\x80\x80", "\xe0\x9f\xbf",                  /* overlong 3-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",                  /* surrogates */
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",          /* overlong 4-byte */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",   /* beyond U+10FFFF */
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3(",     /* cut short */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t cp;
		size_t len = sf_utf8_decode(bad[i], strlen(bad[i]), &cp);
		if (len)
			fprintf(stderr, "\naccepted bad[%zu]\n", i);
		CU_ASSERT_EQUAL(len, 0);
	}
	uint32_t cp;
	CU_ASSERT_EQUAL(sf_utf8_decode("\xc3\xa9", 1, &cp), 0);   /* N bounds the read */
}

static void assert_clean(const char *in, const char *want)
{
	char *got = sf_utf8_clean(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void test_outputs__utf8_clean_replaces_each_bad_byte_with_fffd(void)
{
	assert_clean("", "");
	assert_clean("plain /usr/bin/cat", "plain /usr/bin/cat");
	assert_clean("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_clean("a\xff" "b", "a" FFFD "b");
	assert_clean("\xff\xfe", FFFD FFFD);
	assert_clean("\xe2\x82", FFFD FFFD);                /* one per byte of a cut sequence */
	assert_clean("\xed\xa0\x80x", FFFD FFFD FFFD "x");  /* a surrogate is three bad bytes */
	assert_clean("\xe2\x82\xac\xe2\x82", "\xe2\x82\xac" FFFD FFFD);
	assert_clean("tab\tnl\n\x01", "tab\tnl\n\x01");     /* controls are valid UTF-8: JSON escapes them */
}

static char *dumped(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	return text;
}

static void test_outputs__json_text_is_always_a_valid_string(void)
{
	char *text;

	text = dumped(sf_json_text("bug\xffgy\x01"));
	CU_ASSERT_STRING_EQUAL(text, "\"bug" FFFD "gy\\u0001\"");
	free(text);
	text = dumped(sf_json_text(NULL));
	CU_ASSERT_STRING_EQUAL(text, "null");
	free(text);
	text = dumped(sf_json_u64(INT64_MAX));
	CU_ASSERT_STRING_EQUAL(text, "9223372036854775807");
	free(text);
	/* beyond what a JSON integer holds for jansson (and for most readers): digits, never a rounded real */
	text = dumped(sf_json_u64(UINT64_MAX));
	CU_ASSERT_STRING_EQUAL(text, "\"18446744073709551615\"");
	free(text);
}

/* Reads integer KEY of TEXT in MIN..MAX; returns the reader's message ("" when accepted). */
static const char *read_int(const char *text, const char *key, int64_t min, int64_t max, int64_t *v)
{
	static struct sf_jread r;

	memset(&r, 0, sizeof(r));
	r.path = "t.json";
	json_t *doc = sf_jread_parse(&r, text, strlen(text));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	*v = sf_jread_int(&r, doc, key, min, max);
	json_decref(doc);
	return r.why;
}

static void test_outputs__reader_refuses_numbers_that_are_not_integers_in_range(void)
{
	const char *doc = "{\"a\":1e19,\"b\":1e308,\"c\":-1e19,\"d\":1.0,\"e\":256,\"f\":-1,"
			  "\"g\":9223372036854775807,\"h\":-9223372036854775808,\"s\":\"7\",\"z\":null}";
	int64_t v;

	CU_ASSERT_STRING_EQUAL(read_int(doc, "a", INT64_MIN, INT64_MAX, &v),
			       "field 'a' is not an integer in range -9223372036854775808 to 9223372036854775807 (1e19)");
	CU_ASSERT_STRING_EQUAL(read_int(doc, "b", 0, 255, &v),
			       "field 'b' is not an integer in range 0 to 255 (1e308)");
	CU_ASSERT_EQUAL(v, 0);   /* what a refused read gives: MIN, never the cast */
	CU_ASSERT_STRING_EQUAL(read_int(doc, "c", INT64_MIN, INT64_MAX, &v),
			       "field 'c' is not an integer in range -9223372036854775808 to 9223372036854775807 (-1e19)");
	CU_ASSERT_PTR_NOT_NULL(strstr(read_int(doc, "d", 0, 9, &v), "(1.0)"));
	CU_ASSERT_STRING_EQUAL(read_int(doc, "e", 0, 255, &v), "field 'e' is not an integer in range 0 to 255 (256)");
	CU_ASSERT_STRING_EQUAL(read_int(doc, "f", 0, 255, &v), "field 'f' is not an integer in range 0 to 255 (-1)");
	CU_ASSERT_PTR_NOT_NULL(strstr(read_int(doc, "s", 0, 9, &v), "(\"7\")"));
	CU_ASSERT_STRING_EQUAL(read_int(doc, "z", 0, 9, &v), "field 'z' is not an integer in range 0 to 9 (null)");
	CU_ASSERT_STRING_EQUAL(read_int(doc, "missing", 0, 9, &v), "field 'missing' is missing");
	/* the limits themselves are read exactly */
	CU_ASSERT_STRING_EQUAL(read_int(doc, "g", INT64_MIN, INT64_MAX, &v), "");
	CU_ASSERT_EQUAL(v, INT64_MAX);
	CU_ASSERT_STRING_EQUAL(read_int(doc, "h", INT64_MIN, INT64_MAX, &v), "");
	CU_ASSERT_EQUAL(v, INT64_MIN);
}

/* Integers beyond int64 never reach a field: jansson refuses the text itself. */
static void test_outputs__reader_refuses_integers_beyond_int64(void)
{
	const char *const docs[] = { "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775809}",
				     "{\"a\":18446744073709551616}", "{\"a\":1e400}", "{\"a\":-1e400}" };
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct sf_jread r = { .path = "t.json" };
		json_t *v = sf_jread_parse(&r, docs[i], strlen(docs[i]));
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT(!strncmp(r.why, "not JSON: ", 10));
		json_decref(v);
	}
}

static void test_outputs__reader_refuses_bad_seconds(void)
{
	const char *const docs[] = { "{\"s\":-0.5}", "{\"s\":\"1\"}", "{\"s\":null}", "{\"s\":true}" };
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct sf_jread r = { .path = "t.json" };
		json_t *v = sf_jread_parse(&r, docs[i], strlen(docs[i]));
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		CU_ASSERT_DOUBLE_EQUAL(sf_jread_seconds(&r, v, "s"), 0, 0);
		CU_ASSERT(sf_jread_failed(&r));
		json_decref(v);
	}
}

/* Text for terminals (text.h): controls, C1 and non-UTF-8 bytes visible, the rest as it is. */
static void test_outputs__text_makes_control_characters_visible(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain /usr/bin/cat", "plain /usr/bin/cat" },
		{ "a\nb\rc\td", "a\\nb\\rc\\td" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "\x01\x7f", "\\x01\\x7f" },
		{ "csi \xc2\x9b", "csi \\xc2\\x9b" },                /* U+009B, C1 CSI */
		{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },   /* UTF-8 stays */
		{ "bad \xff\x9b", "bad \\xff\\x9b" },                /* not UTF-8: per byte */
		{ "back\\slash", "back\\slash" },                     /* kept: for reading */
		{ "", "" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_STRING_EQUAL(sf_text_escape(cases[i].in, buf, sizeof(buf)), cases[i].out);
	/* cut short between escapes, never inside one */
	CU_ASSERT_STRING_EQUAL(sf_text_escape("ab\n", buf, 4), "ab");
	CU_ASSERT_STRING_EQUAL(sf_text_escape("ab\n", buf, 5), "ab\\n");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	sf_text_fputs("x\ny\x1b", f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "x\\ny\\x1b");
	free(text);
}

void sf_test_register_unit_outputs(void)
{
	CU_pSuite s = CU_add_suite("unit_outputs", NULL, NULL);

	CU_add_test(s, "utf8 decodes every length and the limits",
		    test_outputs__utf8_decodes_every_length_and_the_limits);
	CU_add_test(s, "utf8 refuses what parsers refuse", test_outputs__utf8_refuses_what_parsers_refuse);
	CU_add_test(s, "utf8 clean replaces each bad byte with U+FFFD",
		    test_outputs__utf8_clean_replaces_each_bad_byte_with_fffd);
	CU_add_test(s, "json text is always a valid string", test_outputs__json_text_is_always_a_valid_string);
	CU_add_test(s, "reader refuses numbers that are not integers in range",
		    test_outputs__reader_refuses_numbers_that_are_not_integers_in_range);
	CU_add_test(s, "reader refuses integers beyond int64", test_outputs__reader_refuses_integers_beyond_int64);
	CU_add_test(s, "reader refuses bad seconds", test_outputs__reader_refuses_bad_seconds);
	CU_add_test(s, "text makes control characters visible",
		    test_outputs__text_makes_control_characters_visible);
}
