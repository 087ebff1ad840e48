/*
 * untraced_sleeper: leaves behind a process that no tracer follows.
 * Usage: untraced_sleeper MS  starts a child with clone's CLONE_UNTRACED, which a
 *                      tracer's PTRACE_O_TRACEFORK does not follow, prints
 *                      "child PID" and exits; the child, its stdio on
 *                      /dev/null, sleeps MS milliseconds and exits.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: untraced_sleeper MS\n");
		return 2;
	}
	long ms = atol(argv[1]);
	fflush(stdout);
	/* The raw call: glibc's fork() takes no flags, and clone() wants a stack. */
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0) {
		perror("clone");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	printf("child %ld\n", pid);
	return 0;
}
