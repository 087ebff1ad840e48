build-iso-asan/tests/integration/test_points.o: \
 tests/integration/test_points.c tests/harness.h
tests/harness.h:
