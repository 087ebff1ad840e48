build-iso-asan/injector/explore/explore.o: injector/explore/explore.c \
 injector/command/cli.h include/sysfault/sysfault.h \
 injector/explore/explore.h injector/explore/sandbox.h injector/diag.h \
 injector/rules/names.h
injector/command/cli.h:
include/sysfault/sysfault.h:
injector/explore/explore.h:
injector/explore/sandbox.h:
injector/diag.h:
injector/rules/names.h:
