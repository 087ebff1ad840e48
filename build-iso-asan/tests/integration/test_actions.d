build-iso-asan/tests/integration/test_actions.o: \
 tests/integration/test_actions.c tests/harness.h
tests/harness.h:
