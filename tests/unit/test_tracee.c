/*
 * Unit tests of the tracee table (growth, removal, exec's tid change,
 * thread groups, the group a new task joins, kept comm files) and of the
 * timer queue's order.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/timer.h"
#include "engine/tracee.h"

static void test_tracee__grows_past_thousands_without_limit(void)
{
	struct sf_tracee_table *t = sf_tracee_table_new();

	for (pid_t tid = 100; tid < 10100; tid++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(sf_tracee_add(t, tid, tid));
	CU_ASSERT_EQUAL(sf_tracee_count(t), 10000);
	for (pid_t tid = 100; tid < 10100; tid++) {
		struct sf_tracee *tr = sf_tracee_find(t, tid);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
		CU_ASSERT_EQUAL(tr->tid, tid);
	}
	CU_ASSERT_PTR_NULL(sf_tracee_find(t, 99));
	CU_ASSERT_PTR_NULL(sf_tracee_find(t, 10100));
	sf_tracee_table_free(t);
}

static void test_tracee__removed_tid_is_gone_and_others_stay(void)
{
	struct sf_tracee_table *t = sf_tracee_table_new();

	/* Many adds and removes: tombstones must not hide live entries. */
	for (int round = 0; round < 50; round++) {
		for (pid_t tid = 1; tid <= 100; tid++)
			sf_tracee_add(t, round * 1000 + tid, round * 1000 + tid);
		for (pid_t tid = 1; tid <= 99; tid++)
			sf_tracee_remove(t, sf_tracee_find(t, round * 1000 + tid));
	}
	CU_ASSERT_EQUAL(sf_tracee_count(t), 50);
	for (int round = 0; round < 50; round++) {
		CU_ASSERT_PTR_NOT_NULL(sf_tracee_find(t, round * 1000 + 100));
		CU_ASSERT_PTR_NULL(sf_tracee_find(t, round * 1000 + 1));
	}
	sf_tracee_table_free(t);
}

static void test_tracee__threads_share_their_group(void)
{
	struct sf_tracee_table *t = sf_tracee_table_new();
	struct sf_tracee *leader = sf_tracee_add(t, 500, 500);
	struct sf_tracee *thread = sf_tracee_add(t, 501, 500);
	struct sf_tracee *other = sf_tracee_add(t, 600, 600);

	CU_ASSERT_PTR_EQUAL(leader->group, thread->group);
	CU_ASSERT_PTR_NOT_EQUAL(leader->group, other->group);
	CU_ASSERT_EQUAL(leader->group->threads, 2);
	CU_ASSERT(thread->serial > leader->serial);
	CU_ASSERT(other->group->serial > leader->group->serial);
	sf_tracee_remove(t, leader);
	CU_ASSERT_EQUAL(thread->group->threads, 1);
	CU_ASSERT_EQUAL(thread->group->tgid, 500);
	sf_tracee_table_free(t);
}

static void test_tracee__retid_moves_the_thread_to_the_leaders_tid(void)
{
	struct sf_tracee_table *t = sf_tracee_table_new();
	struct sf_tracee *leader = sf_tracee_add(t, 700, 700);
	struct sf_tracee *execer = sf_tracee_add(t, 703, 700);

	execer->in_syscall = true;
	sf_tracee_remove(t, leader);
	sf_tracee_retid(t, execer, 700);
	CU_ASSERT_PTR_EQUAL(sf_tracee_find(t, 700), execer);
	CU_ASSERT_PTR_NULL(sf_tracee_find(t, 703));
	CU_ASSERT_TRUE(sf_tracee_find(t, 700)->in_syscall);
	CU_ASSERT_EQUAL(sf_tracee_count(t), 1);
	sf_tracee_table_free(t);
}

/* A thread that says its tid and lives until told to end. */
struct helper_thread {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pid_t tid;
	bool may_end;
};

static void *helper_main(void *arg)
{
	struct helper_thread *h = arg;

	pthread_mutex_lock(&h->lock);
	h->tid = gettid();
	pthread_cond_broadcast(&h->cond);
	while (!h->may_end)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* What the clone event handler asks instead of reading /proc/TID/status. */
static void test_tracee__group_of_a_new_task_is_asked_of_the_kernel(void)
{
	struct helper_thread h = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false };
	pthread_t thread;

	CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, helper_main, &h), 0);
	pthread_mutex_lock(&h.lock);
	while (!h.tid)
		pthread_cond_wait(&h.cond, &h.lock);
	pthread_mutex_unlock(&h.lock);
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	CU_ASSERT_FATAL(child > 0);

	CU_ASSERT_TRUE(sf_tracee_is_in_group(getpid(), h.tid));
	CU_ASSERT_TRUE(sf_tracee_is_in_group(getpid(), getpid()));
	CU_ASSERT_FALSE(sf_tracee_is_in_group(getpid(), child));
	CU_ASSERT_TRUE(sf_tracee_is_in_group(child, child));
	CU_ASSERT_FALSE(sf_tracee_is_in_group(h.tid, h.tid));   /* a thread leads no group */
	/* The slow path, for a task seen before its creator's event. */
	pid_t ppid = 0;
	CU_ASSERT_EQUAL(sf_tracee_read_ids(h.tid, &ppid), getpid());
	CU_ASSERT_EQUAL(ppid, getppid());
	CU_ASSERT_EQUAL(sf_tracee_read_ids(child, &ppid), child);
	CU_ASSERT_EQUAL(ppid, getpid());
	/* The whole status, as attach reads it: the child sleeps in pause(), untraced. */
	struct sf_proc_status st;
	CU_ASSERT_EQUAL(sf_tracee_read_status(child, &st), 0);
	CU_ASSERT_EQUAL(st.tgid, child);
	CU_ASSERT_EQUAL(st.ppid, getpid());
	CU_ASSERT_EQUAL(st.tracer, 0);
	CU_ASSERT(st.state == 'S' || st.state == 'R');

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	CU_ASSERT_FALSE(sf_tracee_is_in_group(child, child));   /* gone */
	CU_ASSERT_EQUAL(sf_tracee_read_ids(child, &ppid), child);
	CU_ASSERT_EQUAL(ppid, 0);
	CU_ASSERT_EQUAL(sf_tracee_read_status(child, &st), -ESRCH);
	pthread_mutex_lock(&h.lock);
	h.may_end = true;
	pthread_cond_broadcast(&h.cond);
	pthread_mutex_unlock(&h.lock);
	pthread_join(thread, NULL);
}

/* Threads of this process, each named "sf-N", parked until released: real /proc/TID/comm files. */
#define PARKED (SF_TRACEE_COMM_FDS_MAX + 20)
struct parked {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool may_end;
	unsigned named;
	pid_t tids[PARKED];
};

static void *park(void *arg)
{
	struct parked *p = arg;
	char name[16];

	pthread_mutex_lock(&p->lock);
	unsigned i = p->named;
	snprintf(name, sizeof(name), "sf-%u", i);
	prctl(PR_SET_NAME, name);
	p->tids[i] = (pid_t)syscall(SYS_gettid);
	p->named++;
	pthread_cond_broadcast(&p->cond);
	while (!p->may_end)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * Comm files stay open for the next read, up to the bound; past it each
 * read opens its own, and a removed tracee's file makes room again.  A
 * rename after the first read is seen through the kept file.  A low
 * RLIMIT_NOFILE lowers the bound to half of it.
 */
static void test_tracee__comm_files_are_kept_up_to_a_bound(void)
{
	static struct parked p = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, { 0 } };
	pthread_t threads[PARKED];
	struct sf_tracee_table *t = sf_tracee_table_new();
	char name[16], want[16];
	unsigned n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (; n < PARKED; n++)
		if (pthread_create(&threads[n], NULL, park, &p))
			break;
	CU_ASSERT_EQUAL_FATAL(n, PARKED);
	pthread_mutex_lock(&p.lock);
	while (p.named < PARKED)
		pthread_cond_wait(&p.cond, &p.lock);
	pthread_mutex_unlock(&p.lock);

	unsigned before = open_fds();
	for (unsigned i = 0; i < PARKED; i++) {
		struct sf_tracee *tr = sf_tracee_add(t, p.tids[i], getpid());
		CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
		snprintf(want, sizeof(want), "sf-%u", i);
		CU_ASSERT_EQUAL(sf_tracee_read_comm(t, tr, name, sizeof(name)), (ssize_t)strlen(want));
		CU_ASSERT_STRING_EQUAL(name, want);
		CU_ASSERT_EQUAL(tr->comm_fd >= 0, i < SF_TRACEE_COMM_FDS_MAX);
	}
	CU_ASSERT_EQUAL(open_fds(), before + SF_TRACEE_COMM_FDS_MAX);

	/* One removed: the next thread past the bound keeps its file. */
	sf_tracee_remove(t, sf_tracee_find(t, p.tids[0]));
	struct sf_tracee *late = sf_tracee_find(t, p.tids[PARKED - 1]);
	snprintf(want, sizeof(want), "sf-%u", PARKED - 1);
	CU_ASSERT(sf_tracee_read_comm(t, late, name, sizeof(name)) > 0);
	CU_ASSERT_STRING_EQUAL(name, want);
	CU_ASSERT(late->comm_fd >= 0);
	CU_ASSERT_EQUAL(open_fds(), before + SF_TRACEE_COMM_FDS_MAX);

	/* A rename is read through the kept file (this thread's own name, as a tracee of its own). */
	struct sf_tracee *self = sf_tracee_add(t, (pid_t)syscall(SYS_gettid), getpid());
	CU_ASSERT_PTR_NOT_NULL_FATAL(self);
	char old[16] = "";
	prctl(PR_GET_NAME, old);
	sf_tracee_forget_comm(t, late);   /* room for this one */
	CU_ASSERT(sf_tracee_read_comm(t, self, name, sizeof(name)) > 0);
	CU_ASSERT(self->comm_fd >= 0);
	prctl(PR_SET_NAME, "sf-renamed");
	CU_ASSERT(sf_tracee_read_comm(t, self, name, sizeof(name)) > 0);
	CU_ASSERT_STRING_EQUAL(name, "sf-renamed");
	prctl(PR_SET_NAME, old);

	sf_tracee_table_free(t);
	CU_ASSERT_EQUAL(open_fds(), before);

	/* Under a soft limit of 200 descriptors a table keeps at most 100 files. */
	struct rlimit lim, low;
	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_NOFILE, &lim), 0);
	low = lim;
	low.rlim_cur = 200;
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_NOFILE, &low), 0);
	t = sf_tracee_table_new();
	CU_ASSERT_EQUAL(setrlimit(RLIMIT_NOFILE, &lim), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (unsigned i = 0; i < 120; i++) {
		struct sf_tracee *tr = sf_tracee_add(t, p.tids[i], getpid());
		CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
		CU_ASSERT(sf_tracee_read_comm(t, tr, name, sizeof(name)) > 0);
		CU_ASSERT_EQUAL(tr->comm_fd >= 0, i < 100);
	}
	sf_tracee_table_free(t);
	CU_ASSERT_EQUAL(open_fds(), before);

	pthread_mutex_lock(&p.lock);
	p.may_end = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	for (unsigned i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
}

static void test_timer__pops_in_deadline_order_only_when_due(void)
{
	struct sf_timers q = { 0 };
	struct sf_timer out;
	const uint64_t deadlines[] = { 50, 10, 40, 20, 30, 10 };

	for (unsigned i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(sf_timers_add(&q, (struct sf_timer){ deadlines[i], (pid_t)i, i }), 0);
	CU_ASSERT_EQUAL(sf_timers_next(&q), 10);
	CU_ASSERT_FALSE(sf_timers_pop_due(&q, 9, &out));
	uint64_t last = 0;
	unsigned popped = 0;
	while (sf_timers_pop_due(&q, 35, &out)) {
		CU_ASSERT(out.deadline_ns >= last);
		last = out.deadline_ns;
		popped++;
	}
	CU_ASSERT_EQUAL(popped, 4);
	CU_ASSERT_EQUAL(sf_timers_next(&q), 40);
	sf_timers_release(&q);
	CU_ASSERT_EQUAL(sf_timers_next(&q), UINT64_MAX);
}

void sf_test_register_tracee(void)
{
	CU_pSuite s = CU_add_suite("unit_tracee", NULL, NULL);

	CU_add_test(s, "grows past thousands without limit", test_tracee__grows_past_thousands_without_limit);
	CU_add_test(s, "removed tid is gone and others stay", test_tracee__removed_tid_is_gone_and_others_stay);
	CU_add_test(s, "threads share their group", test_tracee__threads_share_their_group);
	CU_add_test(s, "retid moves the thread to the leader's tid", test_tracee__retid_moves_the_thread_to_the_leaders_tid);
	CU_add_test(s, "group of a new task is asked of the kernel", test_tracee__group_of_a_new_task_is_asked_of_the_kernel);
	/* Twice the bound (a table keeps at most half the soft limit): a lower soft limit is raised, never past the hard one. */
	struct rlimit lim;
	const rlim_t need = 2 * SF_TRACEE_COMM_FDS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < need && lim.rlim_max >= need) {
		lim.rlim_cur = need;
		setrlimit(RLIMIT_NOFILE, &lim);
	}
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur >= need)
		CU_add_test(s, "comm files are kept up to a bound", test_tracee__comm_files_are_kept_up_to_a_bound);
	else
		fprintf(stderr, "unit_tracee: not run: comm files are kept up to a bound "
			"(needs %lu open files; RLIMIT_NOFILE allows %lu)\n",
			(unsigned long)need, (unsigned long)lim.rlim_cur);
	CU_add_test(s, "timer pops in deadline order only when due", test_timer__pops_in_deadline_order_only_when_due);
}
