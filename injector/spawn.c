/*
 * Spawn: the child blocks reading a pipe until the tracer has seized it, so
 * the first thing it does under ptrace is the command's own execve.  The
 * child is not stopped on the way (no SIGSTOP dance), so it never needs a
 * group-stop to be undone.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "wake.h"

static void child_exec(int go_fd, char *const argv[], const struct sf_seccomp_prog *filter)
{
	char byte;
	ssize_t r;

	do
		r = read(go_fd, &byte, 1);
	while (r < 0 && errno == EINTR);
	close(go_fd);
	if (r != 0)   /* the tracer gave up: it writes a byte, or died */
		_exit(125);
	/* The command gets back what the tracer changed for itself. */
	for (unsigned i = 0; i < sf_wake_signal_count; i++)
		signal(sf_wake_signals[i], SIG_DFL);
	int err = filter ? sf_seccomp_install(filter) : 0;
	if (err) {
		dprintf(2, "sysfault: cannot install the seccomp filter: %s; "
			"try --engine ptrace\n", strerror(-err));
		_exit(125);
	}
	execvp(argv[0], argv);
	err = errno;
	dprintf(2, "sysfault: cannot run '%s': %s\n", argv[0], strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

pid_t sf_spawn(char *const argv[], unsigned long options,
	       const struct sf_seccomp_prog *filter)
{
	int go[2];

	if (pipe2(go, O_CLOEXEC) < 0) {
		int e = errno;
		sf_error("pipe: %s", strerror(e));
		return -e;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		sf_error("fork: %s", strerror(e));
		close(go[0]);
		close(go[1]);
		return -e;
	}
	if (pid == 0) {
		close(go[1]);
		child_exec(go[0], argv, filter);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)options) < 0) {
		int e = errno;
		sf_error("ptrace(PTRACE_SEIZE, %d): %s", pid, strerror(e));
		if (write(go[1], "x", 1) < 0) { /* the child exits either way */ }
		close(go[1]);
		waitpid(pid, NULL, 0);
		return -e;
	}
	close(go[1]);   /* EOF: the child may exec now */
	return pid;
}
