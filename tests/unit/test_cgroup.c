/*
 * Unit tests of the run's cgroup (cgroup.c) and of starting a child in it
 * (clone_into.c): the pressure line parsed, the directory made beside
 * nothing of sysfault's own, the ones of dead sysfaults removed and a
 * live one's kept, processes left in it moved back, a cgroup made inside
 * it left in place with the reason, and a child born in it in both ways
 * launch.c starts one.  Where this process cannot make a cgroup (no
 * cgroup2, no write access), those are named as not run, with the reason.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/cgroup.h"
#include "engine/clone_into.h"
#include "engine/raw_syscall.h"
#include "harness.h"

/* ---- the pressure line ---- */

static void test_cgroup__pressure_totals_are_parsed(void)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t some, full;
		bool has_full;
	} cases[] = {
		{ "some avg10=0.00 avg60=0.00 avg300=0.00 total=107\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=9\n",
		  0, 107, 9, true },
		{ "some avg10=1.50 avg60=0.20 avg300=0.05 total=18446744073709551615\n", 0, UINT64_MAX, 0, false },
		{ "some avg10=0.00 total=3\nfull avg10=0.00 avg60=0.00\n", 0, 3, 0, false },   /* full without total */
		{ "full avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", -EINVAL, 0, 0, false },   /* no some line first */
		{ "some avg10=0.00 avg60=0.00 avg300=0.00\nfull total=5\n", -EINVAL, 0, 0, false }, /* not its total */
		{ "some avg10=0.00 total=x\n", -EINVAL, 0, 0, false },
		{ "", -EINVAL, 0, 0, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_pressure ps;
		int rc = sf_cgroup_parse_pressure(cases[i].text, &ps);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc == 0) {
			CU_ASSERT_EQUAL(ps.some_us, cases[i].some);
			CU_ASSERT_EQUAL(ps.has_full, cases[i].has_full);
			if (cases[i].has_full)
				CU_ASSERT_EQUAL(ps.full_us, cases[i].full);
		}
		if (rc != cases[i].rc)
			fprintf(stderr, "\n--- case %zu: rc %d\n", i, rc);
	}
}

/* ---- where the hierarchy is mounted ---- */

static void test_cgroup__mountinfo_line_gives_the_directory(void)
{
	static const struct {
		const char *line, *cgpath, *dir;
	} cases[] = {
		{ "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n", "/",
		  "/sys/fs/cgroup/unified" },
		{ "30 24 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
		  "/user.slice/user-1000.slice", "/sys/fs/cgroup/user.slice/user-1000.slice" },
		/* A bind mount of a subtree, as a container without a cgroup namespace has. */
		{ "90 80 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n", "/docker/abc/x",
		  "/sys/fs/cgroup/x" },
		{ "90 80 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n", "/docker/abc",
		  "/sys/fs/cgroup" },
		{ "90 80 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n", "/docker/abcd", NULL },
		{ "90 80 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n", "/other", NULL },
		/* mountinfo's octal escapes (proc(5)). */
		{ "91 80 0:26 / /mnt/cg\\040two rw - cgroup2 none rw\n", "/a", "/mnt/cg two/a" },
		{ "35 31 0:31 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n", "/", NULL },
		{ "22 27 0:21 / /proc rw,relatime - proc proc rw\n", "/", NULL },
		{ "garbage\n", "/", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = sf_cgroup_dir_in_mount(cases[i].line, cases[i].cgpath);
		bool is_right = cases[i].dir ? dir && !strcmp(dir, cases[i].dir) : !dir;
		CU_ASSERT_TRUE(is_right);
		if (!is_right)
			fprintf(stderr, "\n--- case %zu: %s\n", i, dir ? dir : "NULL");
		free(dir);
	}
}

/* ---- the directory ---- */

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The "0::" line of /proc/PID/cgroup (0: this process), malloc'd. */
static char *cgroup_of(pid_t pid)
{
	char path[64], *text, *line;

	snprintf(path, sizeof(path), pid ? "/proc/%d/cgroup" : "/proc/self/cgroup", pid);
	text = sf_read_file(path);
	line = text ? strstr(text, "0::") : NULL;
	char *v = line ? strndup(line, strcspn(line, "\n")) : NULL;
	free(text);
	return v;
}

static void test_cgroup__made_beside_sysfault_and_removed(void)
{
	struct sf_cgroup cg;
	char why[256], name[64];
	unsigned moved = 9;
	struct sf_pressure ps;
	char *before = cgroup_of(0);

	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	snprintf(name, sizeof(name), "/sysfault-%d", getpid());
	CU_ASSERT_PTR_NOT_NULL(strstr(cg.path, name));
	CU_ASSERT_EQUAL(strlen(cg.path), strlen(cg.parent) + strlen(name));
	CU_ASSERT_TRUE(exists(cg.path));
	CU_ASSERT_TRUE(cg.dir_fd >= 0 && cg.pressure_fd >= 0);
	CU_ASSERT_EQUAL(sf_cgroup_read_pressure(&cg, &ps), 0);
	/* Making it moves nobody: this process is where it was. */
	char *during = cgroup_of(0);
	CU_ASSERT_STRING_EQUAL(during, before);
	char *path = strdup(cg.path);
	CU_ASSERT_EQUAL(sf_cgroup_remove(&cg, &moved, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(moved, 0);
	CU_ASSERT_FALSE(exists(path));
	CU_ASSERT_PTR_NULL(cg.path);
	free(path);
	free(during);
	free(before);
}

/* A pid with no process: a child that has been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_cgroup__dead_sysfaults_dirs_are_removed_live_ones_kept(void)
{
	struct sf_cgroup cg;
	char why[256], dead[4096], live[4096];
	unsigned moved;

	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	snprintf(dead, sizeof(dead), "%s/sysfault-%d", cg.parent, dead_pid());
	snprintf(live, sizeof(live), "%s/sysfault-%d", cg.parent, getppid());
	sf_cgroup_remove(&cg, &moved, why, sizeof(why));
	CU_ASSERT_FATAL(mkdir(dead, 0755) == 0);
	bool has_live = mkdir(live, 0755) == 0;   /* the parent may be a sysfault itself */
	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	CU_ASSERT_FALSE(exists(dead));
	CU_ASSERT_TRUE(exists(live));
	sf_cgroup_remove(&cg, &moved, why, sizeof(why));
	if (has_live)
		rmdir(live);
	rmdir(dead);
}

static int wait_for_kill(void *arg)
{
	(void)arg;
	for (;;)
		sf_raw3(SYS_pause, 0, 0, 0);
	return 0;
}

static void test_cgroup__process_left_in_it_is_moved_back(void)
{
	struct sf_cgroup cg;
	char why[256];
	unsigned moved = 0;
	char *own = cgroup_of(0);

	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	pid_t child = sf_clone_into(cg.dir_fd, NULL, 0, wait_for_kill, NULL);
	CU_ASSERT_FATAL(child > 0);
	char *path = strdup(cg.path);
	CU_ASSERT_EQUAL(sf_cgroup_remove(&cg, &moved, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(moved, 1);
	CU_ASSERT_FALSE(exists(path));
	char *now = cgroup_of(child);
	CU_ASSERT_STRING_EQUAL(now, own);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	free(now);
	free(path);
	free(own);
}

static void test_cgroup__cgroup_made_inside_is_left_with_the_reason(void)
{
	struct sf_cgroup cg;
	char why[256] = "", inner[4096];
	unsigned moved = 0;

	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	char *path = strdup(cg.path);
	snprintf(inner, sizeof(inner), "%s/inner", cg.path);
	CU_ASSERT_FATAL(mkdir(inner, 0755) == 0);
	CU_ASSERT_EQUAL(sf_cgroup_remove(&cg, &moved, why, sizeof(why)), -EBUSY);
	CU_ASSERT_STRING_EQUAL(why, "the command left 1 cgroup inside it");
	CU_ASSERT_TRUE(exists(path));
	CU_ASSERT_PTR_NULL(cg.path);
	rmdir(inner);
	rmdir(path);
	free(path);
}

/* ---- a child born in it ---- */

static void test_clone_into__child_is_born_in_the_cgroup_sharing_memory_or_not(void)
{
	struct sf_cgroup cg;
	char why[256];
	unsigned moved;
	size_t size = 64 * 1024;
	// cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for
	void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	CU_ASSERT_FATAL(stack != MAP_FAILED);
	CU_ASSERT_FATAL(sf_cgroup_make(&cg, why, sizeof(why)) == 0);
	const char *name = strrchr(cg.path, '/');
	for (int shares = 0; shares < 2; shares++) {
		pid_t child = sf_clone_into(cg.dir_fd, shares ? stack : NULL, size, wait_for_kill, NULL);
		CU_ASSERT_FATAL(child > 0);
		char *line = cgroup_of(child);
		size_t n = line ? strlen(line) : 0;
		CU_ASSERT_TRUE(line && n > strlen(name) && !strcmp(line + n - strlen(name), name));
		kill(child, SIGKILL);
		int status = 0;
		CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);   /* SIGCHLD: a child of ours */
		CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		free(line);
	}
	CU_ASSERT_EQUAL(sf_clone_into(-1, NULL, 0, wait_for_kill, NULL), -EBADF);
	sf_cgroup_remove(&cg, &moved, why, sizeof(why));
	munmap(stack, size);
}

static const struct {
	const char *name;
	void (*run)(void);
	bool needs_cgroup;
} cgroup_tests[] = {
	{ "pressure totals are parsed", test_cgroup__pressure_totals_are_parsed, false },
	{ "mountinfo line gives the directory", test_cgroup__mountinfo_line_gives_the_directory, false },
	{ "made beside sysfault and removed", test_cgroup__made_beside_sysfault_and_removed, true },
	{ "dead sysfaults' dirs are removed, live ones kept",
	  test_cgroup__dead_sysfaults_dirs_are_removed_live_ones_kept, true },
	{ "process left in it is moved back", test_cgroup__process_left_in_it_is_moved_back, true },
	{ "cgroup made inside is left with the reason",
	  test_cgroup__cgroup_made_inside_is_left_with_the_reason, true },
	{ "child is born in the cgroup, sharing memory or not",
	  test_clone_into__child_is_born_in_the_cgroup_sharing_memory_or_not, true },
};

void sf_test_register_cgroup(void)
{
	CU_pSuite s = CU_add_suite("unit_cgroup", NULL, NULL);
	struct sf_cgroup cg;
	char why[256];
	unsigned moved;
	bool can_make = sf_cgroup_make(&cg, why, sizeof(why)) == 0;

	if (can_make)
		sf_cgroup_remove(&cg, &moved, why, sizeof(why));
	for (size_t i = 0; i < sizeof(cgroup_tests) / sizeof(cgroup_tests[0]); i++) {
		if (!cgroup_tests[i].needs_cgroup || can_make)
			CU_add_test(s, cgroup_tests[i].name, cgroup_tests[i].run);
		else
			fprintf(stderr, "unit_cgroup: not run: %s (%s)\n", cgroup_tests[i].name, why);
	}
}
