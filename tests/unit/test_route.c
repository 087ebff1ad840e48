/*
 * Unit tests of the notify engine's path per syscall number (route.c):
 * a number goes to the listener when every rule selecting it can answer
 * at the call's entry (error, retval, delay_enter, or not firing), and to
 * ptrace, for all of its rules, when one of them needs more; the run adds
 * its own needs (a record run, stacks in the log, CPU placement).  And the
 * -v line that says so, per rule.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "engine/route.h"
#include "rules/rule.h"
#include "rules/spec.h"

struct fixture {
	struct sf_rules rules;
	struct sf_route route;
};

/* The rules of SPECS (NULL-terminated) routed for RUN (NULL: a plain run). */
static void plan(struct fixture *fx, const char *const specs[], const struct sf_route_run *run)
{
	static const struct sf_route_run plain = { 0 };
	char why[256];

	sf_rules_init(&fx->rules);
	for (unsigned i = 0; specs[i]; i++) {
		struct sf_rule *r = sf_spec_parse(specs[i], why, sizeof(why));
		if (!r)
			fprintf(stderr, "\n%s: %s\n", specs[i], why);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL_FATAL(sf_rules_append(&fx->rules, r), 0);
	}
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(&fx->rules), 0);
	CU_ASSERT_EQUAL_FATAL(sf_route_plan(&fx->route, &fx->rules, run ? run : &plain), 0);
}

static void release(struct fixture *fx)
{
	sf_route_release(&fx->route);
	sf_rules_release(&fx->rules);
}

static bool listens(const struct fixture *fx, enum sf_abi abi, const char *name)
{
	int nr = sf_syscall_number(abi, name);

	CU_ASSERT_FATAL(nr >= 0);
	return sf_route_listens(&fx->route, abi, (unsigned)nr);
}

/* Whether the one rule SPEC has its call NAME answered by the listener. */
static bool one_rule_listens(const char *spec, const char *name)
{
	const char *const specs[] = { spec, NULL };
	struct fixture fx;

	plan(&fx, specs, NULL);
	bool yes = listens(&fx, SF_ABI_X86_64, name);
	release(&fx);
	return yes;
}

/* The -v line of rule I among SPECS under RUN. */
static const char *describe(const char *const specs[], const struct sf_route_run *run, unsigned i)
{
	static char line[512];
	struct fixture fx;

	plan(&fx, specs, run);
	sf_route_describe(&fx.route, &fx.rules, i, line, sizeof(line));
	release(&fx);
	return line;
}

static void test_route__entry_answers_go_to_the_listener(void)
{
	CU_ASSERT(one_rule_listens("write:error=ENOSPC:when=3", "write"));
	CU_ASSERT(one_rule_listens("getppid:retval=7", "getppid"));
	CU_ASSERT(one_rule_listens("nanosleep:delay_enter=10ms", "nanosleep"));
	CU_ASSERT(one_rule_listens("read:delay_enter=1ms:error=EIO", "read"));
	CU_ASSERT(one_rule_listens("openat:error=ENOENT:path=*.py", "openat"));
	CU_ASSERT(one_rule_listens("write:error=EIO:fd=1:when=2+", "write"));
	CU_ASSERT(one_rule_listens("getppid:error=EIO:when=65535:process=calls", "getppid"));
	CU_ASSERT(one_rule_listens("close:error=EIO:call=skip", "close"));
	/* close runs first, to its end, and its result is written at an interrupt as it returns. */
	CU_ASSERT(one_rule_listens("close:error=EIO", "close"));
	CU_ASSERT(one_rule_listens("close:retval=0:call=run", "close"));
	CU_ASSERT(one_rule_listens("close:delay_enter=1ms:error=EINTR", "close"));
	/* The caller waits killably: a signal queued while it waits arrives as the call returns. */
	CU_ASSERT(one_rule_listens("getppid:signal=SIGUSR1", "getppid"));
	CU_ASSERT(one_rule_listens("read:signal=SIGALRM:error=EINTR:when=3", "read"));
}

static void test_route__actions_needing_more_than_the_entry_go_to_ptrace(void)
{
	CU_ASSERT(!one_rule_listens("read:delay_exit=10ms", "read"));
	CU_ASSERT(!one_rule_listens("unlink:syscall=getpid:retval=0", "unlink"));
	CU_ASSERT(!one_rule_listens("fsync:error=EIO:call=run", "fsync"));
	CU_ASSERT(!one_rule_listens("read:error=EIO:call=run", "read"));
	CU_ASSERT(!one_rule_listens("read,close:error=EIO:call=run", "read"));
	CU_ASSERT(!one_rule_listens("read:short=1", "read"));
	CU_ASSERT(!one_rule_listens("read:poke_exit=@arg2=00", "read"));
	CU_ASSERT(!one_rule_listens("write:poke_enter=@arg2=00", "write"));
	CU_ASSERT(!one_rule_listens("write:error=EIO:caller=save_b", "write"));
}

/* short= on a call it cannot cut runs the call whole: nothing to put back at an exit. */
static void test_route__short_on_a_call_without_a_count_stays_with_the_listener(void)
{
	CU_ASSERT(one_rule_listens("read,getppid:short=1", "getppid"));
	CU_ASSERT(!one_rule_listens("read,getppid:short=1", "read"));
}

/* One filter action per number: a rule that needs ptrace takes the other rules' calls of it along. */
static void test_route__one_ptrace_rule_takes_its_number_only(void)
{
	const char *const specs[] = { "read,write:error=EIO:when=3", "read:delay_exit=1ms", NULL };
	struct fixture fx;

	plan(&fx, specs, NULL);
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "read"));
	CU_ASSERT(listens(&fx, SF_ABI_X86_64, "write"));
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "getppid"));   /* no rule selects it */
	release(&fx);
}

/* Each ABI's number is its own: i386's write may need ptrace while x86_64's does not. */
static void test_route__each_abi_is_routed_on_its_own(void)
{
	const char *const specs[] = { "write:error=EIO", "write@32:delay_exit=1ms", NULL };
	struct fixture fx;

	plan(&fx, specs, NULL);
	CU_ASSERT(listens(&fx, SF_ABI_X86_64, "write"));
	CU_ASSERT(listens(&fx, SF_ABI_X32, "write"));
	CU_ASSERT(!listens(&fx, SF_ABI_I386, "write"));
	release(&fx);
}

static void test_route__the_run_can_need_ptrace_for_everything(void)
{
	const char *const specs[] = { "getppid:error=EIO", NULL };
	const struct sf_route_run record = { .is_record = true };
	const struct sf_route_run stacks = { .logs_stacks = true };
	struct fixture fx;

	plan(&fx, specs, &record);
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "getppid"));
	CU_ASSERT_EQUAL(fx.route.nlistened, 0);
	release(&fx);
	plan(&fx, specs, &stacks);
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "getppid"));
	release(&fx);
}

/* While placement pins the tree, the affinity calls' results are rewritten at their exit. */
static void test_route__placement_keeps_the_affinity_calls_on_ptrace(void)
{
	const char *const specs[] = { "sched_getaffinity,getppid:error=EPERM", NULL };
	const struct sf_route_run pinned = { .watch_affinity = true };
	struct fixture fx;

	plan(&fx, specs, &pinned);
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "sched_getaffinity"));
	CU_ASSERT(listens(&fx, SF_ABI_X86_64, "getppid"));
	release(&fx);
	plan(&fx, specs, NULL);
	CU_ASSERT(listens(&fx, SF_ABI_X86_64, "sched_getaffinity"));
	release(&fx);
}

/* -e trace= leaves a number unselected: it is routed nowhere. */
static void test_route__a_call_no_rule_selects_is_routed_nowhere(void)
{
	const char *const specs[] = { "read,write:error=EIO", NULL };
	struct fixture fx;

	plan(&fx, specs, NULL);
	sf_route_release(&fx.route);
	fx.rules.has_traced = true;
	sf_sysset_add(&fx.rules.traced, SF_ABI_X86_64, (unsigned)sf_syscall_number(SF_ABI_X86_64, "write"));
	CU_ASSERT_EQUAL_FATAL(sf_route_plan(&fx.route, &fx.rules, &(struct sf_route_run){ 0 }), 0);
	CU_ASSERT(!listens(&fx, SF_ABI_X86_64, "read"));
	CU_ASSERT(listens(&fx, SF_ABI_X86_64, "write"));
	CU_ASSERT(!sf_route_listens(NULL, SF_ABI_X86_64, 1));
	CU_ASSERT(!sf_route_listens(&fx.route, SF_ABI_X86_64, SF_NR_LIMIT));
	release(&fx);
}

static void test_route__the_v_line_says_which_path_and_why(void)
{
	const char *const one[] = { "write:error=ENOSPC:when=3", NULL };
	const char *const exit_delay[] = { "read:delay_exit=1s", NULL };
	const char *const desc[] = { "read,write,close:error=EIO", "write:delay_exit=1ms", "read:error=EIO:call=run",
				     NULL };
	const struct sf_route_run record = { .is_record = true };

	CU_ASSERT_STRING_EQUAL(describe(one, NULL, 0), "notify");
	CU_ASSERT_STRING_EQUAL(describe(exit_delay, NULL, 0), "ptrace: delay_exit= holds the call at its exit");
	CU_ASSERT_STRING_EQUAL(describe(one, &record, 0),
			       "ptrace: a record run logs each call's clean result at its exit");
	CU_ASSERT_STRING_EQUAL(describe(desc, NULL, 0),
			       "notify, ptrace for read (rule 3 selects it too and needs ptrace); "
			       "ptrace for write (rule 2 selects it too and needs ptrace)");
	CU_ASSERT_STRING_EQUAL(describe(desc, NULL, 1), "ptrace: delay_exit= holds the call at its exit");
	CU_ASSERT_STRING_EQUAL(describe(desc, NULL, 2),
			       "ptrace: the call runs first and its result is replaced at its exit");
}

/* Many calls for one reason: three names, then "and more". */
static void test_route__the_v_line_names_a_few_calls(void)
{
	const char *const specs[] = { "%desc:error=EIO:call=run", NULL };
	const char *line = describe(specs, NULL, 0);

	/* close, of %desc, is answered at the listener; the others run first at ptrace. */
	CU_ASSERT(!strncmp(line, "notify, ptrace for ", 19));
	CU_ASSERT(strstr(line, " and more (the call runs first and its result is replaced at its exit)") != NULL);
	const char *const many[] = { "%desc,getppid:error=EIO", "%desc:delay_exit=1ms", NULL };
	line = describe(many, NULL, 0);
	CU_ASSERT(strstr(line, " and more (rule 2 selects it too and needs ptrace)") != NULL);
	CU_ASSERT(!strncmp(line, "notify, ptrace for ", 19));
}

void sf_test_register_route(void)
{
	CU_pSuite s = CU_add_suite("unit_route", NULL, NULL);

	CU_add_test(s, "entry answers go to the listener", test_route__entry_answers_go_to_the_listener);
	CU_add_test(s, "actions needing more than the entry go to ptrace",
		    test_route__actions_needing_more_than_the_entry_go_to_ptrace);
	CU_add_test(s, "short on a call without a count stays with the listener",
		    test_route__short_on_a_call_without_a_count_stays_with_the_listener);
	CU_add_test(s, "one ptrace rule takes its number only", test_route__one_ptrace_rule_takes_its_number_only);
	CU_add_test(s, "each abi is routed on its own", test_route__each_abi_is_routed_on_its_own);
	CU_add_test(s, "the run can need ptrace for everything", test_route__the_run_can_need_ptrace_for_everything);
	CU_add_test(s, "placement keeps the affinity calls on ptrace",
		    test_route__placement_keeps_the_affinity_calls_on_ptrace);
	CU_add_test(s, "a call no rule selects is routed nowhere", test_route__a_call_no_rule_selects_is_routed_nowhere);
	CU_add_test(s, "the -v line says which path and why", test_route__the_v_line_says_which_path_and_why);
	CU_add_test(s, "the -v line names a few calls", test_route__the_v_line_names_a_few_calls);
}
