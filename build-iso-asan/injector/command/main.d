build-iso-asan/injector/command/main.o: injector/command/main.c \
 injector/explore/explore.h injector/explore/sandbox.h \
 injector/command/cli.h include/sysfault/sysfault.h
injector/explore/explore.h:
injector/explore/sandbox.h:
injector/command/cli.h:
include/sysfault/sysfault.h:
