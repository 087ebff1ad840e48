/*
 * CPU placement of the tracer and the tree.  A ptrace stop costs far more
 * when tracer and tracee run on different CPUs (a cross-CPU wake-up each
 * way), and most trees run one process at a time (a shell loop, a test
 * runner, a compiler driver), so sysfault starts with the tracer and the
 * whole tree on one CPU.  Every 100 ms it looks at how long tasks waited
 * for a CPU (the kernel's CPU pressure, /proc/pressure/cpu, which counts
 * tasks that lived only a few milliseconds too; without it, the run delay
 * of each traced thread and of the tracer); once that is half the
 * time (the tree has work for more CPUs, or another program holds this
 * one), every task gets its original CPU set back, for good.
 *
 * The command must not see the difference: sched_getaffinity() of a task
 * sysfault pinned returns the set it would have had, and a task that sets
 * its own affinity is never touched again, nor are its children.
 * SYSFAULT_PIN=0 turns placement off.
 */
#ifndef SF_PLACEMENT_H
#define SF_PLACEMENT_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "rules/names.h"

struct sf_placement {
	bool is_pinned;
	bool has_unpinned;           /* it was pinned, and is no longer */
	cpu_set_t original;          /* the tracer's set before pinning */
	uint64_t window_start_ns;    /* the current measuring window */
	uint64_t waited_ns;          /* run delay summed over the window */
	uint64_t tracer_delay_ns;    /* the tracer's run delay at the window's start */
	bool has_psi;                /* /proc/pressure/cpu is readable */
	uint64_t psi_some_us;        /* its "some" total at the window's start */
};

#define SF_PLACEMENT_WINDOW_NS 100000000ull
/* Without CPU pressure: beyond this many live threads, unpinned without measuring. */
#define SF_PLACEMENT_MAX_SAMPLED 64

/* Pins the calling tracer (and so the child it starts next) to its current CPU. */
void sf_placement_pin(struct sf_placement *p);
/* Gives the tracer and TIDS their original CPU set back; no-op when not pinned. */
void sf_placement_unpin(struct sf_placement *p, const pid_t *tids, unsigned n);

/* Whether NR of ABI reads or sets a CPU affinity (the filter must send it here). */
bool sf_placement_watches(enum sf_abi abi, unsigned nr);
bool sf_placement_is_get(enum sf_abi abi, unsigned nr);

/* When the current window ends (UINT64_MAX when not pinned). */
uint64_t sf_placement_next_check(const struct sf_placement *p);
/* Whether the window needs each thread's run delay (no CPU pressure file). */
bool sf_placement_samples_threads(const struct sf_placement *p);
/* Adds the run delay of thread TID since *LAST (updated) to the window. */
void sf_placement_sample(struct sf_placement *p, pid_t tid, uint64_t *last);
/*
 * Closes the window at NOW: true when the tree should be unpinned.
 * *SHARE: the part of the window spent waiting for a CPU.
 */
bool sf_placement_window_done(struct sf_placement *p, uint64_t now, double *share);

/*
 * Writes the original CPU set over the LEN bytes a pinned task's
 * sched_getaffinity() just stored at ADDR in TID.  Returns 0 or -errno.
 */
int sf_placement_fix_get(const struct sf_placement *p, pid_t tid, uint64_t addr, size_t len);

#endif
