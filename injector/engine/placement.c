/*
 * CPU placement: pin, measure how long the pinned tree waits for its CPU,
 * unpin when it is too long.  Failures only cost speed, so they are
 * ignored (said with -v), except the affinity the command reads: that
 * must be right.
 */
#include "engine/placement.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "diag.h"
#include "engine/timer.h"
#include "engine/tracee_mem.h"

/* The last part of a window counts in -v's figures from this long: a few stops say nothing. */
#define SF_PLACEMENT_MIN_TAIL_NS 10000000ull

/* /proc/TID/schedstat: time on the CPU, time waiting on a run queue, slices (ns). */
static int read_run_delay(pid_t tid, uint64_t *delay)
{
	char path[64], buf[128];
	uint64_t run;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/schedstat", tid);
	else
		snprintf(path, sizeof(path), "/proc/thread-self/schedstat");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = n < 0 ? errno : EINVAL;
	close(fd);
	if (n <= 0)
		return -err;
	buf[n] = 0;
	return sscanf(buf, "%" SCNu64 " %" SCNu64, &run, delay) == 2 ? 0 : -EINVAL;
}

/* /proc/TID/stat: "PID (COMM) STATE ...", COMM may hold anything, ')' too. */
static bool read_is_runnable(pid_t tid)
{
	char path[64], buf[512];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	const char *end = strrchr(buf, ')');
	return end && end[1] == ' ' && end[2] == 'R';
}

static const struct sf_placement_probe real_probe = { sf_cgroup_read_pressure, read_run_delay,
						      read_is_runnable };

/* SYSFAULT_PIN: unset or 1, placement with the run's cgroup; 0, none; nocgroup, without it. */
static bool wants_placement(bool *wants_cgroup)
{
	const char *env = getenv("SYSFAULT_PIN");

	*wants_cgroup = true;
	if (!env || !*env || !strcmp(env, "1"))
		return true;
	if (!strcmp(env, "0"))
		return false;
	if (!strcmp(env, "nocgroup")) {
		*wants_cgroup = false;
		return true;
	}
	sf_warning("SYSFAULT_PIN=%s is not a placement; use 0, 1 or nocgroup", env);
	return true;
}

static bool pin_to_current_cpu(struct sf_placement *p)
{
	cpu_set_t one;

	if (sched_getaffinity(0, sizeof(p->original), &p->original) < 0 ||
	    CPU_COUNT(&p->original) < 2)
		return false;
	p->cpu = sched_getcpu();
	if (p->cpu < 0 || !CPU_ISSET(p->cpu, &p->original))
		return false;
	CPU_ZERO(&one);
	CPU_SET(p->cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}

void sf_placement_pin(struct sf_placement *p)
{
	bool wants_cgroup;

	memset(p, 0, sizeof(*p));
	sf_cgroup_init(&p->cgroup);
	if (!wants_placement(&wants_cgroup))
		return;
	p->is_pinned = pin_to_current_cpu(p);
	if (!p->is_pinned)
		return;
	if (!wants_cgroup)
		snprintf(p->why_no_cgroup, sizeof(p->why_no_cgroup), "SYSFAULT_PIN=nocgroup");
	else
		sf_cgroup_make(&p->cgroup, p->why_no_cgroup, sizeof(p->why_no_cgroup));
}

int sf_placement_cgroup_fd(const struct sf_placement *p)
{
	return p->is_pinned && p->cgroup.path ? p->cgroup.dir_fd : -1;
}

/* Moves what the tree left in the cgroup back, removes it, and says so with -v. */
static void remove_cgroup(struct sf_placement *p)
{
	char why[256], *path = p->cgroup.path ? strdup(p->cgroup.path) : NULL;
	unsigned moved = 0;

	if (!p->cgroup.path)
		return;
	int err = sf_cgroup_remove(&p->cgroup, &moved, why, sizeof(why));
	if (sf_diag_verbosity() > 0 && moved)
		sf_info("placement: %u process%s the command left running moved out of %s, back to "
			"sysfault's cgroup", moved, moved == 1 ? "" : "es", path ? path : "its cgroup");
	if (sf_diag_verbosity() > 0 && err < 0)
		sf_info("placement: the cgroup %s is left in place: %s", path ? path : "of the run", why);
	free(path);
}

void sf_placement_launched(struct sf_placement *p, int cgroup_err)
{
	if (!p->is_pinned)
		return;
	if (p->cgroup.path && cgroup_err < 0) {
		snprintf(p->why_no_cgroup, sizeof(p->why_no_cgroup), "the command could not be "
			 "started in %s: clone3: %s", p->cgroup.path, strerror(-cgroup_err));
		remove_cgroup(p);
	}
	sf_placement_measure(p, p->cgroup.path ? SF_SOURCE_CGROUP : SF_SOURCE_RUN_DELAY, NULL,
			     sf_now_ns());
	if (sf_diag_verbosity() <= 0)
		return;
	if (p->source == SF_SOURCE_CGROUP)
		sf_info("placement: sysfault and the command on CPU %d; the tree's waiting for a CPU "
			"read from its cgroup %s", p->cpu, p->cgroup.path);
	else
		sf_info("placement: sysfault and the command on CPU %d; the tree's waiting for a CPU "
			"read from its tasks' run delay (no cgroup of its own: %s)", p->cpu,
			p->why_no_cgroup);
}

void sf_placement_unpin(struct sf_placement *p, const pid_t *tids, unsigned n)
{
	if (!p->is_pinned)
		return;
	p->is_pinned = false;
	p->has_unpinned = true;
	sched_setaffinity(0, sizeof(p->original), &p->original);
	for (unsigned i = 0; i < n; i++)
		sched_setaffinity(tids[i], sizeof(p->original), &p->original);
}

/* With -v, how much the tree waited over the run, its last part window included. */
static void say_waiting(struct sf_placement *p)
{
	uint64_t now = sf_now_ns();
	double share;

	if (now >= p->window_start_ns + SF_PLACEMENT_MIN_TAIL_NS || !p->windows)
		sf_placement_window_done(p, now, &share);
	sf_info("placement: the tree stayed on CPU %d; it waited for a CPU %.0f%% of the time "
		"(%.0f%% at most, over %u window%s of up to %.0f ms; %s)", p->cpu,
		p->sum_share / p->windows * 100, p->max_share * 100, p->windows,
		p->windows == 1 ? "" : "s", SF_PLACEMENT_WINDOW_NS / 1e6, sf_placement_source_name(p));
}

void sf_placement_release(struct sf_placement *p)
{
	if (sf_diag_verbosity() > 0 && p->is_pinned && p->source != SF_SOURCE_NONE)
		say_waiting(p);
	sf_placement_unpin(p, NULL, 0);
	remove_cgroup(p);
	p->source = SF_SOURCE_NONE;
}

/* ---- which calls read or set an affinity, per ABI (names from libseccomp) ---- */

static int affinity_nr[SF_ABI_COUNT][2];   /* [abi][0: get, 1: set], -1: none */
static bool has_numbers;

static void load_numbers(void)
{
	if (has_numbers)
		return;
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		affinity_nr[abi][0] = sf_syscall_number((enum sf_abi)abi, "sched_getaffinity");
		affinity_nr[abi][1] = sf_syscall_number((enum sf_abi)abi, "sched_setaffinity");
	}
	has_numbers = true;
}

bool sf_placement_watches(enum sf_abi abi, unsigned nr)
{
	load_numbers();
	return (int)abi >= 0 && abi < SF_ABI_COUNT &&
	       (affinity_nr[abi][0] == (int)nr || affinity_nr[abi][1] == (int)nr);
}

bool sf_placement_is_get(enum sf_abi abi, unsigned nr)
{
	load_numbers();
	return (int)abi >= 0 && abi < SF_ABI_COUNT && affinity_nr[abi][0] == (int)nr;
}

/* ---- measuring the wait ---- */

void sf_placement_measure(struct sf_placement *p, enum sf_placement_source source,
			  const struct sf_placement_probe *probe, uint64_t now)
{
	p->probe = probe ? probe : &real_probe;
	p->source = source;
	/* Without a first total, the first window would count the cgroup's whole life. */
	if (source == SF_SOURCE_CGROUP && p->probe->cgroup_pressure(&p->cgroup, &p->cgroup_at) < 0)
		p->source = SF_SOURCE_RUN_DELAY;
	if (p->probe->run_delay_ns(0, &p->tracer_delay_ns) < 0)
		p->tracer_delay_ns = 0;
	p->window_start_ns = now;
	p->waited_ns = 0;
	p->runnable = p->was_runnable = 0;
	p->windows = 0;
	p->max_share = p->sum_share = 0;
}

uint64_t sf_placement_next_check(const struct sf_placement *p)
{
	return (p->is_pinned || p->watches_parallel) && p->source != SF_SOURCE_NONE
		       ? p->window_start_ns + SF_PLACEMENT_WINDOW_NS
		       : UINT64_MAX;
}

void sf_placement_sample(struct sf_placement *p, pid_t tid, uint64_t *last)
{
	uint64_t delay;

	if (!p->probe || p->probe->run_delay_ns(tid, &delay) < 0)
		return;
	if (delay > *last)
		p->waited_ns += delay - *last;
	*last = delay;
	/* A task waiting now has that wait added to its run delay only once it runs. */
	if (tid && p->probe->is_runnable(tid))
		p->runnable++;
}

bool sf_placement_samples_threads(const struct sf_placement *p)
{
	return p->is_pinned && p->source == SF_SOURCE_RUN_DELAY;
}

/*
 * The cgroup's waiting since the window's start, in ns, and in *PARALLEL
 * the part of it in which another of its tasks ran; none if the file
 * cannot be read.  Without a full line *PARALLEL is 0: which part it is
 * cannot be told (sf_placement_window_done then takes crowding as parallel).
 */
static uint64_t cgroup_waited_ns(struct sf_placement *p, uint64_t *parallel)
{
	struct sf_pressure now;

	*parallel = 0;
	if (p->probe->cgroup_pressure(&p->cgroup, &now) < 0)
		return 0;
	const struct sf_pressure *at = &p->cgroup_at;
	uint64_t some = now.some_us > at->some_us ? now.some_us - at->some_us : 0;
	uint64_t full = now.full_us > at->full_us ? now.full_us - at->full_us : 0;
	*parallel = now.has_full && some > full ? (some - full) * 1000 : 0;
	p->cgroup_at = now;
	return some * 1000;
}

enum sf_window sf_placement_window_done(struct sf_placement *p, uint64_t now, double *share)
{
	uint64_t span = now > p->window_start_ns ? now - p->window_start_ns : 1;
	uint64_t parallel_ns = 0;

	/*
	 * The tracer is not in the cgroup (moving it would cost a grace
	 * period), and its own wait is needed: a program holding the CPU
	 * keeps it waiting as much as the tree (a shell loop beside a CPU
	 * hog: the tracer 68% of the time, the tree's cgroup 6%).
	 */
	sf_placement_sample(p, 0, &p->tracer_delay_ns);
	if (p->source == SF_SOURCE_CGROUP)
		p->waited_ns += cgroup_waited_ns(p, &parallel_ns);
	/*
	 * A tracer and a serial tree taking turns on the CPU wait 3-40% of the
	 * time under ptrace stops and 50-55% under the notify engine's
	 * hand-offs (each woken task waits for the other to sleep), two busy
	 * tasks sharing it about 100% (README, Engine: CPU placement).  The
	 * run delay misses the processes that lived between two looks (a
	 * make -j2 of small files: 30-60%), but at the end of 60-100% of its
	 * windows two of its tasks are runnable, never in a serial tree's:
	 * one look could be the instant of a fork, two in a row are not.  The
	 * cgroup's some - full is its tasks waiting on each other: about 90%
	 * of a window in that make -j2 pinned, 0 in a serial tree.
	 */
	bool is_parallel = (p->runnable >= 2 && p->was_runnable >= 2) ||
			   (p->source == SF_SOURCE_CGROUP && parallel_ns * 4 >= span);
	bool is_crowded = p->waited_ns * 2 >= span;
	p->was_runnable = p->runnable;
	p->runnable = 0;
	*share = (double)p->waited_ns / (double)span;
	p->windows++;
	p->sum_share += *share;
	if (*share > p->max_share)
		p->max_share = *share;
	p->window_start_ns = now;
	p->waited_ns = 0;
	/* Told apart only by the cgroup's full line; the run delay cannot, so crowding unpins as parallel. */
	if (is_parallel || (is_crowded && (p->source != SF_SOURCE_CGROUP || !p->cgroup_at.has_full)))
		return SF_WINDOW_PARALLEL;
	return is_crowded ? SF_WINDOW_STALLED : SF_WINDOW_CALM;
}

void sf_placement_say_crowded(const struct sf_placement *p, enum sf_window what, double share)
{
	if (what == SF_WINDOW_PARALLEL && share * 2 < 1 && p->was_runnable >= 2)
		sf_info("placement: %u of the tree's tasks were runnable on CPU %d at two looks in a row "
			"(%.0f%% of the last %.0f ms waiting, %s): the tree is given all its CPUs back",
			p->was_runnable, p->cpu, share * 100, SF_PLACEMENT_WINDOW_NS / 1e6,
			sf_placement_source_name(p));
	else if (what == SF_WINDOW_PARALLEL && share * 2 < 1)
		sf_info("placement: the tree's tasks waited for each other on CPU %d (%.0f%% of the last %.0f ms "
			"waiting, %s): the tree is given all its CPUs back", p->cpu, share * 100,
			SF_PLACEMENT_WINDOW_NS / 1e6, sf_placement_source_name(p));
	else
		sf_info("placement: the tree waited %.0f%% of the last %.0f ms for CPU %d (%s): "
			"the tree is given all its CPUs back", share * 100, SF_PLACEMENT_WINDOW_NS / 1e6,
			p->cpu, sf_placement_source_name(p));
}

const char *sf_placement_source_name(const struct sf_placement *p)
{
	return p->source == SF_SOURCE_CGROUP ? "its cgroup's CPU pressure and sysfault's run delay"
					     : "its tasks' and sysfault's run delay";
}

/* ---- what a pinned task reads ---- */

int sf_placement_fix_get(const struct sf_placement *p, pid_t tid, uint64_t addr, size_t len)
{
	unsigned char mask[sizeof(cpu_set_t)];

	if (len > sizeof(mask))
		len = sizeof(mask);
	/* Little-endian bit order: the bytes are the same for 32- and 64-bit longs. */
	memcpy(mask, &p->original, len);
	return sf_mem_write(tid, addr, mask, len);
}
