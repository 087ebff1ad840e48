build-iso-asan/tests/unit/test_placement.o: tests/unit/test_placement.c \
 injector/engine/placement.h injector/rules/names.h
injector/engine/placement.h:
injector/rules/names.h:
