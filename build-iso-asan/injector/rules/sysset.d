build-iso-asan/injector/rules/sysset.o: injector/rules/sysset.c \
 injector/rules/sysset.h injector/rules/rule.h injector/rules/names.h \
 include/sysfault/sysfault.h injector/diag.h
injector/rules/sysset.h:
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/diag.h:
