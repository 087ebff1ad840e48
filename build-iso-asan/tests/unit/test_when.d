build-iso-asan/tests/unit/test_when.o: tests/unit/test_when.c \
 injector/rules/when.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h
injector/rules/when.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
