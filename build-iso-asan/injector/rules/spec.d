build-iso-asan/injector/rules/spec.o: injector/rules/spec.c \
 injector/rules/spec.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/diag.h injector/rules/duration.h \
 injector/rules/suggest.h injector/rules/sysset.h injector/rules/when.h
injector/rules/spec.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/diag.h:
injector/rules/duration.h:
injector/rules/suggest.h:
injector/rules/sysset.h:
injector/rules/when.h:
