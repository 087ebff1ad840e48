build-iso-asan/injector/run.o: injector/run.c injector/diag.h \
 include/sysfault/sysfault.h injector/engine/engine.h \
 injector/engine/placement.h injector/rules/names.h \
 injector/rules/point.h injector/rules/rule.h injector/engine/regs.h \
 injector/report.h injector/json.h injector/rules/point.h \
 injector/rules/rule.h injector/engine/timer.h injector/engine/tracee.h \
 injector/engine/interp.h injector/rules/scenario.h \
 injector/engine/seccomp_filter.h injector/engine/launch.h \
 injector/engine/seccomp_filter.h injector/tracer.h \
 injector/engine/wake.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/engine/engine.h:
injector/engine/placement.h:
injector/rules/names.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/engine/regs.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/engine/timer.h:
injector/engine/tracee.h:
injector/engine/interp.h:
injector/rules/scenario.h:
injector/engine/seccomp_filter.h:
injector/engine/launch.h:
injector/engine/seccomp_filter.h:
injector/tracer.h:
injector/engine/wake.h:
