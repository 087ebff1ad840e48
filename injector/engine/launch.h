/*
 * Starting the command: a child sharing the tracer's memory (no copy of
 * its page tables, no copy-on-write faults on either side: where page
 * table updates go through the hypervisor those are costly)
 * waits on a pipe until the tracer has seized it, then installs the
 * seccomp filter and execs.  Nothing of the child's set-up runs under
 * syscall tracing, so sysfault's own code is never counted or injected.
 * The command never runs untraced: without the tracer's word, it is not run.
 */
#ifndef SF_LAUNCH_H
#define SF_LAUNCH_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "engine/seccomp_filter.h"

enum sf_launch_failure {
	SF_LAUNCH_OK,
	SF_LAUNCH_ABANDONED,   /* the tracer gave up or died before letting it exec */
	SF_LAUNCH_FILTER,      /* the kernel refused the seccomp filter */
	SF_LAUNCH_EXEC,        /* no candidate could be executed */
};

/* Written by the child just before it exits, read once it is reaped. */
struct sf_launch_outcome {
	enum sf_launch_failure failure;
	int err;
};

/*
 * Everything the child reads is prepared here by the tracer before the
 * clone, and stays put until sf_launch_release(): the child cannot
 * allocate, and shares this memory until its exec.
 */
struct sf_launch {
	char *const *argv;
	char **paths;                 /* execvp's candidates, in PATH order */
	char **sh_argv;               /* /bin/sh, candidate, argv[1..]: for ENOEXEC */
	size_t argc;
	const struct sf_seccomp_prog *filter;
	const struct sf_seccomp_prog *fallback; /* installed instead when the kernel refuses FILTER's listener (EBUSY) */
	sigset_t mask;                /* what the command starts with: the mask sysfault was given */
	unsigned long ignored;        /* bit I: sf_wake_signals[I] starts ignored */
	int go_fd, go_fd_tracer;     /* the pipe's ends: the child reads, the tracer writes SF_LAUNCH_GO */
	pid_t tracer;                /* the tracer's pid: the child's parent while it lives */
	pid_t tracer_tid;            /* the thread that seizes: the child's TracerPid once seized */
	bool is_fork;                /* SYSFAULT_LAUNCH=fork: a plain fork (valgrind cannot run clone(CLONE_VM)) */
	int cgroup_fd;               /* the cgroup the child is born in (clone_into.h); -1: sysfault's */
	int cgroup_err;              /* -errno when it could not be born there (started in sysfault's) */
	void *stack;                 /* clone's; NULL under fork */
	/* In this struct under clone; under fork a shared page, as the child has its own memory. */
	struct sf_launch_outcome *outcome;
	struct sf_launch_outcome own_outcome;
};

/*
 * Starts ARGV[0] (looked up in PATH as execvp does) seized with OPTIONS;
 * the child installs FILTER (when not NULL) just before exec, or FALLBACK
 * (when not NULL) if the kernel refuses FILTER's listener, and then, if
 * the filter has a hand-over (seccomp_filter.h), makes the hand-over call
 * with the listener's fd (-1 after the fallback).  Returns the
 * pid, or -errno (reported).  If the child cannot run the command it exits
 * 125 (filter refused), 127 (not found) or 126, and sf_launch_release()
 * says why, once the engine has reaped it.  Without the tracer's go-ahead
 * (it gave up, or died before the seize) the child exits 125, running
 * nothing; a dead tracer's PR_SET_PDEATHSIG kills it first.  With
 * CGROUP_FD >= 0 the child is born in that cgroup directory, or, where
 * the kernel refuses, started as without one (SP->cgroup_err says why).
 */
pid_t sf_launch(struct sf_launch *sp, char *const argv[], unsigned long options,
	       const struct sf_seccomp_prog *filter, const struct sf_seccomp_prog *fallback, int cgroup_fd);
/* Reports the child's failure, if it had one, and frees SP. */
void sf_launch_release(struct sf_launch *sp);

#endif
