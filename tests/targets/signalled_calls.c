/*
 * signalled_calls: N getppid calls while a child sends SIGUSR1 to this
 * process as fast as it can (the handler has SA_RESTART, so no call may
 * fail for it).  Prints
 *   "calls=N failed=F signals=S"
 * F the calls that failed (any errno), S the signals the handler caught.
 * Usage: signalled_calls N
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	long n = argc > 1 ? atol(argv[1]) : 1000, failed = 0;
	pid_t parent = getpid();

	sigaction(SIGUSR1, &sa, NULL);
	pid_t sender = fork();
	if (sender == 0) {
		for (;;) {
			if (kill(parent, SIGUSR1) < 0)
				_exit(0);
			usleep(50);
		}
	}
	for (long i = 0; i < n; i++)
		failed += syscall(SYS_getppid) < 0;
	kill(sender, SIGKILL);
	waitpid(sender, NULL, 0);
	printf("calls=%ld failed=%ld signals=%d\n", n, failed, (int)caught);
	return 0;
}
