build-iso-asan/tests/installed/test_library.o: \
 tests/installed/test_library.c include/sysfault/sysfault.h
include/sysfault/sysfault.h:
