/*
 * libsysfault as a user links it, with only the public API: built against
 * the installed header and library through `pkg-config sysfault`
 * (tests/installed/run.sh, with SF_TEST_STANDALONE: "test-library
 * TARGETS_DIR TMPDIR"), and as suite integ_library of run-tests, where the
 * coverage build sees it.  What a test program relies on: runs that are
 * independent, a caller whose own children, signal handlers and mask stay
 * its own, diagnostics that reach its sink, and threads that may run at once.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sysfault/sysfault.h>

static const char *targets, *tmpdir;

/* A scenario whose rule fails the 2nd getppid of each thread, once per run. */
static struct sf_scenario *limited_scenario(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/limited.cfg", tmpdir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("name = \"second getppid\";\nseed = 7;\n"
	      "rules = ( { name = \"eperm\"; syscalls = \"getppid\"; error = \"EPERM\";\n"
	      "            when = \"2+\"; limit = 1; } );\n", f);
	fclose(f);
	struct sf_scenario *sc = sf_scenario_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL_FATAL(sf_scenario_load_file(sc, path), 0);
	return sc;
}

/* Runs `calls getppid 4` under SC, its report in OUT; returns sf_run's value. */
static int run_calls(const struct sf_scenario *sc, const char *out, struct sf_result *res)
{
	char cmd[8192];
	/* not the shell's last command: calls runs in a process of its own, whose
	 * counts start at 0 (the shell makes a getppid call of its own) */
	snprintf(cmd, sizeof(cmd), "%s/calls getppid 4 > %s && :", targets, out);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct sf_run_options opts;
	sf_run_options_init(&opts);
	return sf_run(sc, &opts, argv, res);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return buf;
}

static void test_library__two_runs_of_one_scenario_are_independent(void)
{
	struct sf_scenario *sc = limited_scenario();
	struct sf_result a, b;
	char out[4096];

	snprintf(out, sizeof(out), "%s/run.out", tmpdir);
	CU_ASSERT_EQUAL_FATAL(run_calls(sc, out, &a), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(out), "getppid 2 ret=-1 errno=EPERM\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(out), "getppid 3 ret="));
	CU_ASSERT_PTR_NULL(strstr(slurp(out), "getppid 3 ret=-1"));
	CU_ASSERT_EQUAL_FATAL(run_calls(sc, out, &b), 0);
	/* the limit was not spent by the first run: the second fails the same call */
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(out), "getppid 2 ret=-1 errno=EPERM\n"));
	CU_ASSERT_EQUAL(a.exit_status, 0);
	CU_ASSERT_EQUAL(b.exit_status, a.exit_status);
	CU_ASSERT_EQUAL_FATAL(a.nrules, 1);
	CU_ASSERT_EQUAL_FATAL(b.nrules, 1);
	CU_ASSERT_EQUAL(a.rules[0].injected, 1);
	CU_ASSERT_EQUAL(b.rules[0].injected, 1);
	CU_ASSERT_EQUAL(b.rules[0].matched, a.rules[0].matched);
	CU_ASSERT(a.rules[0].matched >= 4);
	CU_ASSERT_STRING_EQUAL(a.rules[0].name, "eperm");
	CU_ASSERT_EQUAL(a.seed, 7);
	CU_ASSERT_EQUAL(b.seed, 7);
	CU_ASSERT_STRING_EQUAL(sf_scenario_name(sc), "second getppid");
	sf_result_release(&a);
	sf_result_release(&b);
	sf_scenario_free(sc);
}

static volatile sig_atomic_t usr1_seen;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

static void test_library__caller_keeps_its_children_handlers_and_mask(void)
{
	int go[2];
	CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
	pid_t mine = fork();
	CU_ASSERT_FATAL(mine >= 0);
	if (mine == 0) {
		char c;
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? 42 : 41);
	}
	close(go[0]);
	struct sigaction sa = { .sa_handler = on_usr1 }, before, after;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, NULL, &before);
	sigset_t block, mask_before, mask_after;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGALRM);   /* the tracer needs it: it must still work */
	pthread_sigmask(SIG_BLOCK, &block, &mask_before);
	pthread_sigmask(SIG_BLOCK, NULL, &mask_before);

	struct sf_scenario *sc = sf_scenario_new();
	CU_ASSERT_EQUAL_FATAL(sf_scenario_add_spec(sc, "getppid:delay_enter=20ms:when=1", NULL), 0);
	struct sf_result res;
	char out[4096];
	snprintf(out, sizeof(out), "%s/keeps.out", tmpdir);
	CU_ASSERT_EQUAL(run_calls(sc, out, &res), 0);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	/* the delay was made (in calls, and in the shell if it asks getppid too) */
	CU_ASSERT(res.injections >= 1 && res.injections <= 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(out), "getppid 4 ret="));
	sf_result_release(&res);

	sigaction(SIGINT, NULL, &after);
	CU_ASSERT(after.sa_handler == before.sa_handler);
	pthread_sigmask(SIG_BLOCK, NULL, &mask_after);
	CU_ASSERT(sigismember(&mask_after, SIGUSR2) && sigismember(&mask_after, SIGALRM));
	CU_ASSERT_FALSE(sigismember(&mask_after, SIGUSR1));
	kill(getpid(), SIGUSR1);
	CU_ASSERT(usr1_seen);

	/* the child forked before the runs is still ours to reap */
	int status = 0;
	CU_ASSERT_EQUAL(write(go[1], "x", 1), 1);
	CU_ASSERT_EQUAL(waitpid(mine, &status, 0), mine);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	close(go[1]);
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	sf_scenario_free(sc);
}

static char sink_line[1024];
static enum sf_diag_kind sink_kind;
static int sink_count;
static void sink(enum sf_diag_kind kind, const char *line, void *arg)
{
	*(int *)arg += 1;
	sink_kind = kind;
	snprintf(sink_line, sizeof(sink_line), "%s", line);
}

static void test_library__errors_are_negative_errno_and_reach_the_sink(void)
{
	struct sf_scenario *sc = sf_scenario_new();
	struct sf_run_options opts;
	struct sf_result res;
	char *argv[] = { "/bin/true", NULL };

	sf_diag_set_sink(sink, &sink_count);
	CU_ASSERT_EQUAL(sf_scenario_add_spec(sc, "wirte:error=EIO", NULL), -EINVAL);
	CU_ASSERT_EQUAL(sink_count, 1);
	CU_ASSERT_EQUAL(sink_kind, SF_DIAG_ERROR);
	CU_ASSERT_EQUAL(strncmp(sink_line, "-e 'wirte:error=EIO': ", 22), 0);
	CU_ASSERT_EQUAL(sf_scenario_load_file(sc, "/nonexistent/s.cfg"), -ENOENT);
	CU_ASSERT_EQUAL(sink_kind, SF_DIAG_INPUT);

	sf_run_options_init(&opts);
	opts.point = "not a point";
	sink_count = 0;
	/* reported by the tracer process, delivered here, without the "sysfault: " prefix */
	CU_ASSERT_EQUAL(sf_run(sc, &opts, argv, &res), -EINVAL);
	CU_ASSERT_EQUAL(sink_count, 1);
	CU_ASSERT_EQUAL(strncmp(sink_line, "--point: ", 9), 0);
	CU_ASSERT_EQUAL(res.nrules, 0);
	CU_ASSERT_PTR_NULL(res.rules);
	sf_diag_set_sink(NULL, NULL);
	sf_scenario_free(sc);
}

struct job {
	const struct sf_scenario *sc;
	char out[4096];
	int rc;
	struct sf_result res;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	j->rc = run_calls(j->sc, j->out, &j->res);
	return NULL;
}

static void test_library__runs_from_two_threads_at_once(void)
{
	struct sf_scenario *sc = limited_scenario();
	struct job jobs[2];
	pthread_t th[2];

	for (int i = 0; i < 2; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].sc = sc;
		snprintf(jobs[i].out, sizeof(jobs[i].out), "%s/thread%d.out", tmpdir, i);
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(jobs[i].rc, 0);
		CU_ASSERT_EQUAL(jobs[i].res.exit_status, 0);
		CU_ASSERT(jobs[i].res.nrules == 1 && jobs[i].res.rules[0].injected == 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(slurp(jobs[i].out), "getppid 2 ret=-1 errno=EPERM\n"));
		sf_result_release(&jobs[i].res);
	}
	sf_scenario_free(sc);
}

static void test_library__version_matches_the_header(void)
{
	char want[32];
	snprintf(want, sizeof(want), "%d.%d.%d", SF_VERSION_MAJOR, SF_VERSION_MINOR, SF_VERSION_MICRO);
	CU_ASSERT_STRING_EQUAL(sf_version(), want);
}

static void add_tests(CU_pSuite s)
{
	CU_add_test(s, "two runs of one scenario are independent", test_library__two_runs_of_one_scenario_are_independent);
	CU_add_test(s, "caller keeps its children, handlers and mask", test_library__caller_keeps_its_children_handlers_and_mask);
	CU_add_test(s, "errors are -errno and reach the sink", test_library__errors_are_negative_errno_and_reach_the_sink);
	CU_add_test(s, "runs from two threads at once", test_library__runs_from_two_threads_at_once);
	CU_add_test(s, "version matches the header", test_library__version_matches_the_header);
}

#ifdef SF_TEST_STANDALONE
int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test-library TARGETS_DIR TMPDIR\n");
		return 2;
	}
	targets = argv[1];
	tmpdir = argv[2];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	add_tests(CU_add_suite("installed_library", NULL, NULL));
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned ran = CU_get_number_of_tests_run();
	unsigned fails = CU_get_number_of_tests_failed();
	printf("\n%u passed, %u failed\n", ran - fails, fails);
	CU_cleanup_registry();
	return fails || CU_get_number_of_failures() || ran == 0 ? 1 : 0;
}
#else
static char suite_tmp[] = "/tmp/sysfault-library.XXXXXX";

static int library_suite_init(void)
{
	targets = getenv("TARGETS");
	tmpdir = mkdtemp(suite_tmp);
	return targets && tmpdir ? 0 : -1;
}

static int library_suite_clean(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", suite_tmp);
	return system(cmd) == 0 ? 0 : -1;
}

void sf_test_register_library(void);
void sf_test_register_library(void)
{
	add_tests(CU_add_suite("integ_library", library_suite_init, library_suite_clean));
}
#endif
