/*
 * marker: makes COUNT sched_yield calls and handles every failed one (a line on
 * stderr, exit 1 at the end), except the calls that ACTIONs name:
 *   K:crash        the K-th call failing crashes it (SIGSEGV), every time
 *   K:crash-once   crashes only if DIR/crashed-K did not exist, creating it:
 *                  a crash that the next run does not repeat (flaky)
 *   K:block-once   if DIR/blocked-K did not exist, creates it and sleeps 30s:
 *                  a run still under way when a test interrupts explore
 * DIR must outlive each run: outside explore's sandbox, which shows every run
 * the working directory and /tmp as they were before the campaign.
 * Usage: marker DIR COUNT [K:ACTION...]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether DIR/NAME-K was created now (false: it was there already). */
static int first_time(const char *dir, const char *name, int k)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s-%d", dir, name, k);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* What ACTIONS say the K-th call's failure does; "" when nothing is said. */
static const char *action_of(int k, int nactions, char **actions)
{
	for (int i = 0; i < nactions; i++) {
		char *colon = strchr(actions[i], ':');
		if (colon && atoi(actions[i]) == k)
			return colon + 1;
	}
	return "";
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: marker DIR COUNT [K:ACTION...]\n");
		return 2;
	}
	const char *dir = argv[1];
	int count = atoi(argv[2]);
	for (int k = 1; k <= count; k++) {
		/* a call whose clean result (0) is the same in every run, so are the reports */
		if (syscall(SYS_sched_yield) >= 0)
			continue;
		int err = errno;
		const char *action = action_of(k, argc - 3, argv + 3);
		if (!strcmp(action, "crash") || (!strcmp(action, "crash-once") && first_time(dir, "crashed", k)))
			raise(SIGSEGV);
		if (!strcmp(action, "block-once") && first_time(dir, "blocked", k))
			sleep(30);
		fprintf(stderr, "marker: sched_yield %d: %s\n", k, strerror(err));
		failed = 1;
	}
	return failed;
}
