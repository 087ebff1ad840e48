build-iso-asan/tests/unit/test_rule.o: tests/unit/test_rule.c \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/spec.h
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/spec.h:
