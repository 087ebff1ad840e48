build-iso-asan/injector/rules/duration.o: injector/rules/duration.c \
 injector/rules/duration.h injector/diag.h include/sysfault/sysfault.h
injector/rules/duration.h:
injector/diag.h:
include/sysfault/sysfault.h:
