build-iso-asan/injector/engine/regs.o: injector/engine/regs.c \
 injector/engine/regs.h injector/diag.h include/sysfault/sysfault.h
injector/engine/regs.h:
injector/diag.h:
include/sysfault/sysfault.h:
