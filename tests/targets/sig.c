/*
 * sig: catches SIGUSR1, SIGUSR2, SIGHUP, SIGINT, SIGTERM, SIGALRM and reports
 * which arrived and during which call.
 * Usage: sig N          N getppid calls, then prints "getppid I ok" (or
 *                       "... ret=-1 errno=E") per call and "signal SIGx at=I"
 *                       per signal caught (I: the call in progress, 0: none)
 *        sig wait FILE  creates FILE once the handlers are installed, waits
 *                       up to 10 s for one signal, prints "signal SIGx" and
 *                       exits 0 (exit 1 if none came)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t current_call;
static volatile sig_atomic_t caught[64], caught_at[64], n_caught;

static void handler(int sig)
{
	if (n_caught < 64) {
		caught[n_caught] = sig;
		caught_at[n_caught] = current_call;
		n_caught++;
	}
}

static void print_caught(int with_call)
{
	for (int i = 0; i < n_caught; i++) {
		if (with_call)
			printf("signal SIG%s at=%d\n", sigabbrev_np(caught[i]), (int)caught_at[i]);
		else
			printf("signal SIG%s\n", sigabbrev_np(caught[i]));
	}
}

int main(int argc, char **argv)
{
	static const int sigs[] = {SIGUSR1, SIGUSR2, SIGHUP, SIGINT, SIGTERM, SIGALRM};
	struct sigaction sa = {.sa_handler = handler};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	if (argc == 3 && !strcmp(argv[1], "wait")) {
		close(open(argv[2], O_WRONLY | O_CREAT, 0600));
		for (int ms = 0; ms < 10000 && !n_caught; ms += 10)
			usleep(10000);
		print_caught(0);
		return n_caught ? 0 : 1;
	}
	int n = argc > 1 ? atoi(argv[1]) : 1;
	long ret[64];
	int err[64];
	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++) {
		current_call = i + 1;
		errno = 0;
		ret[i] = syscall(SYS_getppid);
		err[i] = ret[i] == -1 ? errno : 0;
		current_call = 0;
	}
	for (int i = 0; i < n; i++) {
		if (err[i])
			printf("getppid %d ret=-1 errno=%s\n", i + 1, strerrorname_np(err[i]));
		else
			printf("getppid %d ok\n", i + 1);
	}
	print_caught(1);
	return 0;
}
