/*
 * Unit tests of rule matching: per-syscall counters, scopes, several rules
 * on one call, limit, and seeded probability.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "rules/spec.h"

enum { NR_READ = 0, NR_WRITE = 1 };   /* x86_64 numbers */

struct world {
	struct sf_rules rules;
	struct sf_counters *thread[2], *process, *tree;
	struct sf_rule_tally tally[4];   /* what a run owns: the rules stay untouched */
};

static void world_init(struct world *w, const char *const specs[], int n)
{
	char why[256];

	memset(w, 0, sizeof(*w));
	sf_rules_init(&w->rules);
	for (int i = 0; i < n; i++) {
		struct sf_rule *r = sf_spec_parse(specs[i], why, sizeof(why));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w->rules, r), 0);
	}
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w->rules), 0);
}

static void world_release(struct world *w)
{
	for (int i = 0; i < 2; i++)
		sf_counters_free(w->thread[i]);
	sf_counters_free(w->process);
	sf_counters_free(w->tree);
	sf_rules_release(&w->rules);
}

/* One call of NR by thread T (0 or 1, same process); the acting rule's 1-based index or 0. */
static unsigned call(struct world *w, int t, unsigned nr, uint64_t seed)
{
	struct sf_units u = { &w->thread[t], &w->process, &w->tree, (uint64_t)t + 1, 1 };
	const struct sf_rule *r = sf_rules_decide(&w->rules, w->tally, &u, seed, SF_ABI_X86_64, nr, false, NULL);
	return r ? r->index + 1 : 0;
}

static void test_rule__counts_each_syscall_separately(void)
{
	const char *specs[] = { "read,write:error=EIO:when=2" };
	struct world w;

	world_init(&w, specs, 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_WRITE, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_WRITE, 0), 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	world_release(&w);
}

static void test_rule__unselected_call_is_not_counted(void)
{
	const char *specs[] = { "read:error=EIO:when=2" };
	struct world w;

	world_init(&w, specs, 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_WRITE, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);
	CU_ASSERT_EQUAL(w.tally[0].matched, 2);
	CU_ASSERT_EQUAL(w.tally[0].fired, 1);
	world_release(&w);
}

static void test_rule__thread_scope_counts_each_thread_from_one(void)
{
	const char *specs[] = { "read:error=EIO:when=2" };
	struct world w;

	world_init(&w, specs, 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 1, NR_READ, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 1, NR_READ, 0), 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);
	world_release(&w);
}

static void test_rule__process_and_tree_scopes_share_one_count(void)
{
	const char *specs[] = { "read:error=EIO:when=2" };
	struct world w;

	for (int scope = SF_SCOPE_PROCESS; scope <= SF_SCOPE_TREE; scope++) {
		world_init(&w, specs, 1);
		w.rules.v[0]->scope = scope;
		CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
		CU_ASSERT_EQUAL(call(&w, 1, NR_READ, 0), 1);
		CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
		world_release(&w);
	}
}

static void test_rule__first_rule_in_order_acts_and_both_count(void)
{
	const char *specs[] = { "read:error=EIO:when=2", "read:error=EINTR:when=2+" };
	struct world w;

	world_init(&w, specs, 2);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 2);
	CU_ASSERT_EQUAL(w.tally[0].matched, 3);
	CU_ASSERT_EQUAL(w.tally[1].matched, 3);
	CU_ASSERT_EQUAL(w.tally[0].fired, 1);
	CU_ASSERT_EQUAL(w.tally[1].fired, 1);
	world_release(&w);
}

static void test_rule__limit_caps_injections(void)
{
	const char *specs[] = { "read:error=EIO" };
	struct world w;
	int fired = 0;

	world_init(&w, specs, 1);
	w.rules.v[0]->limit = 3;
	for (int i = 0; i < 10; i++)
		fired += call(&w, 0, NR_READ, 0) != 0;
	CU_ASSERT_EQUAL(fired, 3);
	CU_ASSERT_EQUAL(w.tally[0].matched, 10);
	world_release(&w);
}

static unsigned pattern(uint64_t seed, double p, char *out, int n)
{
	const char *specs[] = { "read:error=EIO" };
	struct world w;
	unsigned fired = 0;

	world_init(&w, specs, 1);
	w.rules.v[0]->probability = p;
	for (int i = 0; i < n; i++) {
		out[i] = call(&w, 0, NR_READ, seed) ? '1' : '0';
		fired += out[i] == '1';
	}
	out[n] = 0;
	world_release(&w);
	return fired;
}

static void test_rule__probability_is_reproducible_with_the_seed(void)
{
	char a[1001], b[1001], c[1001];
	unsigned fa = pattern(42, 0.25, a, 1000);

	pattern(42, 0.25, b, 1000);
	pattern(43, 0.25, c, 1000);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT(strcmp(a, c) != 0);
	/* 1000 draws at p=0.25: 250 expected, sd about 14. */
	CU_ASSERT(fa > 180 && fa < 320);
}

static void test_rule__probability_one_always_fires(void)
{
	char a[101];

	CU_ASSERT_EQUAL(pattern(7, 1.0, a, 100), 100);
}

static void test_rule__select_reports_union_of_sets(void)
{
	const char *specs[] = { "read:error=EIO", "write:error=EIO" };
	struct world w;

	world_init(&w, specs, 2);
	CU_ASSERT_TRUE(sf_rules_select(&w.rules, SF_ABI_X86_64, NR_READ));
	CU_ASSERT_TRUE(sf_rules_select(&w.rules, SF_ABI_X86_64, NR_WRITE));
	CU_ASSERT_FALSE(sf_rules_select(&w.rules, SF_ABI_X86_64, 39));
	CU_ASSERT_FALSE(sf_rules_select(&w.rules, SF_ABI_X86_64, SF_NR_LIMIT));
	world_release(&w);
}

/* A call from the program interpreter's code (IS_LOADER) by thread 0: the acting rule or 0. */
static unsigned loader_call(struct world *w, unsigned nr, bool is_loader)
{
	struct sf_units u = { &w->thread[0], &w->process, &w->tree, 1, 1 };
	const struct sf_rule *r = sf_rules_decide(&w->rules, w->tally, &u, 0, SF_ABI_X86_64, nr,
						  is_loader, NULL);
	return r ? r->index + 1 : 0;
}

static void test_rule__loader_calls_count_for_e_rules_and_skip_for_files(void)
{
	const char *specs[] = { "read:error=EIO:when=2", "read:error=EIO:when=2" };
	struct world w;

	world_init(&w, specs, 2);
	w.rules.v[1]->is_from_file = true;   /* as scenario.c marks a file's rules */
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_TRUE(sf_rules_skip_loader_calls(&w.rules));
	CU_ASSERT_EQUAL(loader_call(&w, NR_READ, true), 0);    /* -e: its 1st; the file's: none */
	CU_ASSERT_EQUAL(loader_call(&w, NR_READ, false), 1);   /* -e: its 2nd, acts; the file's 1st */
	CU_ASSERT_EQUAL(loader_call(&w, NR_READ, false), 2);   /* the file's 2nd */
	CU_ASSERT_EQUAL(w.tally[0].matched, 3);
	CU_ASSERT_EQUAL(w.tally[1].matched, 2);
	/* --loader-calls count: the file's rule counts them too, as it does not say */
	w.rules.loader_calls = SF_LOADER_CALLS_COUNT;
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_FALSE(sf_rules_skip_loader_calls(&w.rules));
	/* a rule that says wins over the option */
	w.rules.v[0]->loader_calls = SF_LOADER_CALLS_SKIP;
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_FALSE(w.rules.v[0]->counts_loader_calls);
	CU_ASSERT_TRUE(w.rules.v[1]->counts_loader_calls);
	world_release(&w);
}

void sf_test_register_rule(void)
{
	CU_pSuite s = CU_add_suite("unit_rule", NULL, NULL);

	CU_add_test(s, "counts each syscall separately", test_rule__counts_each_syscall_separately);
	CU_add_test(s, "unselected call is not counted", test_rule__unselected_call_is_not_counted);
	CU_add_test(s, "thread scope counts each thread from one", test_rule__thread_scope_counts_each_thread_from_one);
	CU_add_test(s, "process and tree scopes share one count", test_rule__process_and_tree_scopes_share_one_count);
	CU_add_test(s, "first rule in order acts and both count", test_rule__first_rule_in_order_acts_and_both_count);
	CU_add_test(s, "limit caps injections", test_rule__limit_caps_injections);
	CU_add_test(s, "probability is reproducible with the seed", test_rule__probability_is_reproducible_with_the_seed);
	CU_add_test(s, "probability one always fires", test_rule__probability_one_always_fires);
	CU_add_test(s, "select reports union of sets", test_rule__select_reports_union_of_sets);
	CU_add_test(s, "loader calls count for -e rules and skip for files",
		    test_rule__loader_calls_count_for_e_rules_and_skip_for_files);
}
