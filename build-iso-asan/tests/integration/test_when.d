build-iso-asan/tests/integration/test_when.o: \
 tests/integration/test_when.c tests/harness.h
tests/harness.h:
