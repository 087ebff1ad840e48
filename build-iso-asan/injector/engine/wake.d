build-iso-asan/injector/engine/wake.o: injector/engine/wake.c \
 injector/engine/wake.h
injector/engine/wake.h:
