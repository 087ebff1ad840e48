build-iso-asan/injector/rules/suggest.o: injector/rules/suggest.c \
 injector/rules/suggest.h
injector/rules/suggest.h:
