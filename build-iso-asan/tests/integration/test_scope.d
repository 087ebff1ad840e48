build-iso-asan/tests/integration/test_scope.o: \
 tests/integration/test_scope.c tests/harness.h
tests/harness.h:
