/*
 * integ_scale: what sysfault's memory grows with.  A rule costs what it
 * selects, a process what it calls: 20 000 one-syscall rules load in a
 * few KiB each, and 20 rules selecting every syscall over 1000 live
 * processes stay within tens of MiB (each once cost a copy of the syscall
 * table: 12 KiB a rule, 180 KiB a process).  Bounds are guards several
 * times above what is expected, not measurements (tests/bench/ has those).
 */
#include "harness.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T 120.0

/* Under ASan every allocation carries redzones and freed memory waits in quarantine. */
#ifdef __SANITIZE_ADDRESS__
#define HAS_ASAN 1
#else
#define HAS_ASAN 0
#endif

struct usage {
	int status;              /* exit status, 128+N when killed by signal N, -1 not run */
	long max_rss_kib;        /* of the command and the processes it waited for */
	double seconds;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs ARGV with stdout to OUT and stderr to ERR; wait4 gives its peak RSS. */
static struct usage run_measured(char *const argv[], const char *out, const char *err)
{
	struct usage u = { -1, 0, 0 };
	double t0 = now();
	pid_t pid = fork();

	if (pid < 0)
		return u;
	if (pid == 0) {
		setpgid(0, 0);
		if (!freopen("/dev/null", "r", stdin) || !freopen(out, "w", stdout) ||
		    !freopen(err, "w", stderr))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	struct rusage ru;
	int status = 0;
	while (wait4(pid, &status, WNOHANG, &ru) == 0) {
		if (now() - t0 > T) {
			kill(-pid, SIGKILL);
			wait4(pid, &status, 0, &ru);
			break;
		}
		usleep(2000);
	}
	u.seconds = now() - t0;
	u.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	u.max_rss_kib = ru.ru_maxrss;
	return u;
}

static void show(const char *what, const struct usage *u, const char *err)
{
	char *text = sf_read_file(err);

	fprintf(stderr, "\n--- %s: status %d, %.2f s, max RSS %ld KiB\n--- stderr:\n%s---\n", what,
		u->status, u->seconds, u->max_rss_kib, text ? text : "");
	free(text);
}

/* A scenario of N rules, one syscall each, written as users write them. */
static const char *many_rules(int n)
{
	static const char *const calls[] = { "read", "write", "openat", "close", "fstat", "lseek" };
	const char *path = sf_test_tmpfile("scale-rules.cfg", NULL);
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("rules = (\n", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "  { name = \"rule-%06d\"; syscalls = [ \"%s\" ]; error = \"EIO\"; "
			"when = \"%d+\"; }%s\n", i, calls[i % 6], i % 97 + 1, i + 1 < n ? "," : "");
	fputs(");\n", f);
	fclose(f);
	return path;
}

static long check_rss(const char *scenario, const char *what)
{
	const char *out = sf_test_tmpfile("scale-check.out", NULL);
	const char *err = sf_test_tmpfile("scale-check.err", NULL);
	char *argv[] = { (char *)sf_test_sysfault(), "check", (char *)scenario, NULL };
	struct usage u = run_measured(argv, out, err);

	if (u.status != 0 || u.seconds > 60)
		show(what, &u, err);
	CU_ASSERT_EQUAL(u.status, 0);
	CU_ASSERT(u.seconds < 60);     /* about 0.5 s: a guard against work quadratic in rules */
	return u.max_rss_kib;
}

/* About 2 KiB a rule (libconfig's tree of the file, then the rule): 6 KiB is the guard. */
static void test_scale__check_of_20000_rules_costs_a_few_kib_each(void)
{
	long base = check_rss(many_rules(1), "check of 1 rule");
	long big = check_rss(many_rules(20000), "check of 20000 rules");

	long per_rule = (big - base) * 1024 / 20000;

	if (HAS_ASAN)
		return;
	if (per_rule >= 6 * 1024)
		fprintf(stderr, "\n--- 20000 rules: max RSS %ld KiB, one rule %ld KiB: %ld bytes a rule\n",
			big, base, per_rule);
	CU_ASSERT(per_rule < 6 * 1024);
}

/* Each process calls a handful of syscalls: its counters hold those, 20 rules each. */
static void test_scale__twenty_all_rules_over_1000_processes_stay_small(void)
{
	const char *out = sf_test_tmpfile("scale-tree.out", NULL);
	const char *err = sf_test_tmpfile("scale-tree.err", NULL);
	char *argv[64];
	int n = 0;

	argv[n++] = (char *)sf_test_sysfault();
	argv[n++] = "run";
	argv[n++] = "--summary";
	argv[n++] = "none";
	argv[n++] = "-e";
	argv[n++] = "inject=getppid:error=EIO:when=2";
	for (int i = 0; i < 19; i++) {
		argv[n++] = "-e";
		argv[n++] = "inject=all:error=EIO:when=65535";
	}
	argv[n++] = "--";
	argv[n++] = (char *)sf_test_target("tree");
	argv[n++] = "fanout";
	argv[n++] = "1000";
	argv[n++] = "ok,EIO,ok";
	argv[n] = NULL;
	struct usage u = run_measured(argv, out, err);
	char *text = sf_read_file(out);
	int is_seen = text && sf_has_line(text, "fanout 1000 ok=1000 bad=0 errors=1000 reported=1000");

	if (u.status != 0 || !is_seen || (!HAS_ASAN && u.max_rss_kib >= 32 * 1024)) {
		show("20 rules over a fanout of 1000", &u, err);
		fprintf(stderr, "--- stdout:\n%s---\n", text ? text : "");
	}
	CU_ASSERT_EQUAL(u.status, 0);
	CU_ASSERT(is_seen);
	if (!HAS_ASAN)
		CU_ASSERT(u.max_rss_kib < 32 * 1024);   /* 2.5 MiB here; 180 MiB before */
	free(text);
}

void sf_test_register_scale(void)
{
	CU_pSuite s = CU_add_suite("integ_scale", NULL, NULL);

	CU_add_test(s, "check of 20000 rules costs a few KiB each",
		    test_scale__check_of_20000_rules_costs_a_few_kib_each);
	CU_add_test(s, "twenty all rules over 1000 processes stay small",
		    test_scale__twenty_all_rules_over_1000_processes_stay_small);
}
