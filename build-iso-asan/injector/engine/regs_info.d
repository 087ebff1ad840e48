build-iso-asan/injector/engine/regs_info.o: injector/engine/regs_info.c \
 injector/engine/regs.h injector/rules/names.h
injector/engine/regs.h:
injector/rules/names.h:
