/*
 * listener_holder: runs COMMAND under a seccomp filter that has a listener
 * of its own, as a supervisor (a container runtime) would: the filter
 * sends only getpriority to the listener, and the listener stays open in
 * this process, which answers nothing and waits for COMMAND.  The kernel
 * allows one listener per filter chain, so a COMMAND that asks for another
 * (sysfault's notify engine) is refused with EBUSY.  Exits with COMMAND's
 * status.
 * Usage: listener_holder COMMAND [ARG...]
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listen_on.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: listener_holder COMMAND [ARG...]\n");
		return 2;
	}
	int fd = listen_on(SYS_getpriority);
	if (fd < 0) {
		perror("listener_holder: seccomp");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
