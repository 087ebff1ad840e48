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

/*
 * Whether SC's ABI is one sysfault tells (x86_64, i386, x32); a call of
 * any other passes through untouched, which is said once per run.
 */
bool sf_syscall_abi_is_known(struct sf_engine *e, const struct sf_syscall *sc);

/*
 * The rules' decision on TR's call SC at its entry, whichever path answers
 * it (a stop here, the listener in notify.c): counted, tallied and logged
 * here, once.  VIEW is set up here and answers what the filters asked
 * (sf_call_view_has_read).  Returns the rule acting on the call, or NULL:
 * none fires, explore's record run (which only lists it), or not the
 * point of a point run.
 */
const struct sf_rule *sf_syscall_decide(struct sf_engine *e, struct sf_tracee *tr,
					const struct sf_syscall *sc, struct sf_call_view *view);

/*
 * Queues signal SIG on TR's thread, which waits in a call (at a seccomp
 * stop, or killably for the listener): it arrives as the call returns,
 * with the siginfo a syscall-stop injection would give (on_signal).
 */
void sf_syscall_queue_signal(struct sf_tracee *tr, int sig);

#endif
