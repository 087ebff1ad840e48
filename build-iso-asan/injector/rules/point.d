build-iso-asan/injector/rules/point.o: injector/rules/point.c \
 injector/rules/point.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/diag.h
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/diag.h:
