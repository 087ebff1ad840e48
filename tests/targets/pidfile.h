/*
 * What the targets that tests signal share: a SIGUSR1 handler that notes
 * it ran, the time in microseconds, and a pid file written whole (a
 * temporary file renamed into place), so that a test that sees it can
 * read the pid and send its signal at once.
 */
#ifndef SF_TARGET_PIDFILE_H
#define SF_TARGET_PIDFILE_H

#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static inline void on_usr1(int sig)
{
	(void)sig;
	caught = 1;
}

static inline long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static inline int write_pid(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

#endif
