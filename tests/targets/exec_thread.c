/*
 * exec_thread: a thread that is not the thread-group leader execve()s
 * COMMAND while the leader sits in pause().  The kernel then kills every
 * other thread and gives the exec'ing thread the leader's pid; COMMAND runs
 * and prints its own observations.  Prints only a failed exec:
 * "exec ret=-1 errno=E" (exit 127).
 * Usage: exec_thread COMMAND [ARG...]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char **command;

static void *exec_command(void *unused)
{
	(void)unused;
	execvp(command[0], command);
	printf("exec ret=-1 errno=%s\n", strerrorname_np(errno));
	fflush(stdout);
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t thread;

	if (argc < 2) {
		fprintf(stderr, "usage: exec_thread COMMAND [ARG...]\n");
		return 2;
	}
	command = argv + 1;
	if (pthread_create(&thread, NULL, exec_command, NULL))
		return 2;
	for (;;)
		pause();
}
