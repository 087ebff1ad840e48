/*
 * affinity: what a program sees of its CPU affinity.
 * Usage: affinity count        prints "cpus N" (sched_getaffinity of itself)
 *        affinity thread       the same, read from a new thread, of the thread
 *        affinity spin MS      two processes each spin MS milliseconds at once
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int count_self(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	return CPU_COUNT(&set);
}

static void *in_thread(void *arg)
{
	cpu_set_t set;

	(void)arg;
	if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) == 0)
		printf("cpus %d\n", CPU_COUNT(&set));
	return NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void spin(double seconds)
{
	volatile unsigned long x = 0;
	for (double end = now() + seconds; now() < end;)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "count")) {
		printf("cpus %d\n", count_self());
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "thread")) {
		pthread_t t;
		if (pthread_create(&t, NULL, in_thread, NULL) != 0)
			return 1;
		pthread_join(t, NULL);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "spin")) {
		double seconds = atof(argv[2]) / 1000;
		pid_t pid = fork();
		if (pid == 0) {
			spin(seconds);
			_exit(0);
		}
		spin(seconds);
		waitpid(pid, NULL, 0);
		return 0;
	}
	fprintf(stderr, "usage: affinity count | thread | spin MS\n");
	return 2;
}
