build-iso-asan/injector/tracer.o: injector/tracer.c injector/tracer.h \
 include/sysfault/sysfault.h injector/diag.h injector/rules/scenario.h \
 injector/rules/rule.h injector/rules/names.h
injector/tracer.h:
include/sysfault/sysfault.h:
injector/diag.h:
injector/rules/scenario.h:
injector/rules/rule.h:
injector/rules/names.h:
