build-iso-asan/injector/explore/merge.o: injector/explore/merge.c \
 injector/diag.h include/sysfault/sysfault.h injector/command/cli.h \
 injector/explore/explore.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/command/cli.h:
injector/explore/explore.h:
