build-iso-asan/injector/report.o: injector/report.c injector/report.h \
 injector/json.h injector/rules/point.h injector/rules/rule.h \
 injector/rules/names.h include/sysfault/sysfault.h injector/rules/rule.h \
 injector/diag.h injector/engine/timer.h
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/rule.h:
injector/diag.h:
injector/engine/timer.h:
