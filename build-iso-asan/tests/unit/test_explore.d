build-iso-asan/tests/unit/test_explore.o: tests/unit/test_explore.c \
 injector/explore/explore.h injector/explore/explore_json.h \
 include/sysfault/sysfault.h
injector/explore/explore.h:
injector/explore/explore_json.h:
include/sysfault/sysfault.h:
