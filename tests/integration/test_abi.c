/*
 * integ_abi: every call is taken for its own ABI, under every engine and
 * register back end.  An i386 call (int $0x80) from an x86_64 process is
 * matched by its i386 name and number, never by the x86_64 syscall of the
 * same number, and reads its arguments from the i386 registers; likewise
 * x32.  Tests this kernel cannot run are named as not run, never passed.
 */
#include "harness.h"

#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>

#define T 20.0

/* Runs the int80 target in MODE (NULL: the default calls) under sysfault with SPEC. */
static void run_int80(struct sf_proc *p, const char *spec, const char *mode)
{
	sf_proc_runl(p, T, sf_test_sysfault(), "run", "-e", spec, "--", sf_test_target("int80"),
		     mode, NULL);
}

/* Whether the target's line KEY has ret=WANT (WANT NULL: the pid it printed). */
static bool ret_is(const struct sf_proc *p, const char *key, const char *want)
{
	char v[32], pid[32];

	if (!want && !(want = sf_kv(p->out, "pid", pid, sizeof(pid))))
		return false;
	return sf_line_kv(p->out, key, "ret", v, sizeof(v)) && !strcmp(v, want);
}

/* ---- native calls: an i386-only rule is not one for them ---- */

static void test_abi__i386_only_rule_leaves_native_calls_alone(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid@32:error=EIO", "--",
		     sf_test_target("calls"), "getppid", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok");
	sf_proc_release(&p);
}

static void test_abi__native_only_rule_fails_native_calls(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid@64:error=EIO", "--",
		     sf_test_target("calls"), "getppid", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO EIO");
	sf_proc_release(&p);
}

/* ---- i386 calls from an x86_64 process (int $0x80 returns -errno) ---- */

static void test_abi__i386_call_with_a_native_number_is_not_injected(void)
{
	struct sf_proc p;
	/* writev is 20 on x86_64, getpid is 20 on i386 */
	run_int80(&p, "writev:error=EIO", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", NULL), &p);
	sf_proc_release(&p);
}

static void test_abi__native_rule_is_not_applied_to_an_i386_number(void)
{
	struct sf_proc p;
	/* getpid is 39 on x86_64; 39 on i386 is mkdir, which must see EFAULT */
	run_int80(&p, "getpid:error=EPERM", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_mkdir", "-14"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "native_getpid ret=-1 errno=EPERM"), &p);
	sf_proc_release(&p);
}

static void test_abi__rule_by_name_fails_the_i386_call_of_that_name(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid:error=EPERM", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", "-1"), &p);   /* -EPERM */
	sf_proc_release(&p);
}

static void test_abi__i386_only_rule_fails_the_i386_call_only(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid@32:error=EACCES", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", "-13"), &p);
	SF_ASSERT_PROC(ret_is(&p, "native_getpid", NULL), &p);
	SF_ASSERT_PROC(ret_is(&p, "i386_mkdir", "-14"), &p);
	sf_proc_release(&p);
}

static void test_abi__i386_number_rule_fails_that_i386_call(void)
{
	struct sf_proc p;
	run_int80(&p, "20@32:error=ENOSPC", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", "-28"), &p);
	SF_ASSERT_PROC(ret_is(&p, "native_getpid", NULL), &p);
	sf_proc_release(&p);
}

static void test_abi__native_only_rule_leaves_the_i386_call(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid@64:error=EPERM", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", NULL), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "native_getpid ret=-1 errno=EPERM"), &p);
	sf_proc_release(&p);
}

static void test_abi__retval_reaches_the_i386_caller(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid@32:retval=7", NULL);
	SF_ASSERT_PROC(ret_is(&p, "i386_getpid", "7"), &p);
	sf_proc_release(&p);
}

static void test_abi__log_names_the_i386_call(void)
{
	const char *log = sf_test_tmpfile("abi.log", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", log, "-e", "getpid@32:error=EACCES",
		     "--", sf_test_target("int80"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	char *text = sf_read_file(log);
	CU_ASSERT_FATAL(text != NULL);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"event\":\"inject\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"abi\":\"i386\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"syscall\":\"getpid\""), 1);
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"nr\":20"), 1);
	if (sf_count_lines_with(text, "\"abi\":\"i386\"") != 1)
		fprintf(stderr, "\n--- log:\n%s", text);
	free(text);
	sf_proc_release(&p);
}

/* ---- i386 arguments: sched_getaffinity(0, len, mask) is ebx, ecx, edx ---- */

static char native_cpus[64];   /* "cpus=N" of the test process itself */

/* sysfault pins the tree and rewrites the answer: only with the right pid and mask address. */
static void test_abi__i386_affinity_reads_as_native(void)
{
	struct sf_proc p;
	char v[32];
	run_int80(&p, "getppid:error=EIO:when=9999", "affinity");
	SF_ASSERT_PROC(sf_line_kv(p.out, "i386_affinity", "cpus", v, sizeof(v)) &&
		       !strcmp(v, native_cpus + strlen("cpus=")), &p);
	sf_proc_release(&p);
}

/* ---- x32 calls (syscall with __X32_SYSCALL_BIT) ---- */

static void test_abi__x32_only_rule_fails_the_x32_call_only(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid@x32:error=EPERM", "x32");
	SF_ASSERT_PROC(ret_is(&p, "x32_getpid", "-1"), &p);
	SF_ASSERT_PROC(ret_is(&p, "native_getpid", NULL), &p);
	sf_proc_release(&p);
}

static void test_abi__native_only_rule_leaves_the_x32_call(void)
{
	struct sf_proc p;
	run_int80(&p, "getpid@64:error=EPERM", "x32");
	SF_ASSERT_PROC(ret_is(&p, "x32_getpid", NULL), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "native_getpid ret=-1 errno=EPERM"), &p);
	sf_proc_release(&p);
}

/* ---- registration: what this kernel can run ---- */

struct abi_test {
	const char *name;
	CU_TestFunc run;
};

static const struct abi_test native_tests[] = {
	{ "i386-only rule leaves native calls alone", test_abi__i386_only_rule_leaves_native_calls_alone },
	{ "native-only rule fails native calls", test_abi__native_only_rule_fails_native_calls },
};

static const struct abi_test i386_tests[] = {
	{ "i386 call with a native number not injected", test_abi__i386_call_with_a_native_number_is_not_injected },
	{ "native rule not applied to an i386 number", test_abi__native_rule_is_not_applied_to_an_i386_number },
	{ "rule by name fails the i386 call of that name", test_abi__rule_by_name_fails_the_i386_call_of_that_name },
	{ "i386-only rule fails the i386 call only", test_abi__i386_only_rule_fails_the_i386_call_only },
	{ "i386 number rule fails that i386 call", test_abi__i386_number_rule_fails_that_i386_call },
	{ "native-only rule leaves the i386 call", test_abi__native_only_rule_leaves_the_i386_call },
	{ "retval reaches the i386 caller", test_abi__retval_reaches_the_i386_caller },
	{ "log names the i386 call", test_abi__log_names_the_i386_call },
};

static const struct abi_test i386_pinned_tests[] = {
	{ "i386 sched_getaffinity reads as native", test_abi__i386_affinity_reads_as_native },
};

static const struct abi_test x32_tests[] = {
	{ "x32-only rule fails the x32 call only", test_abi__x32_only_rule_fails_the_x32_call_only },
	{ "native-only rule leaves the x32 call", test_abi__native_only_rule_leaves_the_x32_call },
};

/* Registers the N TESTS when CAN_RUN; else names each on stderr as not run, and WHY. */
static void add_tests(CU_pSuite s, const struct abi_test *tests, size_t n, bool can_run,
		      const char *why)
{
	for (size_t i = 0; i < n; i++) {
		if (can_run)
			CU_add_test(s, tests[i].name, tests[i].run);
		else
			fprintf(stderr, "integ_abi: not run: %s (%s)\n", tests[i].name, why);
	}
}

/* Whether the int80 target, run natively in MODE, prints a line starting with WANT. */
static bool target_says(const char *mode, const char *want)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_target("int80"), mode, NULL);
	bool is_said = p.status == 0 && sf_count_prefix(p.out, want) > 0;
	sf_proc_release(&p);
	return is_said;
}

/* What integ_placement asks: sysfault pins a tree only where there are two CPUs. */
static bool is_pinned_here(void)
{
	cpu_set_t set;
	const char *pin = getenv("SYSFAULT_PIN");

	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2 ||
	    (pin && !strcmp(pin, "0")))
		return false;
	snprintf(native_cpus, sizeof(native_cpus), "cpus=%d", CPU_COUNT(&set));
	return true;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

void sf_test_register_integ_abi(void)
{
	CU_pSuite s = CU_add_suite("integ_abi", NULL, NULL);
	bool has_i386 = target_says(NULL, "i386_getpid ret=");
	bool has_x32 = target_says("x32", "x32_getpid ret=");

	add_tests(s, native_tests, N(native_tests), true, "");
	add_tests(s, i386_tests, N(i386_tests), has_i386, "this kernel cannot make int $0x80 calls");
	if (!has_i386)
		add_tests(s, i386_pinned_tests, N(i386_pinned_tests), false,
			  "this kernel cannot make int $0x80 calls");
	else
		add_tests(s, i386_pinned_tests, N(i386_pinned_tests), is_pinned_here(),
			  "one CPU or SYSFAULT_PIN=0: sysfault does not pin");
	add_tests(s, x32_tests, N(x32_tests), has_x32,
		  "this kernel has no x32 ABI (CONFIG_X86_X32_ABI)");
	if (has_i386)
		fprintf(stderr, "integ_abi: i386 ABI tests run (int $0x80 works here)\n");
	if (has_x32)
		fprintf(stderr, "integ_abi: x32 ABI tests run\n");
}
