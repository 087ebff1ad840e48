build-iso-asan/tests/integration/test_explore_resume.o: \
 tests/integration/test_explore_resume.c tests/harness.h
tests/harness.h:
