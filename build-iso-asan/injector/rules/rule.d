build-iso-asan/injector/rules/rule.o: injector/rules/rule.c \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/when.h
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/when.h:
