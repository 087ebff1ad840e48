build-iso-asan/injector/engine/regs_x86.o: injector/engine/regs_x86.c \
 injector/engine/regs.h injector/rules/names.h
injector/engine/regs.h:
injector/rules/names.h:
