/*
 * Unit tests of the seccomp filter.  With no tracer attached the kernel
 * fails a SECCOMP_RET_TRACE call with ENOSYS, so a forked child that
 * installs the filter shows exactly which calls it selects.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rules/rule.h"
#include "engine/seccomp_filter.h"
#include "rules/spec.h"

static int build(const char *spec, struct sf_rules *rules, struct sf_seccomp_prog *prog)
{
	char why[256];

	sf_rules_init(rules);
	struct sf_rule *r = sf_spec_parse(spec, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sf_rules_append(rules, r);
	CU_ASSERT_EQUAL_FATAL(sf_rules_finalize(rules), 0);
	return sf_seccomp_build(rules, false, NULL, NULL, prog);
}

/* In a child under PROG: bit i set when call i of NRS failed with ENOSYS. */
static int traced_calls(const struct sf_seccomp_prog *prog, const long *nrs, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		int mask = 0;
		if (sf_seccomp_install(prog) != 0)
			_exit(255);
		for (int i = 0; i < n; i++) {
			long rc = syscall(nrs[i], -1L, 0L, 0L);
			if (rc == -1 && errno == ENOSYS)
				mask |= 1 << i;
		}
		_exit(mask);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_seccomp__filter_sends_only_selected_calls(void)
{
	struct sf_rules rules;
	struct sf_seccomp_prog prog;
	/* getppid and getuid are selected; getpid and getgid are not. */
	const long nrs[] = { SYS_getppid, SYS_getpid, SYS_getuid, SYS_getgid };

	CU_ASSERT_EQUAL_FATAL(build("getppid,getuid:error=EIO", &rules, &prog), 0);
	CU_ASSERT_EQUAL(traced_calls(&prog, nrs, 4), 0x1 | 0x4);
	sf_seccomp_release(&prog);
	sf_rules_release(&rules);
}

/* While sysfault pins the tree, affinity calls go to it even if no rule selects them. */
static void test_seccomp__filter_watches_affinity_calls_only_when_asked(void)
{
	struct sf_rules rules;
	struct sf_seccomp_prog plain, watching;
	const long nrs[] = { SYS_sched_getaffinity, SYS_sched_setaffinity, SYS_getppid, SYS_getpid };

	CU_ASSERT_EQUAL_FATAL(build("getppid:error=EIO", &rules, &plain), 0);
	CU_ASSERT_EQUAL_FATAL(sf_seccomp_build(&rules, true, NULL, NULL, &watching), 0);
	CU_ASSERT_EQUAL(traced_calls(&plain, nrs, 4), 0x4);
	CU_ASSERT_EQUAL(traced_calls(&watching, nrs, 4), 0x1 | 0x2 | 0x4);
	sf_seccomp_release(&plain);
	sf_seccomp_release(&watching);
	sf_rules_release(&rules);
}

static void test_seccomp__runs_of_numbers_cover_both_ends(void)
{
	struct sf_rules rules;
	struct sf_seccomp_prog prog;
	/* 102..105 is getuid, syslog, getgid, setuid: one run of four. */
	const long nrs[] = { 101, 102, 104, 105, 106 };

	CU_ASSERT_EQUAL_FATAL(build("102,103,104,105:error=EIO", &rules, &prog), 0);
	/* 101 (ptrace) and 106 (setgid) stay outside the run. */
	CU_ASSERT_EQUAL(traced_calls(&prog, nrs, 5), 0x2 | 0x4 | 0x8);
	sf_seccomp_release(&prog);
	sf_rules_release(&rules);
}

static void test_seccomp__every_syscall_fits_in_one_program(void)
{
	struct sf_rules rules;
	struct sf_seccomp_prog prog;

	CU_ASSERT_EQUAL_FATAL(build("all:error=EIO", &rules, &prog), 0);
	CU_ASSERT(prog.len > 0 && prog.len <= BPF_MAXINSNS);
	sf_seccomp_release(&prog);
	sf_rules_release(&rules);
}

static void test_seccomp__scattered_numbers_fit_in_one_program(void)
{
	struct sf_rules rules;
	struct sf_seccomp_prog prog;
	static char spec[8192];
	size_t n = 0;

	/* Every even number on every ABI: the most runs a set can have. */
	for (int nr = 0; nr < SF_NR_LIMIT; nr += 2)
		n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s?%d", nr ? "," : "", nr);
	snprintf(spec + n, sizeof(spec) - n, ":error=EIO");
	CU_ASSERT_EQUAL_FATAL(build(spec, &rules, &prog), 0);
	CU_ASSERT(prog.len > 0 && prog.len <= BPF_MAXINSNS);
	sf_seccomp_release(&prog);
	sf_rules_release(&rules);
}

static void test_seccomp__kernel_has_seccomp_here(void)
{
	CU_ASSERT_TRUE(sf_seccomp_available());
}

void sf_test_register_seccomp(void)
{
	CU_pSuite s = CU_add_suite("unit_seccomp", NULL, NULL);

	CU_add_test(s, "filter sends only selected calls", test_seccomp__filter_sends_only_selected_calls);
	CU_add_test(s, "filter watches affinity calls only when asked",
		    test_seccomp__filter_watches_affinity_calls_only_when_asked);
	CU_add_test(s, "runs of numbers cover both ends", test_seccomp__runs_of_numbers_cover_both_ends);
	CU_add_test(s, "every syscall fits in one program", test_seccomp__every_syscall_fits_in_one_program);
	CU_add_test(s, "scattered numbers fit in one program", test_seccomp__scattered_numbers_fit_in_one_program);
	CU_add_test(s, "kernel has seccomp here", test_seccomp__kernel_has_seccomp_here);
}
