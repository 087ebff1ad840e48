/*
 * Syscall stops: at entry, ask the rules and carry out the action (replace
 * the number, queue a signal); at exit, write the value the caller must
 * see.  Each returns what the loop is to do with the stopped thread
 * (resume, hold for a delay); only the loop resumes.
 */
#ifndef SF_SYSCALL_STOP_H
#define SF_SYSCALL_STOP_H

#include "engine/engine.h"

struct sf_next sf_syscall_stop(struct sf_engine *e, struct sf_tracee *tr);
/* The seccomp engine's single stop at a selected call. */
struct sf_next sf_seccomp_stop(struct sf_engine *e, struct sf_tracee *tr);

#endif
