build-iso-asan/injector/explore/explore_report_read.o: \
 injector/explore/explore_report_read.c injector/diag.h \
 include/sysfault/sysfault.h injector/explore/explore.h \
 injector/explore/explore_json.h
injector/diag.h:
include/sysfault/sysfault.h:
injector/explore/explore.h:
injector/explore/explore_json.h:
