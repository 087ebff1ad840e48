/*
 * Signals waiting for a thread held in a ptrace stop (a delay): the kernel
 * delivers none to a stopped tracee, nor reports it, until it is resumed
 * (ptrace(2), "Signal-delivery-stop"), so only /proc shows them.  Reads
 * and judges; never resumes anything (the engine does).
 */
#ifndef SF_PENDING_H
#define SF_PENDING_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A thread's signal sets from /proc/TID/status (proc(5)); bit N-1 is signal N. */
struct sf_pending {
	uint64_t thread;    /* SigPnd: sent to this thread */
	uint64_t shared;    /* ShdPnd: sent to its process */
	uint64_t blocked;   /* SigBlk */
	uint64_t ignored;   /* SigIgn */
	uint64_t caught;    /* SigCgt: a handler is installed */
};

/* Reads TID's sets into *P; 0, or -errno (-ENOENT: it is gone). */
int sf_pending_read(pid_t tid, struct sf_pending *p);

/*
 * Whether a signal of P other than EXCEPT (0: none) would act if the
 * thread ran: pending, not blocked, and neither ignored nor one whose
 * default is to be ignored (signal(7)) without a handler.  Such a signal
 * ends a call that is sleeping natively, so it must end a delay too.
 */
bool sf_pending_acts(const struct sf_pending *p, int except);

#endif
