build-iso-asan/tests/integration/test_scenarios.o: \
 tests/integration/test_scenarios.c tests/harness.h
tests/harness.h:
