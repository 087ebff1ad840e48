build-iso-asan/tests/unit/test_spec.o: tests/unit/test_spec.c \
 injector/rules/spec.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/rules/sysset.h
injector/rules/spec.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/sysset.h:
