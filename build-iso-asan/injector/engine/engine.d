build-iso-asan/injector/engine/engine.o: injector/engine/engine.c \
 injector/engine/engine.h injector/engine/placement.h \
 injector/rules/names.h injector/rules/point.h injector/rules/rule.h \
 include/sysfault/sysfault.h injector/engine/regs.h injector/report.h \
 injector/json.h injector/rules/point.h injector/rules/rule.h \
 injector/engine/timer.h injector/engine/tracee.h \
 injector/engine/interp.h injector/diag.h injector/engine/syscall_stop.h \
 injector/engine/wake.h
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
injector/engine/syscall_stop.h:
injector/engine/wake.h:
