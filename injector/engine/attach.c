/*
 * Attach (`sysfault run -p`) and detach.  Attaching seizes each thread
 * found in /proc/PID/task (PTRACE_SEIZE: no SIGSTOP, so no group-stop to
 * undo) without PTRACE_O_EXITKILL, and interrupts it; the loop then traces
 * it as any other.  Detaching brings every thread to one more ptrace stop,
 * settles what sysfault changed there, and lets it go with PTRACE_DETACH.
 * Nothing here may kill a tracee or leave one stopped that was running.
 */
#include "engine/attach.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/syscall_stop.h"
#include "engine/wake.h"

/* While waiting for the first stops: how often to look for threads that will never stop (zombies). */
#define SF_ATTACH_POLL_NS (10 * 1000000ull)

static bool is_gone(const struct sf_proc_status *st)
{
	return st->state == 'Z' || st->state == 'X';
}

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int yama_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	int scope = -1;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	return scope;
}

/* EPERM from PTRACE_SEIZE: say which of the kernel's reasons it most likely is. */
static void report_eperm(pid_t pid, pid_t tid)
{
	struct sf_proc_status st;
	int scope = yama_scope();

	if (sf_tracee_read_status(tid, &st) == 0 && st.tracer > 0)
		sf_error("cannot attach to process %d: it is already traced by process %d (a debugger, "
			 "strace, another sysfault)", pid, st.tracer);
	else if (scope > 0)
		sf_error("cannot attach to process %d: %s (kernel.yama.ptrace_scope is %d: %s)", pid,
			 strerror(EPERM), scope,
			 scope == 1 ? "only its ancestors may attach, or a process with CAP_SYS_PTRACE"
			 : scope == 2 ? "only a process with CAP_SYS_PTRACE may attach" : "no process may attach");
	else
		sf_error("cannot attach to process %d: %s (another user's process, or one that changed "
			 "its credentials, needs CAP_SYS_PTRACE)", pid, strerror(EPERM));
}

/* The one line of a failed attach; returns ERR. */
static int report_failure(pid_t pid, pid_t tid, int err)
{
	if (err == -ESRCH)
		sf_error("cannot attach to process %d: no such process", pid);
	else if (err == -EPERM)
		report_eperm(pid, tid);
	else if (tid != pid)
		sf_error("cannot attach to process %d (thread %d): %s", pid, tid, strerror(-err));
	else
		sf_error("cannot attach to process %d: %s", pid, strerror(-err));
	return err;
}

/* A seized thread is one more the loop traces; its first stop is the interrupt's. */
static int track(struct sf_engine *e, struct sf_attach *at, pid_t tgid, pid_t tid, pid_t ppid)
{
	struct sf_tracee *tr = sf_tracee_add(e->tracees, tid, tgid);

	if (!tr)
		return -ENOMEM;
	struct sf_group *g = tr->group;
	if (!g->lineage) {
		char name[16];
		snprintf(name, sizeof(name), "%u", ++at->nprocesses);
		g->lineage = strdup(name);
		sf_engine_read_interp(e, tr);
	}
	tr->is_adopted = true;        /* named here, not by a parent's fork event */
	tr->is_exec_done = true;      /* it runs its own program: every call counts, from now on */
	tr->is_self_placed = true;    /* its CPU affinity is its own: never touched */
	tr->is_seize_pending = true;
	tr->thread_index = tid == tgid ? 0 : ++g->threads_created;
	at->pending++;
	sf_log_start(e->log, tgid, tid, tid == tgid ? ppid : tgid, tid != tgid);
	return 0;
}

/*
 * Seizes one thread: 1 when it was, 0 when there is nothing to seize (it
 * ended, it is a zombie leader, or the kernel attached it already as the
 * clone of a seized thread: its stop comes through the loop), or -errno.
 */
static int seize_thread(struct sf_engine *e, struct sf_attach *at, pid_t tgid, pid_t tid, pid_t ppid)
{
	struct sf_proc_status st;

	if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)(long)SF_PTRACE_OPTIONS_ATTACH) < 0) {
		int err = errno;
		if (err == ESRCH || sf_tracee_read_status(tid, &st) < 0)
			return 0;
		if (err == EPERM && (st.tracer == gettid() || is_gone(&st)))
			return 0;
		return -err;
	}
	/* Seized, it runs on; the interrupt brings it to the stop where the loop takes it. */
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0 && errno != ESRCH)
		sf_error("ptrace(PTRACE_INTERRUPT, %d): %s", tid, strerror(errno));
	int err = track(e, at, tgid, tid, ppid);
	return err < 0 ? err : 1;
}

/*
 * One pass over /proc/TGID/task: seizes the threads not seized yet.
 * Returns how many, or -errno; *KNOWN counts the threads now traced.
 */
static int scan_process(struct sf_engine *e, struct sf_attach *at, pid_t tgid, pid_t ppid,
			unsigned *known, pid_t *failed)
{
	char path[64];
	struct dirent *de;
	int n = 0, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", tgid);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;   /* gone: every thread has ended */
	while (!err && (de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);
		int rc = 0;
		if (tid <= 0)
			continue;
		if (!sf_tracee_find(e->tracees, tid) && (rc = seize_thread(e, at, tgid, tid, ppid)) < 0) {
			err = rc;
			*failed = tid;
		}
		n += rc > 0;
		*known += sf_tracee_find(e->tracees, tid) != NULL;
	}
	closedir(d);
	return err ? err : n;
}

/* Seizes the threads of TGID that are not yet, until a pass finds none; PID is what the user gave. */
static int scan_until_stable(struct sf_engine *e, struct sf_attach *at, pid_t pid, pid_t tgid,
			     pid_t ppid, unsigned *known)
{
	pid_t failed = pid;
	int rc;

	do {
		*known = 0;
		rc = scan_process(e, at, tgid, ppid, known, &failed);
	} while (rc > 0);
	return rc < 0 ? report_failure(pid, failed, rc) : 0;
}

static int attach_process(struct sf_engine *e, struct sf_attach *at, unsigned i)
{
	struct sf_proc_status st, leader;
	pid_t pid = at->pids[i];
	unsigned known = 0;
	int rc = pid > 0 ? sf_tracee_read_status(pid, &st) : -ESRCH;

	if (rc < 0)
		return report_failure(pid, pid, rc);
	if (st.tgid == getpid()) {
		sf_error("cannot attach to process %d: it is sysfault itself", pid);
		return -EPERM;
	}
	at->tgids[i] = st.tgid;
	if (sf_tracee_read_status(st.tgid, &leader) < 0)
		leader.ppid = st.ppid;
	if ((rc = scan_until_stable(e, at, pid, st.tgid, leader.ppid, &known)) < 0)
		return rc;
	/* Every thread ended before it could be seized. */
	return known ? 0 : report_failure(pid, pid, -ESRCH);
}

static int keep_early(struct sf_attach *at, pid_t tid, int status)
{
	if (at->nearly == at->cap) {
		unsigned cap = at->cap ? at->cap * 2 : 64;
		struct sf_wait_status *v = realloc(at->early, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		at->early = v;
		at->cap = cap;
	}
	at->early[at->nearly++] = (struct sf_wait_status){ tid, status };
	return 0;
}

/* A seized thread that will never stop (it ended, or is a zombie leader) is waited for no longer. */
static void forget_gone(struct sf_tracee *tr, void *arg)
{
	struct sf_attach *at = arg;
	struct sf_proc_status st;

	if (tr->is_seize_pending && (sf_tracee_read_status(tr->tid, &st) < 0 || is_gone(&st))) {
		tr->is_seize_pending = false;
		at->pending--;
	}
}

/*
 * Waits until every seized thread has stopped (or ended), keeping each
 * wait status for the loop.  They stay stopped until the loop starts,
 * a few milliseconds; a leader that exited before the others does not
 * report its exit until they do (wait(2)), hence the polls of /proc.
 */
static int wait_first_stops(struct sf_engine *e, struct sf_attach *at)
{
	int status;

	while (at->pending) {
		sf_wake_arm(sf_now_ns() + SF_ATTACH_POLL_NS);
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0 && errno == EINTR) {
			/* Taken here, a wake-up is not lost: the loop's first round looks at everything. */
			sf_wake_take();
			sf_tracee_foreach(e->tracees, forget_gone, at);
			continue;
		}
		if (tid < 0 && errno == ECHILD)
			break;
		if (tid < 0 || keep_early(at, tid, status) < 0) {
			int err = tid < 0 ? errno : ENOMEM;
			sf_error("waiting for the attached threads to stop: %s", strerror(err));
			return -err;
		}
		struct sf_tracee *tr = sf_tracee_find(e->tracees, tid);
		if (tr && tr->is_seize_pending) {
			tr->is_seize_pending = false;
			at->pending--;
		}
	}
	sf_wake_arm(UINT64_MAX);
	return 0;
}

int sf_attach(struct sf_engine *e, struct sf_attach *at)
{
	int rc = 0;

	at->tgids = calloc(at->npids ? at->npids : 1, sizeof(*at->tgids));
	if (!at->tgids) {
		sf_error("out of memory attaching");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < at->npids && rc == 0; i++)
		rc = attach_process(e, at, i);
	/*
	 * A thread seized in the middle of its clone() may have made a thread
	 * that neither the kernel attached nor the scan saw; once every
	 * seized thread has stopped, such a thread is in /proc: look again.
	 */
	int found = 1;
	while (rc == 0 && found > 0 && (rc = wait_first_stops(e, at)) == 0) {
		found = 0;
		for (unsigned i = 0; i < at->npids && rc == 0; i++) {
			unsigned known = 0, before = sf_tracee_count(e->tracees);
			rc = scan_until_stable(e, at, at->pids[i], at->tgids[i], 0, &known);
			found += (int)(sf_tracee_count(e->tracees) - before);
		}
	}
	if (rc == 0 && sf_diag_verbosity() > 0)
		sf_info("attached to %u thread%s of %u process%s", sf_tracee_count(e->tracees),
			sf_tracee_count(e->tracees) == 1 ? "" : "s", at->nprocesses,
			at->nprocesses == 1 ? "" : "es");
	return rc;
}

void sf_attach_release(struct sf_attach *at)
{
	free(at->early);
	free(at->tgids);
	at->early = NULL;
	at->tgids = NULL;
	at->nearly = at->cap = 0;
}

/* ---- detach ---- */

struct sf_next sf_detach_start(struct sf_engine *e, struct sf_tracee *tr)
{
	int sig = tr->pending_signal;

	if (tr->is_waiting_parent) {
		tr->is_waiting_parent = false;
		return SF_DETACH(0);
	}
	if (tr->is_held && !tr->in_syscall) {
		/* A delay_exit: the result is in place already. */
		tr->is_held = false;
		tr->pending_signal = 0;
		return SF_DETACH(sig);
	}
	/*
	 * At a ptrace stop the interrupt only stays pending (it wakes no
	 * traced task), so a held thread is resumed below and stops at its
	 * call's exit; a listening one (group-stop) re-traps with
	 * PTRACE_EVENT_STOP (ptrace(2), PTRACE_INTERRUPT).
	 */
	if (ptrace(PTRACE_INTERRUPT, tr->tid, NULL, NULL) < 0 && errno != ESRCH)
		sf_error("ptrace(PTRACE_INTERRUPT, %d): %s", tr->tid, strerror(errno));
	if (!tr->is_held)
		return SF_KEEP;
	tr->is_held = false;
	tr->pending_signal = 0;
	return SF_RESUME(sig);
}

/*
 * A child the kernel attached (fork, vfork, clone) while detaching is let
 * go at its first stop, so it must be in the table until then; unless
 * that stop came first and it has been let go already.
 */
static void take_child(struct sf_engine *e, struct sf_tracee *parent)
{
	unsigned long msg = 0;
	struct sf_proc_status st;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, NULL, &msg) < 0)
		return;
	pid_t child = (pid_t)msg;
	if (sf_tracee_find(e->tracees, child) || sf_tracee_read_status(child, &st) < 0 || st.tracer != gettid())
		return;
	struct sf_tracee *tr = sf_tracee_add(e->tracees, child, st.tgid);
	if (!tr) {
		/* Not tracked, it would stay stopped: let it go by hand. */
		int status;
		sf_error("out of memory detaching from %d", child);
		if (waitpid(child, &status, __WALL) == child && WIFSTOPPED(status))
			ptrace(PTRACE_DETACH, child, NULL, NULL);
		return;
	}
	tr->is_adopted = true;
	tr->is_exec_done = true;
}

/* A syscall stop: an exit is handled as usual (the result written), an entry left alone. */
static struct sf_next at_syscall_stop(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_syscall sc;
	bool is_entry = !tr->in_syscall;

	if (e->regs->get(tr->tid, &sc) == 0 && sc.op != SF_OP_NONE)
		is_entry = sc.op == SF_OP_ENTRY;
	if (is_entry)
		return SF_DETACH(0);
	struct sf_next next = sf_syscall_stop(e, tr);
	/* A delay_exit it asks for is dropped: detaching releases every delay. */
	return next.kind == SF_NEXT_KEEP ? next : SF_DETACH(next.sig);
}

struct sf_next sf_detach_stop(struct sf_engine *e, struct sf_tracee *tr, int sig, int event)
{
	if (sig == (SIGTRAP | 0x80))
		return at_syscall_stop(e, tr);
	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE)
		take_child(e, tr);
	/*
	 * A signal-delivery-stop passes its signal on, to be delivered once
	 * untraced, as it would have been.  At PTRACE_EVENT_STOP of a
	 * group-stop the kernel puts the thread back in group-stop when it is
	 * detached (ptrace(2), PTRACE_DETACH; kernel/ptrace.c, __ptrace_unlink).
	 */
	return SF_DETACH(event ? 0 : sig);
}
