/*
 * sleeper: one raw nanosleep(2), for tests of signals that arrive while
 * sysfault holds the call in a delay.  Catches SIGUSR1 (no SA_RESTART),
 * blocks SIGUSR2, writes its pid to PIDFILE (complete once it exists),
 * sleeps MS milliseconds, then prints
 *   "nanosleep ret=R us=T"  or  "nanosleep ret=-1 errno=ENAME us=T"
 * and "signal SIGUSR1" if the handler ran.
 * Usage: sleeper PIDFILE MS
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pidfile.h"

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	sigset_t usr2;

	if (argc != 3) {
		fprintf(stderr, "usage: sleeper PIDFILE MS\n");
		return 2;
	}
	long ms = atol(argv[2]);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	if (write_pid(argv[1]) < 0)
		return 2;
	long long t0 = now_us();
	long ret = syscall(SYS_nanosleep, &ts, NULL);
	int err = ret < 0 ? errno : 0;
	long long us = now_us() - t0;
	if (err)
		printf("nanosleep ret=-1 errno=%s us=%lld\n", strerrorname_np(err), us);
	else
		printf("nanosleep ret=%ld us=%lld\n", ret, us);
	if (caught)
		printf("signal SIGUSR1\n");
	return 0;
}
