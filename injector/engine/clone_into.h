/*
 * Starting a child directly in a cgroup: clone3(2) with CLONE_INTO_CGROUP
 * (Linux 5.7).  Writing the child's pid to cgroup.procs would place it
 * too, but every move waits for an RCU grace period (the kernel's
 * cgroup_threadgroup_rwsem): 5 to 25 ms on the 2-CPU test machine, where
 * the whole clone3 takes 0.15 ms.  A child born there is never anywhere
 * else, and its parent stays where it is.
 */
#ifndef SF_CLONE_INTO_H
#define SF_CLONE_INTO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Starts FN(ARG) in a new process in the cgroup directory CGROUP_FD, with
 * SIGCHLD as its exit signal, and returns its pid.  With STACK (STACK_SIZE
 * bytes) the child shares the caller's memory (CLONE_VM) and runs on that
 * stack, as clone(2) with CLONE_VM; without, it has a copy, as after a
 * fork.  The child exits with FN's value and, as clone's, must make only
 * raw system calls when it shares memory.  Returns -errno when it was not
 * started: -ENOSYS without clone3 (an old kernel, valgrind, a seccomp
 * profile refusing it), -EACCES, -EBUSY or -EOPNOTSUPP when the cgroup
 * cannot take it.
 */
pid_t sf_clone_into(int cgroup_fd, void *stack, size_t stack_size, int (*fn)(void *), void *arg);

#endif
