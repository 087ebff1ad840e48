/*
 * held_read: one read(2) of an empty pipe, for tests of a signal that
 * arrives while sysfault holds that read in a delay_enter.  Catches
 * SIGUSR1 with SA_RESTART ("restart") or without ("intr"), writes its pid
 * to PIDFILE (complete once it exists), and a child writes one byte to
 * the pipe MS milliseconds after the pidfile is there.  Then prints
 *   "read ret=R us=T"  or  "read ret=-1 errno=ENAME us=T"
 * and "signal SIGUSR1" if the handler ran.  The pipe's read end is fd 100,
 * so a rule can name that read alone (fd=100).
 * Usage: held_read PIDFILE restart|intr MS
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pidfile.h"

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	int p[2];
	char byte;

	if (argc != 4 || (strcmp(argv[2], "restart") && strcmp(argv[2], "intr"))) {
		fprintf(stderr, "usage: held_read PIDFILE restart|intr MS\n");
		return 2;
	}
	sa.sa_flags = strcmp(argv[2], "restart") ? 0 : SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(p) < 0 || dup2(p[0], 100) != 100)
		return 2;
	close(p[0]);
	p[0] = 100;
	if (write_pid(argv[1]) < 0)
		return 2;
	pid_t writer = fork();
	if (writer == 0) {
		usleep((useconds_t)atol(argv[3]) * 1000);
		_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
	}
	long long t0 = now_us();
	long ret = syscall(SYS_read, p[0], &byte, 1);
	int err = ret < 0 ? errno : 0;
	long long us = now_us() - t0;
	if (err)
		printf("read ret=-1 errno=%s us=%lld\n", strerrorname_np(err), us);
	else
		printf("read ret=%ld us=%lld\n", ret, us);
	if (caught)
		printf("signal SIGUSR1\n");
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	return 0;
}
