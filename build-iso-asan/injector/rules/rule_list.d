build-iso-asan/injector/rules/rule_list.o: injector/rules/rule_list.c \
 injector/rules/rule.h injector/rules/names.h include/sysfault/sysfault.h \
 injector/rules/when.h
injector/rules/rule.h:
injector/rules/names.h:
include/sysfault/sysfault.h:
injector/rules/when.h:
