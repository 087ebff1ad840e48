/*
 * The tracee table: every thread of the traced tree, found by tid, and the
 * thread groups they belong to, and which group a new task joins.  No
 * fixed limits: both tables grow.  Nothing here calls ptrace.
 */
#ifndef SF_TRACEE_H
#define SF_TRACEE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/interp.h"
#include "engine/regs.h"
#include "engine/short_io.h"
#include "rules/rule.h"

/* A thread group: what scope="process" counts in. */
struct sf_group {
	pid_t tgid;
	unsigned threads;            /* tracees that point here */
	uint64_t serial;             /* creation order in the run */
	struct sf_counters *counters;
	char *lineage;               /* "1", "1.2": fork indices from the command; NULL until known */
	unsigned forks;              /* child processes it has forked */
	unsigned threads_created;    /* threads after the first */
	struct sf_interp interp;     /* its program interpreter's code, from its last exec (or its parent's) */
	char *exe;                   /* its program, as /proc/TGID/exe names it: read once per exec (call_view.c); NULL until then */
};

struct sf_tracee {
	/* Identity, fixed while the thread lives (but see exec from a thread). */
	pid_t tid;
	struct sf_group *group;
	uint64_t serial;             /* creation order in the run, for probability */
	unsigned thread_index;       /* creation order in its process, 0 for the first */
	pid_t parent_hint;           /* PPid when its first stop came before its parent's event */

	/* Life cycle. */
	bool is_started;             /* its first stop was seen and handled */
	bool is_adopted;             /* its parent's fork event named it (lineage, thread index) */
	bool is_waiting_parent;      /* first stop held until the parent's event names it */
	bool is_exec_done;           /* it runs the command's code (after the first exec) */
	bool in_syscall;             /* between entry and exit stops */
	bool in_group_stop;          /* stopped by a stop signal, waiting for SIGCONT (LISTEN) */
	bool is_held;                /* a delay keeps it stopped; a timer will resume it */
	bool is_seize_pending;       /* attach: seized and interrupted, no stop seen yet (attach.c) */

	/* The syscall in progress, from its entry stop. */
	struct sf_syscall call;
	const struct sf_rule *rule;  /* the rule acting on it, or NULL */
	bool is_tampered;            /* its result is sysfault's: skipped, substituted, or replaced at the exit */
	bool wants_result_at_exit;   /* it runs (itself or a substitute): the exit writes the result */
	bool wants_delay_exit;
	bool wants_exit_stop;        /* seccomp engine: this call's exit must be seen */
	bool is_recording;           /* record run: log this call's clean result at its exit */
	bool is_shortened;           /* short= changed it: its exit puts back short_undo */
	bool wants_poke_exit;        /* poke_exit= writes at its exit */
	struct sf_short_undo short_undo; /* what short= changed (short_io.h) */

	/* A call the listener holds for its delay (notify.c): answered, not resumed, at its end. */
	bool is_notify_held;
	uint64_t notify_id;          /* the held call's notification */
	bool awaits_result_stop;     /* answered to run first: its interrupt stop as it returns writes the result */
	int64_t result_at_stop;

	int pending_signal;          /* to pass when it is next resumed */
	int queued_signal;           /* sent with tgkill at a seccomp stop, not yet delivered */
	uint64_t hold_token;         /* matches the timer that resumes it */

	struct sf_counters *counters; /* scope="thread" */

	/* CPU placement (placement.h). */
	bool is_self_placed;         /* it (or its parent) set its own affinity: hands off */
	bool is_affinity_call;       /* this call reads or sets an affinity: see its exit */
	bool may_have_pinned_child;  /* unpinned since its last stop: a child it reports may have the pinned set */
	uint64_t run_delay_ns;       /* its run delay at the last sample */

	int comm_fd;                 /* /proc/TID/comm kept open for process filters; -1 none */
};

struct sf_tracee_table;

struct sf_tracee_table *sf_tracee_table_new(void);
void sf_tracee_table_free(struct sf_tracee_table *t);

struct sf_tracee *sf_tracee_find(struct sf_tracee_table *t, pid_t tid);
/*
 * Adds TID to thread group TGID (created if new).  Returns the tracee, or
 * NULL when memory runs out.  Serials count from 1 in creation order.
 */
struct sf_tracee *sf_tracee_add(struct sf_tracee_table *t, pid_t tid, pid_t tgid);
void sf_tracee_remove(struct sf_tracee_table *t, struct sf_tracee *tr);
/* Gives the tracee TR the tid NEW_TID (exec from a non-leader thread). */
void sf_tracee_retid(struct sf_tracee_table *t, struct sf_tracee *tr, pid_t new_tid);

/*
 * How many threads' comm files sf_tracee_read_comm keeps open at most;
 * fewer when that is over half of RLIMIT_NOFILE's soft limit at the
 * table's creation.
 */
#define SF_TRACEE_COMM_FDS_MAX 256
/*
 * TR's name as /proc/TID/comm says it now (renames included), into BUF
 * of SIZE bytes without the newline: its length, or -1.  The file stays
 * open for the next read, one pread instead of open, read and close,
 * for a bounded number of threads at a time: a tree of thousands leaves
 * sysfault descriptors for the rest.  T NULL: none kept.
 */
ssize_t sf_tracee_read_comm(struct sf_tracee_table *t, struct sf_tracee *tr, char *buf, size_t size);
/* Closes TR's kept comm file: after an exec from a thread it names the old tid. */
void sf_tracee_forget_comm(struct sf_tracee_table *t, struct sf_tracee *tr);

/*
 * Whether TID is a thread of TGID, asked of the kernel: tgkill(2) with
 * signal 0 sends nothing and fails with ESRCH unless TID is in TGID (EPERM
 * says it is, yet may not be signalled).  False for a task that is gone.
 */
bool sf_tracee_is_in_group(pid_t tgid, pid_t tid);
/* What /proc/TID/status says of a thread. */
struct sf_proc_status {
	pid_t tgid, ppid, tracer;    /* tracer 0: none */
	char state;                  /* 'R', 'S', 'T', 'Z'... */
};
/* One read of /proc/TID/status, no stdio: 0, or -ESRCH (gone) or -errno. */
int sf_tracee_read_status(pid_t tid, struct sf_proc_status *st);
/*
 * Tgid of TID and, in *PPID, its parent's pid, from /proc/TID/status;
 * TID and 0 when it cannot be read.  For the rare task
 * seen before the event of its creator, which otherwise says all this.
 */
pid_t sf_tracee_read_ids(pid_t tid, pid_t *ppid);

unsigned sf_tracee_count(const struct sf_tracee_table *t);
uint64_t sf_tracee_created(const struct sf_tracee_table *t);
/*
 * Calls FN for every tracee.  FN may remove the tracee it is given (a
 * detach does), never another one, and must not add.
 */
void sf_tracee_foreach(struct sf_tracee_table *t, void (*fn)(struct sf_tracee *, void *), void *arg);

#endif
