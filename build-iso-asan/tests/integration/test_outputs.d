build-iso-asan/tests/integration/test_outputs.o: \
 tests/integration/test_outputs.c tests/harness.h
tests/harness.h:
