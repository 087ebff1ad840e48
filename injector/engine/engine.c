/*
 * Event loop of the ptrace engine: waits for stops of any tracee, sorts them
 * (syscall, ptrace event, group-stop, signal, death).  Every handler returns
 * what to do with the stopped thread and carry_out() does it, so a stop is
 * resumed exactly once: now, by LISTEN, by a delay's end (its timer, or a
 * signal that would have ended the call), (a new child held for its
 * parent's event) by adopt(), or, after an attach, by PTRACE_DETACH
 * (attach.c says at which stop and how).  None is left stopped.  Under the
 * notify engine the wait also answers the listener's calls (notify.c); a
 * call it holds for a delay ends as a held stop does, answered not resumed.
 */
#include "engine/engine.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/attach.h"
#include "engine/pending.h"
#include "engine/syscall_stop.h"
#include "engine/wake.h"

/* While a thread is held: how often to look for a signal waiting for it. */
#define SF_HOLD_CHECK_NS (10 * 1000000ull)

int sf_engine_init(struct sf_engine *e)
{
	e->regs = sf_regs_select();
	e->tracees = sf_tracee_table_new();
	e->tally = calloc(e->rules->n ? e->rules->n : 1, sizeof(*e->tally));
	e->facts = malloc(sizeof(*e->facts));
	e->warned_poke = calloc(e->rules->n ? e->rules->n : 1, sizeof(*e->warned_poke));
	e->stacks = sf_stacks_new();
	sf_notify_init(&e->notify);
	return e->tracees && e->tally && e->facts && e->warned_poke && e->stacks ? 0 : -ENOMEM;
}

void sf_engine_release(struct sf_engine *e)
{
	sf_tracee_table_free(e->tracees);
	e->tracees = NULL;
	free(e->tally);
	e->tally = NULL;
	free(e->facts);
	e->facts = NULL;
	free(e->warned_poke);
	e->warned_poke = NULL;
	sf_stacks_free(e->stacks);
	e->stacks = NULL;
	sf_site_set_release(&e->sites);
	sf_timers_release(&e->timers);
	sf_counters_free(e->tree_counters);
	e->tree_counters = NULL;
	sf_notify_release(&e->notify);
}

static void engine_rearm(struct sf_engine *e);

static void resume(struct sf_engine *e, struct sf_tracee *tr, int sig)
{
	/*
	 * Before the command's exec the child runs free: no syscall stops.
	 * The seccomp engine stops only where the filter says, plus the exit
	 * of a call whose result it must see or change; so does the ptrace
	 * engine once a point run's point is behind it and no affinity call
	 * needs rewriting.
	 */
	bool is_every_call = !e->is_seccomp && (!sf_engine_point_is_behind(e) || e->placement.is_pinned);
	bool is_syscall_stepping = tr->is_exec_done && (is_every_call || tr->wants_exit_stop);
	int req = is_syscall_stepping ? PTRACE_SYSCALL : PTRACE_CONT;

	if (ptrace(req, tr->tid, NULL, (void *)(long)sig) < 0 && errno != ESRCH)
		sf_error("ptrace(%s, %d): %s", req == PTRACE_SYSCALL ? "PTRACE_SYSCALL" : "PTRACE_CONT",
			 tr->tid, strerror(errno));
}

int sf_engine_hold(struct sf_engine *e, struct sf_tracee *tr, uint64_t ns)
{
	struct sf_timer t = { sf_now_ns() + ns, tr->tid, ++e->hold_tokens };

	if (sf_timers_add(&e->timers, t) < 0) {
		sf_warning("out of memory for a delay of %d; not delaying", tr->tid);
		return -ENOMEM;
	}
	tr->is_held = true;
	tr->hold_token = t.token;
	if (!e->has_holds) {
		e->has_holds = true;
		e->next_hold_check_ns = sf_now_ns() + SF_HOLD_CHECK_NS;
	}
	engine_rearm(e);
	return 0;
}

static void hold(struct sf_engine *e, struct sf_tracee *tr, uint64_t ns, int sig)
{
	if (sf_engine_hold(e, tr, ns) < 0)
		resume(e, tr, sig);
	else
		tr->pending_signal = sig;
}

/* A delay ends: its timer fired, or a signal came that the call would have seen. */
static void end_hold(struct sf_engine *e, struct sf_tracee *tr)
{
	tr->is_held = false;
	if (tr->is_notify_held) {
		sf_notify_end_hold(e, tr);
		return;
	}
	resume(e, tr, tr->pending_signal);
	tr->pending_signal = 0;
}

/*
 * The end of a tracee's entry in the table.  ESRCH means it is not in a
 * stop after all: it was killed meanwhile (its exit status follows), or
 * it runs; interrupted, it is let go at its next stop.
 */
static void detach(struct sf_engine *e, struct sf_tracee *tr, int sig)
{
	if (ptrace(PTRACE_DETACH, tr->tid, NULL, (void *)(long)sig) == 0) {
		sf_tracee_remove(e->tracees, tr);
		return;
	}
	if (errno != ESRCH)
		sf_error("ptrace(PTRACE_DETACH, %d): %s", tr->tid, strerror(errno));
	ptrace(PTRACE_INTERRUPT, tr->tid, NULL, NULL);
}

/* Carries out what a stop's handler decided: the one place a stop ends. */
static void carry_out(struct sf_engine *e, struct sf_tracee *tr, struct sf_next next)
{
	switch (next.kind) {
	case SF_NEXT_RESUME:
		resume(e, tr, next.sig);
		break;
	case SF_NEXT_HOLD:
		hold(e, tr, next.hold_ns, next.sig);
		break;
	case SF_NEXT_LISTEN:
		tr->in_group_stop = true;
		if (ptrace(PTRACE_LISTEN, tr->tid, NULL, NULL) < 0 && errno != ESRCH)
			sf_error("ptrace(PTRACE_LISTEN, %d): %s", tr->tid, strerror(errno));
		break;
	case SF_NEXT_KEEP:
		break;
	case SF_NEXT_DETACH:
		detach(e, tr, next.sig);
		break;
	}
}

/*
 * Names a new task after its parent: a process gets the next fork index
 * under its parent's lineage, a thread the next index in its process.
 * A task whose first stop came first was held there; it may go on now.
 */
static void adopt(struct sf_engine *e, struct sf_tracee *tr, struct sf_group *parent)
{
	char buf[32];

	if (tr->is_adopted)
		return;
	tr->is_adopted = true;
	if (tr->group != parent) {
		/* A fork runs its parent's image, interpreter included, until it execs. */
		tr->group->interp = parent->interp;
		snprintf(buf, sizeof(buf), ".%u", ++parent->forks);
		size_t n = strlen(parent->lineage ? parent->lineage : "?");
		tr->group->lineage = malloc(n + strlen(buf) + 1);
		if (tr->group->lineage) {
			memcpy(tr->group->lineage, parent->lineage ? parent->lineage : "?", n);
			strcpy(tr->group->lineage + n, buf);
		}
	} else {
		tr->thread_index = ++parent->threads_created;
	}
	if (tr->is_waiting_parent) {
		tr->is_waiting_parent = false;
		resume(e, tr, 0);   /* the stop on_event() kept */
	}
}

static void adopt_orphan(struct sf_tracee *tr, void *arg)
{
	struct sf_engine *e = ((void **)arg)[0];
	struct sf_tracee *dead = ((void **)arg)[1];

	if (tr->is_waiting_parent && tr->parent_hint == dead->group->tgid)
		adopt(e, tr, dead->group);
}

static struct sf_tracee *new_tracee(struct sf_engine *e, pid_t tid, pid_t tgid)
{
	struct sf_tracee *tr = sf_tracee_add(e->tracees, tid, tgid);

	if (!tr) {
		sf_error("out of memory tracking thread %d; killing it", tid);
		kill(tid, SIGKILL);
		return NULL;
	}
	/* Only the command's own code forks: its children run it too. */
	tr->is_exec_done = true;
	return tr;
}

static void on_new_child(struct sf_engine *e, struct sf_tracee *parent)
{
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, NULL, &msg) < 0)
		return;
	pid_t child = (pid_t)msg;
	/*
	 * A thread joins its creator's group: asked of the kernel, never of
	 * /proc.  Any of the three events may be a thread (the kernel names
	 * the event by CLONE_VFORK and the exit signal, not CLONE_THREAD).
	 */
	pid_t tgid = sf_tracee_is_in_group(parent->group->tgid, child) ? parent->group->tgid : child;
	struct sf_tracee *tr = sf_tracee_find(e->tracees, child);
	if (!tr)
		tr = new_tracee(e, child, tgid);
	if (!tr)
		return;
	tr->is_self_placed = parent->is_self_placed;
	/* Forked before the tree was unpinned: it may have the pinned set. */
	if (parent->may_have_pinned_child && !tr->is_self_placed)
		sched_setaffinity(child, sizeof(e->placement.original), &e->placement.original);
	sf_log_start(e->log, tgid, child, parent->group->tgid, tgid == parent->group->tgid);
	adopt(e, tr, parent->group);
}

/*
 * Each execve(2) maps a new program and, if its PT_INTERP names one, a new
 * interpreter: read where, only when some rule skips the interpreter's calls.
 */
void sf_engine_read_interp(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_group *g = tr->group;
	int rc = sf_rules_skip_loader_calls(e->rules) ? sf_interp_read(g->tgid, &g->interp) : 0;

	if (rc && rc != -ENOENT && rc != -ESRCH)
		sf_warning("reading where %d's program interpreter is: %s; its calls count as the program's",
			   g->tgid, strerror(-rc));
}

/*
 * After an exec from a non-leader thread the kernel gives the execing
 * thread the leader's tid and silently drops the old leader (ptrace(2),
 * "execve(2) under ptrace"): move the state to match.
 */
static struct sf_tracee *on_exec(struct sf_engine *e, struct sf_tracee *tr)
{
	unsigned long former = 0;

	if (ptrace(PTRACE_GETEVENTMSG, tr->tid, NULL, &former) == 0 &&
	    (pid_t)former != tr->tid) {
		struct sf_tracee *execer = sf_tracee_find(e->tracees, (pid_t)former);
		if (execer) {
			pid_t leader = tr->tid;
			sf_tracee_remove(e->tracees, tr);
			sf_tracee_retid(e->tracees, execer, leader);
			tr = execer;
		}
	}
	tr->is_exec_done = true;
	tr->in_syscall = true;   /* the execve exit stop comes next */
	sf_stacks_forget(e->stacks, tr->group->tgid);   /* a new program, new modules */
	free(tr->group->exe);
	tr->group->exe = NULL;
	sf_tracee_forget_comm(e->tracees, tr);
	sf_engine_read_interp(e, tr);
	sf_log_exec(e->log, tr->group->tgid, tr->tid);
	return tr;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static struct sf_next on_event(struct sf_engine *e, struct sf_tracee **trp, int event, int sig)
{
	struct sf_tracee *tr = *trp;

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(e, tr);
		break;
	case PTRACE_EVENT_EXEC:
		*trp = on_exec(e, tr);   /* the execing thread may have taken the leader's tid */
		break;
	case PTRACE_EVENT_SECCOMP:
		return sf_seccomp_stop(e, tr);
	case PTRACE_EVENT_STOP:
		if (!tr->is_started) {
			tr->is_started = true;
			if (!tr->is_adopted) {
				tr->is_waiting_parent = true;   /* adopt() resumes it */
				return SF_KEEP;
			}
		}
		if (tr->awaits_result_stop)
			sf_notify_result_stop(e, tr);
		/*
		 * Group-stop: stay stopped until SIGCONT, yet report events.  A
		 * process seized while stopped shows it at its first stop.
		 */
		if (is_stop_signal(sig))
			return SF_LISTEN;
		tr->in_group_stop = false;
		break;
	default:
		break;
	}
	return SF_RESUME(0);
}

static void on_exit_status(struct sf_engine *e, pid_t tid, int status)
{
	struct sf_tracee *tr = sf_tracee_find(e->tracees, tid);
	pid_t tgid = tr ? tr->group->tgid : tid;

	sf_log_exit(e->log, tgid, tid, WIFEXITED(status) ? WEXITSTATUS(status) : 0,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0,
		    WIFSIGNALED(status) && WCOREDUMP(status));
	if (tid == e->main_pid) {
		e->main_status = status;
		e->is_main_done = true;
	}
	if (!tr)
		return;
	/* A child whose parent died before reporting the fork must not wait forever. */
	void *arg[2] = { e, tr };
	if (tr->tid == tgid)
		sf_tracee_foreach(e->tracees, adopt_orphan, arg);
	if (tr->tid == tgid)
		sf_stacks_forget(e->stacks, tgid);   /* its pid may come back as another process */
	sf_tracee_remove(e->tracees, tr);
}

/*
 * Signal-delivery-stop: pass the signal on unchanged, except one sysfault
 * queued itself, which must look as the kernel's own (SI_KERNEL, no
 * sender), as a signal injected at a syscall stop does.
 */
static struct sf_next on_signal(struct sf_tracee *tr, int sig)
{
	if (tr->queued_signal == sig) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_KERNEL;
		ptrace(PTRACE_SETSIGINFO, tr->tid, NULL, &si);
		tr->queued_signal = 0;
	}
	return SF_RESUME(sig);
}

static void on_stop(struct sf_engine *e, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	struct sf_tracee *tr = sf_tracee_find(e->tracees, tid);

	if (!tr) {
		/*
		 * A new child's first stop can come before its parent's event:
		 * then /proc says which group it is in, and which parent is to
		 * name it (an orphan's, should that parent die first).
		 */
		pid_t ppid;
		tr = new_tracee(e, tid, sf_tracee_read_ids(tid, &ppid));
		if (!tr)
			return;   /* killed: its exit status follows */
		tr->parent_hint = ppid;
	}
	struct sf_next next;
	if (e->is_detaching) {
		if (event == PTRACE_EVENT_EXEC)
			tr = on_exec(e, tr);   /* the tid it is let go by may have changed */
		next = sf_detach_stop(e, tr, sig, event);
	} else if (sig == (SIGTRAP | 0x80))
		next = sf_syscall_stop(e, tr);
	else if (event)
		next = on_event(e, &tr, event, sig);
	else
		next = on_signal(tr, sig);
	tr->may_have_pinned_child = false;   /* its next clone inherits the set it has now */
	carry_out(e, tr, next);
}

static void stop_one(struct sf_tracee *tr, void *arg)
{
	(void)arg;
	tgkill(tr->group->tgid, tr->tid, SIGSTOP);
}

static void kill_one(struct sf_tracee *tr, void *arg)
{
	(void)arg;
	kill(tr->tid, SIGKILL);
}

/*
 * Killed one by one, a process could see another die first (a reader gets
 * end of file when its writer's descriptors close) and act on it.  A
 * SIGSTOP queued to every thread first means none runs its own code again:
 * it takes the signal on its way back to user mode, and a tracee's signal
 * stop lasts until the SIGKILL.
 */
void sf_engine_kill_tree(struct sf_engine *e)
{
	sf_tracee_foreach(e->tracees, stop_one, NULL);
	sf_tracee_foreach(e->tracees, kill_one, NULL);
}

static void detach_one(struct sf_tracee *tr, void *arg)
{
	struct sf_engine *e = arg;

	carry_out(e, tr, sf_detach_start(e, tr));
}

/* Attached processes are left running as they were: every thread is let go (attach.c). */
static void begin_detach(struct sf_engine *e, const char *why)
{
	if (e->is_detaching)
		return;
	e->is_detaching = true;
	if (sf_diag_verbosity() > 0)
		sf_info("%s: detaching from %u thread%s", why, sf_tracee_count(e->tracees),
			sf_tracee_count(e->tracees) == 1 ? "" : "s");
	sf_tracee_foreach(e->tracees, detach_one, e);
}

static void forward_one(struct sf_tracee *tr, void *arg)
{
	if (tr->tid == tr->group->tgid)
		kill(tr->tid, *(int *)arg);
}

/*
 * INT/TERM/HUP/QUIT sent to sysfault go to the command (to what is left of
 * the tree once it is gone); a held thread is looked at again at once.
 */
static void forward_signals(struct sf_engine *e)
{
	int sig;

	while ((sig = sf_wake_next_signal())) {
		if (e->is_attached) {
			char why[32];
			snprintf(why, sizeof(why), "SIG%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
			begin_detach(e, why);
		} else if (!e->is_main_done)
			kill(e->main_pid, sig);
		else
			sf_tracee_foreach(e->tracees, forward_one, &sig);
		e->next_hold_check_ns = 0;
	}
}

static void end_hold_if_signalled(struct sf_tracee *tr, void *arg)
{
	struct sf_engine *e = ((void **)arg)[0];
	unsigned *held = ((void **)arg)[1];
	struct sf_pending p;

	if (!tr->is_held)
		return;
	/* The signal a seccomp stop queued for a signal= action waits for the delay's end. */
	if (sf_pending_read(tr->tid, &p) == 0 && sf_pending_acts(&p, tr->queued_signal))
		end_hold(e, tr);
	else
		(*held)++;
}

/*
 * A held thread is in a ptrace stop, where the kernel neither delivers nor
 * reports a signal sent to it (a kill of the command's pid by anyone, or one
 * sysfault forwarded) until it is resumed.  Natively such a signal would
 * end a sleeping call at once, so a delay ends early for it: resumed at a
 * delay_enter, the call runs with the signal pending and answers EINTR or
 * restarts as the kernel decides; at a delay_exit the signal follows the
 * call's result.  SIGKILL needs none of this: it ends a stopped tracee too.
 */
static void end_holds_for_signals(struct sf_engine *e)
{
	unsigned held = 0;
	void *arg[2] = { e, &held };
	uint64_t now = sf_now_ns();

	if (!e->has_holds || now < e->next_hold_check_ns)
		return;
	sf_tracee_foreach(e->tracees, end_hold_if_signalled, arg);
	e->has_holds = held > 0;
	e->next_hold_check_ns = now + SF_HOLD_CHECK_NS;
}

/* A task that placed itself runs where it chose: its waiting is not for the tree's CPU. */
static void sample_one(struct sf_tracee *tr, void *arg)
{
	struct sf_engine *e = arg;

	if (!tr->is_self_placed)
		sf_placement_sample(&e->placement, tr->tid, &tr->run_delay_ns);
}

struct tid_list {
	pid_t *v;
	unsigned n;
};

static void collect_placed(struct sf_tracee *tr, void *arg)
{
	struct tid_list *l = arg;

	if (!tr->is_self_placed)
		l->v[l->n++] = tr->tid;
}

/*
 * A task unpinned while it ran may have been inside clone() with its
 * child made, and the child has the pinned set; the event that reports
 * it is then the task's next stop (stopped at unpin, it can only have a
 * clone of that kind in hand).  Later clones inherit the set it has now.
 */
static void mark_unpinned(struct sf_tracee *tr, void *arg)
{
	(void)arg;
	tr->may_have_pinned_child = true;
}

static void unpin_tree(struct sf_engine *e)
{
	sf_tracee_foreach(e->tracees, mark_unpinned, NULL);
	struct tid_list l = { calloc(sf_tracee_count(e->tracees) + 1, sizeof(pid_t)), 0 };

	if (l.v)
		sf_tracee_foreach(e->tracees, collect_placed, &l);
	sf_placement_unpin(&e->placement, l.v, l.n);
	free(l.v);
}

/*
 * At the end of each window: does the pinned tree wait for its CPU?  A
 * tree that waits, but not on itself, is unpinned and keeps the listener
 * waking it on sysfault's CPU (SYNC_WAKE_UP): it still runs in turns with
 * sysfault, and the scheduler keeps such pairs on one CPU, the idle one
 * if the waiting was a neighbour's doing.  The windows then go on until
 * it shows work for more CPUs, when the listener stops pulling its tasks
 * to sysfault's CPU (sf_notify_spread).
 */
static void check_placement(struct sf_engine *e)
{
	struct sf_placement *p = &e->placement;
	uint64_t now = sf_now_ns();

	if (now < sf_placement_next_check(p))
		return;
	bool is_sampled = sf_placement_samples_threads(p);
	bool is_large = is_sampled && sf_tracee_count(e->tracees) > SF_PLACEMENT_MAX_SAMPLED;
	if (is_sampled && !is_large)
		sf_tracee_foreach(e->tracees, sample_one, e);
	double share = 0;
	enum sf_window what = sf_placement_window_done(p, now, &share);
	if (!p->is_pinned) {
		if (what != SF_WINDOW_PARALLEL)
			return;
		if (sf_diag_verbosity() > 0)
			sf_info("placement: the tree's tasks waited for each other %.0f%% of the last %.0f ms",
				share * 100, SF_PLACEMENT_WINDOW_NS / 1e6);
		p->watches_parallel = false;
		sf_notify_spread(&e->notify);
		return;
	}
	if (what == SF_WINDOW_CALM && !is_large)
		return;
	if (sf_diag_verbosity() > 0 && is_large)
		sf_info("placement: %u threads: the tree is given all its CPUs back",
			sf_tracee_count(e->tracees));
	else if (sf_diag_verbosity() > 0)
		sf_placement_say_crowded(p, what, share);
	unpin_tree(e);
	if (what == SF_WINDOW_STALLED && !is_large && e->notify.has_sync_wake_up)
		p->watches_parallel = true;
	else
		sf_notify_spread(&e->notify);
}

static uint64_t next_wake(const struct sf_engine *e)
{
	uint64_t next = sf_timers_next(&e->timers);
	uint64_t check = sf_placement_next_check(&e->placement);

	if (check < next)
		next = check;
	if (e->deadline_ns && !e->timed_out && e->deadline_ns < next)
		next = e->deadline_ns;
	if (e->has_holds && e->next_hold_check_ns < next)
		next = e->next_hold_check_ns;
	return next;
}

/* Points the wake-up timer at the next delay, placement check or the deadline. */
static void engine_rearm(struct sf_engine *e)
{
	sf_wake_arm(next_wake(e));
}

static void fire_timers(struct sf_engine *e)
{
	struct sf_timer t;
	uint64_t now = sf_now_ns();

	while (sf_timers_pop_due(&e->timers, now, &t)) {
		struct sf_tracee *tr = sf_tracee_find(e->tracees, t.tid);
		if (!tr || !tr->is_held || tr->hold_token != t.token)
			continue;   /* it died, was moved, or a signal ended its delay meanwhile */
		end_hold(e, tr);
	}
	if (e->deadline_ns && !e->timed_out && now >= e->deadline_ns) {
		e->timed_out = true;
		if (e->is_attached)
			begin_detach(e, "--timeout");
		else
			sf_engine_kill_tree(e);
	}
}

static void on_wait_status(struct sf_engine *e, pid_t tid, int status)
{
	if (WIFSTOPPED(status))
		on_stop(e, tid, status);
	else if (WIFEXITED(status) || WIFSIGNALED(status))
		on_exit_status(e, tid, status);
}

/* Until no tracee is left; the first round looks at wake-ups an attach may have taken. */
static int event_loop(struct sf_engine *e)
{
	bool is_first = true;
	int status;

	engine_rearm(e);
	while (sf_tracee_count(e->tracees)) {
		if (sf_wake_take() || is_first) {
			is_first = false;
			forward_signals(e);
			fire_timers(e);
			end_holds_for_signals(e);
			check_placement(e);
			engine_rearm(e);
		}
		pid_t tid = e->notify.fd >= 0 ? sf_notify_wait(e, &status) : waitpid(-1, &status, __WALL);
		if (tid > 0)
			on_wait_status(e, tid, status);
		else if (errno == ECHILD)
			break;   /* no child left to wait for: the tree is gone */
		else if (errno != EINTR) {
			int err = errno;
			sf_error("%s: %s", e->notify.fd >= 0 ? "waiting for the tree (waitpid, ppoll)" : "waitpid",
				 strerror(err));
			/* Attached processes are not ours to kill: the kernel detaches them as sysfault exits. */
			if (!e->is_attached)
				sf_engine_kill_tree(e);
			return -err;
		}
	}
	sf_wake_arm(UINT64_MAX);
	return e->err;
}

int sf_engine_run(struct sf_engine *e, pid_t main_pid)
{
	struct sf_tracee *tr = sf_tracee_add(e->tracees, main_pid, main_pid);

	if (!tr)
		return -ENOMEM;
	/* Seized while running: there is no initial stop to wait for. */
	tr->is_started = true;
	tr->is_adopted = true;
	tr->group->lineage = strdup("1");
	e->main_pid = main_pid;
	sf_log_start(e->log, main_pid, main_pid, getpid(), false);
	return event_loop(e);
}

int sf_engine_run_attached(struct sf_engine *e, const int *pids, unsigned n)
{
	struct sf_attach at = { .pids = pids, .npids = n };

	e->is_attached = true;
	e->main_pid = 0;
	sf_wake_take_terminal_signals(true);   /* Ctrl-C reaches sysfault alone: it means detach */
	int err = sf_attach(e, &at);
	/* What was seized before a failure is let go at once, the stops seen meanwhile first. */
	if (err < 0)
		begin_detach(e, "the attach failed");
	for (unsigned i = 0; i < at.nearly; i++)
		on_wait_status(e, at.early[i].tid, at.early[i].status);
	sf_attach_release(&at);
	int rc = event_loop(e);
	return err < 0 ? err : rc;
}
