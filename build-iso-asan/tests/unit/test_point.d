build-iso-asan/tests/unit/test_point.o: tests/unit/test_point.c \
 injector/rules/point.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
