/*
 * Running sysfault without root: the seccomp engine sets NO_NEW_PRIVS only
 * because the kernel demands it of an unprivileged filter, injection still
 * works, and the ptrace engine leaves the flag alone (README, "Without
 * root").  Runs as user nobody through setpriv(1), on copies of sysfault
 * and the target in a directory nobody may enter.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"

#define T 30.0

/* Copies SRC into a fresh world-readable directory; the copy's path. */
static const char *public_copy(const char *src, const char *name)
{
	static char dir[256], path[2][512];
	static int n;
	struct sf_proc p;

	snprintf(dir, sizeof(dir), "/tmp/sf-privs-%d", (int)getpid());
	mkdir(dir, 0755);   /* again after cleanup() */
	chmod(dir, 0755);
	char *dst = path[n++ % 2];
	snprintf(dst, sizeof(path[0]), "%s/%s", dir, name);
	sf_proc_runl(&p, T, "cp", src, dst, NULL);
	sf_proc_release(&p);
	chmod(dst, 0755);
	return dst;
}

static void cleanup(void)
{
	struct sf_proc p;
	char dir[256];

	snprintf(dir, sizeof(dir), "/tmp/sf-privs-%d", (int)getpid());
	sf_proc_runl(&p, T, "rm", "-rf", dir, NULL);
	sf_proc_release(&p);
}

static void run_as_nobody(struct sf_proc *p, const char *engine)
{
	const char *sysfault = public_copy(sf_test_sysfault(), "sysfault");
	const char *calls = public_copy(sf_test_target("calls"), "calls");

	sf_proc_sh(p, T, "setpriv --reuid=65534 --regid=65534 --clear-groups %s run --engine %s "
		   "--summary none -e getppid:error=EIO:when=2 -- sh -c '%s getppid 3; "
		   "grep NoNewPrivs /proc/self/status'", sysfault, engine, calls);
}

static void test_privs__seccomp_engine_as_nobody_sets_no_new_privs_and_injects(void)
{
	struct sf_proc p;

	run_as_nobody(&p, "seccomp");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	SF_ASSERT_PROC(strstr(p.out, "NoNewPrivs:\t1") != NULL, &p);
	sf_proc_release(&p);
	cleanup();
}

static void test_privs__ptrace_engine_as_nobody_leaves_privileges_alone(void)
{
	struct sf_proc p;

	run_as_nobody(&p, "ptrace");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	SF_ASSERT_PROC(strstr(p.out, "NoNewPrivs:\t0") != NULL, &p);
	sf_proc_release(&p);
	cleanup();
}

static void test_privs__seccomp_engine_as_root_leaves_privileges_alone(void)
{
	struct sf_proc p;

	if (geteuid() != 0) {
		CU_FAIL("this test runs as root, as CI does");
		return;
	}
	sf_proc_sh(&p, T, "%s run --engine seccomp --summary none -e getppid:error=EIO -- "
		   "grep NoNewPrivs /proc/self/status", sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(strstr(p.out, "NoNewPrivs:\t0") != NULL, &p);
	sf_proc_release(&p);
}

/* The "Speculation_Store_Bypass:" line of /proc/self/status as COMMAND's shell sees it, or "". */
static const char *ssb_line(const char *text)
{
	static char line[128];
	const char *at = strstr(text ? text : "", "Speculation_Store_Bypass:");

	snprintf(line, sizeof(line), "%.*s", at ? (int)strcspn(at, "\n") : 0, at ? at : "");
	return line;
}

/*
 * A kernel booted with spec_store_bypass_disable=seccomp forces the
 * mitigation on a task under a filter without SPEC_ALLOW; under sysfault
 * the command's own code runs with the mitigations it has without.
 */
static void test_privs__the_command_keeps_its_speculation_mitigations(void)
{
	struct sf_proc native, p;
	char want[128];

	sf_proc_sh(&native, T, "grep Speculation_Store_Bypass /proc/self/status");
	snprintf(want, sizeof(want), "%s", ssb_line(native.out));
	sf_proc_sh(&p, T, "%s run --summary none -e getppid:error=EIO -- grep Speculation_Store_Bypass "
		   "/proc/self/status", sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0 && want[0], &p);
	SF_ASSERT_PROC(!strcmp(ssb_line(p.out), want), &p);
	sf_proc_release(&native);
	sf_proc_release(&p);
}

void sf_test_register_integ_privs(void)
{
	CU_pSuite s = CU_add_suite("integ_privs", NULL, NULL);
	char *status = sf_read_file("/proc/self/status");
	/* EFAULT: the kernel knows the flag and looked at the (NULL) program; EINVAL: before 4.17. */
	bool has_spec_allow = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW,
				      NULL) < 0 && errno == EFAULT;

	if (ssb_line(status)[0] && has_spec_allow)
		CU_add_test(s, "the command keeps its speculation mitigations",
			    test_privs__the_command_keeps_its_speculation_mitigations);
	else
		fprintf(stderr, "integ_privs: not run: the command keeps its speculation mitigations (%s)\n",
			!has_spec_allow ? "this kernel has no SECCOMP_FILTER_FLAG_SPEC_ALLOW (Linux 4.17)"
					: "this kernel shows no Speculation_Store_Bypass in /proc/PID/status");
	free(status);

	CU_add_test(s, "seccomp engine as nobody sets NO_NEW_PRIVS and injects",
		    test_privs__seccomp_engine_as_nobody_sets_no_new_privs_and_injects);
	CU_add_test(s, "ptrace engine as nobody leaves privileges alone",
		    test_privs__ptrace_engine_as_nobody_leaves_privileges_alone);
	CU_add_test(s, "seccomp engine as root leaves privileges alone",
		    test_privs__seccomp_engine_as_root_leaves_privileges_alone);
}
