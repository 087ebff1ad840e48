/*
 * integ_placement: sysfault keeps the tree on one CPU while that costs
 * nothing, and the command cannot tell.  sched_getaffinity() answers what
 * it would have answered natively, in the first process, in a thread and
 * in a child; an affinity the command sets itself is kept, in its children
 * too; a tree with work for two CPUs gets them back.  These need at least
 * two CPUs: on one, sysfault never pins and the suite is not registered.
 */
#include "harness.h"

#include <sched.h>
#include <stdlib.h>

#define T 20.0
#define NO_OP "-e", "getppid:error=EIO:when=9999"

static char native_count[64];

static void test_placement__affinity_reads_as_native(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("affinity"),
		     "count", NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, native_count), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("affinity"),
		     "thread", NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, native_count), &p);
	sf_proc_release(&p);
	/* A child of a shell, itself a child: all still pinned, all told the native set. */
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sh", "-c",
		     "\"$0\" count; sh -c '\"$0\" count' \"$0\"", sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.out, native_count) == 2 &&
		       sf_count_lines(p.out) == 2, &p);
	sf_proc_release(&p);
}

/* The tree really is on one CPU meanwhile: /proc says so (it is not rewritten). */
static void test_placement__tree_starts_on_one_cpu(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sh", "-c",
		     "grep Cpus_allowed_list /proc/self/status", NULL);
	const char *list = strstr(p.out, "Cpus_allowed_list:");
	SF_ASSERT_PROC(p.status == 0 && list && !strpbrk(list + 18, ",-"), &p);
	sf_proc_release(&p);
}

static void test_placement__affinity_the_command_sets_is_kept(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "taskset", "-c", "0", "sh", "-c",
		     "\"$0\" count; sh -c '\"$0\" count; grep Cpus_allowed_list /proc/self/status' \"$0\"",
		     sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.out, "cpus 1") == 2 &&
		       sf_has_line(p.out, "Cpus_allowed_list:\t0"), &p);
	sf_proc_release(&p);
}

static void test_placement__tree_with_parallel_work_gets_its_cpus_back(void)
{
	struct sf_proc native, p;
	sf_proc_sh(&native, T, "grep Cpus_allowed_list /proc/self/status");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", "sh", "-c",
		     "\"$0\" spin 600 && grep Cpus_allowed_list /proc/self/status",
		     sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "the tree is given all its CPUs back"), &p);
	SF_ASSERT_PROC(native.out[0] && sf_has_line(p.out, strtok(native.out, "\n")), &p);
	sf_proc_release(&native);
	sf_proc_release(&p);
}

static const struct {
	const char *name;
	void (*run)(void);
} placement_tests[] = {
	{ "affinity reads as native", test_placement__affinity_reads_as_native },
	{ "tree starts on one CPU", test_placement__tree_starts_on_one_cpu },
	{ "affinity the command sets is kept", test_placement__affinity_the_command_sets_is_kept },
	{ "tree with parallel work gets its CPUs back",
	  test_placement__tree_with_parallel_work_gets_its_cpus_back },
};

void sf_test_register_integ_placement(void)
{
	cpu_set_t set;
	const char *pin = getenv("SYSFAULT_PIN");
	size_t n = sizeof(placement_tests) / sizeof(placement_tests[0]);

	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2 ||
	    (pin && !strcmp(pin, "0"))) {
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "integ_placement: not run: %s (one CPU, or SYSFAULT_PIN=0: "
				"sysfault does not pin)\n", placement_tests[i].name);
		return;
	}
	snprintf(native_count, sizeof(native_count), "cpus %d", CPU_COUNT(&set));
	CU_pSuite s = CU_add_suite("integ_placement", NULL, NULL);
	for (size_t i = 0; i < n; i++)
		CU_add_test(s, placement_tests[i].name, placement_tests[i].run);
}
