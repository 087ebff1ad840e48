/*
 * The notify engine's listener: a seccomp user-notification fd
 * (SECCOMP_FILTER_FLAG_NEW_LISTENER) that the child installs with its
 * filter and hands to the tracer before its exec.  A selected call whose
 * whole action is an answer at its entry (route.h) waits there for one:
 * let it run (SECCOMP_USER_NOTIF_FLAG_CONTINUE), fail it, give it a value,
 * after a delay or at once.  The rules decide as at a ptrace stop
 * (syscall_stop.c); ptrace stays for every event and every other call.
 * Never resumes a ptrace stop.
 */
#ifndef SF_NOTIFY_H
#define SF_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sf_engine;
struct sf_tracee;
struct seccomp_notif;
struct seccomp_notif_resp;

struct sf_notify {
	int fd;                          /* the listener; -1 before the hand-over, or without one */
	bool is_awaited;                 /* the child's filter has a hand-over to come */
	bool has_sync_wake_up;           /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP is set (Linux 6.6) */
	bool is_draining;                /* a tracee changed state: waitpid(WNOHANG) until none left */
	bool is_ready;                   /* the last poll saw a call waiting */
	bool is_hung_up;                 /* no task uses the filter any more: the fd is not polled */
	struct seccomp_notif *req;       /* sized as the kernel says (SECCOMP_GET_NOTIF_SIZES) */
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
};

/*
 * Whether this kernel can run the notify engine: SECCOMP_RET_USER_NOTIF
 * with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19, which has
 * pidfd_getfd and SECCOMP_USER_NOTIF_FLAG_CONTINUE too).
 */
bool sf_notify_available(void);

void sf_notify_init(struct sf_notify *n);
/* Closes the listener and frees the buffers. */
void sf_notify_release(struct sf_notify *n);

/*
 * At the hand-over stop of the command's child PID, before its exec: takes
 * the listener it installed as CHILD_FD (pidfd_getfd), sets it to wake
 * its tasks on sysfault's CPU where the kernel can, and turns the event
 * loop to polling (wake.h).  CHILD_FD -1: the kernel refused the child a
 * listener (another supervisor has one), every selected call stops at
 * ptrace instead.  Returns 0, or -errno after one line (the tree is killed
 * and E->err set).
 */
int sf_notify_take(struct sf_engine *e, pid_t pid, int child_fd);

/*
 * The event loop's wait once the listener is taken: answers the calls
 * that wait for it, and returns as waitpid(-1, STATUS, __WALL) does when a
 * tracee changed state (those come first: a thread's clone event before
 * its first call), or -1 with errno EINTR when a wake-up wants the loop
 * (a timer, a signal to sysfault).
 */
pid_t sf_notify_wait(struct sf_engine *e, int *status);

/* The tree's tasks wait on each other: answers no longer wake callers on sysfault's CPU. */
void sf_notify_spread(struct sf_notify *n);

/* The delay of TR's held call ended (its timer, or a signal that would end the call): answers it. */
void sf_notify_end_hold(struct sf_engine *e, struct sf_tracee *tr);

/*
 * At the first PTRACE_EVENT_STOP of TR after a call the listener let run
 * first (its interrupt, or a group-stop that came with it): the call has
 * returned, and the rule's result replaces the kernel's.
 */
void sf_notify_result_stop(struct sf_engine *e, struct sf_tracee *tr);

#endif
