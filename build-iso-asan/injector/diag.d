build-iso-asan/injector/diag.o: injector/diag.c injector/diag.h \
 include/sysfault/sysfault.h
injector/diag.h:
include/sysfault/sysfault.h:
