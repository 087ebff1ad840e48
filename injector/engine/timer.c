/*
 * Timer queue: binary min-heap keyed by deadline.
 */
#include "engine/timer.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

uint64_t sf_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sf_timers_release(struct sf_timers *q)
{
	free(q->heap);
	q->heap = NULL;
	q->n = q->cap = 0;
}

static void swap(struct sf_timer *a, struct sf_timer *b)
{
	struct sf_timer t = *a;
	*a = *b;
	*b = t;
}

int sf_timers_add(struct sf_timers *q, struct sf_timer t)
{
	if (q->n == q->cap) {
		unsigned ncap = q->cap ? q->cap * 2 : 16;
		struct sf_timer *h = realloc(q->heap, ncap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		q->heap = h;
		q->cap = ncap;
	}
	unsigned i = q->n++;
	q->heap[i] = t;
	while (i && q->heap[(i - 1) / 2].deadline_ns > q->heap[i].deadline_ns) {
		swap(&q->heap[(i - 1) / 2], &q->heap[i]);
		i = (i - 1) / 2;
	}
	return 0;
}

uint64_t sf_timers_next(const struct sf_timers *q)
{
	return q->n ? q->heap[0].deadline_ns : UINT64_MAX;
}

bool sf_timers_pop_due(struct sf_timers *q, uint64_t now, struct sf_timer *out)
{
	if (!q->n || q->heap[0].deadline_ns > now)
		return false;
	*out = q->heap[0];
	q->heap[0] = q->heap[--q->n];
	for (unsigned i = 0;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->n && q->heap[l].deadline_ns < q->heap[m].deadline_ns)
			m = l;
		if (r < q->n && q->heap[r].deadline_ns < q->heap[m].deadline_ns)
			m = r;
		if (m == i)
			break;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
	return true;
}
