build-iso-asan/tests/integration/test_abi.o: tests/integration/test_abi.c \
 tests/harness.h
tests/harness.h:
