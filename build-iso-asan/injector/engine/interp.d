build-iso-asan/injector/engine/interp.o: injector/engine/interp.c \
 injector/engine/interp.h
injector/engine/interp.h:
