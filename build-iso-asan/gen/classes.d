build-iso-asan/gen/classes.o: build-iso-asan/gen/classes.c \
 injector/rules/classes.h
injector/rules/classes.h:
