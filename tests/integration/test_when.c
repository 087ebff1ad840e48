/*
 * integ_when: which occurrence a rule acts on (strace's when=), counting per
 * syscall, several rules on one syscall, limit, and probability replayed
 * from a seed.  calls prints every getppid/write the program made.
 */
#include "harness.h"

#include <stdlib.h>

#define T 20.0

static struct sf_proc run_spec(const char *spec, const char *syscalls, const char *count)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec, "--",
		     sf_test_target("calls"), syscalls, count, NULL);
	return p;
}

static struct sf_proc run_scenario(const char *cfg, const char *seed, const char *count)
{
	struct sf_proc p;
	if (seed)
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--seed", seed, "-s", cfg, "--",
			     sf_test_target("calls"), "getppid", count, NULL);
	else
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--",
			     sf_test_target("calls"), "getppid", count, NULL);
	return p;
}

static void test_when__n_fails_only_the_nth_call(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=3", "getppid", "6");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok EIO ok ok ok");
	sf_proc_release(&p);
}

static void test_when__first_call_is_one(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=1", "getppid", "3");
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO ok ok");
	sf_proc_release(&p);
}

static void test_when__n_plus_fails_from_the_nth_on(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=4+", "getppid", "7");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok EIO EIO EIO EIO");
	sf_proc_release(&p);
}

static void test_when__n_plus_step_fails_every_step_from_n(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=3+2", "getppid", "8");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok EIO ok EIO ok EIO ok");
	sf_proc_release(&p);
}

static void test_when__range_with_step_stops_at_the_last(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=2..6+2", "getppid", "9");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok EIO ok EIO ok ok ok");
	sf_proc_release(&p);
}

static void test_when__range_fails_every_call_in_it(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=2..4", "getppid", "6");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO EIO EIO ok ok");
	sf_proc_release(&p);
}

static void test_when__beyond_the_calls_made_never_fires(void)
{
	struct sf_proc p = run_spec("getppid:error=EIO:when=10", "getppid", "5");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok ok ok");
	SF_ASSERT_PROC(strstr(p.err, "matched 5, injected 0") != NULL, &p);
	sf_proc_release(&p);
}

/* Every syscall of a set counts on its own: the 2nd getppid and the 2nd
 * write fail, not the 2nd call of the set.  (read is not used here because
 * the dynamic loader reads before main; write and getppid it never makes.) */
static void test_when__each_syscall_of_a_set_counts_separately(void)
{
	struct sf_proc p = run_spec("getppid,write:error=EIO:when=2", "getppid,write", "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "write", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_when__other_syscalls_do_not_advance_the_count(void)
{
	struct sf_proc p = run_spec("write:error=ENOSPC:when=2", "getppid,getuid,write", "3");
	SF_ASSERT_OUTCOMES(&p, "write", "ok ENOSPC ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "getuid", "ok ok ok");
	sf_proc_release(&p);
}

/* Rules in command-line order; the first whose trigger fires acts, and both
 * count the call. */
static void test_when__first_rule_in_order_acts(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run",
		     "-e", "getppid:error=EIO:when=2", "-e", "getppid:error=EPERM:when=2..3", "--",
		     sf_test_target("calls"), "getppid", "4", NULL);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO EPERM ok");
	sf_proc_release(&p);
}

static void test_when__every_rule_counts_a_call_it_selects(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run",
		     "-e", "getppid:error=EIO:when=2", "-e", "getppid:error=EPERM:when=2..3", "--",
		     sf_test_target("calls"), "getppid", "4", NULL);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 -e 'getppid:error=EIO:when=2': matched 4, injected 1"), &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 2 -e 'getppid:error=EPERM:when=2..3': matched 4, injected 1"), &p);
	sf_proc_release(&p);
}

static void test_when__scenario_rules_act_in_file_order(void)
{
	const char *cfg = sf_test_tmpfile("order.cfg",
		"rules = (\n"
		"  { name = \"first\"; syscalls = \"getppid\"; error = \"EIO\"; when = \"3\"; },\n"
		"  { name = \"second\"; syscalls = \"getppid\"; error = \"EPERM\"; when = \"2+\"; }\n"
		");\n");
	struct sf_proc p = run_scenario(cfg, NULL, "4");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EPERM EIO EPERM");
	char line[1024];
	snprintf(line, sizeof(line), "sysfault: rule 1 \"first\" (%s:2): matched 4, injected 1", cfg);
	SF_ASSERT_PROC(sf_has_line(p.err, line), &p);
	snprintf(line, sizeof(line), "sysfault: rule 2 \"second\" (%s:3): matched 4, injected 2", cfg);
	SF_ASSERT_PROC(sf_has_line(p.err, line), &p);
	sf_proc_release(&p);
}

static void test_when__limit_caps_injections_over_the_run(void)
{
	const char *cfg = sf_test_tmpfile("limit.cfg",
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; limit = 2; } );\n");
	struct sf_proc p = run_scenario(cfg, NULL, "5");
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO EIO ok ok ok");
	SF_ASSERT_PROC(strstr(p.err, "matched 5, injected 2") != NULL, &p);
	sf_proc_release(&p);
}

static void test_when__limit_counts_only_calls_when_selects(void)
{
	const char *cfg = sf_test_tmpfile("limit-when.cfg",
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; when = \"2+2\"; limit = 2; } );\n");
	struct sf_proc p = run_scenario(cfg, NULL, "7");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok EIO ok ok ok");
	sf_proc_release(&p);
}

static const char *probability_cfg(void)
{
	return sf_test_tmpfile("half.cfg",
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; probability = 0.5; } );\n");
}

static void test_when__probability_fails_some_calls_not_all(void)
{
	struct sf_proc p = run_scenario(probability_cfg(), "7", "64");
	int failed = sf_count_lines_with(p.out, "errno=EIO");
	/* 64 fair coins: all or none has probability 2^-63. */
	SF_ASSERT_PROC(failed > 0 && failed < 64, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "getppid ") == 64, &p);
	sf_proc_release(&p);
}

/* Every call's outcome, without the timings that differ between runs. */
static char *outcomes_of(const struct sf_proc *p, int n)
{
	return strdup(sf_outcomes(p->out, "getppid", n));
}

static void test_when__same_seed_replays_the_same_failures(void)
{
	struct sf_proc a = run_scenario(probability_cfg(), "7", "64");
	struct sf_proc b = run_scenario(probability_cfg(), "7", "64");
	char *oa = outcomes_of(&a, 64), *ob = outcomes_of(&b, 64);
	if (strcmp(oa, ob))
		fprintf(stderr, "\n--- seed 7 first run:  %s\n--- seed 7 second run: %s\n", oa, ob);
	SF_ASSERT_PROC(!strcmp(oa, ob), &b);
	SF_ASSERT_PROC(sf_has_line(a.err, "sysfault: seed 7"), &a);
	free(oa);
	free(ob);
	sf_proc_release(&a);
	sf_proc_release(&b);
}

static void test_when__another_seed_gives_other_failures(void)
{
	struct sf_proc a = run_scenario(probability_cfg(), "7", "64");
	struct sf_proc b = run_scenario(probability_cfg(), "8", "64");
	char *oa = outcomes_of(&a, 64), *ob = outcomes_of(&b, 64);
	SF_ASSERT_PROC(strcmp(oa, ob) != 0, &b);   /* equal with probability 2^-64 */
	free(oa);
	free(ob);
	sf_proc_release(&a);
	sf_proc_release(&b);
}

/* Without --seed a seed is chosen, printed, and replays the run. */
static void test_when__printed_seed_replays_the_run(void)
{
	struct sf_proc a = run_scenario(probability_cfg(), NULL, "64");
	const char *line = strstr(a.err, "sysfault: seed ");
	SF_ASSERT_PROC(line != NULL, &a);
	if (!line) {
		sf_proc_release(&a);
		return;
	}
	char seed[32];
	snprintf(seed, sizeof(seed), "%.*s", (int)strcspn(line + 15, "\n"), line + 15);
	struct sf_proc b = run_scenario(probability_cfg(), seed, "64");
	char *oa = outcomes_of(&a, 64), *ob = outcomes_of(&b, 64);
	SF_ASSERT_PROC(!strcmp(oa, ob), &b);
	free(oa);
	free(ob);
	sf_proc_release(&a);
	sf_proc_release(&b);
}

static void test_when__scenario_seed_is_used_and_shown(void)
{
	const char *cfg = sf_test_tmpfile("seeded.cfg",
		"seed = 42;\n"
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; probability = 0.5; } );\n");
	struct sf_proc a = run_scenario(cfg, NULL, "64");
	struct sf_proc b = run_scenario(probability_cfg(), "42", "64");
	SF_ASSERT_PROC(sf_has_line(a.err, "sysfault: seed 42"), &a);
	char *oa = outcomes_of(&a, 64), *ob = outcomes_of(&b, 64);
	SF_ASSERT_PROC(!strcmp(oa, ob), &a);
	free(oa);
	free(ob);
	sf_proc_release(&a);
	sf_proc_release(&b);
}

static void test_when__seed_option_overrides_the_scenario_seed(void)
{
	const char *cfg = sf_test_tmpfile("seeded2.cfg",
		"seed = 42;\n"
		"rules = ( { syscalls = \"getppid\"; error = \"EIO\"; probability = 0.5; } );\n");
	struct sf_proc p = run_scenario(cfg, "9", "4");
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: seed 9"), &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_when(void)
{
	CU_pSuite s = CU_add_suite("integ_when", NULL, NULL);
	CU_add_test(s, "when=N fails only the Nth call", test_when__n_fails_only_the_nth_call);
	CU_add_test(s, "the first call is 1", test_when__first_call_is_one);
	CU_add_test(s, "when=N+ fails from the Nth on", test_when__n_plus_fails_from_the_nth_on);
	CU_add_test(s, "when=N+S fails every S from N", test_when__n_plus_step_fails_every_step_from_n);
	CU_add_test(s, "when=2..6+2 stops at the last", test_when__range_with_step_stops_at_the_last);
	CU_add_test(s, "when=N..M fails each call in it", test_when__range_fails_every_call_in_it);
	CU_add_test(s, "when beyond the calls never fires", test_when__beyond_the_calls_made_never_fires);
	CU_add_test(s, "each syscall of a set counts separately", test_when__each_syscall_of_a_set_counts_separately);
	CU_add_test(s, "other syscalls do not advance the count", test_when__other_syscalls_do_not_advance_the_count);
	CU_add_test(s, "first rule in order acts", test_when__first_rule_in_order_acts);
	CU_add_test(s, "every rule counts a call it selects", test_when__every_rule_counts_a_call_it_selects);
	CU_add_test(s, "scenario rules act in file order", test_when__scenario_rules_act_in_file_order);
	CU_add_test(s, "limit caps injections", test_when__limit_caps_injections_over_the_run);
	CU_add_test(s, "limit counts only calls when selects", test_when__limit_counts_only_calls_when_selects);
	CU_add_test(s, "probability fails some calls, not all", test_when__probability_fails_some_calls_not_all);
	CU_add_test(s, "same seed replays the same failures", test_when__same_seed_replays_the_same_failures);
	CU_add_test(s, "another seed gives other failures", test_when__another_seed_gives_other_failures);
	CU_add_test(s, "printed seed replays the run", test_when__printed_seed_replays_the_run);
	CU_add_test(s, "scenario seed is used and shown", test_when__scenario_seed_is_used_and_shown);
	CU_add_test(s, "--seed overrides the scenario seed", test_when__seed_option_overrides_the_scenario_seed);
}
