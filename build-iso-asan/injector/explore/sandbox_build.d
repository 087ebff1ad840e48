build-iso-asan/injector/explore/sandbox_build.o: \
 injector/explore/sandbox_build.c injector/diag.h \
 include/sysfault/sysfault.h injector/explore/sandbox.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/explore/sandbox.h:
