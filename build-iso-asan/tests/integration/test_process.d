build-iso-asan/tests/integration/test_process.o: \
 tests/integration/test_process.c tests/harness.h
tests/harness.h:
