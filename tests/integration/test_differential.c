/*
 * integ_differential: sysfault against strace's own -e inject=.  Each case
 * runs a target under
 *   strace -f -qq -o /dev/null -e SPEC TARGET ARGS
 *   sysfault run --summary none -e SPEC -- TARGET ARGS
 * and requires the same exit status and byte-identical stdout.  The trace
 * goes to /dev/null; strace's default trace=all is kept because strace 6.1
 * does not inject into calls it does not trace (-e trace=none turns
 * injection off).  Targets print outcomes, never pids or timings, so their
 * output is the same from run to run.
 *
 * Without strace the suite registers no test and says so: a skipped
 * comparison is never counted as a pass.  CI installs strace
 * (SF_EXTRA_TOOLS=strace ci/install-deps.sh).
 */
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>

#define T 30.0

struct diff_case {
	const char *spec;        /* strace's -e argument, as is */
	const char *target;
	const char *args[6];
};

static const struct diff_case cases[] = {
	{"inject=getuid:error=EIO:when=2", "calls", {"getuid", "5"}},
	{"inject=getuid:retval=42", "calls", {"getuid", "3"}},
	{"inject=getuid:error=ENOSYS:when=2+2", "calls", {"getuid", "7"}},
	{"inject=getuid:error=EPERM:when=2..4", "calls", {"getuid", "6"}},
	{"inject=getuid:error=EPERM:when=3..7+2", "calls", {"getuid", "9"}},
	{"fault=getuid:when=3", "calls", {"getuid", "4"}},
	{"inject=getuid,write:error=EACCES:when=2", "calls", {"getuid,write", "3"}},
	{"inject=write:error=ENOSPC:when=2+", "calls", {"write", "4"}},
	{"inject=write:retval=0", "calls", {"write", "2"}},
	/* the dynamic loader's calls count in both */
	{"inject=read:error=EIO:when=2", "calls", {"read", "3"}},
	{"inject=openat:error=ENOENT:when=3+", "calls", {"openat", "3"}},
	{"inject=openat:error=ENOENT", "calls", {"getuid", "1"}},   /* ld.so gives up: 127 */
	{"inject=close:error=EBADF:when=3+", "calls", {"close", "3"}},
	{"inject=dup:error=EMFILE:when=2", "calls", {"dup,openat", "3"}},
	{"inject=%creds:error=EPERM:when=1", "calls", {"getuid", "2"}},
	{"inject=getppid:retval=0xffffffffffffff00", "rawret", {"2"}},
	{"inject=getppid:retval=0x8000000000000000", "rawret", {"2"}},
	{"inject=getppid:signal=SIGUSR1:when=2", "sig", {"3"}},
	{"inject=getppid:error=EINTR:signal=SIGHUP:when=2..3", "sig", {"4"}},
	{"inject=getppid:signal=SIGTERM:when=1", "calls", {"getppid", "2"}},
	{"inject=getppid:error=EIO:when=2", "forker", {"3"}},
	{"inject=getppid:error=EIO:when=2", "forker", {"-v", "3"}},
	{"inject=getppid:error=EIO:when=3", "threads", {"8", "3", "par"}},
	{"inject=getppid:error=EIO:when=2+", "threads", {"4", "3"}},
	{"inject=execve:error=ENOENT", "forker", {"1", "/bin/true"}},
	{"inject=exit_group:error=EIO", "die", {"exit", "7"}},
};

static void run_case(const struct diff_case *c)
{
	const char *target = sf_test_target(c->target);
	const char *strace_argv[16] = {"strace", "-f", "-qq", "-o", "/dev/null", "-e", c->spec, target};
	const char *sysfault_argv[16] = {sf_test_sysfault(), "run", "--summary", "none",
					 "-e", c->spec, "--", target};
	int ns = 8, nf = 8;
	for (int i = 0; c->args[i]; i++) {
		strace_argv[ns++] = c->args[i];
		sysfault_argv[nf++] = c->args[i];
	}
	strace_argv[ns] = sysfault_argv[nf] = NULL;

	struct sf_proc want, got;
	sf_proc_run(&want, T, (char *const *)strace_argv);
	sf_proc_run(&got, T, (char *const *)sysfault_argv);
	int same = want.status == got.status && !strcmp(want.out, got.out) && !got.timed_out;
	if (!same)
		fprintf(stderr, "\n--- -e %s -- %s: strace gave status %d, stdout:\n%s",
			c->spec, c->target, want.status, want.out);
	SF_ASSERT_PROC(same, &got);
	/* strace itself accepted the spec (it may warn): the reference is a
	 * real run, not two refusals that happen to agree */
	int refused = want.status == 1 && strstr(want.err, "strace: ");
	if (refused)
		fprintf(stderr, "\n--- strace refused:\n%s", want.err);
	CU_ASSERT(!refused);
	sf_proc_release(&want);
	sf_proc_release(&got);
}

/* One CUnit test per case, so a report names the spec that differs. */
#define CASE(n) static void test_differential__case_##n(void) { run_case(&cases[n]); }
CASE(0) CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9)
CASE(10) CASE(11) CASE(12) CASE(13) CASE(14) CASE(15) CASE(16) CASE(17) CASE(18) CASE(19)
CASE(20) CASE(21) CASE(22) CASE(23) CASE(24) CASE(25)

static void (*const case_tests[])(void) = {
	test_differential__case_0, test_differential__case_1, test_differential__case_2,
	test_differential__case_3, test_differential__case_4, test_differential__case_5,
	test_differential__case_6, test_differential__case_7, test_differential__case_8,
	test_differential__case_9, test_differential__case_10, test_differential__case_11,
	test_differential__case_12, test_differential__case_13, test_differential__case_14,
	test_differential__case_15, test_differential__case_16, test_differential__case_17,
	test_differential__case_18, test_differential__case_19, test_differential__case_20,
	test_differential__case_21, test_differential__case_22, test_differential__case_23,
	test_differential__case_24, test_differential__case_25,
};

_Static_assert(sizeof(cases) / sizeof(cases[0]) == sizeof(case_tests) / sizeof(case_tests[0]),
	       "one test function per case");

static int strace_works(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, "strace", "-f", "-qq", "-o", "/dev/null", "-e",
		     "inject=getuid:retval=42", sf_test_target("calls"), "getuid", "1", NULL);
	int ok = p.status == 0 && sf_has_line(p.out, "getuid 1 ret=42");
	sf_proc_release(&p);
	return ok;
}

void sf_test_register_integ_differential(void)
{
	static char names[sizeof(cases) / sizeof(cases[0])][160];
	int has_strace = strace_works();
	CU_pSuite s = has_strace ? CU_add_suite("integ_differential", NULL, NULL) : NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct diff_case *c = &cases[i];
		snprintf(names[i], sizeof(names[i]), "-e %s -- %s%s%s%s%s", c->spec, c->target,
			 c->args[0] ? " " : "", c->args[0] ? c->args[0] : "",
			 c->args[1] ? " " : "", c->args[1] ? c->args[1] : "");
		if (has_strace)
			CU_add_test(s, names[i], case_tests[i]);
		else
			fprintf(stderr, "integ_differential: not run: %s (strace with -e inject= is not "
				"available here; install it: SF_EXTRA_TOOLS=strace sh ci/install-deps.sh)\n",
				names[i]);
	}
}
