build-iso-asan/tests/integration/test_privs.o: \
 tests/integration/test_privs.c tests/harness.h
tests/harness.h:
