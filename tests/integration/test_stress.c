/*
 * integ_stress: a 1000-process fan-out, a 1000-process chain and a
 * 64-thread program under sysfault.  Every process and thread must see
 * exactly the injections its rule asks for (counted per thread from zero,
 * or once over the whole tree), the run must end with the target's status,
 * and no process of the tree may be left once sysfault has returned.
 *
 * The targets (tests/targets/tree.c, threads64.c) check what each process or
 * thread observed themselves and print one summary line, e.g.
 * "fanout 1000 ok=1000 bad=0 errors=1000 reported=1000".  Each run gets a
 * unique tag in the target's argv, which every process of the tree carries
 * (forked copies share it, exec'd levels are given it), so leftovers are
 * found by scanning /proc/PID/cmdline.  A zombie has no cmdline, but one of
 * ours can only outlive sysfault if its parent, which has one, does too.
 */
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define T 60.0

/* A tag no other run carries. */
static const char *fresh_tag(const char *what)
{
	static char tag[8][64];
	static unsigned next;
	char *buf = tag[next % 8];
	snprintf(buf, sizeof(tag[0]), "sf-stress-%d-%u-%s", (int)getpid(), next, what);
	next++;
	return buf;
}

/* Whether the NUL-separated arguments in CMD (LEN bytes) include TAG. */
static int has_arg(const char *cmd, size_t len, const char *tag)
{
	for (size_t i = 0; i < len; i += strlen(cmd + i) + 1)
		if (!strcmp(cmd + i, tag))
			return 1;
	return 0;
}

/*
 * Processes whose argv holds TAG, each shown on stderr with its
 * /proc/PID/stat; they are killed afterwards (they are this test's own),
 * so one failure does not spill into the next tests.
 */
static int leftovers(const char *tag)
{
	int found = 0;
	DIR *d = opendir("/proc");
	if (!d) {
		perror("opendir /proc");
		return -1;
	}
	for (struct dirent *e; (e = readdir(d)); ) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300], cmd[8192];
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(cmd, 1, sizeof(cmd) - 1, f);
		fclose(f);
		cmd[len] = 0;
		if (!has_arg(cmd, len, tag))
			continue;
		found++;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		char *stat = sf_read_file(path);
		fprintf(stderr, "\n--- left behind: %s", stat ? stat : "(gone)\n");
		free(stat);
		kill(atoi(e->d_name), SIGKILL);
	}
	closedir(d);
	return found;
}

#define ASSERT_NOTHING_LEFT(tag, p) do { \
	int n_left_ = leftovers(tag); \
	if (n_left_) \
		fprintf(stderr, "\n--- %d process(es) of the tree left after sysfault returned\n", n_left_); \
	SF_ASSERT_PROC(n_left_ == 0, p); } while (0)

/* The JSON summary (one rule): TASKS processes and threads seen, the rule
 * MATCHED and INJECTED so many calls, exit status 0. */
static void assert_counts(const struct sf_proc *p, int tasks, int matched, int injected)
{
	char want[128];
	snprintf(want, sizeof(want), "\"processes\":%d,", tasks);
	SF_ASSERT_PROC(strstr(p->err, want) != NULL, p);
	snprintf(want, sizeof(want), "\"matched\":%d,\"injected\":%d}", matched, injected);
	SF_ASSERT_PROC(strstr(p->err, want) != NULL, p);
	SF_ASSERT_PROC(strstr(p->err, "\"exit_status\":0,") != NULL, p);
}

/* A scenario failing getppid with EIO at occurrence WHEN, counted per SCOPE. */
static const char *scope_cfg(const char *scope, const char *when)
{
	char name[64], text[512];
	snprintf(name, sizeof(name), "stress-%s-%s.cfg", scope, when);
	snprintf(text, sizeof(text),
		 "scope = \"%s\";\n"
		 "rules = ( { syscalls = \"getppid\"; error = \"EIO\"; when = \"%s\"; } );\n",
		 scope, when);
	return sf_test_tmpfile(name, text);
}

/* ---- per-thread counting (the default): every process counts from zero ---- */

/* Process 0 makes its 3 calls and forks 999 children, all alive at once,
 * which then make their 3 calls together: each sees ok, EIO, ok. */
static void test_stress__fanout_1000_every_process_fails_its_2nd_call(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("fanout");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-e", "inject=getppid:error=EIO:when=2", "--",
		     sf_test_target("tree"), "fanout", "1000", "ok,EIO,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fanout 1000 ok=1000 bad=0 errors=1000 reported=1000"), &p);
	assert_counts(&p, 1000, 3000, 1000);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* Process I makes its 3 calls, forks process I+1 (every 10th one execs the
 * target again) and waits for it: 1000 processes nested, each sees ok, EIO,
 * ok. */
static void test_stress__chain_1000_every_process_fails_its_2nd_call(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("chain");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-e", "inject=getppid:error=EIO:when=2", "--",
		     sf_test_target("tree"), "chain", "1000", "ok,EIO,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "chain 1000 ok=1000 bad=0 errors=1000 reported=1000"), &p);
	assert_counts(&p, 1000, 3000, 1000);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* The main thread makes its 3 calls, then 63 threads start, wait until all
 * exist and make their 3 calls at once: each sees ok, EIO, ok. */
static void test_stress__threads_64_every_thread_fails_its_2nd_call(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("threads");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-e", "inject=getppid:error=EIO:when=2", "--",
		     sf_test_target("threads64"), "64", "ok,EIO,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "threads 64 ok=64 bad=0 errors=64"), &p);
	assert_counts(&p, 64, 192, 64);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* More calls per thread, a stepped when: 2, 5, 8, 11, 14 of each thread. */
static void test_stress__threads_64_stepped_when_over_16_calls(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("threads16");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-e", "inject=getppid:error=EIO:when=2+3", "--",
		     sf_test_target("threads64"), "64",
		     "ok,EIO,ok,ok,EIO,ok,ok,EIO,ok,ok,EIO,ok,ok,EIO,ok,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "threads 64 ok=64 bad=0 errors=320"), &p);
	assert_counts(&p, 64, 1024, 320);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* ---- one count for the whole tree, or the whole process ---- */

/* 3000 calls over 1000 processes, 999 of them at once: exactly one call,
 * in a child (process 0 made calls 1-3 before any fork), fails. */
static void test_stress__tree_scope_fails_one_call_across_a_fanout_of_1000(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("fanout-tree");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-s", scope_cfg("tree", "500"), "--",
		     sf_test_target("tree"), "fanout", "1000", "ok,ok,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fanout 1000 ok=999 bad=1 errors=1 reported=1000"), &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "bad ") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "EIO") == 1, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "bad 0 ") == 0, &p);
	assert_counts(&p, 1000, 3000, 1);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* In the chain the calls come in order: process I makes tree calls
 * 3I+1..3I+3, so call 500 is process 166's second. */
static void test_stress__tree_scope_fails_one_call_down_a_chain_of_1000(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("chain-tree");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-s", scope_cfg("tree", "500"), "--",
		     sf_test_target("tree"), "chain", "1000", "ok,ok,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "chain 1000 ok=999 bad=1 errors=1 reported=1000"), &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "bad 166 ") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, " ok,EIO,ok") == 1, &p);
	assert_counts(&p, 1000, 3000, 1);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

/* 192 calls from 64 threads at once, counted per process: one fails. */
static void test_stress__process_scope_fails_one_call_among_64_threads(void)
{
	struct sf_proc p;
	const char *tag = fresh_tag("threads-process");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "json",
		     "-s", scope_cfg("process", "100"), "--",
		     sf_test_target("threads64"), "64", "ok,ok,ok", tag, NULL);
	SF_ASSERT_PROC(!p.timed_out, &p);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "threads 64 ok=63 bad=1 errors=1"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "EIO") == 1, &p);
	assert_counts(&p, 64, 192, 1);
	ASSERT_NOTHING_LEFT(tag, &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_stress(void)
{
	CU_pSuite s = CU_add_suite("integ_stress", NULL, NULL);
	CU_add_test(s, "fanout of 1000: each fails its 2nd call", test_stress__fanout_1000_every_process_fails_its_2nd_call);
	CU_add_test(s, "chain of 1000: each fails its 2nd call", test_stress__chain_1000_every_process_fails_its_2nd_call);
	CU_add_test(s, "64 threads: each fails its 2nd call", test_stress__threads_64_every_thread_fails_its_2nd_call);
	CU_add_test(s, "64 threads: stepped when over 16 calls", test_stress__threads_64_stepped_when_over_16_calls);
	CU_add_test(s, "tree: one call across a fanout of 1000", test_stress__tree_scope_fails_one_call_across_a_fanout_of_1000);
	CU_add_test(s, "tree: one call down a chain of 1000", test_stress__tree_scope_fails_one_call_down_a_chain_of_1000);
	CU_add_test(s, "process: one call among 64 threads", test_stress__process_scope_fails_one_call_among_64_threads);
}
