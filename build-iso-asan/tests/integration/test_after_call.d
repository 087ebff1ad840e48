build-iso-asan/tests/integration/test_after_call.o: \
 tests/integration/test_after_call.c tests/harness.h
tests/harness.h:
