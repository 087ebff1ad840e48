build-iso-asan/injector/explore/explore_resume.o: \
 injector/explore/explore_resume.c injector/command/cli.h \
 include/sysfault/sysfault.h injector/diag.h injector/explore/explore.h
injector/command/cli.h:
include/sysfault/sysfault.h:
injector/diag.h:
injector/explore/explore.h:
