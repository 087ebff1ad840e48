/*
 * CPU placement: pin the tracer and a single-threaded tree to one CPU,
 * unpin at the first fork or thread.  Failures only cost speed, so they
 * are ignored.
 */
#include "placement.h"

#include <stdlib.h>
#include <string.h>

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
}

void sf_placement_unpin(struct sf_placement *p, const pid_t *tids, unsigned n)
{
	if (!p->is_pinned)
		return;
	p->is_pinned = false;
	sched_setaffinity(0, sizeof(p->original), &p->original);
	for (unsigned i = 0; i < n; i++)
		sched_setaffinity(tids[i], sizeof(p->original), &p->original);
}
