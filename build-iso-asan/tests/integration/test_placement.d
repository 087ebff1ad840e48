build-iso-asan/tests/integration/test_placement.o: \
 tests/integration/test_placement.c tests/harness.h
tests/harness.h:
