/*
 * Test runner: every suite registered through the generated registry, run
 * with CUnit's basic interface.  Arguments name suites to run (all if none).
 * Exits non-zero on any failure or when a named suite does not exist.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

void sf_test_register_all(void);

static int keep_only(int argc, char **argv)
{
	CU_pTestRegistry reg = CU_get_registry();
	int found = 0;

	for (CU_pSuite s = reg->pSuite; s; s = s->pNext) {
		int wanted = 0;
		for (int i = 1; i < argc; i++)
			if (strstr(s->pName, argv[i]))
				wanted = 1;
		CU_set_suite_active(s, wanted);
		found += wanted;
	}
	return found;
}

int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	sf_test_register_all();
	if (argc > 1 && !keep_only(argc, argv)) {
		fprintf(stderr, "run-tests: no suite matches the names given\n");
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned run = CU_get_number_of_tests_run();
	unsigned fails = CU_get_number_of_tests_failed();
	printf("\n%u passed, %u failed\n", run - fails, fails);
	CU_cleanup_registry();
	return failed || run == 0 ? 1 : 0;
}
