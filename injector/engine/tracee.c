/*
 * Tracee table: open-addressing hash tables keyed by tid and by tgid, so a
 * tree of thousands of threads costs one probe per stop and no fixed limit;
 * and which group a new task joins, asked of the kernel (or, rarely, /proc).
 */
#include "engine/tracee.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sf_tracee_table {
	struct sf_tracee **slots;    /* tid -> tracee; NULL empty, TOMB removed */
	unsigned cap, used, live;
	struct sf_group **groups;    /* tgid -> group, same scheme */
	unsigned gcap, gused;
	uint64_t created, groups_created;
	unsigned comm_fds;           /* tracees' kept comm files (sf_tracee_read_comm) */
	unsigned comm_fds_max;       /* how many may be kept */
};

static char tombstone;
#define TOMB ((void *)&tombstone)

static unsigned hash_pid(pid_t pid, unsigned cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

/* SF_TRACEE_COMM_FDS_MAX, or half the descriptors the soft limit allows when that is fewer. */
static unsigned comm_fds_allowed(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur == RLIM_INFINITY ||
	    lim.rlim_cur / 2 >= SF_TRACEE_COMM_FDS_MAX)
		return SF_TRACEE_COMM_FDS_MAX;
	return (unsigned)(lim.rlim_cur / 2);
}

struct sf_tracee_table *sf_tracee_table_new(void)
{
	struct sf_tracee_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = t->gcap = 64;
	t->comm_fds_max = comm_fds_allowed();
	t->slots = calloc(t->cap, sizeof(*t->slots));
	t->groups = calloc(t->gcap, sizeof(*t->groups));
	if (!t->slots || !t->groups) {
		sf_tracee_table_free(t);
		return NULL;
	}
	return t;
}

static void group_free(struct sf_group *g)
{
	sf_counters_free(g->counters);
	free(g->lineage);
	free(g->exe);
	free(g);
}

static void tracee_free(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	sf_tracee_forget_comm(t, tr);
	sf_counters_free(tr->counters);
	free(tr);
}

void sf_tracee_table_free(struct sf_tracee_table *t)
{
	if (!t)
		return;
	for (unsigned i = 0; t->slots && i < t->cap; i++)
		if (t->slots[i] && t->slots[i] != TOMB)
			tracee_free(t, t->slots[i]);
	for (unsigned i = 0; t->groups && i < t->gcap; i++)
		if (t->groups[i] && t->groups[i] != TOMB)
			group_free(t->groups[i]);
	free(t->slots);
	free(t->groups);
	free(t);
}

/* Generic probe over an array of pointers whose first field is a pid. */
static int probe(void **slots, unsigned cap, pid_t pid, bool for_insert)
{
	unsigned i = hash_pid(pid, cap);
	int first_free = -1;

	for (unsigned n = 0; n < cap; n++, i = (i + 1) & (cap - 1)) {
		void *s = slots[i];
		if (!s)
			return for_insert && first_free >= 0 ? first_free : (for_insert ? (int)i : -1);
		if (s == TOMB) {
			if (first_free < 0)
				first_free = (int)i;
			continue;
		}
		if (*(pid_t *)s == pid)
			return (int)i;
	}
	return for_insert ? first_free : -1;
}

static int rehash(void ***slots, unsigned *cap, unsigned *used, unsigned live)
{
	unsigned ncap = *cap;
	while (live * 2 >= ncap)
		ncap *= 2;
	void **ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (unsigned i = 0; i < *cap; i++) {
		void *s = (*slots)[i];
		if (s && s != TOMB)
			ns[probe(ns, ncap, *(pid_t *)s, true)] = s;
	}
	free(*slots);
	*slots = ns;
	*cap = ncap;
	*used = live;
	return 0;
}

struct sf_tracee *sf_tracee_find(struct sf_tracee_table *t, pid_t tid)
{
	int i = probe((void **)t->slots, t->cap, tid, false);
	return i < 0 ? NULL : t->slots[i];
}

static unsigned group_live(const struct sf_tracee_table *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->gcap; i++)
		n += t->groups[i] && t->groups[i] != TOMB;
	return n;
}

static struct sf_group *group_get(struct sf_tracee_table *t, pid_t tgid)
{
	int i = probe((void **)t->groups, t->gcap, tgid, false);
	if (i >= 0)
		return t->groups[i];
	if ((t->gused + 1) * 4 >= t->gcap * 3 &&
	    rehash((void ***)&t->groups, &t->gcap, &t->gused, group_live(t)))
		return NULL;
	struct sf_group *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->tgid = tgid;
	g->serial = ++t->groups_created;
	i = probe((void **)t->groups, t->gcap, tgid, true);
	if (!t->groups[i])
		t->gused++;
	t->groups[i] = g;
	return g;
}

static void group_put(struct sf_tracee_table *t, struct sf_group *g)
{
	if (--g->threads)
		return;
	int i = probe((void **)t->groups, t->gcap, g->tgid, false);
	if (i >= 0 && t->groups[i] == g)
		t->groups[i] = TOMB;
	group_free(g);
}

static int slot_insert(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	if ((t->used + 1) * 4 >= t->cap * 3 &&
	    rehash((void ***)&t->slots, &t->cap, &t->used, t->live))
		return -1;
	int i = probe((void **)t->slots, t->cap, tr->tid, true);
	if (!t->slots[i])
		t->used++;
	t->slots[i] = tr;
	t->live++;
	return 0;
}

static void slot_delete(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	int i = probe((void **)t->slots, t->cap, tr->tid, false);
	if (i >= 0 && t->slots[i] == tr) {
		t->slots[i] = TOMB;
		t->live--;
	}
}

struct sf_tracee *sf_tracee_add(struct sf_tracee_table *t, pid_t tid, pid_t tgid)
{
	struct sf_tracee *tr = calloc(1, sizeof(*tr));
	struct sf_group *g = group_get(t, tgid);

	if (!tr || !g) {
		free(tr);
		return NULL;
	}
	tr->tid = tid;
	tr->group = g;
	tr->comm_fd = -1;
	g->threads++;
	tr->serial = ++t->created;
	if (slot_insert(t, tr)) {
		group_put(t, g);
		free(tr);
		return NULL;
	}
	return tr;
}

void sf_tracee_remove(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	slot_delete(t, tr);
	group_put(t, tr->group);
	tracee_free(t, tr);
}

void sf_tracee_retid(struct sf_tracee_table *t, struct sf_tracee *tr, pid_t new_tid)
{
	slot_delete(t, tr);
	tr->tid = new_tid;
	slot_insert(t, tr);
}

static int open_comm(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The comm file, kept when T allows one more; -1 when none is (the caller opens its own). */
static int kept_comm_fd(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	if (tr->comm_fd >= 0 || !t || t->comm_fds >= t->comm_fds_max)
		return tr->comm_fd;
	tr->comm_fd = open_comm(tr->tid);
	if (tr->comm_fd >= 0)
		t->comm_fds++;
	return tr->comm_fd;
}

ssize_t sf_tracee_read_comm(struct sf_tracee_table *t, struct sf_tracee *tr, char *buf, size_t size)
{
	int fd = kept_comm_fd(t, tr);
	ssize_t n;

	if (fd >= 0) {
		n = pread(fd, buf, size - 1, 0);   /* the file is made anew at each read from 0 */
	} else {
		fd = open_comm(tr->tid);
		if (fd < 0)
			return -1;
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return (ssize_t)strlen(buf);
}

void sf_tracee_forget_comm(struct sf_tracee_table *t, struct sf_tracee *tr)
{
	if (tr->comm_fd < 0)
		return;
	close(tr->comm_fd);
	tr->comm_fd = -1;
	if (t)
		t->comm_fds--;
}

unsigned sf_tracee_count(const struct sf_tracee_table *t)
{
	return t->live;
}

uint64_t sf_tracee_created(const struct sf_tracee_table *t)
{
	return t->created;
}

void sf_tracee_foreach(struct sf_tracee_table *t, void (*fn)(struct sf_tracee *, void *), void *arg)
{
	/* Removing marks slot I a tombstone and never rehashes: FN may remove the one it is given. */
	for (unsigned i = 0; i < t->cap; i++)
		if (t->slots[i] && t->slots[i] != TOMB)
			fn(t->slots[i], arg);
}

bool sf_tracee_is_in_group(pid_t tgid, pid_t tid)
{
	return syscall(SYS_tgkill, tgid, tid, 0) == 0 || errno == EPERM;
}

/* The positive decimal number after KEY in TEXT, or FALLBACK. */
static pid_t status_field(const char *text, const char *key, pid_t fallback)
{
	const char *p = strstr(text, key);
	char *end;

	if (!p)
		return fallback;
	long v = strtol(p + strlen(key), &end, 10);
	return end == p + strlen(key) || v <= 0 || v > INT32_MAX ? fallback : (pid_t)v;
}

int sf_tracee_read_status(pid_t tid, struct sf_proc_status *st)
{
	/* State, Tgid, PPid and TracerPid are in the first lines, well within 512 bytes. */
	char path[64], text[512];
	ssize_t n = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	const char *state = strstr(text, "\nState:");
	*st = (struct sf_proc_status){
		.tgid = status_field(text, "\nTgid:", -1),
		.ppid = status_field(text, "\nPPid:", 0),
		.tracer = status_field(text, "\nTracerPid:", 0),
		.state = state ? state[strspn(state + 7, " \t") + 7] : 0,
	};
	/* A thread that ended after the open leaves an empty file. */
	return st->tgid > 0 ? 0 : -ESRCH;
}

pid_t sf_tracee_read_ids(pid_t tid, pid_t *ppid)
{
	struct sf_proc_status st;
	bool is_read = sf_tracee_read_status(tid, &st) == 0;

	if (ppid)
		*ppid = is_read ? st.ppid : 0;
	return is_read ? st.tgid : tid;
}
