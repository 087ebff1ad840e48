/*
 * integ_actions: each action of an injection rule, as the traced program
 * sees it.  Targets in tests/targets/ print what every call returned; each
 * test states the expected observation in one line.
 */
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>

#define T 20.0   /* seconds before a run is killed */

static struct sf_proc run_calls(const char *spec, const char *syscalls, const char *count)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec, "--",
		     sf_test_target("calls"), "-p", syscalls, count, NULL);
	return p;
}

static void test_actions__error_fails_the_call_with_that_errno(void)
{
	struct sf_proc p = run_calls("getppid:error=EIO", "getppid", "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO EIO EIO");
	sf_proc_release(&p);
}

static void test_actions__error_accepts_a_number(void)
{
	struct sf_proc p = run_calls("getppid:error=22:when=2", "getppid", "3");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EINVAL ok");
	sf_proc_release(&p);
}

static void test_actions__error_accepts_a_lower_case_name(void)
{
	struct sf_proc p = run_calls("getppid:error=enoent:when=1", "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ENOENT ok");
	sf_proc_release(&p);
}

static void test_actions__inject_prefix_is_accepted(void)
{
	struct sf_proc p = run_calls("inject=getppid:error=EACCES:when=2", "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EACCES");
	sf_proc_release(&p);
}

static void test_actions__fault_without_error_fails_with_enosys(void)
{
	struct sf_proc p = run_calls("fault=getppid:when=2", "getppid", "3");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ENOSYS ok");
	sf_proc_release(&p);
}

static void test_actions__retval_makes_the_call_return_that_value(void)
{
	char v[64];
	struct sf_proc p = run_calls("getppid:retval=42:when=2", "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok");
	SF_ASSERT_PROC(sf_line_kv(p.out, "getppid 2", "ret", v, sizeof(v)) && !strcmp(v, "42"), &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "getppid 1", "ret", v, sizeof(v)) && strcmp(v, "42"), &p);
	sf_proc_release(&p);
}

/* The call must not run at all: mkdir(1) under the rule leaves no directory. */
static void assert_mkdir_skipped(const char *spec, int want_status)
{
	const char *dir = sf_test_tmpfile("skipped-dir", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec, "--", "mkdir", dir, NULL);
	SF_ASSERT_PROC(p.status == want_status, &p);
	SF_ASSERT_PROC(access(dir, F_OK) != 0, &p);
	rmdir(dir);
	sf_proc_release(&p);
}

static void test_actions__retval_skips_the_call(void)
{
	assert_mkdir_skipped("mkdir,mkdirat:retval=0", 0);
}

static void test_actions__error_skips_the_call(void)
{
	assert_mkdir_skipped("mkdir,mkdirat:error=EACCES", 1);
}

/* strace's inject-nf: every value up to the full register width, as is. */
static void test_actions__retval_keeps_the_full_register_width(void)
{
	static const char *values[] = {
		"0x7fffffff", "0x80000000", "0xfffff000", "0xffffffff", "0x100000000",
		"0x7fffffffffffffff", "0x8000000000000000", "0xfffffffffffff000",
		"0xffffffffffffff00", "0xfffffffffffffffe", "0xffffffffffffffff",
	};
	if (sizeof(long) != 8)
		return;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char spec[128], want[64], raw[64];
		snprintf(spec, sizeof(spec), "getppid:retval=%s:when=1", values[i]);
		snprintf(want, sizeof(want), "0x%016llx", strtoull(values[i], NULL, 16));
		struct sf_proc p;
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec, "--",
			     sf_test_target("rawret"), "1", NULL);
		int ok = sf_line_kv(p.out, "getppid 1", "raw", raw, sizeof(raw)) && !strcmp(raw, want);
		if (!ok)
			fprintf(stderr, "\n--- %s: want raw=%s\n", spec, want);
		SF_ASSERT_PROC(ok, &p);
		sf_proc_release(&p);
	}
}

static void test_actions__delay_enter_holds_the_call_before_it_runs(void)
{
	char enter[32], total[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e",
		     "clock_gettime:delay_enter=500ms:when=2", "--", sf_test_target("delay"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* The kernel read the clock after the delay: it shows in enter_us. */
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 2", "enter_us", enter, sizeof(enter))
		       && atoll(enter) >= 450000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 2", "total_us", total, sizeof(total))
		       && atoll(total) >= 450000, &p);
	/* Calls the rule does not select are not held up. */
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 1", "total_us", total, sizeof(total))
		       && atoll(total) < 250000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 3", "total_us", total, sizeof(total))
		       && atoll(total) < 250000, &p);
	sf_proc_release(&p);
}

static void test_actions__delay_exit_holds_the_call_after_it_ran(void)
{
	char enter[32], total[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e",
		     "clock_gettime:delay_exit=500ms:when=2", "--", sf_test_target("delay"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* The kernel read the clock at once; the return came 500 ms later. */
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 2", "enter_us", enter, sizeof(enter))
		       && atoll(enter) < 250000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 2", "total_us", total, sizeof(total))
		       && atoll(total) >= 450000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "clock_gettime 3", "total_us", total, sizeof(total))
		       && atoll(total) < 250000, &p);
	sf_proc_release(&p);
}

static void test_actions__delay_alone_lets_the_call_succeed(void)
{
	struct sf_proc p = run_calls("getppid:delay_enter=10ms", "getppid", "3");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok");
	sf_proc_release(&p);
}

static void test_actions__signal_is_delivered_at_that_call(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:signal=SIGUSR1:when=2",
		     "--", sf_test_target("sig"), "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "signal SIGUSR1 at=2"), &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "signal ") == 1, &p);
	/* A signal alone does not fail the call. */
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok ok");
	sf_proc_release(&p);
}

static void test_actions__signal_accepts_a_name_without_sig_prefix(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:signal=USR2:when=1",
		     "--", sf_test_target("sig"), "2", NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "signal SIGUSR2 at=1"), &p);
	sf_proc_release(&p);
}

static void test_actions__signal_with_error_does_both(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e",
		     "getppid:error=EINTR:signal=SIGALRM:when=3", "--", sf_test_target("sig"), "3", NULL);
	SF_ASSERT_PROC(sf_has_line(p.out, "signal SIGALRM at=3"), &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok ok EINTR");
	sf_proc_release(&p);
}

static void test_actions__signal_with_default_action_kills_the_command(void)
{
	/* calls does not catch SIGTERM: the command dies of it, 128 + 15. */
	struct sf_proc p = run_calls("getppid:signal=SIGTERM:when=1", "getppid", "2");
	SF_ASSERT_PROC(p.status == 143, &p);
	sf_proc_release(&p);
}

/* syscall= runs a %pure syscall in place of the call: mkdir never runs. */
static void test_actions__syscall_runs_a_pure_syscall_instead(void)
{
	assert_mkdir_skipped("mkdir,mkdirat:syscall=getpid:retval=0", 0);
}

/* As in strace, syscall= only says what runs instead; the result must
 * still be given with error= or retval=. */
static void test_actions__syscall_alone_is_rejected(void)
{
	const char *proof = sf_test_tmpfile("syscall-alone-ran", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:syscall=getpid", "--",
		     sf_test_target("die"), "touch", proof, NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(access(proof, F_OK) != 0, &p);
	sf_proc_release(&p);
}

static void test_actions__syscall_substitution_with_error_returns_the_error(void)
{
	struct sf_proc p = run_calls("getppid:syscall=getpid:error=EPERM:when=2", "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EPERM");
	sf_proc_release(&p);
}

void sf_test_register_integ_actions(void)
{
	CU_pSuite s = CU_add_suite("integ_actions", NULL, NULL);
	CU_add_test(s, "error fails the call with that errno", test_actions__error_fails_the_call_with_that_errno);
	CU_add_test(s, "error accepts a number", test_actions__error_accepts_a_number);
	CU_add_test(s, "error accepts a lower-case name", test_actions__error_accepts_a_lower_case_name);
	CU_add_test(s, "inject= prefix is accepted", test_actions__inject_prefix_is_accepted);
	CU_add_test(s, "fault= without error fails with ENOSYS", test_actions__fault_without_error_fails_with_enosys);
	CU_add_test(s, "retval makes the call return that value", test_actions__retval_makes_the_call_return_that_value);
	CU_add_test(s, "retval skips the call", test_actions__retval_skips_the_call);
	CU_add_test(s, "error skips the call", test_actions__error_skips_the_call);
	CU_add_test(s, "retval keeps the full register width", test_actions__retval_keeps_the_full_register_width);
	CU_add_test(s, "delay_enter holds the call before it runs", test_actions__delay_enter_holds_the_call_before_it_runs);
	CU_add_test(s, "delay_exit holds the call after it ran", test_actions__delay_exit_holds_the_call_after_it_ran);
	CU_add_test(s, "delay alone lets the call succeed", test_actions__delay_alone_lets_the_call_succeed);
	CU_add_test(s, "signal is delivered at that call", test_actions__signal_is_delivered_at_that_call);
	CU_add_test(s, "signal accepts a name without SIG", test_actions__signal_accepts_a_name_without_sig_prefix);
	CU_add_test(s, "signal with error does both", test_actions__signal_with_error_does_both);
	CU_add_test(s, "signal with default action kills", test_actions__signal_with_default_action_kills_the_command);
	CU_add_test(s, "syscall= runs a pure syscall instead", test_actions__syscall_runs_a_pure_syscall_instead);
	CU_add_test(s, "syscall= alone is rejected", test_actions__syscall_alone_is_rejected);
	CU_add_test(s, "syscall= with error returns the error", test_actions__syscall_substitution_with_error_returns_the_error);
}
