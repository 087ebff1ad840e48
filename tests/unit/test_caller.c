/*
 * unit_caller: the `caller` filter (filter.h) on stacks a fake view gives:
 * its grammar in -e and in scenario files, how globs, '!' exclusions and
 * GCC's suffixes match function names, that frames without names match
 * nothing, that `when` counts only the calls under a matching function,
 * and that the stack is asked for last and only when a caller rule needs it.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/call_view.h"
#include "engine/tracee.h"
#include "fake_view.h"
#include "harness.h"
#include "rules/filter.h"
#include "rules/rule.h"
#include "rules/scenario.h"
#include "rules/spec.h"

/* A stack given as function names, innermost first; NULL entries are frames without a name. */
struct fake_stack {
	struct sf_frame frame[8];
	struct sf_frames frames;
	unsigned asked;          /* how often the filters asked for the stack */
};


static const struct sf_frames *fake_stack(void *ctx)
{
	struct fake_stack *s = ctx;

	s->asked++;
	return &s->frames;
}

static const struct sf_call_view_ops fake_ops = {
	sf_fake_no_path, sf_fake_no_fd_path, sf_fake_no_fd_type, sf_fake_no_name, sf_fake_no_name, fake_stack,
};

/* FUNCTIONS: up to 8 names, innermost first, "-" for a frame without one. */
static void stack_of(struct fake_stack *s, const char *const functions[], unsigned n)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < n && i < 8; i++) {
		s->frame[i].module = "/bin/app";
		s->frame[i].offset = 0x1000 + i;
		s->frame[i].function = strcmp(functions[i], "-") ? functions[i] : NULL;
	}
	s->frames = (struct sf_frames){ s->frame, n };
}
#define STACK(s, ...) stack_of(s, (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static struct sf_rule *rule_of(const char *spec)
{
	char why[512] = "";
	struct sf_rule *r = sf_spec_parse(spec, why, sizeof(why));

	if (!r)
		fprintf(stderr, "\n'%s': %s\n", spec, why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

static const char *refused(const char *spec)
{
	static char why[512];
	struct sf_rule *r = sf_spec_parse(spec, why, sizeof(why));

	CU_ASSERT_PTR_NULL(r);
	sf_rule_free(r);
	return why;
}

static struct sf_call_view view_on(struct fake_stack *s, const uint64_t args[6])
{
	int nr = sf_syscall_number(SF_ABI_X86_64, "write");

	CU_ASSERT_FATAL(nr >= 0);
	return (struct sf_call_view){ SF_ABI_X86_64, (unsigned)nr, args, &fake_ops, s };
}

static bool matches(const char *spec, struct fake_stack *s)
{
	static const uint64_t args[6] = { 3 };
	struct sf_rule *r = rule_of(spec);
	struct sf_call_view v = view_on(s, args);
	bool m = sf_filter_matches(&r->filter, &v);

	sf_rule_free(r);
	return m;
}

static void test_caller__any_frame_of_the_stack_matches(void)
{
	struct fake_stack s;

	STACK(&s, "__write", "put", "save_b", "main", "__libc_start_call_main", "_start");
	CU_ASSERT(matches("write:error=EIO:caller=save_b", &s));
	CU_ASSERT(matches("write:error=EIO:caller=__write", &s));   /* the innermost, libc's own */
	CU_ASSERT(matches("write:error=EIO:caller=_start", &s));    /* the outermost */
	CU_ASSERT(!matches("write:error=EIO:caller=save_a", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=save", &s));     /* a whole name, not a prefix */
	CU_ASSERT(matches("write:error=EIO:caller=save_?", &s));
	CU_ASSERT(matches("write:error=EIO:caller=*_b", &s));
	/* A list: any of them. */
	CU_ASSERT(matches("write:error=EIO:caller=save_a:caller=save_b", &s));
}

static void test_caller__exclusions_win_over_inclusions(void)
{
	struct fake_stack s;

	STACK(&s, "__write", "put", "save_a", "flush_all", "main");
	CU_ASSERT(!matches("write:error=EIO:caller=!save_a", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=put:caller=!save_*", &s));
	CU_ASSERT(matches("write:error=EIO:caller=!save_b", &s));   /* only exclusions: the rest passes */
	CU_ASSERT(matches("write:error=EIO:caller=flush_*:caller=!save_b", &s));
	STACK(&s, "__write", "put", "save_b", "main");
	CU_ASSERT(matches("write:error=EIO:caller=!save_a", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=flush_*:caller=!save_a", &s));
}

/* GCC's copies of a function and symbol versions match by the name the user wrote. */
static void test_caller__gcc_suffixes_and_symbol_versions_match_the_plain_name(void)
{
	struct fake_stack s;

	STACK(&s, "__write", "put.constprop.0", "save_b.cold", "__libc_start_main@@GLIBC_2.34");
	CU_ASSERT(matches("write:error=EIO:caller=put", &s));
	CU_ASSERT(matches("write:error=EIO:caller=save_b", &s));
	CU_ASSERT(matches("write:error=EIO:caller=save_b.cold", &s));   /* the whole name too */
	CU_ASSERT(matches("write:error=EIO:caller=__libc_start_main", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=!save_b", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=constprop", &s));
}

/* A stripped program: frames without names match nothing, not even an exclusion-only rule. */
static void test_caller__frames_without_names_match_nothing(void)
{
	struct fake_stack s;

	STACK(&s, "-", "-", "-");
	CU_ASSERT(!matches("write:error=EIO:caller=save_b", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=*", &s));
	CU_ASSERT(!matches("write:error=EIO:caller=!save_b", &s));
	STACK(&s, "__write", "-", "-");
	CU_ASSERT(!matches("write:error=EIO:caller=save_b", &s));
	CU_ASSERT(matches("write:error=EIO:caller=__write", &s));
	stack_of(&s, NULL, 0);   /* a thread that could not be unwound */
	CU_ASSERT(!matches("write:error=EIO:caller=*", &s));
}

/* The stack is the dearest answer: asked only by caller rules, after every other filter. */
static void test_caller__stack_is_asked_last_and_only_for_caller_rules(void)
{
	struct fake_stack s;
	const uint64_t to3[6] = { 3 }, to4[6] = { 4 };

	STACK(&s, "__write", "save_b");
	struct sf_rule *r = rule_of("write:error=EIO:fd=3:caller=save_b");
	struct sf_call_view v = view_on(&s, to4);
	CU_ASSERT(!sf_filter_matches(&r->filter, &v));
	CU_ASSERT_EQUAL(s.asked, 0);
	v = view_on(&s, to3);
	CU_ASSERT(sf_filter_matches(&r->filter, &v));
	CU_ASSERT_EQUAL(s.asked, 1);
	CU_ASSERT(sf_filter_has_caller(&r->filter));
	sf_rule_free(r);
	r = rule_of("write:error=EIO:fd=3");
	CU_ASSERT(sf_filter_matches(&r->filter, &v));
	CU_ASSERT_EQUAL(s.asked, 1);
	CU_ASSERT(!sf_filter_has_caller(&r->filter));
	sf_rule_free(r);
}

/* `when` counts the calls under a matching function, whatever else makes the same call. */
static void test_caller__when_counts_only_calls_under_the_caller(void)
{
	struct sf_rules rules;
	struct sf_rule_tally tally[1] = { { 0 } };
	struct sf_counters *thread = NULL, *process = NULL, *tree = NULL;
	struct sf_units u = { &thread, &process, &tree, 1, 1 };
	struct fake_stack a, b;
	static const uint64_t args[6] = { 3 };
	const char seq[] = "aabaab";   /* which function writes, in order */
	int acted_at = -1;

	STACK(&a, "__write", "put", "save_a", "main");
	STACK(&b, "__write", "put", "save_b", "main");
	sf_rules_init(&rules);
	CU_ASSERT_FATAL(sf_rules_append(&rules, rule_of("write:error=EIO:caller=save_b:when=2")) == 0);
	CU_ASSERT_FATAL(sf_rules_finalize(&rules) == 0);
	for (int i = 0; seq[i]; i++) {
		struct sf_call_view v = view_on(seq[i] == 'a' ? &a : &b, args);
		if (sf_rules_decide(&rules, tally, &u, 0, &v, false, NULL) && acted_at < 0)
			acted_at = i;
	}
	CU_ASSERT_EQUAL(acted_at, 5);          /* save_b's second write */
	CU_ASSERT_EQUAL(tally[0].matched, 2);  /* save_a's writes were never counted */
	sf_counters_free(thread);
	sf_counters_free(process);
	sf_counters_free(tree);
	sf_rules_release(&rules);
}

static void test_caller__malformed_callers_are_refused(void)
{
	CU_ASSERT_STRING_EQUAL(refused("write:error=EIO:caller="),
			       "empty caller pattern; give a function's name or a glob such as \"save_*\"");
	CU_ASSERT_STRING_EQUAL(refused("write:error=EIO:caller=!"),
			       "empty caller pattern; give a function's name or a glob such as \"save_*\"");
	CU_ASSERT_STRING_EQUAL(refused("write:error=EIO:caller=src/save.c"),
			       "caller \"src/save.c\" is a path; caller matches a function's name, "
			       "e.g. caller=save_config or caller=\"save_*\"");
	CU_ASSERT_STRING_EQUAL(refused("write:error=EIO:calller=save_b"),
			       "unknown token \"calller=\"; did you mean \"caller=\"?");
}

static void test_caller__check_describes_the_callers(void)
{
	struct sf_rule *r = rule_of("write:error=EIO:fd=3:caller=save_*:caller=!save_log");
	char text[512];

	sf_filter_describe(&r->filter, text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, " fd=3 caller=save_*,!save_log");
	sf_rule_free(r);
}

static char diag_line[1024];
static void catch_line(enum sf_diag_kind kind, const char *line, void *arg)
{
	if (!diag_line[0])
		snprintf(diag_line, sizeof(diag_line), "%s", line);
}

/* Loads TEXT as a scenario file: 0 and the check output in OUT, or -1 and the error line. */
static int load_text(const char *name, const char *text, char *out, size_t size)
{
	const char *path = sf_test_tmpfile(name, text);
	struct sf_scenario *sc = sf_scenario_new();
	char *printed = NULL;
	size_t len = 0;

	diag_line[0] = '\0';
	sf_diag_set_sink(catch_line, NULL);
	int rc = sf_scenario_load_file(sc, path);
	sf_diag_set_sink(NULL, NULL);
	if (rc == 0) {
		FILE *f = open_memstream(&printed, &len);
		sf_scenario_print(sc, f);
		fclose(f);
	}
	snprintf(out, size, "%s", rc == 0 ? printed : strstr(diag_line, ".cfg:") ? strstr(diag_line, ".cfg:") : diag_line);
	free(printed);
	sf_scenario_free(sc);
	return rc == 0 ? 0 : -1;
}

static void test_caller__scenario_files_take_a_name_or_a_list(void)
{
	char out[4096];

	CU_ASSERT_EQUAL(load_text("caller-one.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\"; caller = \"save_b\"; } );\n",
				  out, sizeof(out)), 0);
	CU_ASSERT(sf_has_line(out, "  filter: caller=save_b"));
	CU_ASSERT_EQUAL(load_text("caller-list.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\";\n"
				  "  caller = [ \"save_*\", \"!save_log\" ]; when = \"2\"; } );\n",
				  out, sizeof(out)), 0);
	CU_ASSERT(sf_has_line(out, "  filter: caller=save_*,!save_log"));
	CU_ASSERT(sf_has_line(out, "  when: 2"));
	CU_ASSERT_EQUAL(load_text("caller-empty.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\";\n  caller = [ ]; } );\n",
				  out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, ".cfg:2: caller is empty; give at least one value, e.g. "
			       "caller = [ \"save_*\", \"!save_log\" ];");
	CU_ASSERT_EQUAL(load_text("caller-int.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\";\n  caller = 3; } );\n",
				  out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, ".cfg:2: caller takes a string or a list of them, e.g. "
			       "caller = [ \"save_*\", \"!save_log\" ];");
	CU_ASSERT_EQUAL(load_text("caller-path.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\";\n  caller = \"a/b.c\"; } );\n",
				  out, sizeof(out)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ".cfg:2: caller \"a/b.c\" is a path"));
	CU_ASSERT_EQUAL(load_text("caller-typo.cfg",
				  "rules = ( { syscalls = \"write\"; error = \"EIO\";\n  calller = \"x\"; } );\n",
				  out, sizeof(out)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "did you mean \"caller\"?"));
}

/* The engine's view without stacks (none kept) answers an empty stack, never NULL. */
static void test_caller__a_view_without_stacks_has_no_frames(void)
{
	struct sf_call_facts *facts = malloc(sizeof(*facts));
	struct sf_syscall sc = { 0 };
	struct sf_call_view v;
	struct sf_group group = { .tgid = 1 };
	struct sf_tracee tracee = { .tid = 1, .group = &group, .comm_fd = -1 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(facts);
	sc.abi = SF_ABI_X86_64;
	sc.nr = (unsigned)sf_syscall_number(SF_ABI_X86_64, "write");
	sf_call_view_init(&v, facts, NULL, NULL, &tracee, &sc);
	const struct sf_frames *st = v.ops->stack(v.ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(st->n, 0);
	CU_ASSERT_PTR_EQUAL(v.ops->stack(v.ctx), st);   /* once per stop */
	CU_ASSERT_PTR_NULL(sf_call_view_stack_with_source(&v));
	free(facts);
}

void sf_test_register_unit_caller(void)
{
	CU_pSuite s = CU_add_suite("unit_caller", NULL, NULL);
	CU_add_test(s, "any frame of the stack matches", test_caller__any_frame_of_the_stack_matches);
	CU_add_test(s, "'!' exclusions win", test_caller__exclusions_win_over_inclusions);
	CU_add_test(s, "GCC suffixes and symbol versions", test_caller__gcc_suffixes_and_symbol_versions_match_the_plain_name);
	CU_add_test(s, "frames without names match nothing", test_caller__frames_without_names_match_nothing);
	CU_add_test(s, "the stack is asked last, for caller rules only", test_caller__stack_is_asked_last_and_only_for_caller_rules);
	CU_add_test(s, "when counts only calls under the caller", test_caller__when_counts_only_calls_under_the_caller);
	CU_add_test(s, "malformed callers are refused", test_caller__malformed_callers_are_refused);
	CU_add_test(s, "check describes the callers", test_caller__check_describes_the_callers);
	CU_add_test(s, "scenario files: a name or a list", test_caller__scenario_files_take_a_name_or_a_list);
	CU_add_test(s, "a view without stacks has no frames", test_caller__a_view_without_stacks_has_no_frames);
}
