build-iso-asan/injector/version.o: injector/version.c \
 include/sysfault/sysfault.h
include/sysfault/sysfault.h:
