build-iso-asan/tests/unit/test_outputs_unit.o: \
 tests/unit/test_outputs_unit.c injector/explore/explore_json.h \
 injector/report.h injector/json.h injector/rules/point.h \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/rule.h
injector/explore/explore_json.h:
injector/report.h:
injector/json.h:
injector/rules/point.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/rule.h:
