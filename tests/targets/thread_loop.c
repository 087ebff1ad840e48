/*
 * thread_loop: a long-running process for `sysfault run -p` to attach to.
 * T worker threads each call getppid in a loop, one call a millisecond,
 * and count what they observe; every 20 ms the main thread writes it to
 * REPORT (written aside and renamed: a reader never sees half of it):
 *   threads T
 *   calls N        getppid calls of all workers
 *   errors N       of those, the ones that failed, whatever the errno
 *   eperm N        of those, the ones that failed with EPERM
 *   usr1 N         SIGUSR1 caught
 *   thread K calls=N errors=N first_error=I errno=E   per worker (K from 1;
 *                  I the worker's call, from 1, that failed first; 0: none)
 * SIGUSR2 forks a child that makes 10 getppid calls and writes one line,
 * "child calls=10 errors=N first_error=I errno=E", to REPORT.child.
 * Usage: thread_loop T REPORT [SECONDS] [churn]
 *   SECONDS (default 60): it exits then by itself, so a failed test leaves
 *   nothing running; churn: each worker makes one call, starts the next one
 *   100 us later and ends, so threads come and go all the time (the slot's
 *   counts go on).
 * It lets any process attach (PR_SET_PTRACER_ANY), for kernel.yama.ptrace_scope 1.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64

struct slot {
	atomic_long calls, errors, eperm, first_error;
	atomic_int last_errno;
};

static struct slot slots[MAX_THREADS];
static int n_threads, is_churn;
static volatile sig_atomic_t usr1, wants_child;

static void pause_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

/* One getppid as the program sees it: -1 and errno when it failed. */
static void one_call(struct slot *s)
{
	errno = 0;
	long r = syscall(SYS_getppid);
	long n = atomic_fetch_add(&s->calls, 1) + 1;
	if (r != -1)
		return;
	atomic_fetch_add(&s->errors, 1);
	if (errno == EPERM)
		atomic_fetch_add(&s->eperm, 1);
	atomic_store(&s->last_errno, errno);
	long none = 0;
	atomic_compare_exchange_strong(&s->first_error, &none, n);
}

static void *work(void *arg)
{
	struct slot *s = arg;

	while (!is_churn) {
		one_call(s);
		pause_us(1000);
	}
	/* Short lives, so that threads start all the time while sysfault attaches. */
	one_call(s);
	pause_us(100);
	pthread_t next;
	while (pthread_create(&next, NULL, work, s))
		pause_us(1000);
	pthread_detach(next);
	return NULL;
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : NULL;
	return name ? name : "none";
}

static void write_report(const char *path)
{
	char tmp[4096];
	long calls = 0, errors = 0, eperm = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	for (int k = 0; k < n_threads; k++) {
		calls += atomic_load(&slots[k].calls);
		errors += atomic_load(&slots[k].errors);
		eperm += atomic_load(&slots[k].eperm);
	}
	fprintf(f, "threads %d\ncalls %ld\nerrors %ld\neperm %ld\nusr1 %d\n", n_threads, calls, errors,
		eperm, (int)usr1);
	for (int k = 0; k < n_threads; k++)
		fprintf(f, "thread %d calls=%ld errors=%ld first_error=%ld errno=%s\n", k + 1,
			atomic_load(&slots[k].calls), atomic_load(&slots[k].errors),
			atomic_load(&slots[k].first_error), errno_name(atomic_load(&slots[k].last_errno)));
	if (fclose(f) == 0)
		rename(tmp, path);
}

static void child_main(const char *report)
{
	char path[4096], tmp[4200];
	struct slot s = { 0 };

	for (int i = 0; i < 10; i++)
		one_call(&s);
	snprintf(path, sizeof(path), "%s.child", report);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "child calls=%ld errors=%ld first_error=%ld errno=%s\n", atomic_load(&s.calls),
			atomic_load(&s.errors), atomic_load(&s.first_error), errno_name(atomic_load(&s.last_errno)));
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	_exit(0);
}

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_usr2(int sig) { (void)sig; wants_child = 1; }

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: thread_loop T REPORT [SECONDS] [churn]\n");
		return 2;
	}
	n_threads = atoi(argv[1]);
	const char *report = argv[2];
	int seconds = argc > 3 ? atoi(argv[3]) : 60;
	is_churn = argc > 4 && !strcmp(argv[4], "churn");
	if (n_threads < 1 || n_threads > MAX_THREADS || seconds < 1)
		return 2;
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	for (int k = 0; k < n_threads; k++) {
		pthread_t t;
		if (pthread_create(&t, NULL, work, &slots[k])) {
			fprintf(stderr, "thread_loop: pthread_create failed\n");
			return 2;
		}
		pthread_detach(t);
	}
	for (long ms = 0; ms < seconds * 1000L; ms += 20) {
		if (wants_child) {
			wants_child = 0;
			if (fork() == 0)
				child_main(report);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		write_report(report);
		pause_us(20000);
	}
	return 0;
}
