/*
 * threads: T threads (the leader makes none) each make N getppid calls; then
 * the leader prints every call: "thread K I ok" or "thread K I ret=-1
 * errno=EIO" (K from 1 to T, I from 1 in each thread).
 * Usage: threads T N [par]
 *   default: one thread at a time (each created after the previous ended),
 *            so counting over the whole process has one right answer;
 *   par:     all T threads alive at once, released together by a barrier.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_THREADS 64
#define MAX_CALLS 64

struct worker {
	pthread_t thread;
	long ret[MAX_CALLS];
	int err[MAX_CALLS];
};

static struct worker workers[MAX_THREADS];
static int n_calls;
static pthread_barrier_t start;
static int parallel;

static void *work(void *arg)
{
	struct worker *w = arg;
	if (parallel)
		pthread_barrier_wait(&start);
	for (int i = 0; i < n_calls; i++) {
		errno = 0;
		w->ret[i] = syscall(SYS_getppid);
		w->err[i] = w->ret[i] == -1 ? errno : 0;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: threads T N [par]\n");
		return 2;
	}
	int n_threads = atoi(argv[1]);
	n_calls = atoi(argv[2]);
	parallel = argc > 3 && !strcmp(argv[3], "par");
	if (n_threads < 1 || n_threads > MAX_THREADS || n_calls < 0 || n_calls > MAX_CALLS)
		return 2;
	if (parallel)
		pthread_barrier_init(&start, NULL, n_threads);
	for (int k = 0; k < n_threads; k++) {
		if (pthread_create(&workers[k].thread, NULL, work, &workers[k])) {
			fprintf(stderr, "threads: pthread_create failed\n");
			return 2;
		}
		if (!parallel)
			pthread_join(workers[k].thread, NULL);
	}
	for (int k = 0; parallel && k < n_threads; k++)
		pthread_join(workers[k].thread, NULL);
	for (int k = 0; k < n_threads; k++) {
		for (int i = 0; i < n_calls; i++) {
			if (workers[k].err[i])
				printf("thread %d %d ret=-1 errno=%s\n", k + 1, i + 1,
				       strerrorname_np(workers[k].err[i]));
			else
				printf("thread %d %d ok\n", k + 1, i + 1);
		}
	}
	return 0;
}
