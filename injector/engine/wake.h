/*
 * Wake-ups of the event loop, which blocks in waitpid(): a POSIX timer for
 * delays and --timeout, and INT/TERM/HUP/QUIT sent to sysfault, all turned
 * into EINTR.  No fd and no poll on the hot path: one waitpid per stop.
 */
#ifndef SF_WAKE_H
#define SF_WAKE_H

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

/* The signals whose dispositions sf_wake_init() changes: a child resets them. */
extern const int sf_wake_signals[];
extern const unsigned sf_wake_signal_count;
/*
 * What a command should start with for sf_wake_signals[I]: SIG_IGN when
 * sysfault itself was started with it ignored (nohup), else SIG_DFL.
 */
bool sf_wake_was_ignored(unsigned i);

#endif
