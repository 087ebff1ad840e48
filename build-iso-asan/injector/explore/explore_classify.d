build-iso-asan/injector/explore/explore_classify.o: \
 injector/explore/explore_classify.c injector/explore/explore.h \
 injector/explore/explore_json.h injector/report.h injector/json.h \
 injector/rules/point.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/rules/rule.h
injector/explore/explore.h:
injector/explore/explore_json.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/rule.h:
