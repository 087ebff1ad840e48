build-iso-asan/injector/engine/timer.o: injector/engine/timer.c \
 injector/engine/timer.h
injector/engine/timer.h:
