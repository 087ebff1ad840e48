/*
 * Timer queue for delays: a min-heap of deadlines, so a held thread never
 * blocks the event loop and other tracees keep running meanwhile.
 */
#ifndef SF_TIMER_H
#define SF_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sf_timer {
	uint64_t deadline_ns;    /* CLOCK_MONOTONIC */
	pid_t tid;               /* tracee to resume */
	uint64_t token;          /* stale when it no longer matches the tracee's */
};

struct sf_timers {
	struct sf_timer *heap;
	unsigned n, cap;
};

uint64_t sf_now_ns(void);
void sf_timers_release(struct sf_timers *q);
int sf_timers_add(struct sf_timers *q, struct sf_timer t);  /* 0 or -ENOMEM */
/* The earliest deadline, or UINT64_MAX when empty. */
uint64_t sf_timers_next(const struct sf_timers *q);
/* Pops one timer due at NOW into *OUT; false when none is due. */
bool sf_timers_pop_due(struct sf_timers *q, uint64_t now, struct sf_timer *out);

#endif
