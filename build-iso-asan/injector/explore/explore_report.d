build-iso-asan/injector/explore/explore_report.o: \
 injector/explore/explore_report.c injector/diag.h \
 include/sysfault/sysfault.h injector/explore/explore.h \
 injector/explore/explore_json.h injector/report.h injector/json.h \
 injector/rules/point.h injector/rules/rule.h injector/rules/names.h \
 injector/rules/rule.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/explore/explore.h:
injector/explore/explore_json.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
injector/rules/rule.h:
