build-iso-asan/injector/engine/seccomp_filter.o: \
 injector/engine/seccomp_filter.c injector/engine/seccomp_filter.h \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/engine/placement.h injector/engine/raw_syscall.h
injector/engine/seccomp_filter.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/engine/placement.h:
injector/engine/raw_syscall.h:
