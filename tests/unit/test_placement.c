/*
 * Unit tests of CPU placement: pinned to one CPU while the tree is one
 * thread, the original set back afterwards, and SYSFAULT_PIN=0 honoured.
 */
#include <CUnit/CUnit.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/placement.h"

static int cpus_allowed(pid_t pid)
{
	cpu_set_t set;
	return sched_getaffinity(pid, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : -1;
}

static void test_placement__pins_then_gives_the_cpus_back(void)
{
	int before = cpus_allowed(0);
	struct sf_placement p;

	if (before < 2) {
		CU_FAIL("this test needs a machine with at least 2 CPUs");
		return;
	}
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

void sf_test_register_placement(void)
{
	CU_pSuite s = CU_add_suite("unit_placement", NULL, NULL);

	CU_add_test(s, "pins then gives the CPUs back", test_placement__pins_then_gives_the_cpus_back);
	CU_add_test(s, "SYSFAULT_PIN=0 turns it off", test_placement__sysfault_pin_0_turns_it_off);
}
