/*
 * Syscall stops: at entry, ask the rules and carry out the action (replace
 * the number, queue a signal, hold for a delay); at exit, write the value
 * the caller must see.
 */
#ifndef SF_SYSCALL_STOP_H
#define SF_SYSCALL_STOP_H

#include "engine/engine.h"

void sf_syscall_stop(struct sf_engine *e, struct sf_tracee *tr);
/* The seccomp engine's single stop at a selected call. */
void sf_seccomp_stop(struct sf_engine *e, struct sf_tracee *tr);

/* Engine services used here (engine.c). */
void sf_engine_resume(struct sf_engine *e, struct sf_tracee *tr, int sig);
void sf_engine_hold(struct sf_engine *e, struct sf_tracee *tr, uint64_t ns, int sig);
/* Points the wake-up timer at the next delay or the --timeout deadline. */
void sf_engine_rearm(struct sf_engine *e);

#endif
