/*
 * integ_bpf_args: fd and args conditions the seccomp filter decides
 * itself.  fd_writes makes 1000 writes to fd 3 between 5 writes to fd 1;
 * a rule on fd 1 counts and fails exactly the writes to fd 1 under every
 * engine, and under the seccomp engine the writes to fd 3 never stop the
 * tracee: fd_writes counts its voluntary context switches around them
 * (a stop sleeps, a write to /dev/null does not).
 */
#include "harness.h"

#include <stdlib.h>

#define T 30.0

/* fd_writes 5 200 under sysfault: ENGINE (NULL: the default) and OPTION (or NULL) before -e SPEC. */
static struct sf_proc run_writes(const char *engine, const char *option, const char *spec)
{
	char *argv[12];
	int n = 0;
	struct sf_proc p;

	argv[n++] = (char *)sf_test_sysfault();
	argv[n++] = "run";
	if (engine) {
		argv[n++] = "--engine";
		argv[n++] = (char *)engine;
	}
	if (option)
		argv[n++] = (char *)option;
	argv[n++] = "-e";
	argv[n++] = (char *)spec;
	argv[n++] = "--";
	argv[n++] = (char *)sf_test_target("fd_writes");
	argv[n++] = "5";
	argv[n++] = "200";
	argv[n] = NULL;
	sf_proc_run(&p, T, argv);
	return p;
}

/* The "nvcsw=" of fd_writes' last line: the stops its 1000 writes to fd 3 made. */
static long noise_stops(const struct sf_proc *p)
{
	char buf[32];
	const char *v = sf_line_kv(p->out, "noise", "nvcsw", buf, sizeof(buf));

	return v ? atol(v) : -1;
}

static void test_bpf_args__fd_rule_fails_the_nth_write_to_that_fd(void)
{
	struct sf_proc p = run_writes(NULL, NULL, "write:error=EIO:fd=1:when=3");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok EIO ok ok");
	SF_ASSERT_PROC(strstr(p.out, "noise writes=1000 failed=0 ") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "matched 5, injected 1") != NULL, &p);
	sf_proc_release(&p);
}

static void test_bpf_args__args_equality_fails_the_nth_write_to_that_fd(void)
{
	struct sf_proc p = run_writes(NULL, NULL, "write:error=EIO:args=arg1 == 1:when=3");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok EIO ok ok");
	SF_ASSERT_PROC(strstr(p.err, "matched 5, injected 1") != NULL, &p);
	sf_proc_release(&p);
}

static void test_bpf_args__trace_fds_fails_the_nth_write_to_that_fd(void)
{
	struct sf_proc p = run_writes(NULL, "--trace-fds=1", "write:error=EIO:when=3");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok EIO ok ok");
	SF_ASSERT_PROC(strstr(p.err, "matched 5, injected 1") != NULL, &p);
	sf_proc_release(&p);
}

/* The other way round: a rule on fd 3 counts the 1000 writes there and none to fd 1. */
static void test_bpf_args__fd_rule_counts_every_write_to_that_fd(void)
{
	struct sf_proc p = run_writes(NULL, NULL, "write:error=ENOSPC:fd=3:when=1000");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok ok ok ok");
	SF_ASSERT_PROC(strstr(p.out, "noise writes=1000 failed=1 ") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "matched 1000, injected 1") != NULL, &p);
	sf_proc_release(&p);
}

static void test_bpf_args__writes_to_other_fds_never_stop_under_seccomp(void)
{
	struct sf_proc p = run_writes("seccomp", NULL, "write:error=EIO:fd=1:when=3");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "write", "ok ok EIO ok ok");
	/* 1000 stops would be 1000 switches at least; a few may come from elsewhere. */
	SF_ASSERT_PROC(noise_stops(&p) >= 0 && noise_stops(&p) < 100, &p);
	sf_proc_release(&p);
}

/* The measure itself: the same writes, with a rule the filter cannot narrow, do stop. */
static void test_bpf_args__writes_a_rule_cannot_tell_apart_stop_under_seccomp(void)
{
	struct sf_proc p = run_writes("seccomp", NULL, "write:error=EIO:when=65535");

	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(noise_stops(&p) >= 1000, &p);
	sf_proc_release(&p);
}

void sf_test_register_bpf_args(void)
{
	CU_pSuite s = CU_add_suite("integ_bpf_args", NULL, NULL);

	CU_add_test(s, "fd rule fails the nth write to that fd",
		    test_bpf_args__fd_rule_fails_the_nth_write_to_that_fd);
	CU_add_test(s, "args equality fails the nth write to that fd",
		    test_bpf_args__args_equality_fails_the_nth_write_to_that_fd);
	CU_add_test(s, "--trace-fds fails the nth write to that fd",
		    test_bpf_args__trace_fds_fails_the_nth_write_to_that_fd);
	CU_add_test(s, "fd rule counts every write to that fd",
		    test_bpf_args__fd_rule_counts_every_write_to_that_fd);
	CU_add_test(s, "writes to other fds never stop under seccomp",
		    test_bpf_args__writes_to_other_fds_never_stop_under_seccomp);
	CU_add_test(s, "writes a rule cannot tell apart stop under seccomp",
		    test_bpf_args__writes_a_rule_cannot_tell_apart_stop_under_seccomp);
}
