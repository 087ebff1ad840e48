build-iso-asan/tests/integration/test_differential.o: \
 tests/integration/test_differential.c tests/harness.h
tests/harness.h:
