/*
 * delay: makes N raw clock_gettime(CLOCK_MONOTONIC) system calls and prints
 * for each "clock_gettime I ret=R enter_us=E total_us=T":
 *   E = the time the kernel read minus the time just before the call, i.e.
 *       how long the call waited before it ran (delay_enter shows here);
 *   T = the whole call as the program saw it (delay_exit shows only here).
 * The times around the call come from the vDSO, which makes no system call.
 * Usage: delay N
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long us(const struct timespec *ts)
{
	return ts->tv_sec * 1000000LL + ts->tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	long long enter[64], total[64];
	long ret[64];

	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++) {
		struct timespec before, kernel, after;
		clock_gettime(CLOCK_MONOTONIC, &before);
		ret[i] = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &kernel);
		clock_gettime(CLOCK_MONOTONIC, &after);
		enter[i] = us(&kernel) - us(&before);
		total[i] = us(&after) - us(&before);
	}
	for (int i = 0; i < n; i++)
		printf("clock_gettime %d ret=%ld enter_us=%lld total_us=%lld\n",
		       i + 1, ret[i], enter[i], total[i]);
	return 0;
}
