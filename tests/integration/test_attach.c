/*
 * integ_attach: `sysfault run -p PID` seizes every thread of a running
 * process (those that come and go while it attaches too) and injects as
 * usual, counting from the attach, in the children it forks as well.  A
 * SIGINT to sysfault or --timeout detaches, exit status 0, and the process
 * runs on as if never traced: no thread traced or stopped, no signal left
 * pending, a delay released, a failed call held at its entry answered with
 * its error (never ENOSYS), a stopped process still stopped, a signal sent
 * meanwhile delivered once; it can be attached again.  A pid that does not
 * exist, -p with a command, and -p with --engine seccomp are refused in one
 * line, exit 125.  The library leaves the process so while the caller lives.
 *
 * -p always uses the ptrace engine: where SYSFAULT_ENGINE=seccomp or notify (make
 * check's engine matrix) the suite checks only that auto still means ptrace
 * with -p, and says "not run" for the rest, which would repeat the ptrace
 * runs; the register back ends (SYSFAULT_REGS) are both run.
 */
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysfault/sysfault.h"

#define T 20.0
#define THREADS 4
#define THREADS_S "4"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* A fresh path in the run's temp directory, not created. */
static const char *fresh_path(const char *what)
{
	static unsigned serial;
	char name[64];
	snprintf(name, sizeof(name), "attach-%u-%s", ++serial, what);
	return sf_test_tmpfile(name, NULL);
}

/* ---- the running process: thread_loop ---- */

struct loop {
	pid_t pid;
	char report[512];
};

/* Value of the line "KEY N" of the loop's report, or -1. */
static long report_value(const struct loop *l, const char *key)
{
	char *text = sf_read_file(l->report);
	long v = -1;
	size_t n = strlen(key);
	for (char *s = text; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		if (!strncmp(s, key, n) && s[n] == ' ') {
			v = atol(s + n + 1);
			break;
		}
	free(text);
	return v;
}

static bool wait_value(const struct loop *l, const char *key, long min, double seconds)
{
	for (double end = now_s() + seconds; now_s() < end; sleep_ms(10))
		if (report_value(l, key) >= min)
			return true;
	return false;
}

/* Starts thread_loop with THREADS workers for SECONDS (MODE: NULL or "churn"), once its workers run. */
static bool loop_start_for(struct loop *l, const char *seconds, const char *mode)
{
	snprintf(l->report, sizeof(l->report), "%s", fresh_path("report"));
	l->pid = fork();
	if (l->pid == 0) {
		setpgid(0, 0);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execl(sf_test_target("thread_loop"), "thread_loop", THREADS_S, l->report, seconds, mode, (char *)NULL);
		_exit(127);
	}
	return l->pid > 0 && wait_value(l, "calls", 50, 5);
}

static bool loop_start(struct loop *l, const char *mode)
{
	return loop_start_for(l, "60", mode);
}

static void loop_stop(struct loop *l)
{
	if (l->pid <= 0)
		return;
	kill(l->pid, SIGKILL);
	while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
		;
	l->pid = 0;
}

/* Whether its workers still make calls: more of them within 300 ms. */
static bool makes_progress(const struct loop *l)
{
	long before = report_value(l, "calls");
	return wait_value(l, "calls", before + 20, 0.3 + 2);
}

/* What /proc/PID/task/TID/status says; false when it cannot be read. */
struct thread_state {
	char state;
	long tracer;
	unsigned long long sig_pending, shared_pending;
};

static bool read_thread(pid_t pid, const char *tid, struct thread_state *st)
{
	char path[128], line[256];
	snprintf(path, sizeof(path), "/proc/%d/task/%.32s/status", pid, tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	memset(st, 0, sizeof(*st));
	st->tracer = -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "State: %c", &st->state);
		sscanf(line, "TracerPid: %ld", &st->tracer);
		sscanf(line, "SigPnd: %llx", &st->sig_pending);
		sscanf(line, "ShdPnd: %llx", &st->shared_pending);
	}
	fclose(f);
	/* A thread that ended after the open leaves an empty file: it is gone, not wrong. */
	return st->state != 0;
}

/*
 * How many threads of PID differ from what is wanted: traced by TRACER
 * (0: by nobody), in group-stop ('T') when IS_STOPPED, else not stopped at
 * all; untraced, no signal pending.  Prints each difference.
 */
static int threads_not_as(pid_t pid, long tracer, bool is_stopped, bool is_verbose)
{
	char path[64];
	int bad = 0, n = 0;
	struct dirent *de;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return 1;
	while ((de = readdir(d))) {
		struct thread_state st;
		if (de->d_name[0] == '.' || !read_thread(pid, de->d_name, &st))
			continue;
		n++;
		bool is_ok = st.tracer == tracer && (tracer || (!st.sig_pending && !st.shared_pending)) &&
			     (tracer || (is_stopped ? st.state == 'T' : st.state != 'T' && st.state != 't'));
		if (!is_ok && is_verbose)
			fprintf(stderr, "\n--- thread %s of %d: State %c, TracerPid %ld, SigPnd %llx, ShdPnd %llx\n",
				de->d_name, pid, st.state, st.tracer, st.sig_pending, st.shared_pending);
		bad += !is_ok;
	}
	closedir(d);
	return n ? bad : 1;
}

/*
 * Whether every thread of PID is so within 5 s: a thread let go in
 * group-stop runs a moment before it stops again (kernel/ptrace.c,
 * __ptrace_unlink).  Prints the differences when not.
 */
static bool threads_become(pid_t pid, long tracer, bool is_stopped)
{
	for (double end = now_s() + 5; now_s() < end; sleep_ms(10))
		if (threads_not_as(pid, tracer, is_stopped, false) == 0)
			return true;
	return threads_not_as(pid, tracer, is_stopped, true) == 0;
}

/* ---- sysfault in the background ---- */

struct bg {
	pid_t pid;
	char out[512], err[512];
	double t0;
};

/* Starts sysfault with ARGS (NULL-terminated), in a process group of its own. */
static void bg_start(struct bg *b, const char *const args[])
{
	const char *argv[32];
	int n = 0;

	argv[n++] = sf_test_sysfault();
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(b->out, sizeof(b->out), "%s", fresh_path("out"));
	snprintf(b->err, sizeof(b->err), "%s", fresh_path("err"));
	b->t0 = now_s();
	b->pid = fork();
	if (b->pid == 0) {
		setpgid(0, 0);
		int null = open("/dev/null", O_RDONLY);
		int out = open(b->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(b->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(null, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
}

/* Waits up to TIMEOUT_S for it to end (then kills it) and fills P as sf_proc_run() would. */
static void bg_wait(struct bg *b, struct sf_proc *p, double timeout_s)
{
	int status = 0;
	memset(p, 0, sizeof(*p));
	for (double end = now_s() + timeout_s;; sleep_ms(5)) {
		if (waitpid(b->pid, &status, WNOHANG) == b->pid)
			break;
		if (now_s() > end) {
			p->timed_out = 1;
			kill(-b->pid, SIGKILL);
			waitpid(b->pid, &status, 0);
			break;
		}
	}
	p->seconds = now_s() - b->t0;
	p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	p->out = sf_read_file(b->out);
	p->err = sf_read_file(b->err);
	if (!p->out)
		p->out = strdup("");
	if (!p->err)
		p->err = strdup("");
}

/* Whether its stderr has a line starting with PREFIX, within SECONDS. */
static bool bg_says(const struct bg *b, const char *prefix, double seconds)
{
	for (double end = now_s() + seconds; now_s() < end; sleep_ms(10)) {
		char *text = sf_read_file(b->err);
		bool has = text && sf_count_prefix(text, prefix) > 0;
		free(text);
		if (has)
			return true;
	}
	return false;
}

/* sysfault run -p LOOP -e SPEC [EXTRA], in the background. */
static void bg_attach(struct bg *b, const struct loop *l, const char *spec, const char *extra)
{
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", l->pid);
	const char *args[] = { "run", "-p", pid, "-e", spec, extra, NULL };
	bg_start(b, args);
}

/* SIGINT to sysfault, as Ctrl-C would; it must end by itself. */
static void bg_interrupt(struct bg *b, struct sf_proc *p)
{
	kill(b->pid, SIGINT);
	bg_wait(b, p, T);
}

/* ---- the tests ---- */

static void test_attach__sigint_detaches_and_the_process_runs_on(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=5", NULL);
	/* Counting starts at the attach: each worker's 5th call from then on fails. */
	CU_ASSERT(wait_value(&l, "eperm", THREADS, 10));
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0 && !p.timed_out, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "-e 'getppid:error=EPERM:when=5': matched") == 1 &&
		       sf_count_lines_with(p.err, "injected " THREADS_S) == 1, &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	CU_ASSERT(makes_progress(&l));
	CU_ASSERT_EQUAL(report_value(&l, "eperm"), THREADS);
	CU_ASSERT_EQUAL(report_value(&l, "errors"), THREADS);
	sf_proc_release(&p);
	loop_stop(&l);
}

static void test_attach__it_can_be_attached_again(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	for (int round = 1; round <= 2; round++) {
		bg_attach(&b, &l, "getppid:error=EPERM:when=3", NULL);
		CU_ASSERT(wait_value(&l, "eperm", round * THREADS, 10));
		bg_interrupt(&b, &p);
		SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.err, "injected " THREADS_S) == 1, &p);
		sf_proc_release(&p);
		CU_ASSERT(threads_become(l.pid, 0, false));
		CU_ASSERT(makes_progress(&l));
	}
	CU_ASSERT_EQUAL(report_value(&l, "eperm"), 2 * THREADS);
	loop_stop(&l);
}

static void test_attach__timeout_detaches_with_status_0(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=3", "--timeout=1s");
	bg_wait(&b, &p, T);
	SF_ASSERT_PROC(p.status == 0 && !p.timed_out && p.seconds >= 0.9 && p.seconds < 5, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "injected " THREADS_S) == 1 &&
		       sf_has_line(p.err, "sysfault: timed out; detached, the processes run on"), &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	CU_ASSERT(makes_progress(&l));
	CU_ASSERT_EQUAL(report_value(&l, "eperm"), THREADS);
	sf_proc_release(&p);
	loop_stop(&l);
}

static void test_attach__it_ends_when_the_process_ends(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start_for(&l, "1", NULL));   /* it exits 0 by itself, 1 s after its start */
	bg_attach(&b, &l, "getppid:error=EPERM:when=5", NULL);
	bg_wait(&b, &p, T);
	SF_ASSERT_PROC(p.status == 0 && !p.timed_out && p.seconds < 5, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "injected " THREADS_S) == 1 &&
		       sf_count_lines_with(p.err, "timed out") == 0, &p);
	int status = -1;
	CU_ASSERT(waitpid(l.pid, &status, 0) == l.pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	l.pid = 0;
	sf_proc_release(&p);
}

static void test_attach__every_thread_is_seized(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=9999", "-v");
	CU_ASSERT(bg_says(&b, "sysfault: attached to ", 10));
	CU_ASSERT_EQUAL(threads_not_as(l.pid, b.pid, false, true), 0);   /* the main thread and the workers */
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.err, "sysfault: attached to " "5" " threads of 1 process"), &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	sf_proc_release(&p);
	loop_stop(&l);
}

/* Threads that start while it attaches are seized too: else a missed one's successors stay untraced. */
static void test_attach__threads_that_come_and_go_are_all_seized(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, "churn"));
	bg_attach(&b, &l, "getppid:error=EPERM:when=9999", "-v");
	CU_ASSERT(bg_says(&b, "sysfault: attached to ", 10));
	sleep_ms(100);
	for (int i = 0; i < 5; i++, sleep_ms(50))
		CU_ASSERT_EQUAL(threads_not_as(l.pid, b.pid, false, true), 0);
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	CU_ASSERT(makes_progress(&l));
	CU_ASSERT_EQUAL(report_value(&l, "errors"), 0);
	sf_proc_release(&p);
	loop_stop(&l);
}

static void test_attach__a_child_forked_after_attach_is_followed(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=3", NULL);
	CU_ASSERT(wait_value(&l, "eperm", THREADS, 10));
	kill(l.pid, SIGUSR2);   /* it forks a child that makes 10 calls */
	char child[600];
	snprintf(child, sizeof(child), "%s.child", l.report);
	char *text = NULL;
	for (double end = now_s() + 10; !text && now_s() < end; sleep_ms(10))
		text = sf_read_file(child);
	/* A new process counts from 0: its own 3rd call fails. */
	CU_ASSERT(text && sf_has_line(text, "child calls=10 errors=1 first_error=3 errno=EPERM"));
	if (text && !sf_has_line(text, "child calls=10 errors=1 first_error=3 errno=EPERM"))
		fprintf(stderr, "\n--- %s: %s", child, text);
	free(text);
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.err, "injected 5") == 1, &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	sf_proc_release(&p);
	loop_stop(&l);
}

/* Workers held in a 30 s delay at their 5th call: all stop making calls, until the detach. */
static void attach_held(const char *spec, struct loop *l, struct sf_proc *p)
{
	struct bg b;
	CU_ASSERT_FATAL(loop_start(l, NULL));
	bg_attach(&b, l, spec, NULL);
	long calls = -1;
	for (double end = now_s() + 10; now_s() < end; sleep_ms(100)) {
		long now = report_value(l, "calls");
		if (now == calls)
			break;
		calls = now;
	}
	CU_ASSERT(!makes_progress(l));
	bg_interrupt(&b, p);
	SF_ASSERT_PROC(p->status == 0 && p->seconds < 15, p);
	CU_ASSERT(threads_become(l->pid, 0, false));
	CU_ASSERT(makes_progress(l));
}

static void test_attach__a_delay_is_released_at_detach(void)
{
	struct loop l;
	struct sf_proc p;
	attach_held("getppid:delay_enter=30s:when=5", &l, &p);
	CU_ASSERT_EQUAL(report_value(&l, "errors"), 0);   /* the delayed calls ran, untouched */
	sf_proc_release(&p);
	loop_stop(&l);
}

/* Its number is -1 while it is held: let go as it was, the call would fail with ENOSYS. */
static void test_attach__a_held_failed_call_gets_its_error_not_enosys(void)
{
	struct loop l;
	struct sf_proc p;
	attach_held("getppid:error=EPERM:delay_enter=30s:when=5", &l, &p);
	CU_ASSERT_EQUAL(report_value(&l, "eperm"), THREADS);
	CU_ASSERT_EQUAL(report_value(&l, "errors"), THREADS);
	sf_proc_release(&p);
	loop_stop(&l);
}

static void test_attach__a_stopped_process_stays_stopped(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	kill(l.pid, SIGSTOP);
	CU_ASSERT(threads_become(l.pid, 0, true));
	bg_attach(&b, &l, "getppid:error=EPERM:when=1", "-v");
	CU_ASSERT(bg_says(&b, "sysfault: attached to ", 5));
	sleep_ms(200);
	CU_ASSERT(!makes_progress(&l));
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT(threads_become(l.pid, 0, true));
	kill(l.pid, SIGCONT);
	CU_ASSERT(makes_progress(&l));
	CU_ASSERT_EQUAL(report_value(&l, "errors"), 0);   /* it made no call while attached */
	sf_proc_release(&p);
	loop_stop(&l);
}

/* A signal on its way at the detach is delivered once, whichever stop it was in. */
static void test_attach__a_signal_sent_at_detach_arrives_once(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=5", NULL);
	CU_ASSERT(wait_value(&l, "eperm", THREADS, 10));
	kill(l.pid, SIGUSR1);
	kill(b.pid, SIGINT);
	bg_wait(&b, &p, T);
	SF_ASSERT_PROC(p.status == 0, &p);
	CU_ASSERT(wait_value(&l, "usr1", 1, 5));
	sleep_ms(100);
	CU_ASSERT_EQUAL(report_value(&l, "usr1"), 1);
	CU_ASSERT(threads_become(l.pid, 0, false));
	sf_proc_release(&p);
	loop_stop(&l);
}

/* sf_run() with attach_pids in the caller's own process: looked at while the tracer still lives. */
static int library_attach(pid_t pid, bool in_process, const char *spec, struct sf_result *res)
{
	struct sf_scenario *sc = sf_scenario_new();
	struct sf_run_options o;
	int pids[] = { pid };

	sf_run_options_init(&o);
	o.in_process = in_process;
	o.timeout_ns = 500 * 1000000ull;
	o.attach_pids = pids;
	o.nattach = 1;
	o.verbosity = -1;
	int rc = sc ? sf_scenario_add_spec(sc, spec, NULL) : -ENOMEM;
	if (rc == 0)
		rc = sf_run(sc, &o, NULL, res);
	sf_scenario_free(sc);
	return rc;
}

static void test_attach__the_library_leaves_it_running_untraced(void)
{
	struct loop l;
	struct sf_result res;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	for (int in_process = 1; in_process >= 0; in_process--) {
		int rc = library_attach(l.pid, in_process, "getppid:error=EPERM:when=5", &res);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		CU_ASSERT(res.exit_status == 0 && res.timed_out && res.injections == THREADS);
		sf_result_release(&res);
		CU_ASSERT(threads_become(l.pid, 0, false));
		CU_ASSERT(makes_progress(&l));
	}
	CU_ASSERT_EQUAL(report_value(&l, "eperm"), 2 * THREADS);
	loop_stop(&l);
}

/* Stopped while attached (PTRACE_LISTEN), it must stay in group-stop once let go. */
static void test_attach__the_library_leaves_a_process_stopped_meanwhile_stopped(void)
{
	struct loop l;
	struct sf_result res;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	pid_t stopper = fork();
	if (stopper == 0) {
		sleep_ms(200);
		kill(l.pid, SIGSTOP);
		_exit(0);
	}
	CU_ASSERT_EQUAL(library_attach(l.pid, true, "getppid:error=EPERM:when=9999", &res), 0);
	sf_result_release(&res);
	waitpid(stopper, NULL, 0);
	CU_ASSERT(threads_become(l.pid, 0, true));
	CU_ASSERT(!makes_progress(&l));
	kill(l.pid, SIGCONT);
	CU_ASSERT(makes_progress(&l));
	loop_stop(&l);
}

/* A pid that exists no more: the one of a child just reaped. */
static pid_t gone_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_attach__a_pid_that_does_not_exist_is_125_in_one_line(void)
{
	char pid[16], line[96];
	struct sf_proc p;
	snprintf(pid, sizeof(pid), "%d", gone_pid());
	snprintf(line, sizeof(line), "sysfault: cannot attach to process %s: no such process", pid);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-p", pid, "-e", "getppid:error=EIO", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 && sf_has_line(p.err, line), &p);
	SF_ASSERT_PROC(p.out[0] == 0, &p);
	sf_proc_release(&p);
	/* One of several is enough to refuse them all. */
	struct loop l;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	char both[40];
	snprintf(both, sizeof(both), "%d,%s", l.pid, pid);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--attach", both, "-e", "getppid:error=EIO", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 && sf_has_line(p.err, line), &p);
	sf_proc_release(&p);
	CU_ASSERT(threads_become(l.pid, 0, false));   /* what it had seized is let go */
	CU_ASSERT(makes_progress(&l));
	CU_ASSERT_EQUAL(report_value(&l, "errors"), 0);
	loop_stop(&l);
}

static void test_attach__usage_mistakes_are_refused(void)
{
	REFUSED("sysfault: -p and a command exclude each other", "run", "-p", "1", "-e", "getppid:error=EIO");
	REFUSED("sysfault: -p 'x1': expected process ids", "run", "-p", "x1", "-e", "getppid:error=EIO");
	REFUSED("sysfault: -p '1,,2': expected process ids", "run", "-p", "1,,2", "-e", "getppid:error=EIO");
	REFUSED("sysfault: -p '0': expected process ids", "run", "-p", "0", "-e", "getppid:error=EIO");
	/* A filter cannot be added from outside: the loop is not even attached. */
	struct loop l;
	struct sf_proc p;
	char pid[16];
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	snprintf(pid, sizeof(pid), "%d", l.pid);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "seccomp", "-p", pid, "-e",
		     "getppid:error=EIO", NULL);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1 &&
		       !strncmp(p.err, "sysfault: --engine seccomp cannot attach", 40), &p);
	sf_proc_release(&p);
	CU_ASSERT_EQUAL(report_value(&l, "errors"), 0);
	loop_stop(&l);
}

/* Under every SYSFAULT_ENGINE: auto means ptrace with -p. */
static void test_attach__auto_means_the_ptrace_engine(void)
{
	struct loop l;
	struct bg b;
	struct sf_proc p;
	CU_ASSERT_FATAL(loop_start(&l, NULL));
	bg_attach(&b, &l, "getppid:error=EPERM:when=5", "-v");
	CU_ASSERT(wait_value(&l, "eperm", THREADS, 10));
	bg_interrupt(&b, &p);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.err, ", ptrace engine, register back end ") == 1, &p);
	CU_ASSERT(threads_become(l.pid, 0, false));
	sf_proc_release(&p);
	loop_stop(&l);
}

struct attach_test {
	const char *name;
	CU_TestFunc fn;
};

static const struct attach_test ptrace_tests[] = {
	{ "SIGINT detaches and the process runs on", test_attach__sigint_detaches_and_the_process_runs_on },
	{ "it can be attached again", test_attach__it_can_be_attached_again },
	{ "--timeout detaches with status 0", test_attach__timeout_detaches_with_status_0 },
	{ "it ends when the process ends", test_attach__it_ends_when_the_process_ends },
	{ "every thread is seized", test_attach__every_thread_is_seized },
	{ "threads that come and go are all seized", test_attach__threads_that_come_and_go_are_all_seized },
	{ "a child forked after attach is followed", test_attach__a_child_forked_after_attach_is_followed },
	{ "a delay is released at detach", test_attach__a_delay_is_released_at_detach },
	{ "a held failed call gets its error, not ENOSYS", test_attach__a_held_failed_call_gets_its_error_not_enosys },
	{ "a stopped process stays stopped", test_attach__a_stopped_process_stays_stopped },
	{ "a signal sent at detach arrives once", test_attach__a_signal_sent_at_detach_arrives_once },
	{ "the library leaves it running untraced", test_attach__the_library_leaves_it_running_untraced },
	{ "the library leaves a process stopped meanwhile stopped", test_attach__the_library_leaves_a_process_stopped_meanwhile_stopped },
	{ "a pid that does not exist is 125 in one line", test_attach__a_pid_that_does_not_exist_is_125_in_one_line },
	{ "usage mistakes are refused", test_attach__usage_mistakes_are_refused },
};

void sf_test_register_integ_attach(void)
{
	CU_pSuite s = CU_add_suite("integ_attach", NULL, NULL);
	const char *engine = getenv("SYSFAULT_ENGINE");
	bool is_seccomp = engine && (!strcmp(engine, "seccomp") || !strcmp(engine, "notify"));

	CU_add_test(s, "auto means the ptrace engine", test_attach__auto_means_the_ptrace_engine);
	for (size_t i = 0; i < sizeof(ptrace_tests) / sizeof(ptrace_tests[0]); i++) {
		if (!is_seccomp)
			CU_add_test(s, ptrace_tests[i].name, ptrace_tests[i].fn);
		else
			fprintf(stderr, "integ_attach: not run: %s (-p always uses the ptrace engine: "
				"the ptrace runs cover it)\n", ptrace_tests[i].name);
	}
}
