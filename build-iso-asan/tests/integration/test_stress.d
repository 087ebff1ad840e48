build-iso-asan/tests/integration/test_stress.o: \
 tests/integration/test_stress.c tests/harness.h
tests/harness.h:
