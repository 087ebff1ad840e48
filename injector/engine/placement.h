/*
 * CPU placement of the tracer and the tree.  A ptrace stop costs far more
 * when tracer and tracee run on different CPUs (a cross-CPU wake-up each
 * way), and most trees run one process at a time (a shell loop, a test
 * runner, a compiler driver), so sysfault starts with the tracer and the
 * whole tree on one CPU.  Every 100 ms it looks at how long the tree's own
 * tasks waited for a CPU: the "some" total of cpu.pressure of a cgroup
 * made for the run (cgroup.h), which the command is born in and which
 * counts short-lived processes too, plus the tracer's own run delay; where
 * no such cgroup can be made, the run delay (/proc/TID/schedstat) of every
 * traced thread and of the tracer, which misses the processes that lived
 * between two looks, so two threads found runnable at once at two looks
 * in a row count too.  Once the waiting is half the time (the tree has
 * work for more CPUs, or a program that holds the CPU keeps it waiting),
 * every task gets its original CPU set back, for good; the cgroup's full
 * line tells the tree's own parallel work from waiting on sysfault or a
 * neighbour (sf_placement_window_done), and windows go on after an unpin
 * of the second kind while the notify engine wakes callers on its CPU.
 * The machine-wide /proc/pressure/cpu is not looked at: a busy neighbour
 * on another CPU, waiting or not, costs the pinned tree nothing.
 *
 * The command must not see the difference: sched_getaffinity() of a task
 * sysfault pinned returns the set it would have had, and a task that sets
 * its own affinity is never touched again, nor are its children.  Only
 * /proc (Cpus_allowed, and /proc/self/cgroup with its sysfault-PID) shows.
 * SYSFAULT_PIN=0 turns placement off; SYSFAULT_PIN=nocgroup keeps it but
 * makes no cgroup.
 */
#ifndef SF_PLACEMENT_H
#define SF_PLACEMENT_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/cgroup.h"
#include "rules/names.h"

/* What the tree's waiting is read from. */
enum sf_placement_source {
	SF_SOURCE_NONE,        /* not measuring: not pinned */
	SF_SOURCE_CGROUP,      /* the run's cgroup's cpu.pressure, and the tracer's run delay */
	SF_SOURCE_RUN_DELAY,   /* each traced thread's run delay, and the tracer's */
};

/* The readings, behind a seam: the real files, or a unit test's numbers. */
struct sf_placement_probe {
	/* cpu.pressure totals of CG; 0 or -errno. */
	int (*cgroup_pressure)(const struct sf_cgroup *cg, struct sf_pressure *ps);
	/* Run delay of thread TID (0: the calling thread) so far, in nanoseconds; 0 or -errno. */
	int (*run_delay_ns)(pid_t tid, uint64_t *ns);
	/* Whether thread TID is runnable now (state R: on a CPU, or waiting for one). */
	bool (*is_runnable)(pid_t tid);
};

struct sf_placement {
	/* What was done to the affinities. */
	bool is_pinned;
	bool has_unpinned;             /* it was pinned, and is no longer */
	bool watches_parallel;         /* unpinned for waiting, windows go on: does the tree run in parallel? */
	cpu_set_t original;            /* the tracer's set before pinning */
	int cpu;                       /* the one CPU while pinned */

	/* Where the waiting is read. */
	enum sf_placement_source source;
	const struct sf_placement_probe *probe;
	struct sf_cgroup cgroup;       /* the run's; empty unless source is SF_SOURCE_CGROUP */
	char why_no_cgroup[256];       /* for -v, when there is none */

	/* The current window. */
	uint64_t window_start_ns;
	uint64_t waited_ns;            /* run delay summed over the window so far */
	struct sf_pressure cgroup_at;  /* the cgroup's totals at the window's start */
	uint64_t tracer_delay_ns;      /* the tracer's run delay at the window's start */
	unsigned runnable;             /* traced threads runnable at this window's end */
	unsigned was_runnable;         /* the same at the previous window's end */

	/* The windows so far, for -v at the end. */
	unsigned windows;
	double max_share, sum_share;
};

#define SF_PLACEMENT_WINDOW_NS 100000000ull
/* Of the run delay: beyond this many live threads, unpinned without measuring. */
#define SF_PLACEMENT_MAX_SAMPLED 64

/*
 * Pins the calling tracer (and so the child it starts next) to its current
 * CPU, and makes the run's cgroup for that child (SYSFAULT_PIN says whether).
 */
void sf_placement_pin(struct sf_placement *p);
/* The directory the command is to be born in (sf_launch), or -1. */
int sf_placement_cgroup_fd(const struct sf_placement *p);
/*
 * The command started: in the cgroup, or not (CGROUP_ERR, -errno of the
 * clone3, and measured by run delay then).  The first window starts; -v
 * says where and how the waiting is measured.
 */
void sf_placement_launched(struct sf_placement *p, int cgroup_err);
/* Gives the tracer and TIDS their original CPU set back; no-op when not pinned. */
void sf_placement_unpin(struct sf_placement *p, const pid_t *tids, unsigned n);
/*
 * The end of the run: the tracer's CPUs back, the cgroup removed (what
 * the tree left running in it moved back to sysfault's), and with -v how
 * much the tree waited while pinned.
 */
void sf_placement_release(struct sf_placement *p);

/* Whether NR of ABI reads or sets a CPU affinity (the filter must send it here). */
bool sf_placement_watches(enum sf_abi abi, unsigned nr);
bool sf_placement_is_get(enum sf_abi abi, unsigned nr);

/*
 * Starts measuring from SOURCE, read through PROBE (NULL: the real files),
 * with a window from NOW.  sf_placement_launched() does it; unit tests
 * call it with a probe of their own.
 */
void sf_placement_measure(struct sf_placement *p, enum sf_placement_source source,
			  const struct sf_placement_probe *probe, uint64_t now);
/* When the current window ends (UINT64_MAX when neither pinned nor watching). */
uint64_t sf_placement_next_check(const struct sf_placement *p);
/* Whether the window needs each thread's run delay, at window ends and at exits. */
bool sf_placement_samples_threads(const struct sf_placement *p);
/* Adds thread TID's run delay since *LAST (updated) to the window, and whether it is runnable. */
void sf_placement_sample(struct sf_placement *p, pid_t tid, uint64_t *last);
/* What a window showed. */
enum sf_window {
	SF_WINDOW_CALM,       /* little waiting: the tree stays where it is */
	SF_WINDOW_STALLED,    /* half of it waiting, not on each other: on sysfault, or another program */
	SF_WINDOW_PARALLEL,   /* the tree's tasks waited for each other: it has work for more CPUs */
};

/*
 * Closes the window at NOW.  *SHARE: the part of the window spent waiting
 * for a CPU.  With the cgroup's full line, its tasks waiting while another
 * of them ran (some - full) tell a parallel tree from a serial one that
 * waits on sysfault (a notify engine's hand-offs on one CPU wait 55% of
 * the time) or on a program beside it; without it, any crowding counts as
 * parallel.
 */
enum sf_window sf_placement_window_done(struct sf_placement *p, uint64_t now, double *share);
/* What the shares are measured from, for messages: "its cgroup's CPU pressure", ... */
const char *sf_placement_source_name(const struct sf_placement *p);
/* Says (-v) why the window that just closed with SHARE and WHAT unpins the tree. */
void sf_placement_say_crowded(const struct sf_placement *p, enum sf_window what, double share);

/*
 * Writes the original CPU set over the LEN bytes a pinned task's
 * sched_getaffinity() just stored at ADDR in TID.  Returns 0 or -errno.
 */
int sf_placement_fix_get(const struct sf_placement *p, pid_t tid, uint64_t addr, size_t len);

#endif
