/*
 * Attach and detach (`sysfault run -p`): seize every thread of processes
 * that are already running, and at the end let every tracee go exactly as
 * it would have been without sysfault.  Attaching never stops a thread for
 * longer than it takes to see it stopped once; detaching never kills,
 * never leaves a thread stopped that was running, and never leaves a
 * signal of sysfault's behind.
 */
#ifndef SF_ATTACH_H
#define SF_ATTACH_H

#include <stdbool.h>
#include <sys/ptrace.h>
#include <sys/types.h>

#include "engine/engine.h"

/* ptrace options of a seized process: the usual ones, without EXITKILL, so that it may be left running. */
#define SF_PTRACE_OPTIONS_ATTACH (SF_PTRACE_OPTIONS & ~PTRACE_O_EXITKILL)

/* A wait status reported while attaching, for the event loop to handle first. */
struct sf_wait_status {
	pid_t tid;
	int status;
};

/* One attach: what was asked, and the stops it saw before the loop runs. */
struct sf_attach {
	const int *pids;               /* as given: a thread's id stands for its process */
	unsigned npids;
	pid_t *tgids;                  /* [npids]: the process each pid stands for */
	unsigned nprocesses;           /* distinct processes seized so far: their lineage is "1", "2"... */
	unsigned pending;              /* threads seized whose first stop has not been seen */
	struct sf_wait_status *early;  /* in the order waitpid() reported them */
	unsigned nearly, cap;
};

/*
 * Seizes every thread of each process of AT->pids (PTRACE_SEIZE, then
 * PTRACE_INTERRUPT), adds them to E's table, and waits until each has
 * stopped once: a stopped thread is not in the middle of a clone, so a
 * scan of /proc/PID/task made then misses no thread (one created by a
 * thread seized first is attached by the kernel, PTRACE_O_TRACECLONE).
 * Scans again until a scan finds nothing new.  The stops seen meanwhile
 * are kept in AT->early, in order.  Returns 0, or -errno after one line
 * naming the pid (-ESRCH no such process, -EPERM not permitted); the
 * threads seized before the failure stay in the table, to be detached.
 */
int sf_attach(struct sf_engine *e, struct sf_attach *at);
void sf_attach_release(struct sf_attach *at);

/*
 * The detach begins: what to do with TR, which is not at a stop being
 * handled.  A thread kept at its first stop, or held by a delay after its
 * call's exit, is let go now (with the signal a delay kept for it); one
 * held at a syscall entry goes on to that call's exit, where what the
 * entry decided is settled; any other (running, or in group-stop) is sent
 * PTRACE_INTERRUPT and let go at its next stop (sf_detach_stop).
 */
struct sf_next sf_detach_start(struct sf_engine *e, struct sf_tracee *tr);

/*
 * While detaching: what to do at a stop of TR (SIG and EVENT as the wait
 * status shows them).  At a syscall exit the exit is handled as usual
 * first (a tampered call gets its result), an entry is left alone (the
 * call runs untraced), a signal is passed on, a new child is taken into
 * the table so that it is let go too.  Always SF_DETACH, or SF_KEEP for a
 * thread that died under us.
 */
struct sf_next sf_detach_stop(struct sf_engine *e, struct sf_tracee *tr, int sig, int event);

#endif
