build-iso-asan/injector/engine/launch.o: injector/engine/launch.c \
 injector/engine/launch.h injector/engine/seccomp_filter.h \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/diag.h injector/engine/raw_syscall.h injector/engine/wake.h
injector/engine/launch.h:
injector/engine/seccomp_filter.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/diag.h:
injector/engine/raw_syscall.h:
injector/engine/wake.h:
