/*
 * Unit tests of failure points: the text form both ways (site points
 * too), malformed points, and what "the same call" means in each counting
 * scope.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "rules/point.h"
#include "rules/rule.h"

static void test_point__parses_and_formats_back(void)
{
	const char *texts[] = { "1/0:write:3:r1", "1.2.10/4:openat:1:r2", "1/0:write@32:7:r1",
				"1.1/2:read@x32:65536:r12" };
	struct sf_point p;
	char why[256], buf[512];

	for (unsigned i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(sf_point_parse(texts[i], &p, why, sizeof(why)), 0);
		sf_point_format(&p, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, texts[i]);
	}
	sf_point_parse("1.2/3:write@32:7:r4", &p, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(p.lineage, "1.2");
	CU_ASSERT_EQUAL(p.thread, 3);
	CU_ASSERT_EQUAL(p.abi, SF_ABI_I386);
	CU_ASSERT_EQUAL(p.nr, 4);   /* write on i386 */
	CU_ASSERT_EQUAL(p.occurrence, 7);
	CU_ASSERT_EQUAL(p.rule, 4);
}

/* Each of the N texts BAD is refused, with a reason. */
static void assert_refused(const char *const *bad, unsigned n)
{
	struct sf_point p;
	char why[256];

	for (unsigned i = 0; i < n; i++) {
		why[0] = 0;
		int rc = sf_point_parse(bad[i], &p, why, sizeof(why));
		if (rc == 0)
			fprintf(stderr, "\n'%s' was accepted\n", bad[i]);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT(why[0] != 0);
	}
}

static void test_point__malformed_points_are_refused(void)
{
	const char *bad[] = { "", "1", "1/0", "1/0:write", "1/0:write:3", "1/0:write:3:1",
			      "1/0:write:0:r1", "1/0:write:3:r0", "1/0:wirte:3:r1", "1/x:write:3:r1",
			      ".1/0:write:3:r1", "1./0:write:3:r1", "1..2/0:write:3:r1",
			      "a/0:write:3:r1", "1/0:write@16:3:r1", "1/0:write:3:r1x",
			      "1/0::3:r1", "1/-1:write:3:r1", "1/0:write:-3:r1" };

	assert_refused(bad, sizeof(bad) / sizeof(bad[0]));
}

static void test_point__site_points_as_text(void)
{
	const char *texts[] = { "site:5f0c2d9e81b3a476:write:r1", "site:0000000000000000:openat:r12",
				"site:ffffffffffffffff:write@32:r2" };
	const char *bad[] = { "site:", "site:5f0c2d9e81b3a47:write:r1", "site:5f0c2d9e81b3a4766:write:r1",
			      "site:5f0c2d9e81b3a47g:write:r1", "site:-f0c2d9e81b3a476:write:r1",
			      "site: f0c2d9e81b3a476:write:r1", "site:5f0c2d9e81b3a476:write",
			      "site:5f0c2d9e81b3a476:write:1", "site:5f0c2d9e81b3a476:write:r0",
			      "site:5f0c2d9e81b3a476:wirte:r1", "site:5f0c2d9e81b3a476::r1",
			      "site:5f0c2d9e81b3a476:write:r1x" };
	struct sf_point p;
	char why[256], buf[512];

	for (unsigned i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(sf_point_parse(texts[i], &p, why, sizeof(why)), 0);
		CU_ASSERT_TRUE(p.is_site);
		sf_point_format(&p, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, texts[i]);
	}
	sf_point_parse(texts[0], &p, why, sizeof(why));
	CU_ASSERT_EQUAL(p.site, 0x5f0c2d9e81b3a476ull);
	CU_ASSERT_EQUAL(p.rule, 1);
	assert_refused(bad, sizeof(bad) / sizeof(bad[0]));
}

static void test_point__matching_follows_the_rule_scope(void)
{
	struct sf_rule rule = { .index = 0, .scope = SF_SCOPE_THREAD };
	/* An occurrence point never asks the view more than its call. */
	struct sf_call_view write64 = { .abi = SF_ABI_X86_64, .nr = 1 };
	struct sf_call_view write32 = { .abi = SF_ABI_I386, .nr = 1 };
	struct sf_point p;
	char why[256];

	sf_point_parse("1.2/1:write:3:r1", &p, why, sizeof(why));
	CU_ASSERT_TRUE(sf_point_matches(&p, &rule, "1.2", 1, &write64, 3));
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.2", 0, &write64, 3));
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.3", 1, &write64, 3));
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.2", 1, &write64, 4));
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.2", 1, &write32, 3));
	rule.scope = SF_SCOPE_PROCESS;
	CU_ASSERT_TRUE(sf_point_matches(&p, &rule, "1.2", 0, &write64, 3));
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.3", 1, &write64, 3));
	rule.scope = SF_SCOPE_TREE;
	CU_ASSERT_TRUE(sf_point_matches(&p, &rule, "1.7", 0, &write64, 3));
	rule.index = 1;
	CU_ASSERT_FALSE(sf_point_matches(&p, &rule, "1.2", 1, &write64, 3));
}

void sf_test_register_point(void)
{
	CU_pSuite s = CU_add_suite("unit_point", NULL, NULL);

	CU_add_test(s, "parses and formats back", test_point__parses_and_formats_back);
	CU_add_test(s, "malformed points are refused", test_point__malformed_points_are_refused);
	CU_add_test(s, "site points as text", test_point__site_points_as_text);
	CU_add_test(s, "matching follows the rule scope", test_point__matching_follows_the_rule_scope);
}
