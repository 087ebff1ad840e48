/*
 * Pending signals of a held thread, from /proc/TID/status: the sets the
 * kernel would look at when the thread next returns to user space.  Only
 * reads; what to do about them is the engine's.
 */
#include "engine/pending.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define BIT(sig) (1ull << ((sig) - 1))

/*
 * The signals whose default action is to ignore them (signal(7), "Ign"):
 * without a handler the kernel drops them and a sleeping call goes on.
 */
#define SF_DEFAULT_IGNORED (BIT(SIGCHLD) | BIT(SIGCONT) | BIT(SIGURG) | BIT(SIGWINCH))

static void take_field(const char *line, struct sf_pending *p)
{
	static const struct { const char *key; size_t offset; } fields[] = {
		{ "SigPnd:", offsetof(struct sf_pending, thread) },
		{ "ShdPnd:", offsetof(struct sf_pending, shared) },
		{ "SigBlk:", offsetof(struct sf_pending, blocked) },
		{ "SigIgn:", offsetof(struct sf_pending, ignored) },
		{ "SigCgt:", offsetof(struct sf_pending, caught) },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t n = strlen(fields[i].key);
		if (!strncmp(line, fields[i].key, n)) {
			sscanf(line + n, "%" SCNx64, (uint64_t *)((char *)p + fields[i].offset));
			return;
		}
	}
}

int sf_pending_read(pid_t tid, struct sf_pending *p)
{
	char path[64], line[256];

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		take_field(line, p);
	fclose(f);
	return 0;
}

bool sf_pending_acts(const struct sf_pending *p, int except)
{
	uint64_t pending = (p->thread | p->shared) & ~p->blocked & ~p->ignored;

	pending &= ~(SF_DEFAULT_IGNORED & ~p->caught);
	if (except > 0 && except <= 64)
		pending &= ~BIT(except);
	return pending != 0;
}
