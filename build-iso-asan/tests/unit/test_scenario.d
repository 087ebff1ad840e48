build-iso-asan/tests/unit/test_scenario.o: tests/unit/test_scenario.c \
 tests/harness.h injector/rules/scenario.h injector/rules/rule.h \
 injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/sysset.h
tests/harness.h:
injector/rules/scenario.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/sysset.h:
