build-iso-asan/tests/unit/test_duration.o: tests/unit/test_duration.c \
 injector/command/cli.h include/sysfault/sysfault.h \
 injector/rules/duration.h injector/rules/spec.h injector/rules/rule.h \
 injector/rules/names.h
injector/command/cli.h:
include/sysfault/sysfault.h:
injector/rules/duration.h:
injector/rules/spec.h:
injector/rules/rule.h:
injector/rules/names.h:
