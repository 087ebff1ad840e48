build-iso-asan/injector/explore/explore_json.o: \
 injector/explore/explore_json.c injector/explore/explore_json.h \
 injector/diag.h include/sysfault/sysfault.h
injector/explore/explore_json.h:
injector/diag.h:
include/sysfault/sysfault.h:
