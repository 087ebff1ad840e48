build-iso-asan/injector/rules/scenario_print.o: \
 injector/rules/scenario_print.c injector/rules/scenario.h \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/sysset.h injector/rules/when.h
injector/rules/scenario.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/sysset.h:
injector/rules/when.h:
