build-iso-asan/tests/unit/test_names.o: tests/unit/test_names.c \
 injector/command/cli.h include/sysfault/sysfault.h \
 injector/rules/classes.h injector/rules/names.h injector/rules/suggest.h
injector/command/cli.h:
include/sysfault/sysfault.h:
injector/rules/classes.h:
injector/rules/names.h:
injector/rules/suggest.h:
