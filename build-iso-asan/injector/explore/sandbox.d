build-iso-asan/injector/explore/sandbox.o: injector/explore/sandbox.c \
 injector/diag.h include/sysfault/sysfault.h injector/explore/sandbox.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/explore/sandbox.h:
