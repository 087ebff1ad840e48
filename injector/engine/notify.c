/*
 * The seccomp listener.  The rules decide a notified call exactly as at a
 * seccomp stop (sf_syscall_decide: the same counting, tally, log line and
 * explore point), and the answer is the action: CONTINUE, an error, a
 * value, or one of those when the call's delay ends (the engine's timer
 * queue holds it, never the loop).
 *
 * The filter is installed with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV:
 * once a notification is read, only a fatal signal ends the thread's
 * wait, so an answer sysfault sends is never dropped, and a call it
 * counted is never restarted and notified again (SEND fails with ENOENT
 * only for a thread that died).  A signal for a held thread stays pending
 * and the engine ends the delay as for a ptrace hold (end_holds_for_signals
 * reads /proc).  Before the read, a signal still interrupts the wait:
 * the kernel withdraws the notification, RECV never sees it, and the
 * restarted call arrives anew (README: Engine, notify).
 */
#include "engine/notify.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/engine.h"
#include "engine/seccomp_filter.h"
#include "engine/syscall_stop.h"
#include "engine/wake.h"

/* Linux 6.6; Debian 12's headers predate both. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

bool sf_notify_available(void)
{
	uint32_t action = SECCOMP_RET_USER_NOTIF;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0)
		return false;
	/* EFAULT: the kernel knows both flags and looked at the (NULL) program. */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, NULL) < 0 &&
	       errno == EFAULT;
}

void sf_notify_init(struct sf_notify *n)
{
	memset(n, 0, sizeof(*n));
	n->fd = -1;
}

void sf_notify_release(struct sf_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	free(n->req);
	free(n->resp);
	sf_notify_init(n);
}

/* The buffers RECV and SEND use, at least as large as the kernel's structs (seccomp_unotify(2)). */
static int alloc_buffers(struct sf_notify *n)
{
	struct seccomp_notif_sizes sizes = { 0 };

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	n->req_size = sizes.seccomp_notif > sizeof(*n->req) ? sizes.seccomp_notif : sizeof(*n->req);
	n->resp_size = sizes.seccomp_notif_resp > sizeof(*n->resp) ? sizes.seccomp_notif_resp
								   : sizeof(*n->resp);
	n->req = calloc(1, n->req_size);
	n->resp = calloc(1, n->resp_size);
	return n->req && n->resp ? 0 : -ENOMEM;
}

/* A failure of the listener itself: said once; the tree, whose calls would wait forever, is killed. */
static int listener_failed(struct sf_engine *e, const char *what, int err)
{
	sf_error("%s: %s", what, strerror(err));
	e->notify.is_hung_up = true;
	e->err = -err;
	sf_engine_kill_tree(e);
	return -err;
}

static int take_fd(pid_t pid, int child_fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return -errno;
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	int err = errno;
	close(pidfd);
	return fd < 0 ? -err : fd;
}

/*
 * SYNC_WAKE_UP: each side of a notification wakes the other on its own
 * CPU, so a caller and sysfault take turns on one CPU without waking
 * another (about 3 us a call on a 2-CPU VM, 12 us without).  It also pulls
 * every caller to sysfault's CPU: a tree that runs in parallel (make -j2)
 * is then squeezed onto one.  It is set from the start, and cleared once
 * placement finds the tree's tasks waiting on each other (sf_notify_spread,
 * from check_placement); SET_FLAGS takes the whole set, so 0 clears it.
 */
static void set_sync_wake_up(struct sf_notify *n, bool on)
{
	unsigned long flags = on ? SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP : 0;
	bool ok = ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags) == 0;

	n->has_sync_wake_up = on && ok;
	if (on && !ok && sf_diag_verbosity() > 0)
		sf_info("this kernel has no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): each answer "
			"may wake the caller on another CPU, which makes it slower");
}

int sf_notify_take(struct sf_engine *e, pid_t pid, int child_fd)
{
	struct sf_notify *n = &e->notify;

	n->is_awaited = false;
	if (child_fd < 0) {
		if (sf_diag_verbosity() > 0)
			sf_info("another supervisor's seccomp listener is on this process: every selected "
				"call stops at ptrace (the seccomp engine)");
		return 0;
	}
	int fd = take_fd(pid, child_fd);
	if (fd < 0)
		return listener_failed(e, "taking the seccomp listener of the command (pidfd_getfd)", -fd);
	int err = alloc_buffers(n);
	if (err == 0)
		err = sf_wake_start_polling();
	if (err < 0) {
		close(fd);   /* the loop keeps waiting in waitpid, for the killed tree's ends */
		return listener_failed(e, "setting up the seccomp listener", -err);
	}
	n->fd = fd;
	if (!e->placement.has_unpinned)
		set_sync_wake_up(n, true);
	n->is_draining = true;   /* stops that came before the hand-over was taken */
	return 0;
}

void sf_notify_spread(struct sf_notify *n)
{
	if (n->fd < 0 || !n->has_sync_wake_up)
		return;
	set_sync_wake_up(n, false);
	if (sf_diag_verbosity() > 0)
		sf_info("placement: the listener's answers no longer wake the callers on sysfault's CPU");
}

/*
 * The listener's ioctls take its lock interruptibly: a signal the loop does
 * not block (SIGSTOP, or Ctrl-Z's SIGTSTP, for sysfault itself) makes them
 * fail with EINTR, and then nothing has been done.
 */
static int notify_ioctl(int fd, unsigned long req, void *arg)
{
	int rc;

	while ((rc = ioctl(fd, req, arg)) < 0 && errno == EINTR)
		;
	return rc;
}

/* The call a notification shows, as a seccomp stop's view of it (regs_info.c). */
static void call_of(const struct seccomp_data *d, struct sf_syscall *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->op = SF_OP_SECCOMP;
	sc->arch = d->arch;
	sc->raw_nr = (uint32_t)d->nr;
	sc->abi = sf_abi_from_arch(d->arch, sc->raw_nr);
	sc->nr = (unsigned)(sc->raw_nr & ~(uint64_t)SF_X32_SYSCALL_BIT);
	sc->ip = d->instruction_pointer;
	memcpy(sc->args, d->args, sizeof(sc->args));
	/* The kernel copies whole registers; an i386 call reads only their low halves. */
	if (sc->abi == SF_ABI_I386)
		for (int i = 0; i < 6; i++)
			sc->args[i] = (uint32_t)sc->args[i];
}

/* RULE's answer to call ID, or CONTINUE when RULE is NULL or only delays the call. */
static void send_answer(struct sf_engine *e, uint64_t id, const struct sf_rule *rule)
{
	struct sf_notify *n = &e->notify;
	struct seccomp_notif_resp *resp = n->resp;
	unsigned flags = rule ? rule->action.flags : 0;

	memset(resp, 0, n->resp_size);
	resp->id = id;
	if (flags & SF_ACT_ERROR)
		resp->error = -rule->action.error;
	else if (flags & SF_ACT_RETVAL)
		resp->val = (int64_t)rule->action.retval;
	else
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the thread died meanwhile (only a fatal signal ends its wait). */
	if (notify_ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
		listener_failed(e, "answering a call (SECCOMP_IOCTL_NOTIF_SEND)", errno);
}

/*
 * A call that runs first (close, route.c) is let go on, and its thread is
 * interrupted before: the killable wait keeps the interrupt pending until
 * the call has run, and the thread takes it as the call returns to user
 * code, a PTRACE_EVENT_STOP at which the result is written
 * (sf_notify_result_stop).  Without an interrupt (the thread is dying) it
 * only runs.
 */
static void answer(struct sf_engine *e, struct sf_tracee *tr, const struct sf_syscall *sc, uint64_t id,
		   const struct sf_rule *rule)
{
	const struct sf_action *a = rule ? &rule->action : NULL;

	if (a && (a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL)) &&
	    sf_action_runs_first(a, (enum sf_abi)sc->abi, sc->nr)) {
		if (ptrace(PTRACE_INTERRUPT, tr->tid, NULL, NULL) == 0) {
			tr->awaits_result_stop = true;
			tr->result_at_stop = sf_action_result(a);
		} else if (errno != ESRCH) {
			sf_error("ptrace(PTRACE_INTERRUPT, %d): %s", tr->tid, strerror(errno));
		}
		rule = NULL;
	}
	send_answer(e, id, rule);
}

void sf_notify_result_stop(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_syscall sc;

	tr->awaits_result_stop = false;
	memset(&sc, 0, sizeof(sc));   /* nothing kept: the register is written alone */
	int rc = e->regs->set_return(tr->tid, &sc, tr->result_at_stop);
	if (rc && rc != -ESRCH)
		sf_error("setting the result of %d: %s", tr->tid, strerror(-rc));
}

/*
 * What the filters read of the thread (its memory, /proc/TID) was its own,
 * and for this call, only if the call still waits: seccomp_unotify(2) asks
 * for SECCOMP_IOCTL_NOTIF_ID_VALID after such reads.
 */
static bool is_still_waiting(const struct sf_notify *n, uint64_t id)
{
	return notify_ioctl(n->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

static void hold_call(struct sf_engine *e, struct sf_tracee *tr, const struct sf_syscall *sc, uint64_t id,
		      const struct sf_rule *rule)
{
	tr->notify_id = id;
	tr->call = *sc;
	tr->rule = rule;
	tr->is_notify_held = true;
	if (sf_engine_hold(e, tr, rule->action.delay_enter_ns) < 0)
		sf_notify_end_hold(e, tr);
}

void sf_notify_end_hold(struct sf_engine *e, struct sf_tracee *tr)
{
	tr->is_notify_held = false;
	answer(e, tr, &tr->call, tr->notify_id, tr->rule);
	tr->rule = NULL;
}

static void on_notification(struct sf_engine *e)
{
	struct sf_notify *n = &e->notify;
	struct seccomp_notif *req = n->req;
	struct sf_syscall sc;

	memset(req, 0, n->req_size);   /* the kernel refuses a buffer that is not zeroed */
	if (notify_ioctl(n->fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		/* ENOENT: withdrawn before it was read (a signal interrupted the wait, or a kill). */
		if (errno != ENOENT)
			listener_failed(e, "reading a call (SECCOMP_IOCTL_NOTIF_RECV)", errno);
		return;
	}
	struct sf_tracee *tr = sf_tracee_find(e->tracees, (pid_t)req->pid);
	call_of(&req->data, &sc);
	/*
	 * sysfault's own calls before the command's exec, tasks it does not
	 * trace, and every call after a point run's point run as asked.
	 */
	if (!tr || !tr->is_exec_done || sf_engine_point_is_behind(e) || !sf_syscall_abi_is_known(e, &sc)) {
		send_answer(e, req->id, NULL);
		return;
	}
	struct sf_call_view view;
	const struct sf_rule *rule = sf_syscall_decide(e, tr, &sc, &view);
	if (sf_call_view_has_read(&view) && !is_still_waiting(n, req->id))
		return;   /* it died: counted, as a thread killed at a seccomp stop is */
	/* Queued now, as at a seccomp stop: a delay_enter then waits with it pending. */
	if (rule && (rule->action.flags & SF_ACT_SIGNAL))
		sf_syscall_queue_signal(tr, rule->action.signo);
	if (rule && (rule->action.flags & SF_ACT_DELAY_ENTER))
		hold_call(e, tr, &sc, req->id, rule);
	else
		answer(e, tr, &sc, req->id, rule);
}

pid_t sf_notify_wait(struct sf_engine *e, int *status)
{
	struct sf_notify *n = &e->notify;

	for (;;) {
		if (sf_wake_take_children())
			n->is_draining = true;
		if (n->is_draining) {
			pid_t tid = waitpid(-1, status, __WALL | WNOHANG);
			if (tid != 0)
				return tid;   /* a stop or an end; or -1 (ECHILD: the tree is gone) */
			n->is_draining = false;
		}
		if (n->is_ready) {
			n->is_ready = false;
			on_notification(e);
			continue;
		}
		if (sf_wake_is_pending()) {
			errno = EINTR;
			return -1;
		}
		struct pollfd p = { n->is_hung_up ? -1 : n->fd, POLLIN, 0 };
		int r = sf_wake_poll(&p, 1);
		if (r < 0 && errno != EINTR)
			return -1;
		n->is_ready = r > 0 && (p.revents & POLLIN);
		/*
		 * POLLHUP: the last task using the filter is gone, for good (a task
		 * gets it only by forking from one); its exit statuses follow.
		 * POLLERR says only that a signal came while the kernel waited
		 * for the listener's lock (seccomp_notify_poll): look again.
		 */
		if (r > 0 && !n->is_ready && (p.revents & POLLHUP))
			n->is_hung_up = true;
	}
}
