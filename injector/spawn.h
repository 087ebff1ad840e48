/*
 * Starting the command: fork, seize the child while it waits on a pipe,
 * then let it exec.  Nothing of the child's set-up runs under syscall
 * tracing, so sysfault's own code is never counted or injected.
 */
#ifndef SF_SPAWN_H
#define SF_SPAWN_H

#include <sys/types.h>

#include "seccomp_filter.h"

/*
 * Forks ARGV[0] (looked up in PATH), with the signal dispositions the
 * tracer changed put back to default, seized with OPTIONS; the child
 * installs FILTER (when not NULL) just before exec.  A filter the kernel
 * refuses makes the child print one line and exit 125.  Returns the pid, or -errno (reported).
 * If exec fails the child prints one line and exits 127 (not found) or 126.
 */
pid_t sf_spawn(char *const argv[], unsigned long options,
	       const struct sf_seccomp_prog *filter);

#endif
