/*
 * integ_scope: how occurrences are counted across threads, processes and
 * exec.  scope="thread" (the default, as strace): every thread counts its own
 * calls from 1; "process": one count per thread group; "tree": one count for
 * the whole traced tree.  A new thread or process starts at 0.
 */
#include "harness.h"

#define T 30.0

/* A scenario failing getppid with EIO at occurrence WHEN, counted per SCOPE. */
static const char *scope_cfg(const char *scope, const char *when)
{
	char name[64], text[512];
	snprintf(name, sizeof(name), "scope-%s-%s.cfg", scope, when);
	snprintf(text, sizeof(text),
		 "scope = \"%s\";\n"
		 "rules = ( { syscalls = \"getppid\"; error = \"EIO\"; when = \"%s\"; } );\n",
		 scope, when);
	return sf_test_tmpfile(name, text);
}

#define RUN(p, scope, when, ...) \
	sf_proc_runl(p, T, sf_test_sysfault(), "run", "-s", scope_cfg(scope, when), "--", __VA_ARGS__, NULL)

/* ---- fork ---- */

static void test_scope__thread_counts_a_forked_child_from_zero(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "2", sf_test_target("forker"), "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_scope__default_scope_is_thread(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:error=EIO:when=2", "--",
		     sf_test_target("forker"), "3", NULL);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_scope__process_counts_a_forked_child_from_zero(void)
{
	struct sf_proc p;
	RUN(&p, "process", "2", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_scope__tree_counts_parent_and_child_together(void)
{
	struct sf_proc p;
	/* parent makes calls 1-3, the child 4-6 of the tree */
	RUN(&p, "tree", "2", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok ok ok");
	sf_proc_release(&p);
}

static void test_scope__tree_count_continues_in_the_child(void)
{
	struct sf_proc p;
	RUN(&p, "tree", "4..5", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "child", "EIO EIO ok");
	sf_proc_release(&p);
}

static void test_scope__thread_child_never_reaches_a_tree_wide_count(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "4+", sf_test_target("forker"), "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok ok ok");
	sf_proc_release(&p);
}

/* ---- vfork ---- */

static void test_scope__thread_counts_a_vfork_child_from_zero(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "2", sf_test_target("forker"), "-v", "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_scope__process_counts_a_vfork_child_on_its_own(void)
{
	struct sf_proc p;
	RUN(&p, "process", "3", sf_test_target("forker"), "-v", "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok EIO");
	SF_ASSERT_OUTCOMES(&p, "child", "ok ok EIO");
	sf_proc_release(&p);
}

static void test_scope__tree_counts_across_vfork(void)
{
	struct sf_proc p;
	RUN(&p, "tree", "3..4", sf_test_target("forker"), "-v", "3");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok EIO");
	SF_ASSERT_OUTCOMES(&p, "child", "EIO ok ok");
	sf_proc_release(&p);
}

/* ---- threads (8 and more) ---- */

static void test_scope__thread_counts_each_of_8_threads(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "2", sf_test_target("threads"), "8", "3");
	SF_ASSERT_PROC(p.status == 0, &p);
	for (int k = 1; k <= 8; k++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "thread %d", k);
		SF_ASSERT_OUTCOMES(&p, prefix, "ok EIO ok");
	}
	sf_proc_release(&p);
}

static void test_scope__thread_counts_16_threads_running_at_once(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "3", sf_test_target("threads"), "16", "4", "par");
	SF_ASSERT_PROC(p.status == 0, &p);
	for (int k = 1; k <= 16; k++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "thread %d", k);
		SF_ASSERT_OUTCOMES(&p, prefix, "ok ok EIO ok");
	}
	sf_proc_release(&p);
}

static void test_scope__process_counts_all_threads_together(void)
{
	struct sf_proc p;
	/* one thread at a time: thread 1 makes calls 1-3, thread 2 calls 4-6, ... */
	RUN(&p, "process", "5", sf_test_target("threads"), "8", "3");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "ok EIO ok");
	for (int k = 3; k <= 8; k++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "thread %d", k);
		SF_ASSERT_OUTCOMES(&p, prefix, "ok ok ok");
	}
	sf_proc_release(&p);
}

static void test_scope__process_fails_one_call_among_parallel_threads(void)
{
	struct sf_proc p;
	RUN(&p, "process", "17", sf_test_target("threads"), "8", "4", "par");
	SF_ASSERT_PROC(sf_count_prefix(p.out, "thread ") == 32, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=EIO") == 1, &p);
	sf_proc_release(&p);
}

static void test_scope__process_range_covers_parallel_threads(void)
{
	struct sf_proc p;
	RUN(&p, "process", "9..24", sf_test_target("threads"), "8", "4", "par");
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=EIO") == 16, &p);
	sf_proc_release(&p);
}

static void test_scope__tree_counts_threads_and_processes_together(void)
{
	struct sf_proc p;
	/* forker's child execs `threads 2 2`: tree calls 1-2 are the parent's,
	 * 3-4 thread 1's, 5-6 thread 2's */
	RUN(&p, "tree", "4..5", sf_test_target("forker"), "2",
	    sf_test_target("threads"), "2", "2");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok EIO");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "EIO ok");
	sf_proc_release(&p);
}

/* ---- exec ---- */

static void test_scope__thread_exec_in_a_forked_child(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "1", sf_test_target("forker"), "2",
	    sf_test_target("calls"), "getppid", "2");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "parent", "EIO ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO ok");
	sf_proc_release(&p);
}

static void test_scope__tree_count_carries_into_an_exec_d_child(void)
{
	struct sf_proc p;
	RUN(&p, "tree", "3", sf_test_target("forker"), "2",
	    sf_test_target("calls"), "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO ok");
	sf_proc_release(&p);
}

static void test_scope__tree_count_carries_into_a_vfork_exec(void)
{
	struct sf_proc p;
	RUN(&p, "tree", "3+", sf_test_target("forker"), "-v", "2",
	    sf_test_target("calls"), "getppid", "2");
	SF_ASSERT_OUTCOMES(&p, "parent", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "getppid", "EIO EIO");
	sf_proc_release(&p);
}

/* A thread that is not the leader execs: the kernel gives it the leader's
 * pid and kills the other threads.  Injection carries on in the new image. */
static void test_scope__exec_from_a_non_leader_thread(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:error=EIO:when=2", "--",
		     sf_test_target("exec_thread"), sf_test_target("calls"), "getppid", "3", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "getppid", "ok EIO ok");
	sf_proc_release(&p);
}

static void test_scope__exec_from_a_non_leader_thread_with_threads_after(void)
{
	struct sf_proc p;
	RUN(&p, "thread", "2", sf_test_target("exec_thread"), sf_test_target("threads"), "8", "2", "par");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "errno=EIO") == 8, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "thread ") == 16, &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_scope(void)
{
	CU_pSuite s = CU_add_suite("integ_scope", NULL, NULL);
	CU_add_test(s, "thread: forked child counts from 0", test_scope__thread_counts_a_forked_child_from_zero);
	CU_add_test(s, "default scope is thread", test_scope__default_scope_is_thread);
	CU_add_test(s, "process: forked child counts from 0", test_scope__process_counts_a_forked_child_from_zero);
	CU_add_test(s, "tree: parent and child count together", test_scope__tree_counts_parent_and_child_together);
	CU_add_test(s, "tree: count continues in the child", test_scope__tree_count_continues_in_the_child);
	CU_add_test(s, "thread: child never reaches a tree-wide count", test_scope__thread_child_never_reaches_a_tree_wide_count);
	CU_add_test(s, "thread: vfork child counts from 0", test_scope__thread_counts_a_vfork_child_from_zero);
	CU_add_test(s, "process: vfork child counts on its own", test_scope__process_counts_a_vfork_child_on_its_own);
	CU_add_test(s, "tree: counts across vfork", test_scope__tree_counts_across_vfork);
	CU_add_test(s, "thread: each of 8 threads counts", test_scope__thread_counts_each_of_8_threads);
	CU_add_test(s, "thread: 16 threads at once", test_scope__thread_counts_16_threads_running_at_once);
	CU_add_test(s, "process: all threads count together", test_scope__process_counts_all_threads_together);
	CU_add_test(s, "process: one call among parallel threads", test_scope__process_fails_one_call_among_parallel_threads);
	CU_add_test(s, "process: range over parallel threads", test_scope__process_range_covers_parallel_threads);
	CU_add_test(s, "tree: threads and processes together", test_scope__tree_counts_threads_and_processes_together);
	CU_add_test(s, "thread: exec in a forked child", test_scope__thread_exec_in_a_forked_child);
	CU_add_test(s, "tree: count carries into an exec'd child", test_scope__tree_count_carries_into_an_exec_d_child);
	CU_add_test(s, "tree: count carries into a vfork+exec", test_scope__tree_count_carries_into_a_vfork_exec);
	CU_add_test(s, "exec from a non-leader thread", test_scope__exec_from_a_non_leader_thread);
	CU_add_test(s, "exec from a non-leader thread, 8 threads after", test_scope__exec_from_a_non_leader_thread_with_threads_after);
}
