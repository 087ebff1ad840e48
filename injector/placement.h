/*
 * CPU placement of the tracer and the tree.  A ptrace stop costs far more
 * when tracer and tracee run on different CPUs (a cross-CPU wake-up each
 * way), so while the tree is a single thread both are kept on one CPU; the
 * first fork or thread gives every task its original CPU set back, so a
 * parallel tree is never squeezed onto one CPU.  SYSFAULT_PIN=0 turns it off.
 */
#ifndef SF_PLACEMENT_H
#define SF_PLACEMENT_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

struct sf_placement {
	bool is_pinned;
	cpu_set_t original;   /* the tracer's set before pinning */
};

/* Pins the calling tracer (and so the child it forks next) to its current CPU. */
void sf_placement_pin(struct sf_placement *p);
/* Gives the tracer and TIDS their original CPU set back; no-op when not pinned. */
void sf_placement_unpin(struct sf_placement *p, const pid_t *tids, unsigned n);

#endif
