build-iso-asan/tests/unit/test_tracee.o: tests/unit/test_tracee.c \
 injector/engine/timer.h injector/engine/tracee.h \
 injector/engine/interp.h injector/engine/regs.h injector/rules/rule.h \
 injector/rules/names.h include/sysfault/sysfault.h
injector/engine/timer.h:
injector/engine/tracee.h:
injector/engine/interp.h:
injector/engine/regs.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
