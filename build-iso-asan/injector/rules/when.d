build-iso-asan/injector/rules/when.o: injector/rules/when.c \
 injector/rules/when.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h
injector/rules/when.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
