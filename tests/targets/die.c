/*
 * die: ends in a chosen way, so tests can check how sysfault passes it on.
 * Usage: die exit STATUS     exits with STATUS
 *        die signal NAME     kills itself with signal NAME (e.g. SEGV), no core
 *        die sleep SECONDS   sleeps, then exits 0
 *        die stderr TEXT     writes TEXT and a newline to stderr, "out" to stdout
 *        die touch FILE      creates FILE, exits 0 (proof that it ran)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: die exit|signal|sleep|stderr|touch ARG\n");
		return 2;
	}
	const char *how = argv[1], *arg = argv[2];
	if (!strcmp(how, "exit"))
		return atoi(arg);
	if (!strcmp(how, "signal")) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		for (int sig = 1; sig < NSIG; sig++) {
			const char *abbrev = sigabbrev_np(sig);
			if (abbrev && !strcmp(abbrev, arg)) {
				signal(sig, SIG_DFL);
				raise(sig);
			}
		}
		fprintf(stderr, "die: signal %s did not kill\n", arg);
		return 2;
	}
	if (!strcmp(how, "sleep")) {
		sleep(atoi(arg));
		return 0;
	}
	if (!strcmp(how, "stderr")) {
		fprintf(stderr, "%s\n", arg);
		printf("out\n");
		return 0;
	}
	if (!strcmp(how, "touch"))
		return close(open(arg, O_WRONLY | O_CREAT, 0600)) ? 1 : 0;
	fprintf(stderr, "die: unknown way %s\n", how);
	return 2;
}
