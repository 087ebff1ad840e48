/*
 * integ_placement: sysfault keeps the tree on one CPU while that costs
 * nothing, and the command cannot tell.  sched_getaffinity() answers what
 * it would have answered natively, in the first process, in a thread and
 * in a child; an affinity the command sets itself is kept, in its children
 * too; a tree with work for two CPUs gets them back.  The command is born
 * in a cgroup of the run's (sysfault-PID, beside sysfault's own), which is
 * gone when sysfault ends: after a background process, after an untraced
 * process left running (moved back), after a sysfault killed (the next run
 * removes it); without a cgroup (SYSFAULT_PIN=nocgroup, one that cannot be
 * made, clone3 refused) the tree is placed as well.  These need at least two CPUs: on
 * one, sysfault never pins and the suite is not registered; the cgroup's
 * tests are named as not run where sysfault can make none, with its reason.
 */
#include "harness.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 20.0
#define NO_OP "-e", "getppid:error=EIO:when=9999"

static char native_count[64];

static void test_placement__affinity_reads_as_native(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("affinity"),
		     "count", NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, native_count), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("affinity"),
		     "thread", NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, native_count), &p);
	sf_proc_release(&p);
	/* A child of a shell, itself a child: all still pinned, all told the native set. */
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sh", "-c",
		     "\"$0\" count; sh -c '\"$0\" count' \"$0\"", sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.out, native_count) == 2 &&
		       sf_count_lines(p.out) == 2, &p);
	sf_proc_release(&p);
}

/* The tree really is on one CPU meanwhile: /proc says so (it is not rewritten). */
static void test_placement__tree_starts_on_one_cpu(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sh", "-c",
		     "grep Cpus_allowed_list /proc/self/status", NULL);
	const char *list = strstr(p.out, "Cpus_allowed_list:");
	SF_ASSERT_PROC(p.status == 0 && list && !strpbrk(list + 18, ",-"), &p);
	sf_proc_release(&p);
}

static void test_placement__affinity_the_command_sets_is_kept(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "taskset", "-c", "0", "sh", "-c",
		     "\"$0\" count; sh -c '\"$0\" count; grep Cpus_allowed_list /proc/self/status' \"$0\"",
		     sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines_with(p.out, "cpus 1") == 2 &&
		       sf_has_line(p.out, "Cpus_allowed_list:\t0"), &p);
	sf_proc_release(&p);
}

static void test_placement__tree_with_parallel_work_gets_its_cpus_back(void)
{
	struct sf_proc native, p;
	sf_proc_sh(&native, T, "grep Cpus_allowed_list /proc/self/status");
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", "sh", "-c",
		     "\"$0\" spin 600 && grep Cpus_allowed_list /proc/self/status",
		     sf_test_target("affinity"), NULL);
	SF_ASSERT_PROC(p.status == 0 && strstr(p.err, "the tree is given all its CPUs back"), &p);
	SF_ASSERT_PROC(native.out[0] && sf_has_line(p.out, strtok(native.out, "\n")), &p);
	sf_proc_release(&native);
	sf_proc_release(&p);
}

/* ---- the run's cgroup ---- */

/* The directory -v names: "... read from its cgroup DIR" (a static buffer), or "". */
static const char *cgroup_named(const char *err)
{
	static char dir[4096];
	const char *at = strstr(err ? err : "", "read from its cgroup ");

	dir[0] = 0;
	if (at)
		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(at + 21, "\n"), at + 21);
	return dir;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The "0::" line of /proc/PID/cgroup (0: the test's own), in a static buffer per call ring. */
static const char *cgroup_line(pid_t pid)
{
	static char ring[4][4096];
	static int next;
	char path[64], *text;
	char *line = ring[next++ % 4];

	snprintf(path, sizeof(path), pid ? "/proc/%d/cgroup" : "/proc/self/cgroup", pid);
	text = sf_read_file(path);
	const char *at = text ? strstr(text, "0::") : NULL;
	snprintf(line, sizeof(ring[0]), "%.*s", at ? (int)strcspn(at, "\n") : 0, at ? at : "");
	free(text);
	return line;
}

/* Whether the line "0::PATH" of OUT is the one of the cgroup DIR (it ends with DIR's last part). */
static bool shows_cgroup(const char *out, const char *dir)
{
	const char *name = strrchr(dir, '/');
	char line[256];

	if (!name || !strstr(name, "/sysfault-"))
		return false;
	snprintf(line, sizeof(line), "%s\n", name);
	const char *at = strstr(out, "0::");
	return at && strstr(at, line) == at + strcspn(at, "\n") - strlen(name);
}

static void test_placement__command_is_born_in_the_run_s_cgroup_removed_at_the_end(void)
{
	struct sf_proc p;
	const char *own = cgroup_line(0);

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", "cat", "/proc/self/cgroup",
		     NULL);
	const char *dir = cgroup_named(p.err);
	SF_ASSERT_PROC(p.status == 0 && dir[0] && shows_cgroup(p.out, dir) && !exists(dir), &p);
	/* sysfault's own cgroup is not changed, nor the test's. */
	CU_ASSERT_STRING_EQUAL(cgroup_line(0), own);
	sf_proc_release(&p);
}

static void test_placement__background_process_ends_before_the_cgroup_is_removed(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", "sh", "-c",
		     "(sleep 0.3; cat /proc/self/cgroup) & exit 0", NULL);
	const char *dir = cgroup_named(p.err);
	SF_ASSERT_PROC(p.status == 0 && dir[0] && shows_cgroup(p.out, dir) && !exists(dir), &p);
	sf_proc_release(&p);
}

static void test_placement__untraced_process_left_running_is_moved_back(void)
{
	struct sf_proc p;
	char line[256];

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", sf_test_target("untraced_sleeper"),
		     "5000", NULL);
	const char *dir = cgroup_named(p.err);
	const char *child = strstr(p.out ? p.out : "", "child ");
	pid_t pid = child ? (pid_t)atoi(child + 6) : 0;
	snprintf(line, sizeof(line), "placement: 1 process the command left running moved out of %s, "
		 "back to sysfault's cgroup", dir);
	SF_ASSERT_PROC(p.status == 0 && dir[0] && !exists(dir) && strstr(p.err, line) && pid > 0, &p);
	/* It goes on in the cgroup of the test (and of sysfault). */
	CU_ASSERT_STRING_EQUAL(cgroup_line(pid), cgroup_line(0));
	if (pid > 0)
		kill(pid, SIGKILL);
	sf_proc_release(&p);
}

/* SIGKILL leaves the directory (EXITKILL empties it); the next run removes it. */
static void test_placement__killed_sysfault_s_cgroup_is_removed_by_the_next_run(void)
{
	struct sf_proc p;
	const char *log = sf_test_tmpfile("killed.err", NULL);

	sf_proc_sh(&p, T,
		   "'%s' run -v -e getppid:error=EIO:when=9999 -- sleep 30 2>'%s' & pid=$!\n"
		   "for i in $(seq 100); do grep -q 'read from its cgroup' '%s' && break; sleep 0.05; done\n"
		   "dir=$(sed -n 's/.*read from its cgroup //p' '%s')\n"
		   "kill -KILL $pid; wait $pid\n"
		   "for i in $(seq 100); do [ -s \"$dir/cgroup.procs\" ] || break; sleep 0.05; done\n"
		   "[ -n \"$dir\" ] && [ -d \"$dir\" ] && echo left\n"
		   "'%s' run -e getppid:error=EIO:when=9999 -- true && [ ! -e \"$dir\" ] && echo removed\n",
		   sf_test_sysfault(), log, log, log, sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0 && sf_has_line(p.out, "left") && sf_has_line(p.out, "removed"), &p);
	sf_proc_release(&p);
}

/* ---- without one ---- */

static void test_placement__nocgroup_places_the_tree_in_sysfault_s_cgroup(void)
{
	struct sf_proc p;
	char own[4096];

	snprintf(own, sizeof(own), "%s", cgroup_line(0));
	sf_proc_runl(&p, T, "env", "SYSFAULT_PIN=nocgroup", sf_test_sysfault(), "run", "-v", NO_OP, "--",
		     "sh", "-c", "grep Cpus_allowed_list /proc/self/status; cat /proc/self/cgroup", NULL);
	const char *list = strstr(p.out, "Cpus_allowed_list:");
	SF_ASSERT_PROC(p.status == 0 && list && !strpbrk(list + 18, ",-") && sf_has_line(p.out, own) &&
		       strstr(p.err, "read from its tasks' run delay (no cgroup of its own: "
			      "SYSFAULT_PIN=nocgroup)"), &p);
	sf_proc_release(&p);
}

/* As an unprivileged user, under a cgroup only root may write to: no cgroup, still placed. */
static void test_placement__cgroup_that_cannot_be_made_still_places_the_tree(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		     sf_test_sysfault(), "run", "-v", NO_OP, "--", "grep", "Cpus_allowed_list", "/proc/self/status",
		     NULL);
	const char *list = strstr(p.out, "Cpus_allowed_list:");
	SF_ASSERT_PROC(p.status == 0 && list && !strpbrk(list + 18, ",-") &&
		       strstr(p.err, "read from its tasks' run delay (no cgroup of its own: cannot make a "
			      "cgroup in ") && strstr(p.err, ": Permission denied)"), &p);
	sf_proc_release(&p);
}

static void test_placement__parallel_work_without_a_cgroup_gets_its_cpus_back(void)
{
	struct sf_proc p;

	sf_proc_runl(&p, T, "env", "SYSFAULT_PIN=nocgroup", sf_test_sysfault(), "run", "-v", NO_OP, "--",
		     sf_test_target("affinity"), "spin", "600", NULL);
	const char *line = strstr(p.err, "the tree is given all its CPUs back");
	const char *from = strstr(p.err, "its tasks' and sysfault's run delay");
	SF_ASSERT_PROC(p.status == 0 && line && from && from < line, &p);
	sf_proc_release(&p);
}

/* Where clone3 is refused (old kernels, valgrind, some seccomp profiles): as before, without. */
static void test_placement__clone3_refused_starts_the_command_without_a_cgroup(void)
{
	struct sf_proc p;
	char own[4096];

	/* LeakSanitizer cannot work under ptrace: a sanitizer build's sysfault would fail at its exit. */
	char asan[512];
	const char *options = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sdetect_leaks=0", options ? options : "",
		 options && *options ? ":" : "");
	snprintf(own, sizeof(own), "%s", cgroup_line(0));
	sf_proc_runl(&p, T, "env", asan, "strace", "-o", "/dev/null", "-e", "trace=clone3", "-e",
		     "inject=clone3:error=ENOSYS", sf_test_sysfault(), "run", "-v", NO_OP, "--", "sh", "-c",
		     "grep Cpus_allowed_list /proc/self/status; cat /proc/self/cgroup", NULL);
	const char *list = strstr(p.out, "Cpus_allowed_list:");
	const char *why = strstr(p.err, "(no cgroup of its own: the command could not be started in ");
	SF_ASSERT_PROC(p.status == 0 && list && !strpbrk(list + 18, ",-") && sf_has_line(p.out, own) &&
		       why && strstr(why, ": clone3: Function not implemented)\n"), &p);
	/* The directory made for it is gone too. */
	const char *dir = why ? why + strlen("(no cgroup of its own: the command could not be started in ") : "";
	char path[4096];
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(dir, ":"), dir);
	CU_ASSERT_TRUE(path[0] && !exists(path));
	sf_proc_release(&p);
}

enum needs { NEEDS_PINNING, NEEDS_CGROUP, NEEDS_UNPRIVILEGED_USER, NEEDS_CGROUP_AND_STRACE };

static const struct {
	const char *name;
	void (*run)(void);
	enum needs needs;
} placement_tests[] = {
	{ "affinity reads as native", test_placement__affinity_reads_as_native, NEEDS_PINNING },
	{ "tree starts on one CPU", test_placement__tree_starts_on_one_cpu, NEEDS_PINNING },
	{ "affinity the command sets is kept", test_placement__affinity_the_command_sets_is_kept,
	  NEEDS_PINNING },
	{ "tree with parallel work gets its CPUs back",
	  test_placement__tree_with_parallel_work_gets_its_cpus_back, NEEDS_PINNING },
	{ "command is born in the run's cgroup, removed at the end",
	  test_placement__command_is_born_in_the_run_s_cgroup_removed_at_the_end, NEEDS_CGROUP },
	{ "background process ends before the cgroup is removed",
	  test_placement__background_process_ends_before_the_cgroup_is_removed, NEEDS_CGROUP },
	{ "untraced process left running is moved back",
	  test_placement__untraced_process_left_running_is_moved_back, NEEDS_CGROUP },
	{ "killed sysfault's cgroup is removed by the next run",
	  test_placement__killed_sysfault_s_cgroup_is_removed_by_the_next_run, NEEDS_CGROUP },
	{ "SYSFAULT_PIN=nocgroup places the tree in sysfault's cgroup",
	  test_placement__nocgroup_places_the_tree_in_sysfault_s_cgroup, NEEDS_PINNING },
	{ "parallel work without a cgroup gets its CPUs back",
	  test_placement__parallel_work_without_a_cgroup_gets_its_cpus_back, NEEDS_PINNING },
	{ "a cgroup that cannot be made still places the tree",
	  test_placement__cgroup_that_cannot_be_made_still_places_the_tree, NEEDS_UNPRIVILEGED_USER },
	{ "clone3 refused starts the command without a cgroup",
	  test_placement__clone3_refused_starts_the_command_without_a_cgroup, NEEDS_CGROUP_AND_STRACE },
};

/* Why sysfault makes no cgroup here (its -v line says), or NULL when it makes one. */
static char *why_no_cgroup(void)
{
	struct sf_proc p;
	char *why = NULL;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-v", NO_OP, "--", "true", NULL);
	const char *at = strstr(p.err ? p.err : "", "(no cgroup of its own: ");
	if (at)
		why = strndup(at + 23, strcspn(at + 23, "\n") - 1);
	else if (!cgroup_named(p.err)[0])
		why = strdup("sysfault -v named no cgroup");
	sf_proc_release(&p);
	return why;
}

/* The test of a cgroup sysfault cannot make: as nobody, where root can make one. */
static const char *why_no_unprivileged_test(const char *no_cgroup)
{
	static char why[512];

	if (geteuid() != 0)
		return "needs root, to run sysfault as nobody";
	if (no_cgroup) {
		snprintf(why, sizeof(why), "sysfault makes no cgroup here as root either: %s", no_cgroup);
		return why;
	}
	if (access("/usr/bin/setpriv", X_OK) && access("/bin/setpriv", X_OK))
		return "no setpriv";
	return NULL;
}

void sf_test_register_integ_placement(void)
{
	cpu_set_t set;
	const char *pin = getenv("SYSFAULT_PIN");
	size_t n = sizeof(placement_tests) / sizeof(placement_tests[0]);

	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2 ||
	    (pin && !strcmp(pin, "0"))) {
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "integ_placement: not run: %s (one CPU, or SYSFAULT_PIN=0: "
				"sysfault does not pin)\n", placement_tests[i].name);
		return;
	}
	snprintf(native_count, sizeof(native_count), "cpus %d", CPU_COUNT(&set));
	char *no_cgroup = why_no_cgroup();
	const char *no_unprivileged = why_no_unprivileged_test(no_cgroup);
	const char *no_strace = access("/usr/bin/strace", X_OK) && access("/bin/strace", X_OK)
				? "no strace, to refuse clone3" : NULL;
	CU_pSuite s = CU_add_suite("integ_placement", NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		enum needs needs = placement_tests[i].needs;
		const char *why = needs == NEEDS_CGROUP ? no_cgroup
				: needs == NEEDS_UNPRIVILEGED_USER ? no_unprivileged
				: needs == NEEDS_CGROUP_AND_STRACE ? (no_cgroup ? no_cgroup : no_strace) : NULL;
		if (!why)
			CU_add_test(s, placement_tests[i].name, placement_tests[i].run);
		else
			fprintf(stderr, "integ_placement: not run: %s (%s)\n", placement_tests[i].name, why);
	}
	free(no_cgroup);
}
