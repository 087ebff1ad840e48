/*
 * Wake-ups of the event loop, which blocks in waitpid(): a POSIX timer for
 * delays and --timeout, and INT/TERM/HUP/QUIT sent to sysfault, all turned
 * into EINTR.  No fd and no poll on the hot path: one waitpid per stop.
 * The notify engine's loop polls its listener instead (sf_wake_poll), and
 * SIGCHLD tells it that a tracee stopped or ended.
 */
#ifndef SF_WAKE_H
#define SF_WAKE_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Installs the handlers and the timer, and unblocks the signals it needs
 * (a library caller may have blocked SIGALRM or SIGINT); returns 0 or -errno.
 */
int sf_wake_init(void);
/* Restores the dispositions and the mask sf_wake_init() changed; deletes the timer. */
void sf_wake_release(void);
/* The signal mask in force before sf_wake_init(): what the command starts with. */
const sigset_t *sf_wake_original_mask(void);

/* Arms the timer at DEADLINE_NS (CLOCK_MONOTONIC); UINT64_MAX disarms. */
void sf_wake_arm(uint64_t deadline_ns);

/* Whether something woke the loop since the last call; clears the flag. */
bool sf_wake_take(void);
/* A forwarded signal received since the last call (0 when none), removing it. */
int sf_wake_next_signal(void);
/*
 * Whether INT and QUIT from a terminal (SI_KERNEL) count as well.  They
 * do not by default: the terminal sent them to the whole foreground
 * process group, a command sysfault started included.  Processes it
 * attached to are in a group of their own: for them the signal means
 * "detach".  Until sf_wake_release().
 */
void sf_wake_take_terminal_signals(bool is_taken);

/*
 * For a loop that polls instead of blocking in waitpid(): from now on
 * SIGCHLD and the wake-up signals are blocked except inside sf_wake_poll(),
 * which lets them in for the wait only (ppoll), so none can come between
 * a look at the flags and the wait.  SIGCHLD gets a handler of its own
 * (the tracer's children are the tracees).  Until sf_wake_release().
 * Returns 0 or -errno.
 */
int sf_wake_start_polling(void);
/* ppoll() on the N FDS, with those signals let in while it waits; returns as ppoll. */
int sf_wake_poll(struct pollfd *fds, nfds_t n);
/* Whether SIGCHLD came since the last call (polling only); clears the flag. */
bool sf_wake_take_children(void);
/* Whether a wake-up waits for sf_wake_take(), which this does not clear. */
bool sf_wake_is_pending(void);

/* The signals whose dispositions sf_wake_init() changes: a child resets them. */
extern const int sf_wake_signals[];
extern const unsigned sf_wake_signal_count;
/*
 * What a command should start with for sf_wake_signals[I]: SIG_IGN when
 * sysfault itself was started with it ignored (nohup), else SIG_DFL.
 */
bool sf_wake_was_ignored(unsigned i);

#endif
