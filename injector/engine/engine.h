/*
 * The ptrace engine: one event loop over every thread of the tree.  It asks
 * the rules what to do at each syscall entry and carries the answer out
 * through the register interface; it never reads scenario fields.
 */
#ifndef SF_ENGINE_H
#define SF_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/call_view.h"
#include "engine/notify.h"
#include "engine/placement.h"
#include "rules/point.h"
#include "engine/regs.h"
#include "report.h"
#include "rules/rule.h"
#include "rules/site.h"
#include "engine/timer.h"
#include "engine/tracee.h"

struct sf_engine {
	/* Set by the caller before sf_engine_run(). */
	const struct sf_rules *rules;    /* only read: the scenario is the caller's */
	uint64_t seed;
	struct sf_log *log;              /* may be NULL */
	struct sf_log *record;           /* explore's record run: list points, inject nothing */
	bool is_record_by_site;          /* list the first call of each call site only */
	const struct sf_point *point;    /* explore's point run: inject at this point only */
	uint64_t deadline_ns;            /* CLOCK_MONOTONIC; 0: none */

	/* Owned by the engine. */
	bool is_seccomp;                 /* the filter sends only selected calls here */
	struct sf_notify notify;         /* the notify engine's listener (notify.h); fd -1: none */
	struct sf_placement placement;   /* set by the caller before spawning */
	const struct sf_regs_backend *regs;
	struct sf_rule_tally *tally;     /* [rule index]: what each rule did in this run */
	struct sf_call_facts *facts;     /* what the filters ask of the call at hand */
	struct sf_stacks *stacks;        /* modules of the processes unwound, for caller and logs */
	bool *warned_poke;               /* [rule index]: a poke of this rule was skipped and said so */
	struct sf_tracee_table *tracees;
	struct sf_timers timers;
	struct sf_counters *tree_counters; /* scope="tree" */
	uint64_t hold_tokens;
	bool has_holds;                  /* a delay may hold a thread: look for signals waiting for it */
	uint64_t next_hold_check_ns;     /* when to look next (engine.c, end_holds_for_signals) */
	pid_t main_pid;                  /* 0 when attached: there is no command of ours */
	int main_status;                 /* wait status of the command's first process */
	bool is_main_done;
	bool is_attached;                /* -p: seized running processes; signals and the timeout detach */
	bool is_detaching;               /* every stop now ends in PTRACE_DETACH (attach.c) */
	bool timed_out;
	bool warned_abi;
	bool is_point_reached;
	struct sf_site_set sites;        /* a record by site: the sites listed so far */
	int err;                         /* -errno of a failure that ended the run (reported), or 0 */
};

/*
 * What to do with a stopped thread, as a stop's handler decides it; the
 * loop carries it out (engine.c, carry_out), so that every stop is resumed
 * exactly once, in one place.
 */
enum sf_next_kind {
	SF_NEXT_RESUME,      /* resume now, delivering SIG */
	SF_NEXT_HOLD,        /* resume after HOLD_NS (a delay), delivering SIG */
	SF_NEXT_LISTEN,      /* group-stop: stay stopped until SIGCONT, still report events */
	SF_NEXT_KEEP,        /* leave it: it died, or waits for its parent's event (adopt) */
	SF_NEXT_DETACH,      /* let it go untraced (PTRACE_DETACH), delivering SIG */
};
struct sf_next {
	enum sf_next_kind kind;
	int sig;
	uint64_t hold_ns;
};
#define SF_RESUME(s) ((struct sf_next){ .kind = SF_NEXT_RESUME, .sig = (s) })
#define SF_HOLD(ns, s) ((struct sf_next){ .kind = SF_NEXT_HOLD, .sig = (s), .hold_ns = (ns) })
#define SF_LISTEN ((struct sf_next){ .kind = SF_NEXT_LISTEN })
#define SF_KEEP ((struct sf_next){ .kind = SF_NEXT_KEEP })
#define SF_DETACH(s) ((struct sf_next){ .kind = SF_NEXT_DETACH, .sig = (s) })

/* ptrace options every tracee gets. */
#define SF_PTRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | \
	PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | \
	PTRACE_O_EXITKILL)
#define SF_PTRACE_OPTIONS_SECCOMP (SF_PTRACE_OPTIONS | PTRACE_O_TRACESECCOMP)

/* Allocates the tracee table and the tally of E->rules. Returns 0 or -ENOMEM. */
int sf_engine_init(struct sf_engine *e);
void sf_engine_release(struct sf_engine *e);

/*
 * Runs the event loop for the freshly spawned MAIN_PID until no tracee is
 * left.  Returns 0, or -errno after reporting an internal failure (the tree
 * is killed first).
 */
int sf_engine_run(struct sf_engine *e, pid_t main_pid);

/*
 * Seizes every thread of the running processes PIDS[0..N-1] (attach.c)
 * and runs the event loop until no tracee is left: they all ended, or a
 * signal to sysfault (INT, TERM, HUP, QUIT) or the deadline had every one
 * detached, left running as it was.  The ptrace engine only: a seccomp
 * filter cannot be added to a running process.  Returns 0, or -errno
 * after one line (an attach that failed: what was seized is detached).
 */
int sf_engine_run_attached(struct sf_engine *e, const int *pids, unsigned n);

/*
 * A point run whose point was reached has nothing left to decide: its
 * calls need no stop but those an injected call or the CPU placement
 * still needs (while the tree is pinned, the affinity calls are rewritten).
 */
static inline bool sf_engine_point_is_behind(const struct sf_engine *e)
{
	return e->point && e->is_point_reached;
}

/*
 * Reads where TR's process has its program interpreter, when some rule
 * skips the interpreter's calls (after an exec, or at an attach).
 */
void sf_engine_read_interp(struct sf_engine *e, struct sf_tracee *tr);

/*
 * Holds TR for NS (a delay) on the timer queue, marking it held; its end
 * (the timer, or a signal that would end the call: engine.c) resumes it,
 * or answers its call when the listener holds it (tr->is_notify_held).
 * Returns 0, or -ENOMEM after a warning (then nothing is held).
 */
int sf_engine_hold(struct sf_engine *e, struct sf_tracee *tr, uint64_t ns);

/* SIGKILL to every tracee (the timeout, a failure of the engine's own). */
void sf_engine_kill_tree(struct sf_engine *e);

#endif
