build-iso-asan/gen/test_registry.o: build-iso-asan/gen/test_registry.c
