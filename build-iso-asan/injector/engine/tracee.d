build-iso-asan/injector/engine/tracee.o: injector/engine/tracee.c \
 injector/engine/tracee.h injector/engine/interp.h injector/engine/regs.h \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h
injector/engine/tracee.h:
injector/engine/interp.h:
injector/engine/regs.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
