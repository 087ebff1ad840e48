/*
 * Starting the command: fork, seize the child while it waits on a pipe,
 * then let it exec.  Nothing of the child's set-up runs under syscall
 * tracing, so sysfault's own code is never counted or injected.
 */
#ifndef SF_SPAWN_H
#define SF_SPAWN_H

#include <sys/types.h>

/*
 * Forks ARGV[0] (looked up in PATH), with the signal dispositions the
 * tracer changed put back to default, seized with OPTIONS.  Returns the pid, or -errno (reported).
 * If exec fails the child prints one line and exits 127 (not found) or 126.
 */
pid_t sf_spawn(char *const argv[], unsigned long options);

#endif
