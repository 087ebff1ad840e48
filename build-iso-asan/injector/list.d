build-iso-asan/injector/list.o: injector/list.c \
 include/sysfault/sysfault.h injector/rules/classes.h \
 injector/rules/names.h
include/sysfault/sysfault.h:
injector/rules/classes.h:
injector/rules/names.h:
