build-iso-asan/injector/explore/explore_run.o: \
 injector/explore/explore_run.c injector/diag.h \
 include/sysfault/sysfault.h injector/explore/explore.h \
 injector/explore/sandbox.h injector/report.h injector/json.h \
 injector/rules/point.h injector/rules/rule.h injector/rules/names.h \
 injector/rules/rule.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/explore/explore.h:
injector/explore/sandbox.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
injector/rules/rule.h:
