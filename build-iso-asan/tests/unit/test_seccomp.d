build-iso-asan/tests/unit/test_seccomp.o: tests/unit/test_seccomp.c \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/engine/seccomp_filter.h injector/rules/spec.h
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/engine/seccomp_filter.h:
injector/rules/spec.h:
