build-iso-asan/injector/engine/syscall_stop.o: \
 injector/engine/syscall_stop.c injector/engine/syscall_stop.h \
 injector/engine/engine.h injector/engine/placement.h \
 injector/rules/names.h injector/rules/point.h injector/rules/rule.h \
 include/sysfault/sysfault.h injector/engine/regs.h injector/report.h \
 injector/json.h injector/rules/point.h injector/rules/rule.h \
 injector/engine/timer.h injector/engine/tracee.h \
 injector/engine/interp.h injector/diag.h \
 injector/engine/seccomp_filter.h
injector/engine/syscall_stop.h:
injector/engine/engine.h:
injector/engine/placement.h:
injector/rules/names.h:
injector/rules/point.h:
injector/rules/rule.h:
include/sysfault/sysfault.h:
injector/engine/regs.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/engine/timer.h:
injector/engine/tracee.h:
injector/engine/interp.h:
injector/diag.h:
injector/engine/seccomp_filter.h:
