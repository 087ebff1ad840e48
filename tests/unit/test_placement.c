/*
 * Unit tests of CPU placement: pinned to one CPU while the tree is one
 * thread, the original set back afterwards, SYSFAULT_PIN honoured, and the
 * decision to unpin from the tree's own waiting, fed through the probe
 * seam with numbers of the test's choosing: the run's cgroup's pressure
 * total or each thread's run delay, the tracer's run delay, and whether a
 * thread is runnable at the window's end.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/placement.h"
#include "engine/timer.h"
#include "harness.h"

#define MS 1000000ull
#define NO_READING UINT64_MAX

static int cpus_allowed(pid_t pid)
{
	cpu_set_t set;
	return sched_getaffinity(pid, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : -1;
}

/* ---- the probe: what the files would say ---- */

#define AS_SOME (UINT64_MAX - 1)

static uint64_t fake_some_us = 0;     /* the cgroup's "some" total; NO_READING: unreadable */
static uint64_t fake_full_us = AS_SOME; /* its "full" total; AS_SOME: the same as some (a serial tree) */
static bool fake_has_full = true;     /* the file has a full line */
static uint64_t fake_delay_ns[4];     /* [0]: the tracer; [TID]: thread TID; NO_READING: gone */

static int fake_cgroup_pressure(const struct sf_cgroup *cg, struct sf_pressure *ps)
{
	(void)cg;
	if (fake_some_us == NO_READING)
		return -EOPNOTSUPP;
	ps->some_us = fake_some_us;
	ps->full_us = fake_full_us == AS_SOME ? fake_some_us : fake_full_us;
	ps->has_full = fake_has_full;
	return 0;
}

static int fake_run_delay(pid_t tid, uint64_t *ns)
{
	if (tid < 0 || tid >= 4 || fake_delay_ns[tid] == NO_READING)
		return -ENOENT;
	*ns = fake_delay_ns[tid];
	return 0;
}

static bool fake_runnable[4];         /* [TID]: thread TID is runnable */

static bool fake_is_runnable(pid_t tid)
{
	return tid > 0 && tid < 4 && fake_runnable[tid];
}

static const struct sf_placement_probe fake = { fake_cgroup_pressure, fake_run_delay, fake_is_runnable };

/* A pinned placement measuring SOURCE from time 0, every reading at 0 so far. */
static void start(struct sf_placement *p, enum sf_placement_source source)
{
	memset(p, 0, sizeof(*p));
	sf_cgroup_init(&p->cgroup);
	p->is_pinned = true;
	fake_some_us = 0;
	fake_full_us = AS_SOME;
	fake_has_full = true;
	memset(fake_delay_ns, 0, sizeof(fake_delay_ns));
	memset(fake_runnable, 0, sizeof(fake_runnable));
	sf_placement_measure(p, source, &fake, 0);
}

/* ---- deciding from the cgroup's pressure ---- */

/*
 * The window of P ending at END_MS, when the cgroup's totals since the
 * start have reached SOME_MS and FULL_MS of pressure (FULL_MS < 0: as much
 * as some, a serial tree) and the tracer's TRACER_MS of waiting.  What it
 * showed, and the share waited, in *SHARE.
 */
static enum sf_window window_at(struct sf_placement *p, int end_ms, int some_ms, int full_ms,
				int tracer_ms, double *share)
{
	fake_some_us = (uint64_t)some_ms * 1000;
	fake_full_us = full_ms < 0 ? AS_SOME : (uint64_t)full_ms * 1000;
	fake_delay_ns[0] = (uint64_t)tracer_ms * MS;
	return sf_placement_window_done(p, (uint64_t)end_ms * MS, share);
}

/* One 100 ms window of the cgroup source from a fresh start (window_at). */
static enum sf_window cgroup_window(int some_ms, int full_ms, int tracer_ms, double *share)
{
	struct sf_placement p;

	start(&p, SF_SOURCE_CGROUP);
	return window_at(&p, 100, some_ms, full_ms, tracer_ms, share);
}

static void test_placement__serial_tree_taking_turns_stays_pinned(void)
{
	double share;

	/* the tree waited 25 ms for the tracer */
	CU_ASSERT_EQUAL(cgroup_window(25, -1, 0, &share), SF_WINDOW_CALM);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.25, 1e-9);
}

static void test_placement__parallel_tree_is_unpinned(void)
{
	double share;

	CU_ASSERT_EQUAL(cgroup_window(95, 5, 0, &share), SF_WINDOW_PARALLEL);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.95, 1e-9);
}

static void test_placement__half_the_window_unpins(void)
{
	double share;

	CU_ASSERT_EQUAL(cgroup_window(50, -1, 0, &share), SF_WINDOW_STALLED);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.5, 1e-9);
}

/* The tracer is outside the cgroup: beside a CPU hog it waits while the tree's tasks hardly do. */
static void test_placement__tracer_s_own_wait_adds_to_the_cgroup_s(void)
{
	double share;

	CU_ASSERT_EQUAL(cgroup_window(6, -1, 68, &share), SF_WINDOW_STALLED);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.74, 1e-9);
}

static void test_placement__each_window_counts_from_its_own_start(void)
{
	struct sf_placement p;
	double share;

	start(&p, SF_SOURCE_CGROUP);
	CU_ASSERT_EQUAL(window_at(&p, 100, 30, -1, 0, &share), SF_WINDOW_CALM);
	/* 30 ms more: 30%, not the 60% of both windows */
	CU_ASSERT_EQUAL(window_at(&p, 200, 60, -1, 0, &share), SF_WINDOW_CALM);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.3, 1e-9);
	CU_ASSERT_EQUAL(p.windows, 2);
	CU_ASSERT_DOUBLE_EQUAL(p.max_share, 0.3, 1e-9);
}

/* A serial tree under the notify engine: its one task and the tracer wait on each other's hand-offs. */
static void test_placement__waiting_on_sysfault_alone_is_stalled_not_parallel(void)
{
	double share;

	/* all of it "full": no other task of the tree ran meanwhile */
	CU_ASSERT_EQUAL(cgroup_window(12, -1, 43, &share), SF_WINDOW_STALLED);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.55, 1e-9);
}

/* make -j2 squeezed on one CPU: its tasks wait while another of them runs (some - full). */
static void test_placement__tasks_waiting_on_each_other_are_parallel(void)
{
	struct sf_placement p;
	double share;

	start(&p, SF_SOURCE_CGROUP);
	/* 35 ms of a task waiting while another ran */
	CU_ASSERT_EQUAL(window_at(&p, 100, 40, 5, 0, &share), SF_WINDOW_PARALLEL);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.4, 1e-9);
	/* Counted per window: 10 ms more of it in the next is calm. */
	CU_ASSERT_EQUAL(window_at(&p, 200, 50, 5, 0, &share), SF_WINDOW_CALM);
}

/* Without the full line (before Linux 5.13) or from the run delay, crowding cannot be told: parallel. */
static void test_placement__crowding_that_cannot_be_told_is_parallel(void)
{
	struct sf_placement p;
	double share;

	start(&p, SF_SOURCE_CGROUP);
	fake_has_full = false;
	/* a serial tree's share: calm, as with the full line */
	CU_ASSERT_EQUAL(window_at(&p, 100, 30, -1, 0, &share), SF_WINDOW_CALM);
	CU_ASSERT_EQUAL(window_at(&p, 200, 90, -1, 0, &share), SF_WINDOW_PARALLEL);
	start(&p, SF_SOURCE_RUN_DELAY);
	fake_delay_ns[0] = 60 * MS;
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 100 * MS, &share), SF_WINDOW_PARALLEL);
}

static void test_placement__unreadable_pressure_counts_no_waiting(void)
{
	struct sf_placement p;
	double share;

	start(&p, SF_SOURCE_CGROUP);
	fake_some_us = NO_READING;
	fake_delay_ns[0] = 10 * MS;
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 100 * MS, &share), SF_WINDOW_CALM);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.1, 1e-9);
}

/* Without a first total the first window would count the cgroup's whole life. */
static void test_placement__pressure_unreadable_at_start_means_run_delay(void)
{
	struct sf_placement p;

	memset(&p, 0, sizeof(p));
	sf_cgroup_init(&p.cgroup);
	p.is_pinned = true;
	fake_some_us = NO_READING;
	sf_placement_measure(&p, SF_SOURCE_CGROUP, &fake, 0);
	CU_ASSERT_EQUAL(p.source, SF_SOURCE_RUN_DELAY);
	CU_ASSERT_TRUE(sf_placement_samples_threads(&p));
}

/* ---- deciding from the run delay of each thread ---- */

static void test_placement__run_delay_is_summed_over_threads(void)
{
	struct sf_placement p;
	uint64_t last1 = 0, last2 = 0;
	double share;

	start(&p, SF_SOURCE_RUN_DELAY);
	CU_ASSERT_TRUE(sf_placement_samples_threads(&p));
	fake_delay_ns[1] = 30 * MS;
	fake_delay_ns[2] = 15 * MS;
	fake_delay_ns[0] = 10 * MS;    /* the tracer's, read at the window's end */
	sf_placement_sample(&p, 1, &last1);
	sf_placement_sample(&p, 2, &last2);
	CU_ASSERT_EQUAL(last1, 30 * MS);
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 100 * MS, &share), SF_WINDOW_PARALLEL);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.55, 1e-9);
	/* The next window counts from the readings kept. */
	fake_delay_ns[1] = 40 * MS;
	sf_placement_sample(&p, 1, &last1);
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 200 * MS, &share), SF_WINDOW_CALM);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.1, 1e-9);
}

/* A thread that is gone adds nothing; a tid reused by a new thread starts it afresh. */
static void test_placement__gone_or_reused_thread_adds_nothing(void)
{
	struct sf_placement p;
	uint64_t last = 20 * MS;
	double share;

	start(&p, SF_SOURCE_RUN_DELAY);
	fake_delay_ns[1] = NO_READING;
	sf_placement_sample(&p, 1, &last);
	CU_ASSERT_EQUAL(last, 20 * MS);
	fake_delay_ns[1] = 1 * MS;
	sf_placement_sample(&p, 1, &last);
	CU_ASSERT_EQUAL(last, 1 * MS);
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 100 * MS, &share), SF_WINDOW_CALM);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.0, 1e-9);
}

/* Processes that lived between two looks are missed; two tasks runnable at once are not. */
static void test_placement__two_runnable_at_two_looks_in_a_row_unpin(void)
{
	struct sf_placement p;
	uint64_t last1 = 0, last2 = 0;
	double share;

	start(&p, SF_SOURCE_RUN_DELAY);
	fake_runnable[1] = fake_runnable[2] = true;
	sf_placement_sample(&p, 1, &last1);
	sf_placement_sample(&p, 2, &last2);
	/* once: a fork's instant */
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 100 * MS, &share), SF_WINDOW_CALM);
	sf_placement_sample(&p, 1, &last1);
	sf_placement_sample(&p, 2, &last2);
	CU_ASSERT_EQUAL(sf_placement_window_done(&p, 200 * MS, &share), SF_WINDOW_PARALLEL);
	CU_ASSERT_DOUBLE_EQUAL(share, 0.0, 1e-9);
	CU_ASSERT_EQUAL(p.was_runnable, 2);
}

static void test_placement__one_runnable_at_every_look_stays_pinned(void)
{
	struct sf_placement p;
	uint64_t last1 = 0, last2 = 0;
	double share;

	start(&p, SF_SOURCE_RUN_DELAY);
	for (int look = 1; look <= 3; look++) {
		fake_runnable[1] = look % 2;   /* one of the two, in turn: a serial tree */
		fake_runnable[2] = !fake_runnable[1];
		sf_placement_sample(&p, 1, &last1);
		sf_placement_sample(&p, 2, &last2);
		CU_ASSERT_EQUAL(sf_placement_window_done(&p, (uint64_t)look * 100 * MS, &share),
				SF_WINDOW_CALM);
	}
	/* The tracer's own state is never asked: it is running while it looks. */
	fake_runnable[1] = fake_runnable[2] = false;
	sf_placement_sample(&p, 0, &p.tracer_delay_ns);
	CU_ASSERT_EQUAL(p.runnable, 0);
}

static void test_placement__windows_only_while_pinned_and_measuring(void)
{
	struct sf_placement p;

	memset(&p, 0, sizeof(p));
	sf_cgroup_init(&p.cgroup);
	CU_ASSERT_EQUAL(sf_placement_next_check(&p), UINT64_MAX);
	p.is_pinned = true;            /* pinned, the command not started yet */
	CU_ASSERT_EQUAL(sf_placement_next_check(&p), UINT64_MAX);
	start(&p, SF_SOURCE_CGROUP);
	CU_ASSERT_EQUAL(sf_placement_next_check(&p), SF_PLACEMENT_WINDOW_NS);
	CU_ASSERT_FALSE(sf_placement_samples_threads(&p));
	p.is_pinned = false;
	CU_ASSERT_EQUAL(sf_placement_next_check(&p), UINT64_MAX);
	p.watches_parallel = true;     /* unpinned for waiting on sysfault: windows go on */
	CU_ASSERT_EQUAL(sf_placement_next_check(&p), SF_PLACEMENT_WINDOW_NS);
}

/* ---- what -v says at the end ---- */

static char caught[512];

static void catch_line(enum sf_diag_kind kind, const char *line, void *arg)
{
	(void)kind;
	(void)arg;
	snprintf(caught, sizeof(caught), "%s", line);
}

static void test_placement__release_says_how_much_the_tree_waited(void)
{
	struct sf_placement p;
	int verbosity = sf_diag_verbosity();

	start(&p, SF_SOURCE_CGROUP);
	sched_getaffinity(0, sizeof(p.original), &p.original);   /* what release gives back */
	p.cpu = 3;
	p.window_start_ns = sf_now_ns() - 50 * MS;
	fake_some_us = 10000;
	caught[0] = 0;
	sf_diag_set_verbosity(1);
	sf_diag_set_sink(catch_line, NULL);
	sf_placement_release(&p);
	sf_diag_set_sink(NULL, NULL);
	sf_diag_set_verbosity(verbosity);
	CU_ASSERT_PTR_NOT_NULL(strstr(caught, "placement: the tree stayed on CPU 3; it waited for a CPU 20% "
				      "of the time (20% at most, over 1 window of up to 100 ms;"));
	CU_ASSERT_FALSE(p.is_pinned);
}

/* ---- pinning for real ---- */

static char *saved_pin;

/* Sets SYSFAULT_PIN for one sf_placement_pin(); restore_pin() puts back what the runner had. */
static void set_pin(const char *value)
{
	const char *old = getenv("SYSFAULT_PIN");

	saved_pin = old ? strdup(old) : NULL;
	if (value)
		setenv("SYSFAULT_PIN", value, 1);
	else
		unsetenv("SYSFAULT_PIN");
}

static void restore_pin(void)
{
	if (saved_pin)
		setenv("SYSFAULT_PIN", saved_pin, 1);
	else
		unsetenv("SYSFAULT_PIN");
	free(saved_pin);
	saved_pin = NULL;
}

static void test_placement__pins_then_gives_the_cpus_back(void)
{
	int before = cpus_allowed(0);
	struct sf_placement p;

	set_pin(NULL);
	sf_placement_pin(&p);
	restore_pin();
	CU_ASSERT_TRUE(p.is_pinned);
	CU_ASSERT_EQUAL(cpus_allowed(0), 1);
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	/* The child inherits the pin, and gets the whole set back with us. */
	CU_ASSERT_EQUAL(cpus_allowed(child), 1);
	sf_placement_unpin(&p, &child, 1);
	CU_ASSERT_FALSE(p.is_pinned);
	CU_ASSERT_EQUAL(cpus_allowed(0), before);
	CU_ASSERT_EQUAL(cpus_allowed(child), before);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	sf_placement_release(&p);
}

static void test_placement__sysfault_pin_nocgroup_pins_without_a_cgroup(void)
{
	struct sf_placement p;

	set_pin("nocgroup");
	sf_placement_pin(&p);
	restore_pin();
	CU_ASSERT_TRUE(p.is_pinned);
	CU_ASSERT_EQUAL(sf_placement_cgroup_fd(&p), -1);
	CU_ASSERT_STRING_EQUAL(p.why_no_cgroup, "SYSFAULT_PIN=nocgroup");
	sf_placement_launched(&p, 0);
	CU_ASSERT_EQUAL(p.source, SF_SOURCE_RUN_DELAY);
	sf_placement_release(&p);
	CU_ASSERT_FALSE(p.is_pinned);
}

static void test_placement__sysfault_pin_0_turns_it_off(void)
{
	int before = cpus_allowed(0);
	struct sf_placement p;

	set_pin("0");
	sf_placement_pin(&p);
	restore_pin();
	CU_ASSERT_FALSE(p.is_pinned);
	CU_ASSERT_EQUAL(sf_placement_cgroup_fd(&p), -1);
	CU_ASSERT_EQUAL(cpus_allowed(0), before);
	sf_placement_release(&p);
}

static void test_placement__unknown_sysfault_pin_is_said_and_placement_kept(void)
{
	struct sf_placement p;

	caught[0] = 0;
	set_pin("yes");
	sf_diag_set_sink(catch_line, NULL);
	sf_placement_pin(&p);
	sf_diag_set_sink(NULL, NULL);
	restore_pin();
	CU_ASSERT_STRING_EQUAL(caught, "SYSFAULT_PIN=yes is not a placement; use 0, 1 or nocgroup");
	CU_ASSERT_TRUE(p.is_pinned);   /* as without it */
	sf_placement_release(&p);
}

/*
 * On one CPU the tests above that pin are named as not run, and the suite
 * passes: this runner again, on the first CPU it may use (as taskset -c 0 would).
 */
static void test_placement__on_one_cpu_the_pinning_test_is_named_not_run(void)
{
	char self[4096], cpu[16];
	cpu_set_t set;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct sf_proc p;

	CU_ASSERT_FATAL(n > 0 && sched_getaffinity(0, sizeof(set), &set) == 0);
	self[n] = 0;
	int first = 0;
	while (!CPU_ISSET(first, &set))
		first++;
	snprintf(cpu, sizeof(cpu), "%d", first);
	sf_proc_runl(&p, 60, "taskset", "-c", cpu, self, "unit_placement", NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "unit_placement: not run: pins then gives the CPUs back "
					       "(needs 2 CPUs; this process may use 1)"), &p);
	sf_proc_release(&p);
}

static const struct {
	const char *name;
	void (*run)(void);
	bool needs_two_cpus;
} placement_tests[] = {
	{ "serial tree taking turns stays pinned", test_placement__serial_tree_taking_turns_stays_pinned, false },
	{ "parallel tree is unpinned", test_placement__parallel_tree_is_unpinned, false },
	{ "half the window unpins", test_placement__half_the_window_unpins, false },
	{ "tracer's own wait adds to the cgroup's",
	  test_placement__tracer_s_own_wait_adds_to_the_cgroup_s, false },
	{ "each window counts from its own start", test_placement__each_window_counts_from_its_own_start, false },
	{ "waiting on sysfault alone is stalled, not parallel",
	  test_placement__waiting_on_sysfault_alone_is_stalled_not_parallel, false },
	{ "tasks waiting on each other are parallel", test_placement__tasks_waiting_on_each_other_are_parallel,
	  false },
	{ "crowding that cannot be told is parallel", test_placement__crowding_that_cannot_be_told_is_parallel,
	  false },
	{ "unreadable pressure counts no waiting",
	  test_placement__unreadable_pressure_counts_no_waiting, false },
	{ "pressure unreadable at start means run delay",
	  test_placement__pressure_unreadable_at_start_means_run_delay, false },
	{ "run delay is summed over threads", test_placement__run_delay_is_summed_over_threads, false },
	{ "gone or reused thread adds nothing", test_placement__gone_or_reused_thread_adds_nothing, false },
	{ "two runnable at two looks in a row unpin",
	  test_placement__two_runnable_at_two_looks_in_a_row_unpin, false },
	{ "one runnable at every look stays pinned",
	  test_placement__one_runnable_at_every_look_stays_pinned, false },
	{ "windows only while pinned or watching, and measuring",
	  test_placement__windows_only_while_pinned_and_measuring, false },
	{ "release says how much the tree waited",
	  test_placement__release_says_how_much_the_tree_waited, false },
	{ "SYSFAULT_PIN=0 turns it off", test_placement__sysfault_pin_0_turns_it_off, false },
	{ "unknown SYSFAULT_PIN is said and placement kept",
	  test_placement__unknown_sysfault_pin_is_said_and_placement_kept, true },
	{ "pins then gives the CPUs back", test_placement__pins_then_gives_the_cpus_back, true },
	{ "SYSFAULT_PIN=nocgroup pins without a cgroup",
	  test_placement__sysfault_pin_nocgroup_pins_without_a_cgroup, true },
	{ "on one CPU the pinning test is named not run",
	  test_placement__on_one_cpu_the_pinning_test_is_named_not_run, true },
};

void sf_test_register_placement(void)
{
	CU_pSuite s = CU_add_suite("unit_placement", NULL, NULL);
	int cpus = cpus_allowed(0);

	/* Pinning to one CPU of one changes nothing to observe: named, never passed. */
	for (size_t i = 0; i < sizeof(placement_tests) / sizeof(placement_tests[0]); i++) {
		if (!placement_tests[i].needs_two_cpus || cpus >= 2)
			CU_add_test(s, placement_tests[i].name, placement_tests[i].run);
		else
			fprintf(stderr, "unit_placement: not run: %s (needs 2 CPUs; this process may use %d)\n",
				placement_tests[i].name, cpus);
	}
}
