build-iso-asan/tests/integration/test_explore.o: \
 tests/integration/test_explore.c tests/harness.h
tests/harness.h:
