build-iso-asan/injector/engine/placement.o: injector/engine/placement.c \
 injector/engine/placement.h injector/rules/names.h \
 injector/engine/timer.h
injector/engine/placement.h:
injector/rules/names.h:
injector/engine/timer.h:
