build-iso-asan/injector/command/cli.o: injector/command/cli.c \
 injector/command/cli.h include/sysfault/sysfault.h \
 injector/rules/duration.h injector/rules/suggest.h
injector/command/cli.h:
include/sysfault/sysfault.h:
injector/rules/duration.h:
injector/rules/suggest.h:
