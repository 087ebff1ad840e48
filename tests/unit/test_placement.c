/*
 * Unit tests of CPU placement: pinned to one CPU while the tree is one
 * thread, the original set back afterwards, and SYSFAULT_PIN=0 honoured.
 */
#include <CUnit/CUnit.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/placement.h"
#include "harness.h"

static int cpus_allowed(pid_t pid)
{
	cpu_set_t set;
	return sched_getaffinity(pid, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : -1;
}

static void test_placement__pins_then_gives_the_cpus_back(void)
{
	int before = cpus_allowed(0);
	struct sf_placement p;

	sf_placement_pin(&p);
	CU_ASSERT_TRUE(p.is_pinned);
	CU_ASSERT_EQUAL(cpus_allowed(0), 1);
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	/* The child inherits the pin, and gets the whole set back with us. */
	CU_ASSERT_EQUAL(cpus_allowed(child), 1);
	sf_placement_unpin(&p, &child, 1);
	CU_ASSERT_FALSE(p.is_pinned);
	CU_ASSERT_EQUAL(cpus_allowed(0), before);
	CU_ASSERT_EQUAL(cpus_allowed(child), before);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static void test_placement__sysfault_pin_0_turns_it_off(void)
{
	int before = cpus_allowed(0);
	struct sf_placement p;

	setenv("SYSFAULT_PIN", "0", 1);
	sf_placement_pin(&p);
	unsetenv("SYSFAULT_PIN");
	CU_ASSERT_FALSE(p.is_pinned);
	CU_ASSERT_EQUAL(cpus_allowed(0), before);
}

/*
 * On one CPU the test above is named as not run, and the suite passes:
 * this runner again, on the first CPU it may use (as taskset -c 0 would).
 */
static void test_placement__on_one_cpu_the_pinning_test_is_named_not_run(void)
{
	char self[4096], cpu[16];
	cpu_set_t set;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct sf_proc p;

	CU_ASSERT_FATAL(n > 0 && sched_getaffinity(0, sizeof(set), &set) == 0);
	self[n] = 0;
	int first = 0;
	while (!CPU_ISSET(first, &set))
		first++;
	snprintf(cpu, sizeof(cpu), "%d", first);
	sf_proc_runl(&p, 60, "taskset", "-c", cpu, self, "unit_placement", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "unit_placement: not run: pins then gives the CPUs back "
					       "(needs 2 CPUs; this process may use 1)"), &p);
	sf_proc_release(&p);
}

void sf_test_register_placement(void)
{
	CU_pSuite s = CU_add_suite("unit_placement", NULL, NULL);
	int cpus = cpus_allowed(0);

	/* Pinning to one CPU of one changes nothing to observe: named, never passed. */
	if (cpus >= 2) {
		CU_add_test(s, "pins then gives the CPUs back", test_placement__pins_then_gives_the_cpus_back);
		CU_add_test(s, "on one CPU the pinning test is named not run",
			    test_placement__on_one_cpu_the_pinning_test_is_named_not_run);
	} else
		fprintf(stderr, "unit_placement: not run: pins then gives the CPUs back "
			"(needs 2 CPUs; this process may use %d)\n", cpus);
	CU_add_test(s, "SYSFAULT_PIN=0 turns it off", test_placement__sysfault_pin_0_turns_it_off);
}
