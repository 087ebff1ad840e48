build-iso-asan/tests/main.o: tests/main.c
