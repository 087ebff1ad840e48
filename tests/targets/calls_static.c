/*
 * calls_static: calls.c linked statically (GNUmakefile): a program without
 * PT_INTERP, so no dynamic loader runs and every call is the program's own.
 */
#include "calls.c"
