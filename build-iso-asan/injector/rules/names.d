build-iso-asan/injector/rules/names.o: injector/rules/names.c \
 injector/rules/names.h injector/rules/classes.h injector/rules/suggest.h
injector/rules/names.h:
injector/rules/classes.h:
injector/rules/suggest.h:
