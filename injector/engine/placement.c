/*
 * CPU placement: pin, measure how long the pinned tasks wait for their
 * CPU, unpin when it is too long.  Failures only cost speed, so they are
 * ignored, except the affinity the command reads: that must be right.
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

#include "engine/timer.h"
#include "engine/tracee_mem.h"

/* A small /proc file, NUL-terminated. */
static bool read_proc(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return true;
}

/* "some ... total=N": microseconds in which at least one task waited for a CPU. */
static bool read_psi(uint64_t *some_us)
{
	char buf[256];

	if (!read_proc("/proc/pressure/cpu", buf, sizeof(buf)))
		return false;
	const char *total = strstr(buf, "total=");
	return !strncmp(buf, "some ", 5) && total && sscanf(total, "total=%" SCNu64, some_us) == 1;
}

/* /proc/TID/schedstat: time on the CPU, time waiting on a run queue, slices (ns). */
static bool read_run_delay(pid_t tid, uint64_t *delay)
{
	char path[64], buf[128];
	uint64_t run;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/schedstat", tid);
	else
		snprintf(path, sizeof(path), "/proc/thread-self/schedstat");
	return read_proc(path, buf, sizeof(buf)) && sscanf(buf, "%" SCNu64 " %" SCNu64, &run, delay) == 2;
}

void sf_placement_pin(struct sf_placement *p)
{
	const char *env = getenv("SYSFAULT_PIN");
	cpu_set_t one;

	memset(p, 0, sizeof(*p));
	if (env && !strcmp(env, "0"))
		return;
	if (sched_getaffinity(0, sizeof(p->original), &p->original) < 0 ||
	    CPU_COUNT(&p->original) < 2)
		return;
	int cpu = sched_getcpu();
	if (cpu < 0 || !CPU_ISSET(cpu, &p->original))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	p->is_pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	if (!p->is_pinned)
		return;
	p->window_start_ns = sf_now_ns();
	p->has_psi = read_psi(&p->psi_some_us);
	if (!p->has_psi)   /* the tracer's run delay so far is the baseline */
		read_run_delay(0, &p->tracer_delay_ns);
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

uint64_t sf_placement_next_check(const struct sf_placement *p)
{
	return p->is_pinned ? p->window_start_ns + SF_PLACEMENT_WINDOW_NS : UINT64_MAX;
}

void sf_placement_sample(struct sf_placement *p, pid_t tid, uint64_t *last)
{
	uint64_t delay;

	if (!read_run_delay(tid, &delay))
		return;
	if (delay > *last)
		p->waited_ns += delay - *last;
	*last = delay;
}

bool sf_placement_samples_threads(const struct sf_placement *p)
{
	return !p->has_psi;
}

bool sf_placement_window_done(struct sf_placement *p, uint64_t now, double *share)
{
	uint64_t span = now > p->window_start_ns ? now - p->window_start_ns : 1;
	uint64_t some_us;

	if (p->has_psi && read_psi(&some_us)) {
		p->waited_ns = some_us > p->psi_some_us ? (some_us - p->psi_some_us) * 1000 : 0;
		p->psi_some_us = some_us;
	} else {
		sf_placement_sample(p, 0, &p->tracer_delay_ns);
	}
	/* A tracer and a tree taking turns wait 5-25% (each resume waits for the tracer
	 * to sleep); two busy tasks sharing the CPU wait nearly all the time. */
	bool is_crowded = p->waited_ns * 2 >= span;
	*share = (double)p->waited_ns / (double)span;
	p->window_start_ns = now;
	p->waited_ns = 0;
	return is_crowded;
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
