build-iso-asan/tests/integration/test_cli.o: tests/integration/test_cli.c \
 tests/harness.h
tests/harness.h:
