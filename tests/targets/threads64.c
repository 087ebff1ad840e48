/*
 * threads64: T threads in one process, each making K getppid calls (through
 * syscall(), so no libc cache hides one) and checking what it observed
 * against an expected pattern.
 *
 * Usage: threads64 T EXPECT [TAG]
 *   T       threads in all, the main thread included (1..256)
 *   EXPECT  comma-separated outcome of each call, e.g. "ok,EIO,ok": "ok" is a
 *           success returning the real parent's pid, an errno name a failure
 *           with that errno; K is the number of words
 *   TAG     ignored; in the argv, so a test can find leftovers in /proc
 *
 * The main thread (thread 0) makes its K calls first, then starts threads
 * 1..T-1; they wait at a barrier until all exist, then make their K calls
 * at once.  The main thread joins them, prints each thread whose outcomes
 * differ from EXPECT ("bad I tid=T OUTCOMES", the first 20) and one
 * summary line:
 *   "threads T ok=A bad=B errors=E"
 * ok: threads that observed exactly EXPECT; errors: calls over all threads
 * whose outcome was not "ok".  Exit status 0 unless a thread could not be
 * created (2).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_THREADS 256
#define MAX_CALLS 16
#define WORD 32

struct worker {
	pthread_t thread;
	int index;
	pid_t tid;
	long ret[MAX_CALLS];
	int err[MAX_CALLS];
};

static struct worker workers[MAX_THREADS];
static int n_calls;
static pthread_barrier_t start;

static void observe(struct worker *w)
{
	w->tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < n_calls; i++) {
		errno = 0;
		w->ret[i] = syscall(SYS_getppid);
		w->err[i] = w->ret[i] == -1 ? errno : 0;
	}
}

static void *work(void *arg)
{
	pthread_barrier_wait(&start);
	observe(arg);
	return NULL;
}

/* The parent's pid without a getppid call, which would count as one. */
static pid_t parent_pid(void)
{
	char buf[512];
	int ppid = -1;
	FILE *f = fopen("/proc/self/stat", "r");
	if (f && fgets(buf, sizeof(buf), f)) {
		char *end = strrchr(buf, ')');
		if (!end || sscanf(end + 1, " %*c %d", &ppid) != 1)
			ppid = -1;
	}
	if (f)
		fclose(f);
	if (ppid < 0) {
		fprintf(stderr, "threads64: cannot read the ppid from /proc/self/stat\n");
		exit(2);
	}
	return ppid;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: threads64 T EXPECT [TAG]\n");
		return 2;
	}
	int n = atoi(argv[1]);
	if (n < 1 || n > MAX_THREADS || strlen(argv[2]) >= MAX_CALLS * (WORD + 1))
		return 2;
	char expected[MAX_CALLS * (WORD + 1)];
	snprintf(expected, sizeof(expected), "%s", argv[2]);
	for (const char *s = expected; *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ','))
		if (n_calls++ == MAX_CALLS)
			return 2;
	pid_t parent = parent_pid();

	observe(&workers[0]);
	pthread_barrier_init(&start, NULL, n - 1 > 0 ? n - 1 : 1);
	for (int k = 1; k < n; k++) {
		workers[k].index = k;
		int err = pthread_create(&workers[k].thread, NULL, work, &workers[k]);
		if (err) {
			fprintf(stderr, "threads64: pthread_create: %s\n", strerror(err));
			return 2;
		}
	}
	for (int k = 1; k < n; k++)
		pthread_join(workers[k].thread, NULL);

	int ok = 0, errors = 0, shown = 0;
	for (int k = 0; k < n; k++) {
		char got[MAX_CALLS * (WORD + 1) + 32] = "";
		size_t len = 0;
		for (int i = 0; i < n_calls; i++) {
			const char *sep = i ? "," : "";
			const char *name = workers[k].err[i] ? strerrorname_np(workers[k].err[i]) : NULL;
			if (workers[k].err[i])
				len += snprintf(got + len, sizeof(got) - len, "%s%s", sep, name ? name : "E?");
			else if (workers[k].ret[i] == parent)
				len += snprintf(got + len, sizeof(got) - len, "%sok", sep);
			else
				len += snprintf(got + len, sizeof(got) - len, "%sret=%ld", sep, workers[k].ret[i]);
			if (workers[k].err[i] || workers[k].ret[i] != parent)
				errors++;
			if (len >= sizeof(got))
				len = sizeof(got) - 1;
		}
		if (!strcmp(got, expected))
			ok++;
		else if (shown++ < 20)
			printf("bad %d tid=%d %s\n", k, (int)workers[k].tid, got);
	}
	printf("threads %d ok=%d bad=%d errors=%d\n", n, ok, n - ok, errors);
	return 0;
}
