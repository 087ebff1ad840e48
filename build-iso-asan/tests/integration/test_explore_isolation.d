build-iso-asan/tests/integration/test_explore_isolation.o: \
 tests/integration/test_explore_isolation.c tests/harness.h
tests/harness.h:
