build-iso-asan/injector/rules/scenario.o: injector/rules/scenario.c \
 injector/rules/scenario.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/diag.h injector/rules/spec.h \
 injector/rules/suggest.h injector/rules/sysset.h injector/rules/when.h
injector/rules/scenario.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/diag.h:
injector/rules/spec.h:
injector/rules/suggest.h:
injector/rules/sysset.h:
injector/rules/when.h:
