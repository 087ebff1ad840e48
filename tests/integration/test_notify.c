/*
 * integ_notify: the corners of the notify engine (README "Engine"), each
 * run under --engine notify and, where the seccomp engine is the
 * reference, under --engine seccomp too with the same seed: the same
 * output, status and summary.  Counting across threads, processes, vfork
 * and an exec from a thread; a held read ended by a signal (EINTR, or a
 * restart with SA_RESTART); signals during answered calls, each call
 * counted once; a listener rule and a ptrace rule in one run, and -v
 * saying which is which; another supervisor's listener (auto falls back,
 * notify is refused); a task sysfault does not trace.  Where the kernel
 * has no user notification every test is named as not run.
 */
#include "harness.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T 30.0

/* Runs sysfault run --engine ENGINE --seed 1 ARGS... (NULL-terminated) into *P. */
static void run_engine(struct sf_proc *p, const char *engine, const char *const args[])
{
	const char *argv[32];
	int n = 0;

	argv[n++] = sf_test_sysfault();
	argv[n++] = "run";
	argv[n++] = "--engine";
	argv[n++] = engine;
	argv[n++] = "--seed";
	argv[n++] = "1";
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	sf_proc_run(p, T, (char *const *)argv);
}

/* ARGS under notify, then under seccomp: the same status, output and summary. */
static void assert_same_as_seccomp(const char *const args[], struct sf_proc *notify)
{
	struct sf_proc seccomp;

	run_engine(notify, "notify", args);
	run_engine(&seccomp, "seccomp", args);
	SF_ASSERT_PROC(notify->status == seccomp.status, notify);
	SF_ASSERT_PROC(!strcmp(notify->out, seccomp.out), notify);
	SF_ASSERT_PROC(!strcmp(notify->err, seccomp.err), notify);
	if (strcmp(notify->out, seccomp.out) || strcmp(notify->err, seccomp.err))
		fprintf(stderr, "--- under seccomp: status %d\n%s---\n%s---\n", seccomp.status, seccomp.out,
			seccomp.err);
	sf_proc_release(&seccomp);
}

#define SAME_AS_SECCOMP(p, ...) do { \
	const char *const args_[] = {__VA_ARGS__, NULL}; \
	assert_same_as_seccomp(args_, p); } while (0)

/* A scenario failing getppid with EIO at occurrence WHEN, counted per SCOPE. */
static const char *scope_cfg(const char *scope, const char *when)
{
	char name[64], text[512];

	snprintf(name, sizeof(name), "notify-%s-%s.cfg", scope, when);
	snprintf(text, sizeof(text),
		 "scope = \"%s\";\n"
		 "rules = ( { syscalls = \"getppid\"; error = \"EIO\"; when = \"%s\"; } );\n", scope, when);
	return sf_test_tmpfile(name, text);
}

/* ---- counting ---- */

static void test_notify__threads_count_each_on_their_own(void)
{
	struct sf_proc p;

	SAME_AS_SECCOMP(&p, "-e", "getppid:error=EIO:when=3", "--", sf_test_target("threads"), "4", "5", "par");
	SF_ASSERT_PROC(p.status == 0, &p);
	for (int k = 1; k <= 4; k++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "thread %d", k);
		SF_ASSERT_OUTCOMES(&p, prefix, "ok ok EIO ok ok");
	}
	CU_ASSERT(strstr(p.err, "matched 20, injected 4") != NULL);
	sf_proc_release(&p);
}

/* One count per process: threads one after another make calls 1-2, 3-4, 5-6. */
static void test_notify__process_scope_counts_across_threads(void)
{
	struct sf_proc p;

	SAME_AS_SECCOMP(&p, "-s", scope_cfg("process", "4"), "--", sf_test_target("threads"), "3", "2");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "ok EIO");
	SF_ASSERT_OUTCOMES(&p, "thread 3", "ok ok");
	sf_proc_release(&p);
}

/* A forked and a vforked child share the listener and count from 0; the tree counts both. */
static void test_notify__fork_and_vfork_children_count_from_zero(void)
{
	struct sf_proc p;

	SAME_AS_SECCOMP(&p, "-e", "getppid:error=EIO:when=2", "--", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
	SAME_AS_SECCOMP(&p, "-e", "getppid:error=EIO:when=2", "--", sf_test_target("forker"), "-v", "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
	SAME_AS_SECCOMP(&p, "-s", scope_cfg("tree", "3..4"), "--", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok EIO");
	SF_ASSERT_OUTCOMES(&p, "child", "EIO ok ok");
	sf_proc_release(&p);
}

/* The exec'ing thread takes the leader's tid: the new program's calls count from 1. */
static void test_notify__an_exec_from_a_thread_counts_the_new_program_from_one(void)
{
	struct sf_proc p;

	SAME_AS_SECCOMP(&p, "-e", "getppid:error=EIO:when=2", "--", sf_test_target("exec_thread"),
			sf_test_target("forker"), "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
}

/* ---- signals ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * held_read MODE under ENGINE with its read held by a 30 s delay_enter;
 * SIGUSR1 to the command once it waits there.  Returns what it printed
 * (free it) and sysfault's exit status in *STATUS.
 */
static char *signal_held_read(const char *engine, const char *mode, const char *writer_ms, int *status)
{
	const char *pidfile = sf_test_tmpfile("notify-held-pid", NULL);
	const char *out = sf_test_tmpfile("notify-held-out", NULL);
	char *text = NULL;

	unlink(pidfile);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		execl(sf_test_sysfault(), sf_test_sysfault(), "run", "--engine", engine, "--summary", "none",
		      "-e", "read:delay_enter=30s:fd=100:when=1", "--", sf_test_target("held_read"), pidfile,
		      mode, writer_ms, (char *)NULL);
		_exit(127);
	}
	double end = now() + 10;
	while (access(pidfile, F_OK) != 0 && now() < end)
		usleep(10000);
	char *pid_text = sf_read_file(pidfile);
	if (pid_text) {
		usleep(300000);   /* the read is held by then */
		kill(atoi(pid_text), SIGUSR1);
	}
	free(pid_text);
	*status = -1;
	for (end = now() + 20; now() < end; usleep(10000)) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
	}
	if (*status < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	text = sf_read_file(out);
	return text;
}

/* The words of the "read" line without its time: "ret=-1 errno=EINTR", "ret=1". */
static char *read_outcome(const char *text, char *buf, size_t size)
{
	const char *line = text ? strstr(text, "read ret=") : NULL;
	const char *us = line ? strstr(line, " us=") : NULL;

	snprintf(buf, size, "%.*s", us ? (int)(us - line) : 7, us ? line : "missing");
	return buf;
}

/* As for a ptrace hold, a signal with a handler ends the delay; the read then sees it. */
static void test_notify__a_signal_ends_a_held_read_with_eintr(void)
{
	const char *engines[] = { "notify", "seccomp" };

	for (int i = 0; i < 2; i++) {
		int status;
		char buf[64];
		char *text = signal_held_read(engines[i], "intr", "20000", &status);
		if (status != 0 || strcmp(read_outcome(text, buf, sizeof(buf)), "read ret=-1 errno=EINTR"))
			fprintf(stderr, "\n--- %s: status %d, stdout:\n%s---\n", engines[i], status, text ? text : "");
		CU_ASSERT_EQUAL(status, 0);
		CU_ASSERT_STRING_EQUAL(read_outcome(text, buf, sizeof(buf)), "read ret=-1 errno=EINTR");
		CU_ASSERT(text && sf_has_line(text, "signal SIGUSR1"));
		free(text);
	}
}

/* With SA_RESTART the read starts again, a new call (the rule's when=1 has passed), and gets its byte. */
static void test_notify__a_signal_with_sa_restart_restarts_a_held_read(void)
{
	const char *engines[] = { "notify", "seccomp" };

	for (int i = 0; i < 2; i++) {
		int status;
		char buf[64];
		char *text = signal_held_read(engines[i], "restart", "3000", &status);
		if (status != 0 || strcmp(read_outcome(text, buf, sizeof(buf)), "read ret=1"))
			fprintf(stderr, "\n--- %s: status %d, stdout:\n%s---\n", engines[i], status, text ? text : "");
		CU_ASSERT_EQUAL(status, 0);
		CU_ASSERT_STRING_EQUAL(read_outcome(text, buf, sizeof(buf)), "read ret=1");
		CU_ASSERT(text && sf_has_line(text, "signal SIGUSR1"));
		free(text);
	}
}

/*
 * Thousands of signals land while calls wait for the listener: once read,
 * a call waits killably, so none is answered twice or counted twice, and
 * with SA_RESTART none fails.
 */
static void test_notify__signals_during_answered_calls_count_each_call_once(void)
{
	struct sf_proc p;
	const char *const args[] = { "-e", "getppid:error=EIO:when=65535", "--", sf_test_target("signalled_calls"),
				     "20000", NULL };
	char buf[32];

	run_engine(&p, "notify", args);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.out, "calls=20000 failed=0 ") != NULL, &p);
	const char *signals = sf_kv(p.out, "signals", buf, sizeof(buf));
	SF_ASSERT_PROC(signals && atoi(signals) > 0, &p);
	SF_ASSERT_PROC(strstr(p.err, "matched 20000, injected 0") != NULL, &p);
	sf_proc_release(&p);
}

/* ---- the two paths ---- */

/* getppid is answered by the listener, getuid (its result replaced after it ran) stops at ptrace. */
static void test_notify__a_listener_rule_and_a_ptrace_rule_in_one_run(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "-e", "getppid:error=EIO:when=2",
		     "-e", "getuid:retval=42:call=run", "--", sf_test_target("calls"), "getppid,getuid", "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	CU_ASSERT_EQUAL(sf_count_lines_with(p.out, "ret=42"), 3);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, ", notify engine, register back end ") == 1, &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 (-e 'getppid:error=EIO:when=2'): notify"), &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 2 (-e 'getuid:retval=42:call=run'): ptrace: "
				   "the call runs first and its result is replaced at its exit"), &p);
	SF_ASSERT_PROC(strstr(p.err, "-e 'getppid:error=EIO:when=2': matched 3, injected 1") != NULL, &p);
	SF_ASSERT_PROC(strstr(p.err, "-e 'getuid:retval=42:call=run': matched 3, injected 3") != NULL, &p);
	sf_proc_release(&p);
}

/* A rule that needs ptrace for a call takes every rule's calls of that number along, and -v says why. */
static void test_notify__v_says_which_calls_a_ptrace_rule_takes_along(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "-e", "getppid,getuid:error=EIO",
		     "-e", "getuid:delay_exit=1ms", "--", sf_test_target("calls"), "getppid,getuid", "2", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO EIO");
	SF_ASSERT_OUTCOMES(&p, "getuid", "EIO EIO");
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 (-e 'getppid,getuid:error=EIO'): notify, ptrace for "
				   "getuid (rule 2 selects it too and needs ptrace)"), &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 2 (-e 'getuid:delay_exit=1ms'): ptrace: "
				   "delay_exit= holds the call at its exit"), &p);
	sf_proc_release(&p);
}

/* ---- calls that run first ---- */

/* The writer's close of its write end in pipe_writer: its second close since its fork. */
#define WRITE_END_CLOSE "1.1/0:close:2:r1"

/*
 * pipe_writer under ENGINE with -e SPEC failing the writer's close of its
 * write end: the same lines under notify as under seccomp (their order is
 * the two processes' race: the reader's line may come first).
 */
static void assert_write_end_closed(const char *engine, const char *spec, const char *close_line)
{
	const char *const args[] = { "--timeout", "10s", "-e", spec, "--point", WRITE_END_CLOSE, "--",
				     sf_test_target("pipe_writer"), NULL };
	struct sf_proc p;

	run_engine(&p, engine, args);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 1 ret=0"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, close_line), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "reader bytes=2 eof"), &p);
	SF_ASSERT_PROC(strstr(p.err, "point " WRITE_END_CLOSE " reached and injected") != NULL, &p);
	sf_proc_release(&p);
}

/*
 * close runs first at the listener: answered CONTINUE with its thread
 * interrupted, its result written at the interrupt as it returns.  The
 * write end is closed (the reader sees end of file) and the writer sees
 * the rule's result, as under the seccomp engine's exit stop.
 */
static void test_notify__a_failed_close_at_the_listener_has_closed_its_descriptor(void)
{
	struct sf_proc p;

	assert_write_end_closed("notify", "close:error=EIO", "close 2 ret=-1 errno=EIO");
	assert_write_end_closed("seccomp", "close:error=EIO", "close 2 ret=-1 errno=EIO");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "--loader-calls", "skip", "-e",
		     "close:retval=7", "--", sf_test_target("pipe_writer"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: rule 1 (-e 'close:retval=7'): notify"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 2 ret=7"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "reader bytes=2 eof"), &p);
	sf_proc_release(&p);
}

/* A delay_enter first: the answer, when the delay ends, lets the close run and fails it as it returns. */
static void test_notify__a_held_close_runs_when_its_delay_ends(void)
{
	double t0 = now();

	assert_write_end_closed("notify", "close:delay_enter=200ms:error=EINTR", "close 2 ret=-1 errno=EINTR");
	CU_ASSERT(now() - t0 >= 0.2);
}

/*
 * After an exec from a thread that thread has the leader's tid: the
 * interrupt and the result go to the thread that made the call.
 */
static void test_notify__a_close_after_an_exec_from_a_thread_gets_its_result(void)
{
	struct sf_proc p;

	SAME_AS_SECCOMP(&p, "--loader-calls", "skip", "-e", "close:error=EBADF:when=2", "--",
			sf_test_target("exec_thread"), sf_test_target("calls"), "close", "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "close", "ok EBADF ok");
	sf_proc_release(&p);
}

/* Once placement gives the tree its CPUs back, SYNC_WAKE_UP would pull every caller to sysfault's CPU. */
static void test_notify__parallel_work_answers_stop_waking_callers_on_sysfault_s_cpu(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "-e", "getppid:error=EIO:when=2",
		     "--", "sh", "-c", "\"$0\" spin 600 && \"$1\" getppid 3", sf_test_target("affinity"),
		     sf_test_target("calls"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	const char *back = strstr(p.err, "the tree is given all its CPUs back");
	const char *spread = strstr(p.err, "placement: the listener's answers no longer wake the callers on "
				    "sysfault's CPU");
	SF_ASSERT_PROC(back && spread && spread > back, &p);
	sf_proc_release(&p);
}

/*
 * A serial tree and sysfault wait on each other's hand-offs (half the
 * time under the listener): whether or not that unpins it, the listener
 * keeps waking it on sysfault's CPU, its tasks never having waited on
 * each other.
 */
static void test_notify__a_serial_tree_keeps_answers_on_sysfault_s_cpu(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "-e",
		     "getppid:error=EIO:when=65535", "--", sf_test_target("calls"), "getppid", "40000", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "getppid ") == 40000, &p);
	SF_ASSERT_PROC(strstr(p.err, "placement: sysfault and the command on CPU") != NULL, &p);
	SF_ASSERT_PROC(!strstr(p.err, "no longer wake the callers"), &p);
	SF_ASSERT_PROC(!strstr(p.err, "waited for each other"), &p);
	sf_proc_release(&p);
}

/* ---- around the listener ---- */

/*
 * The kernel gives a filter chain one listener: under another supervisor's,
 * auto runs every selected call through ptrace (and says so with -v),
 * --engine notify is refused in one line.
 */
static void test_notify__under_another_listener_auto_falls_back_and_notify_is_refused(void)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "env -u SYSFAULT_ENGINE '%s' '%s' run -v --seed 1 -e getppid:error=EIO:when=2 -- '%s' getppid 3",
		   sf_test_target("listener_holder"), sf_test_sysfault(), sf_test_target("calls"));
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: another supervisor's seccomp listener is on this process: "
				   "every selected call stops at ptrace (the seccomp engine)"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_target("listener_holder"), sf_test_sysfault(), "run", "--engine", "notify",
		     "--summary", "none", "-e", "getppid:error=EIO", "--", sf_test_target("calls"), "getppid", "1", NULL);
	SF_ASSERT_PROC(p.status == 125 && p.out[0] == '\0', &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: cannot install the seccomp filter with a listener: another "
				   "supervisor's listener is on this process's filters (EBUSY); try --engine seccomp"), &p);
	sf_proc_release(&p);
}

/*
 * A task started with CLONE_UNTRACED shares the filter but not the
 * tracing: its call to the listener is let run (under the seccomp engine,
 * a stop with no tracer fails it with ENOSYS).
 */
static void test_notify__a_task_sysfault_does_not_trace_runs_its_calls(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-e", "getppid:error=EIO", "--",
		     sf_test_target("untraced"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "child getppid ok"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "parent getppid ret=-1 errno=EIO"), &p);
	sf_proc_release(&p);
}

/* ---- registration ---- */

struct notify_test {
	const char *name;
	CU_TestFunc fn;
	bool needs_sync_wake_up;   /* and placement: two CPUs, SYSFAULT_PIN not 0 */
};

static const struct notify_test tests[] = {
	{ "threads count each on their own", test_notify__threads_count_each_on_their_own, false },
	{ "process scope counts across threads", test_notify__process_scope_counts_across_threads, false },
	{ "fork and vfork children count from zero", test_notify__fork_and_vfork_children_count_from_zero, false },
	{ "an exec from a thread counts the new program from one",
	  test_notify__an_exec_from_a_thread_counts_the_new_program_from_one, false },
	{ "a signal ends a held read with EINTR", test_notify__a_signal_ends_a_held_read_with_eintr, false },
	{ "a signal with SA_RESTART restarts a held read",
	  test_notify__a_signal_with_sa_restart_restarts_a_held_read, false },
	{ "signals during answered calls count each call once",
	  test_notify__signals_during_answered_calls_count_each_call_once, false },
	{ "a listener rule and a ptrace rule in one run", test_notify__a_listener_rule_and_a_ptrace_rule_in_one_run, false },
	{ "-v says which calls a ptrace rule takes along",
	  test_notify__v_says_which_calls_a_ptrace_rule_takes_along, false },
	{ "a failed close at the listener has closed its descriptor",
	  test_notify__a_failed_close_at_the_listener_has_closed_its_descriptor, false },
	{ "a held close runs when its delay ends", test_notify__a_held_close_runs_when_its_delay_ends, false },
	{ "a close after an exec from a thread gets its result",
	  test_notify__a_close_after_an_exec_from_a_thread_gets_its_result, false },
	{ "parallel work: answers stop waking callers on sysfault's CPU",
	  test_notify__parallel_work_answers_stop_waking_callers_on_sysfault_s_cpu, true },
	{ "a serial tree keeps answers on sysfault's CPU", test_notify__a_serial_tree_keeps_answers_on_sysfault_s_cpu,
	  true },
	{ "under another listener auto falls back and notify is refused",
	  test_notify__under_another_listener_auto_falls_back_and_notify_is_refused, false },
	{ "a task sysfault does not trace runs its calls",
	  test_notify__a_task_sysfault_does_not_trace_runs_its_calls, false },
};

/* Why this kernel cannot run the notify engine (the line sysfault refuses it with), or NULL. */
static const char *cannot_notify(void)
{
	static char why[256];
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "--summary", "none", "--", "true", NULL);
	bool can = p.status == 0;
	snprintf(why, sizeof(why), "%.*s", (int)strcspn(p.err ? p.err : "", "\n"), p.err ? p.err : "");
	sf_proc_release(&p);
	return can ? NULL : why;
}

/*
 * Why the tests of SYNC_WAKE_UP and placement cannot run here, or NULL:
 * the kernel has no SYNC_WAKE_UP (Linux 6.6; -v says so), or sysfault
 * does not pin (one CPU, SYSFAULT_PIN=0).
 */
static const char *cannot_sync_wake_up(void)
{
	const char *pin = getenv("SYSFAULT_PIN");
	struct sf_proc p;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2 || (pin && !strcmp(pin, "0")))
		return "one CPU, or SYSFAULT_PIN=0: sysfault does not pin";
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--engine", "notify", "-v", "--summary", "none", "-e",
		     "getppid:error=EIO:when=2", "--", "true", NULL);
	bool has = p.err && !strstr(p.err, "has no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP");
	sf_proc_release(&p);
	return has ? NULL : "this kernel has no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6)";
}

void sf_test_register_integ_notify(void)
{
	CU_pSuite s = CU_add_suite("integ_notify", NULL, NULL);
	const char *why = cannot_notify();
	const char *why_sync = why ? why : cannot_sync_wake_up();

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const char *why_not = tests[i].needs_sync_wake_up ? why_sync : why;
		if (!why_not)
			CU_add_test(s, tests[i].name, tests[i].fn);
		else
			fprintf(stderr, "integ_notify: not run: %s (%s)\n", tests[i].name, why_not);
	}
}
