/*
 * Starting the command: fork, seize the child while it waits on a pipe,
 * then let it exec.  Nothing of the child's set-up runs under syscall
 * tracing, so sysfault's own code is never counted or injected.
 */
#ifndef SF_SPAWN_H
#define SF_SPAWN_H

#include <signal.h>
#include <sys/types.h>

/*
 * Forks ARGV[0] (looked up in PATH) with signal mask CHILD_MASK and default
 * dispositions, seized with OPTIONS.  Returns the pid, or -errno (reported).
 * If exec fails the child prints one line and exits 127 (not found) or 126.
 */
pid_t sf_spawn(char *const argv[], unsigned long options, const sigset_t *child_mask);

#endif
