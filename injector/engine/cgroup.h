/*
 * The run's cgroup: a cgroup v2 directory, sysfault-PID, made under
 * sysfault's own cgroup for the command to be born in, only so that CPU
 * placement can read how long the tree waited for a CPU (its
 * cpu.pressure, which counts every task of the cgroup, short-lived ones
 * too).  It never enables a controller nor sets a limit, and is made only
 * where the parent enables none for its children: the tree gets the CPU
 * time, memory and pids it would get in sysfault's own cgroup.  sysfault
 * itself is never moved (see sf_cgroup_make).
 */
#ifndef SF_CGROUP_H
#define SF_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sf_cgroup {
	char *parent;      /* sysfault's own cgroup, as a directory of the cgroup2 mount */
	char *path;        /* PARENT/sysfault-PID; NULL when none is made */
	int dir_fd;        /* PATH, for clone3's CLONE_INTO_CGROUP; -1 when none */
	int pressure_fd;   /* PATH/cpu.pressure, re-read at every window; -1 when none */
};

/* The prefix of the directories' names; the tracer's pid follows. */
#define SF_CGROUP_PREFIX "sysfault-"

/* An empty struct: nothing made, nothing to remove. */
void sf_cgroup_init(struct sf_cgroup *cg);

/*
 * Makes the run's cgroup under the calling process's own, after removing
 * the empty ones that sysfaults no longer alive left beside it (killed
 * before they could).  Returns 0, or -errno with WHY saying what stood in
 * the way (no cgroup2 mount, no write access, controllers enabled for the
 * parent's children, no pressure files); CG is then left empty.
 */
int sf_cgroup_make(struct sf_cgroup *cg, char *why, size_t whylen);

/*
 * The totals of a cpu.pressure file, in microseconds: SOME, in which at
 * least one of the cgroup's tasks waited for a CPU; FULL, in which all of
 * its runnable tasks did (so SOME - FULL is time in which one of its tasks
 * waited while another of them ran).  HAS_FULL: the file has the full line
 * (Linux 5.13 for CPU).
 */
struct sf_pressure {
	uint64_t some_us, full_us;
	bool has_full;
};

/* The cgroup's cpu.pressure totals; 0 or -errno. */
int sf_cgroup_read_pressure(const struct sf_cgroup *cg, struct sf_pressure *ps);

/*
 * Removes the run's cgroup.  Processes still in it (untraced ones the tree
 * left running) are moved back to the parent first; *MOVED says how many.
 * Returns 0, or -errno with WHY when the directory had to be left in place
 * (say, cgroups the command made inside it).  CG is empty afterwards.
 */
int sf_cgroup_remove(struct sf_cgroup *cg, unsigned *moved, char *why, size_t whylen);

/* A pressure file's TEXT: its "some ... total=N" line first, then maybe "full ... total=M"; 0 or -EINVAL. */
int sf_cgroup_parse_pressure(const char *text, struct sf_pressure *ps);

/*
 * Where the cgroup CGPATH (as /proc/self/cgroup names it) is as a
 * directory, from one LINE of /proc/self/mountinfo ("ID PARENT MAJ:MIN
 * ROOT MOUNTPOINT OPTIONS... - cgroup2 SOURCE ..."): malloc'd, or NULL
 * when the line is no cgroup2 mount or shows another subtree.
 */
char *sf_cgroup_dir_in_mount(const char *line, const char *cgpath);

#endif
