build-iso-asan/tests/integration/test_loader.o: \
 tests/integration/test_loader.c tests/harness.h
tests/harness.h:
