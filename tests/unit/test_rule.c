/*
 * Unit tests of rule matching: per-syscall counters, scopes, several rules
 * on one call, limit, and seeded probability.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "rules/spec.h"
#include "rules/when.h"

enum { NR_READ = 0, NR_WRITE = 1 };   /* x86_64 numbers */

struct world {
	struct sf_rules rules;
	struct sf_counters *thread[2], *process, *tree;
	struct sf_rule_tally *tally;     /* what a run owns: the rules stay untouched */
};

enum { WORLD_MAX_RULES = 10001 };

static void world_init(struct world *w, const char *const specs[], int n)
{
	char why[256];

	memset(w, 0, sizeof(*w));
	w->tally = calloc(WORLD_MAX_RULES, sizeof(*w->tally));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->tally);
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
	free(w->tally);
}

/* A call of NR on ABI with no arguments, for rules without filters. */
static const struct sf_call_view *bare(enum sf_abi abi, unsigned nr)
{
	static const uint64_t no_args[6];
	static struct sf_call_view v;

	v = (struct sf_call_view){ .abi = abi, .nr = nr, .args = no_args };
	return &v;
}

/* One call of NR by thread T (0 or 1, same process); the acting rule's 1-based index or 0. */
static unsigned call(struct world *w, int t, unsigned nr, uint64_t seed)
{
	struct sf_units u = { &w->thread[t], &w->process, &w->tree, (uint64_t)t + 1, 1 };
	const struct sf_rule *r = sf_rules_decide(&w->rules, w->tally, &u, seed, bare(SF_ABI_X86_64, nr), false, NULL);
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
	const struct sf_rule *r = sf_rules_decide(&w->rules, w->tally, &u, 0, bare(SF_ABI_X86_64, nr),
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

/* ---- memory: what rules and units hold grows with what they select and call ---- */

/* A rule selecting the x86_64 calls NRS (N of them), with strace's defaults. */
static struct sf_rule *rule_of(const unsigned nrs[], int n)
{
	struct sf_rule *r = sf_rule_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (int i = 0; i < n; i++)
		sf_sysset_add(&r->set, SF_ABI_X86_64, nrs[i]);
	return r;
}

static size_t set_size(const struct sf_sysset *s)
{
	size_t n = 0;

	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
			n += (size_t)__builtin_popcountll(s->bits[abi][w]);
	return n;
}

static void test_rule__pairs_are_the_calls_each_rule_selects(void)
{
	const char *specs[] = { "all:error=EIO" };
	struct world w;

	world_init(&w, specs, 1);
	size_t all = set_size(&w.rules.v[0]->set);
	CU_ASSERT(all > 300);
	for (unsigned i = 0; i < 10000; i++)
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w.rules, rule_of(&(unsigned){ i % 100 }, 1)), 0);
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_EQUAL(sf_rules_pair_count(&w.rules), all + 10000);
	/* finalizing again (as after every load) adds nothing */
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_EQUAL(sf_rules_pair_count(&w.rules), all + 10000);
	world_release(&w);
}

static void test_rule__finalize_after_each_rule_indexes_each_once(void)
{
	struct world w;
	size_t want = 0;

	world_init(&w, NULL, 0);
	for (unsigned i = 0; i < 3; i++) {
		const unsigned nrs[] = { NR_READ, NR_WRITE, 39 };
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w.rules, rule_of(nrs, (int)i + 1)), 0);
		CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
		want += i + 1;
		CU_ASSERT_EQUAL(sf_rules_pair_count(&w.rules), want);
	}
	/* each rule counts each call once: twice in a list would count it twice */
	w.rules.v[1]->when = (struct sf_when){ 2, SF_WHEN_LAST_INF, 1 };
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);    /* rule 1 acts; rule 2 counts its 1st */
	CU_ASSERT_EQUAL(call(&w, 0, NR_WRITE, 0), 3);   /* rule 2's 1st write; rule 3 acts */
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);
	CU_ASSERT_EQUAL(w.tally[0].matched, 2);
	CU_ASSERT_EQUAL(w.tally[1].matched, 3);
	CU_ASSERT_EQUAL(w.tally[2].matched, 3);
	CU_ASSERT_EQUAL(w.tally[1].fired, 0);
	CU_ASSERT_EQUAL(w.tally[2].fired, 1);
	world_release(&w);
}

static void test_rule__rule_added_after_a_call_counts_from_one(void)
{
	const char *specs[] = { "read:error=EIO:when=3" };
	struct world w;

	world_init(&w, specs, 1);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);
	CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w.rules, rule_of(&(unsigned){ NR_READ }, 1)), 0);
	w.rules.v[1]->when = (struct sf_when){ 2, 2, 1 };
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 0);    /* rule 1's 2nd, rule 2's 1st */
	CU_ASSERT_EQUAL(call(&w, 0, NR_READ, 0), 1);    /* rule 1's 3rd acts; rule 2's 2nd too */
	CU_ASSERT_EQUAL(w.tally[1].matched, 2);
	CU_ASSERT_EQUAL(sf_counters_held(w.thread[0]), 2);
	world_release(&w);
}

static void test_rule__units_hold_counters_only_for_calls_they_make(void)
{
	struct world w;

	world_init(&w, NULL, 0);
	for (unsigned i = 0; i < 10000; i++)
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w.rules, rule_of(&(unsigned){ i % 100 }, 1)), 0);
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	call(&w, 0, 5, 0);
	call(&w, 0, 5, 0);
	CU_ASSERT_EQUAL(sf_counters_held(w.thread[0]), 100);   /* the 100 rules of call 5 */
	call(&w, 0, 6, 0);
	CU_ASSERT_EQUAL(sf_counters_held(w.thread[0]), 200);
	call(&w, 1, 100, 0);                                   /* no rule selects it */
	CU_ASSERT_PTR_NULL(w.thread[1]);
	CU_ASSERT_PTR_NULL(w.process);                         /* no rule counts per process */
	CU_ASSERT_PTR_NULL(w.tree);
	world_release(&w);
}

/*
 * ---- randomized: sf_rules_decide against the plain definition ----
 * The reference walks every rule in order, keeps one counter per (unit,
 * rule, ABI, number) and rolls as README says: a splitmix64 chain over the
 * seed, the rule's index, the unit's serial, the call and its occurrence.
 */
enum { REF_RULES = 10, REF_NRS = 12, REF_THREADS = 4, REF_UNITS = REF_THREADS + 2 + 1 };

struct ref_counter {
	bool is_set;
	uint16_t first, last;
	uint32_t seen;
};

struct ref {
	struct ref_counter c[REF_UNITS][REF_RULES][2][REF_NRS];
	struct sf_rule_tally tally[REF_RULES];
};

static uint64_t ref_mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static bool ref_roll(const struct sf_rule *r, uint64_t seed, uint64_t serial, enum sf_abi abi,
		     unsigned nr, uint32_t seen)
{
	if (r->probability >= 1.0)
		return true;
	uint64_t h = ref_mix64(seed ^ ref_mix64(r->index + 1));
	h = ref_mix64(h ^ serial);
	h = ref_mix64(h ^ ((uint64_t)abi << 32 | nr));
	h = ref_mix64(h ^ seen);
	return (double)(h >> 11) * 0x1.0p-53 < r->probability;
}

/* Thread T (0..3) is in process T / 2; units: threads 0..3, processes 4..5, tree 6. */
static int ref_decide(struct ref *ref, const struct sf_rules *rules, uint64_t seed, int t,
		      enum sf_abi abi, unsigned nr, bool is_loader, uint64_t *occurrence)
{
	int acting = -1;

	for (unsigned i = 0; i < rules->n; i++) {
		const struct sf_rule *r = rules->v[i];
		if (!sf_sysset_has(&r->set, abi, nr) || (is_loader && !r->counts_loader_calls))
			continue;
		int unit = r->scope == SF_SCOPE_THREAD ? t : r->scope == SF_SCOPE_PROCESS ? 4 + t / 2 : 6;
		uint64_t serial = r->scope == SF_SCOPE_THREAD ? (uint64_t)t + 1
				: r->scope == SF_SCOPE_PROCESS ? (uint64_t)t / 2 + 1 : 0;
		struct ref_counter *c = &ref->c[unit][i][abi == SF_ABI_I386][nr];
		if (!c->is_set)
			*c = (struct ref_counter){ true, r->when.first, r->when.last, 0 };
		c->seen++;
		ref->tally[i].matched++;
		if (!sf_when_step(&r->when, &c->first, &c->last) || acting >= 0)
			continue;
		if (r->limit && ref->tally[i].fired >= r->limit)
			continue;
		if (!ref_roll(r, seed, serial, abi, nr, c->seen))
			continue;
		acting = (int)i;
		ref->tally[i].fired++;
		*occurrence = c->seen;
	}
	return acting;
}

static uint64_t rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (unsigned)(rnd_state >> 33) % n;
}

static struct sf_rule *random_rule(void)
{
	struct sf_rule *r = sf_rule_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (unsigned k = rnd(4) + 1; k; k--)
		sf_sysset_add(&r->set, rnd(3) ? SF_ABI_X86_64 : SF_ABI_I386, rnd(REF_NRS - 2));
	uint16_t first = (uint16_t)(rnd(4) + 1);
	r->when = (struct sf_when){ first, rnd(2) ? SF_WHEN_LAST_INF : (uint16_t)(first + rnd(6)),
				    (uint16_t)rnd(4) };
	r->limit = rnd(3) ? 0 : rnd(3) + 1;
	r->probability = rnd(2) ? 1.0 : 0.5;
	r->scope = (enum sf_scope)rnd(3);
	r->is_from_file = rnd(3) == 0;
	return r;
}

/* Units as test_rule's world has them, for four threads in two processes. */
struct world4 {
	struct sf_counters *thread[REF_THREADS], *process[2], *tree;
};

static void one_random_run(uint64_t seed)
{
	struct world w;
	struct world4 u4 = { 0 };
	struct ref *ref = calloc(1, sizeof(*ref));
	unsigned n = rnd(REF_RULES) + 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	world_init(&w, NULL, 0);
	bool is_stepwise = rnd(2);
	for (unsigned i = 0; i < n; i++) {
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&w.rules, random_rule()), 0);
		if (is_stepwise)
			CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	}
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&w.rules), 0);
	struct sf_rule_tally tally[REF_RULES] = { { 0 } };
	for (int k = 0; k < 400; k++) {
		int t = (int)rnd(REF_THREADS);
		enum sf_abi abi = rnd(3) ? SF_ABI_X86_64 : SF_ABI_I386;
		unsigned nr = rnd(REF_NRS);
		bool is_loader = rnd(5) == 0;
		struct sf_units u = { &u4.thread[t], &u4.process[t / 2], &u4.tree,
				      (uint64_t)t + 1, (uint64_t)t / 2 + 1 };
		uint64_t got_occ = 0, want_occ = 0;
		const struct sf_rule *got = sf_rules_decide(&w.rules, tally, &u, seed, bare(abi, nr),
							    is_loader, &got_occ);
		int want = ref_decide(ref, &w.rules, seed, t, abi, nr, is_loader, &want_occ);
		CU_ASSERT_EQUAL(got ? (int)got->index : -1, want);
		if (got && want >= 0)
			CU_ASSERT_EQUAL(got_occ, want_occ);
	}
	for (unsigned i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(tally[i].matched, ref->tally[i].matched);
		CU_ASSERT_EQUAL(tally[i].fired, ref->tally[i].fired);
	}
	for (int t = 0; t < REF_THREADS; t++)
		sf_counters_free(u4.thread[t]);
	sf_counters_free(u4.process[0]);
	sf_counters_free(u4.process[1]);
	sf_counters_free(u4.tree);
	free(ref);
	world_release(&w);
}

static void test_rule__decide_matches_the_reference_on_random_runs(void)
{
	rnd_state = 20240917;
	for (uint64_t seed = 1; seed <= 300; seed++)
		one_random_run(seed);
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
	CU_add_test(s, "pairs are the calls each rule selects", test_rule__pairs_are_the_calls_each_rule_selects);
	CU_add_test(s, "finalize after each rule indexes each once", test_rule__finalize_after_each_rule_indexes_each_once);
	CU_add_test(s, "rule added after a call counts from one", test_rule__rule_added_after_a_call_counts_from_one);
	CU_add_test(s, "units hold counters only for calls they make",
		    test_rule__units_hold_counters_only_for_calls_they_make);
	CU_add_test(s, "decide matches the reference on random runs",
		    test_rule__decide_matches_the_reference_on_random_runs);
}
