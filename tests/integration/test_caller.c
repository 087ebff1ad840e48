/*
 * integ_caller: rules by caller (README "Stacks: caller"): the same write
 * made from save_a() and save_b() (tests/targets/two_savers), failed only
 * under the function a rule names, counted only there, in threads, forked
 * children, after an exec, in a stripped and a static copy of the target;
 * and the stack an --log inject line carries.  make check runs it under
 * each engine and register back end.
 */
#include "harness.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define T 30.0

#define SAVERS(p, rule, ...) sf_proc_runl(p, T, sf_test_sysfault(), "run", "-e", rule, "--", \
					  sf_test_target("two_savers"), __VA_ARGS__, NULL)

/* The words of "CTX F 1".."CTX F N": "ok", an errno name, or "missing". */
#define ASSERT_SAVES(p, ctx_f, expected) SF_ASSERT_OUTCOMES(p, ctx_f, expected)

static void test_caller__only_the_named_functions_calls_fail(void)
{
	struct sf_proc p;

	SAVERS(&p, "write:error=EIO:caller=save_b", "a:1000", "b:1000", "a:2");
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT_EQUAL(sf_count_prefix(p.out, "main a "), 1002);
	CU_ASSERT_EQUAL(sf_count_prefix(p.out, "main b "), 1000);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.out, "errno=EIO"), 1000);
	ASSERT_SAVES(&p, "main b", "EIO EIO EIO");
	ASSERT_SAVES(&p, "main a", "ok ok ok");
	char line[64];
	snprintf(line, sizeof(line), "main a %d ret=1", 1002);
	CU_ASSERT(sf_has_line(p.out, line));
	CU_ASSERT(sf_has_line(p.out, "main b 1000 ret=-1 errno=EIO"));
	sf_proc_release(&p);
}

/* when=2 is save_b's second write, however many save_a made before and between. */
static void test_caller__when_counts_only_the_callers_calls(void)
{
	struct sf_proc p;

	SAVERS(&p, "write:error=EIO:caller=save_b:when=2", "a:3", "b:1", "a:2", "b:3");
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main b", "ok EIO ok ok");
	ASSERT_SAVES(&p, "main a", "ok ok ok ok ok");
	sf_proc_release(&p);
}

static void test_caller__exclusion_spares_that_function(void)
{
	struct sf_proc p;

	SAVERS(&p, "write:error=ENOSPC:caller=!save_a", "a:2", "b:2", "a:1");
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main a", "ok ok ok");
	ASSERT_SAVES(&p, "main b", "ENOSPC ENOSPC");
	sf_proc_release(&p);
}

/* A scenario file: a glob and an exclusion; a glob matches the callee put() too. */
static void test_caller__scenario_file_globs_and_exclusions(void)
{
	struct sf_proc p;
	const char *cfg = sf_test_tmpfile("caller.cfg",
		"rules = ( { syscalls = \"write\"; error = \"EIO\";\n"
		"  caller = [ \"save_?\", \"!save_a\" ]; when = \"2+2\"; } );\n");

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-s", cfg, "--", sf_test_target("two_savers"),
		     "b:1", "a:2", "b:4", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main b", "ok EIO ok EIO ok");
	ASSERT_SAVES(&p, "main a", "ok ok");
	sf_proc_release(&p);
}

/* Threads count their own calls from 1 (scope thread), and a forked child too. */
static void test_caller__threads_and_a_forked_child(void)
{
	struct sf_proc p;

	SAVERS(&p, "write:error=EIO:caller=save_b:when=2", "b:1", "thread:a:2", "thread:b:3",
	       "fork:a:1", "fork:b:2", "b:1");
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main b", "ok EIO");
	ASSERT_SAVES(&p, "thread a", "ok ok");
	ASSERT_SAVES(&p, "thread b", "ok EIO ok");
	ASSERT_SAVES(&p, "child a", "ok");
	ASSERT_SAVES(&p, "child b", "ok EIO");
	sf_proc_release(&p);
}

/* A shell that writes, then execs the static copy: the new program's functions are named. */
static void test_caller__after_an_exec_the_new_programs_functions(void)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "'%s' run -e 'write:error=EIO:caller=save_b' -- sh -c 'echo shell; exec %s b:2 a:1'",
		   sf_test_sysfault(), sf_test_target("two_savers_static"));
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT(sf_has_line(p.out, "shell"));   /* the shell's own write is under no save_b */
	ASSERT_SAVES(&p, "main b", "EIO EIO");
	ASSERT_SAVES(&p, "main a", "ok");
	sf_proc_release(&p);
}

static void test_caller__a_static_program(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:error=EIO:caller=save_b:when=2+1", "--",
		     sf_test_target("two_savers_static"), "a:2", "b:3", "thread:b:2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main a", "ok ok");
	ASSERT_SAVES(&p, "main b", "ok EIO EIO");
	ASSERT_SAVES(&p, "thread b", "ok EIO");
	sf_proc_release(&p);
}

/* Stripped: it runs as ever, a function's name matches nothing there. */
static void test_caller__a_stripped_program_runs_and_matches_no_name(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:error=EIO:caller=save_b", "--",
		     sf_test_target("two_savers_stripped"), "a:2", "b:2", "thread:b:1", "fork:b:1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT_EQUAL(sf_count_lines_with(p.out, "errno="), 0);
	ASSERT_SAVES(&p, "main b", "ok ok");
	ASSERT_SAVES(&p, "thread b", "ok");
	ASSERT_SAVES(&p, "child b", "ok");
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "matched 0, injected 0"));
	sf_proc_release(&p);
}

/*
 * A library loaded after the first unwind (python's ctypes brings libffi
 * with dlopen): its addresses are in no module read so far, so the maps
 * are read again and its functions named.
 */
static void test_caller__a_library_loaded_later_is_named(void)
{
	static const char script[] =
		"import os\n"
		"fd = os.open('/dev/null', os.O_WRONLY)\n"
		"print('save 1 ret=%d' % os.write(fd, b'a'), flush=True)\n"
		"import ctypes\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"r = libc.write(fd, b'x', 1)\n"
		"print('save 2 ret=%d' % r + (' errno=EIO' if r < 0 and ctypes.get_errno() == 5 else ''), flush=True)\n"
		"print('save 3 ret=%d' % os.write(fd, b'a'), flush=True)\n";
	struct sf_proc p;

	if (access("/usr/bin/python3", X_OK) != 0) {
		printf("integ_caller: not run: a library loaded later is named (no /usr/bin/python3)\n");
		return;
	}
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "write:error=EIO:caller=ffi_call", "--",
		     "/usr/bin/python3", "-c", script, NULL);
	if (strstr(p.err, "No module named")) {
		printf("integ_caller: not run: a library loaded later is named (python3 without ctypes)\n");
		sf_proc_release(&p);
		return;
	}
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "save", "ok EIO ok");
	sf_proc_release(&p);
}

/* ---- The stack in the log ------------------------------------------------- */

/* The "inject" lines of the log at PATH, as JSON objects (a new array). */
static json_t *inject_lines(const char *path)
{
	char *text = sf_read_file(path);
	json_t *all = json_array();

	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		json_t *o = json_loads(line, 0, NULL);
		const char *event = json_string_value(json_object_get(o, "event"));
		if (event && strcmp(event, "inject") == 0)
			json_array_append(all, o);
		json_decref(o);
	}
	free(text);
	return all;
}

/* The first frame of STACK whose FIELD is the string VALUE, or NULL. */
static json_t *frame_with(json_t *stack, const char *field, const char *value)
{
	size_t i;
	json_t *f;

	json_array_foreach(stack, i, f) {
		const char *s = json_string_value(json_object_get(f, field));
		if (s && strcmp(s, value) == 0)
			return f;
	}
	return NULL;
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = s ? strlen(s) : 0, m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* A caller rule's inject line shows the stack: module, build ID, offset, function, file:line. */
static void test_caller__the_log_shows_the_stack_of_a_caller_rule(void)
{
	struct sf_proc p;
	const char *log = sf_test_tmpfile("caller-log.jsonl", NULL);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", log, "-e", "write:error=EIO:caller=save_b:when=2",
		     "--", sf_test_target("two_savers"), "a:1", "b:2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *lines = inject_lines(log);
	CU_ASSERT_EQUAL_FATAL(json_array_size(lines), 1);
	json_t *stack = json_object_get(json_array_get(lines, 0), "stack");
	CU_ASSERT_FATAL(json_is_array(stack) && json_array_size(stack) >= 4);
	json_t *save_b = frame_with(stack, "function", "save_b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(save_b);
	CU_ASSERT_PTR_NULL(frame_with(stack, "function", "save_a"));
	CU_ASSERT(ends_with(json_string_value(json_object_get(save_b, "module")), "/two_savers"));
	CU_ASSERT(ends_with(json_string_value(json_object_get(save_b, "file")), "two_savers.c"));
	CU_ASSERT(json_integer_value(json_object_get(save_b, "line")) > 0);
	CU_ASSERT(json_integer_value(json_object_get(save_b, "offset")) > 0);
	const char *id = json_string_value(json_object_get(save_b, "build_id"));
	CU_ASSERT(id && strlen(id) >= 16 && strspn(id, "0123456789abcdef") == strlen(id));
	/* Innermost first: put() is called by save_b(), main() further out. */
	size_t i_put = json_array_size(stack), i_b = 0, i_main = 0, i;
	json_t *f;
	json_array_foreach(stack, i, f) {
		const char *fn = json_string_value(json_object_get(f, "function"));
		if (fn && strcmp(fn, "put") == 0)
			i_put = i;
		if (f == save_b)
			i_b = i;
		if (fn && strcmp(fn, "main") == 0)
			i_main = i;
	}
	CU_ASSERT(i_put < i_b && i_b < i_main);
	json_decref(lines);
	sf_proc_release(&p);
}

/* A rule without caller logs no stack; with -v every injected call has one. */
static void test_caller__minus_v_logs_the_stack_of_every_injection(void)
{
	struct sf_proc p;
	const char *quiet = sf_test_tmpfile("caller-quiet.jsonl", NULL);
	const char *verbose = sf_test_tmpfile("caller-verbose.jsonl", NULL);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", quiet, "-e", "write:error=EIO:when=2",
		     "--", sf_test_target("two_savers"), "a:3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	json_t *lines = inject_lines(quiet);
	CU_ASSERT_EQUAL(json_array_size(lines), 1);
	CU_ASSERT_PTR_NULL(json_object_get(json_array_get(lines, 0), "stack"));
	json_decref(lines);
	sf_proc_release(&p);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", "--log", verbose, "-e", "write:error=EIO:when=2+",
		     "--", sf_test_target("two_savers"), "a:3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	lines = inject_lines(verbose);
	CU_ASSERT_EQUAL(json_array_size(lines), 2);
	for (size_t i = 0; i < json_array_size(lines); i++)
		CU_ASSERT_PTR_NOT_NULL(frame_with(json_object_get(json_array_get(lines, i), "stack"),
						  "function", "save_a"));
	json_decref(lines);
	sf_proc_release(&p);
}

/*
 * Stripped, the frames are module + offset only, and the offsets and build
 * IDs are those of the unstripped program: strip moves no code.
 */
static void test_caller__a_stripped_program_logs_module_and_offset(void)
{
	struct sf_proc p;
	const char *with = sf_test_tmpfile("caller-g.jsonl", NULL);
	const char *without = sf_test_tmpfile("caller-stripped.jsonl", NULL);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", "--log", with, "-e", "write:error=EIO:when=1",
		     "--", sf_test_target("two_savers"), "b:1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", "--log", without, "-e", "write:error=EIO:when=1",
		     "--", sf_test_target("two_savers_stripped"), "b:1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	ASSERT_SAVES(&p, "main b", "EIO");
	json_t *g = inject_lines(with), *s = inject_lines(without);
	CU_ASSERT_EQUAL_FATAL(json_array_size(g), 1);
	CU_ASSERT_EQUAL_FATAL(json_array_size(s), 1);
	json_t *gstack = json_object_get(json_array_get(g, 0), "stack");
	json_t *sstack = json_object_get(json_array_get(s, 0), "stack");
	json_t *save_b = frame_with(gstack, "function", "save_b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(save_b);
	json_int_t offset = json_integer_value(json_object_get(save_b, "offset"));
	size_t i, in_program = 0, same = 0;
	json_t *f;
	json_array_foreach(sstack, i, f) {
		if (!ends_with(json_string_value(json_object_get(f, "module")), "/two_savers_stripped"))
			continue;
		in_program++;
		CU_ASSERT(json_is_null(json_object_get(f, "function")));
		CU_ASSERT(json_is_null(json_object_get(f, "file")));
		CU_ASSERT(json_is_integer(json_object_get(f, "offset")));
		CU_ASSERT(json_equal(json_object_get(f, "build_id"), json_object_get(save_b, "build_id")));
		same += json_integer_value(json_object_get(f, "offset")) == offset;
	}
	CU_ASSERT(in_program >= 3);   /* put, save_b, main at least */
	CU_ASSERT_EQUAL(same, 1);     /* save_b's frame, at the same offset */
	json_decref(g);
	json_decref(s);
	sf_proc_release(&p);
}

void sf_test_register_integ_caller(void)
{
	CU_pSuite s = CU_add_suite("integ_caller", NULL, NULL);
	CU_add_test(s, "only the named function's calls fail", test_caller__only_the_named_functions_calls_fail);
	CU_add_test(s, "when counts only the caller's calls", test_caller__when_counts_only_the_callers_calls);
	CU_add_test(s, "'!' spares that function", test_caller__exclusion_spares_that_function);
	CU_add_test(s, "scenario file: globs and exclusions", test_caller__scenario_file_globs_and_exclusions);
	CU_add_test(s, "threads and a forked child", test_caller__threads_and_a_forked_child);
	CU_add_test(s, "after an exec: the new program's functions", test_caller__after_an_exec_the_new_programs_functions);
	CU_add_test(s, "a static program", test_caller__a_static_program);
	CU_add_test(s, "stripped: runs, matches no name", test_caller__a_stripped_program_runs_and_matches_no_name);
	CU_add_test(s, "a library loaded later is named", test_caller__a_library_loaded_later_is_named);
	CU_add_test(s, "log: the stack of a caller rule", test_caller__the_log_shows_the_stack_of_a_caller_rule);
	CU_add_test(s, "log: -v shows every injection's stack", test_caller__minus_v_logs_the_stack_of_every_injection);
	CU_add_test(s, "log: stripped gives module and offset", test_caller__a_stripped_program_logs_module_and_offset);
}
