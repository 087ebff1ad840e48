build-iso-asan/injector/json.o: injector/json.c injector/json.h
injector/json.h:
