/*
 * integ_explore_isolation: every run of a campaign sees the working
 * directory and /tmp as they were before it, and leaves them so.  On the
 * stateful target (which fails on what an earlier run left) -j2 gives the
 * outcomes of -j1 with no point unreached; the directory is byte for byte
 * what it was; files made in /tmp vanish; --isolate net gives each run a
 * loopback of its own; a cwd overlayfs refuses is copied; --no-isolate is
 * the shared world it always was; isolation that cannot be had is one line.
 */
#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define T 60.0

/* stateful's calls: its opens, its writes and its rename, one point each. */
#define RULES "-e openat:error=EACCES -e write:error=EIO -e rename:error=EIO"

/* A fresh working directory under BASE (NULL: the tests' own temp dir) holding "state" = 0. */
static char *stateful_dir(const char *base, const char *tag)
{
	char *dir = NULL;

	if (base) {
		if (asprintf(&dir, "%s/sf-iso-%s-XXXXXX", base, tag) < 0 || !mkdtemp(dir)) {
			free(dir);
			return NULL;
		}
	} else {
		dir = strdup(sf_test_tmpfile(tag, NULL));
		if (!dir || mkdir(dir, 0755) < 0) {
			free(dir);
			return NULL;
		}
	}
	struct sf_proc p;
	sf_proc_sh(&p, T, "echo 0 > '%s/state' && echo hello > '%s/a'", dir, dir);
	CU_ASSERT_EQUAL(p.status, 0);
	sf_proc_release(&p);
	return dir;
}

static void remove_dir(char *dir)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "rm -rf '%s'", dir);
	sf_proc_release(&p);
	free(dir);
}

/* Every entry of DIR with its type, mode, owner, size, mtime and link target, then every file's checksum. */
static char *snapshot(const char *dir)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "cd '%s' && find . -printf '%%P %%y %%m %%U:%%G %%s %%T@ %%l\\n' | LC_ALL=C sort && "
		   "find . -type f -exec cksum {} + | LC_ALL=C sort", dir);
	CU_ASSERT_EQUAL(p.status, 0);
	char *text = strdup(p.out ? p.out : "");
	sf_proc_release(&p);
	return text;
}

/* The "points" array of a JSON report, as text (malloc'd), or NULL. */
static char *points_of(const char *json)
{
	const char *start = json ? strstr(json, "\"points\":[") : NULL;
	const char *end = start ? strstr(start, "\n],\n\"totals\"") : NULL;
	return end ? strndup(start, (size_t)(end - start)) : NULL;
}

/* Explores stateful (ARGS after it) from DIR with OPTIONS; its JSON report (malloc'd), or NULL. */
static char *explore_in(const char *dir, const char *options, const char *args, struct sf_proc *p)
{
	char json[512];

	snprintf(json, sizeof(json), "%s", sf_test_tmpfile("iso.json", NULL));
	sf_proc_sh(p, T, "cd '%s' && exec '%s' explore --seed 3 %s --json '%s' -- '%s' %s",
		   dir, sf_test_sysfault(), options, json, sf_test_target("stateful"), args);
	char *text = sf_read_file(json);
	unlink(json);
	return text;
}

/* ---- the tests ---- */

static void test_isolation__j2_gives_the_outcomes_of_j1_with_nothing_unreached(void)
{
	char *dir = stateful_dir(NULL, "jobs");
	struct sf_proc p1, p2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char *j1 = explore_in(dir, "-j1 " RULES, "", &p1);
	char *j2 = explore_in(dir, "-j2 " RULES, "", &p2);
	SF_ASSERT_PROC(p1.status == 0 && j1, &p1);
	SF_ASSERT_PROC(p2.status == 0 && j2, &p2);
	char *pts1 = points_of(j1), *pts2 = points_of(j2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pts1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pts2);
	CU_ASSERT_STRING_EQUAL(pts1, pts2);
	/* every point was reached: each run started from the same directory as the clean run */
	CU_ASSERT(sf_count_lines_with(pts1, "\"index\":") >= 7);
	CU_ASSERT_EQUAL(sf_count_lines_with(pts1, "\"outcome\":\"unreached\""), 0);
	/* and none met what another run left ("done" made with O_EXCL) */
	CU_ASSERT_PTR_NULL(strstr(pts1, "File exists"));
	free(pts1); free(pts2); free(j1); free(j2);
	sf_proc_release(&p1);
	sf_proc_release(&p2);
	remove_dir(dir);
}

/* A -j2 campaign from DIR leaves it as it was, byte for byte. */
static void assert_campaign_leaves(char *dir)
{
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char *before = snapshot(dir);
	char *json = explore_in(dir, "-j2 " RULES, "", &p);
	SF_ASSERT_PROC(p.status == 0 && json, &p);
	char *after = snapshot(dir);
	CU_ASSERT_STRING_EQUAL(after, before);
	CU_ASSERT_EQUAL(sf_count_lines(before), 5);   /* ".", a, state; then a's and state's checksums */
	free(before); free(after); free(json);
	sf_proc_release(&p);
	remove_dir(dir);
}

static void test_isolation__the_working_directory_is_unchanged_under_tmp(void)
{
	assert_campaign_leaves(stateful_dir(NULL, "tree"));
}

/* /var/tmp: a cwd outside /tmp, overlaid on its own. */
static void test_isolation__the_working_directory_is_unchanged_outside_tmp(void)
{
	assert_campaign_leaves(stateful_dir("/var/tmp", "tree"));
}

static void test_isolation__files_made_in_tmp_vanish(void)
{
	char *dir = stateful_dir(NULL, "tmp");
	char name[64], path[128];
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(name, sizeof(name), "sf-iso-mark-%d", (int)getpid());
	snprintf(path, sizeof(path), "/tmp/%s", name);
	unlink(path);
	char *json = explore_in(dir, "-j2 " RULES, name, &p);
	SF_ASSERT_PROC(p.status == 0 && json, &p);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	/* each run made /tmp/NAME with O_EXCL: none found one left by another */
	CU_ASSERT_PTR_NOT_NULL(json && strstr(json, "\"unreached\":0,"));
	CU_ASSERT_PTR_NULL(json ? strstr(json, "File exists") : NULL);
	free(json);
	sf_proc_release(&p);
	remove_dir(dir);
}

static void test_isolation__net_gives_each_run_a_loopback_of_its_own(void)
{
	char *dir = stateful_dir(NULL, "net");
	char port[32];
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	/* every run holds the same port for 200 ms, two at a time */
	snprintf(port, sizeof(port), "listen %d", 20000 + (int)(getpid() % 20000));
	char *json = explore_in(dir, "-j2 --isolate net -e getppid:error=EIO", port, &p);
	SF_ASSERT_PROC(p.status == 0 && json, &p);
	SF_ASSERT_PROC(json && strstr(json, "\"totals\":{\"points\":4,\"ok\":4,"), &p);
	free(json);
	sf_proc_release(&p);
	remove_dir(dir);
}

/*
 * An overlay two deep (made with unshare -rm) is the cwd: overlayfs
 * refuses a third (FILESYSTEM_MAX_STACK_DEPTH), so explore copies it.
 */
static void test_isolation__a_cwd_overlayfs_refuses_is_copied(void)
{
	char *dir = stateful_dir(NULL, "nest");
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	sf_proc_sh(&p, T, "cd '%s' && mkdir l u1 w1 m1 u2 w2 m2 && mv state l/ && unshare -rm sh -c '"
		   "mount -t overlay o -o userxattr,lowerdir=l,upperdir=u1,workdir=w1 m1 && "
		   "mount -t overlay o -o userxattr,lowerdir=m1,upperdir=u2,workdir=w2 m2 && cd m2 && "
		   "find . -printf \"%%P %%y %%m %%s %%T@\\n\" | sort > ../before && "
		   "\"$0\" explore -v -j2 --seed 3 " RULES " -- \"$1\"; echo status $?; "
		   "find . -printf \"%%P %%y %%m %%s %%T@\\n\" | sort > ../after && cmp ../before ../after && echo unchanged' "
		   "'%s' '%s'", dir, sf_test_sysfault(), sf_test_target("stateful"));
	SF_ASSERT_PROC(sf_has_line(p.out, "status 0") && sf_has_line(p.out, "unchanged"), &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "Invalid argument; copied ") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, " 0 unreached") == 1, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "File exists") == 0, &p);
	sf_proc_release(&p);
	remove_dir(dir);
}

static void test_isolation__no_isolate_keeps_the_shared_world(void)
{
	char *dir = stateful_dir(NULL, "shared");
	char done[600];
	struct sf_proc p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char *json = explore_in(dir, "-j2 --no-isolate " RULES, "", &p);
	SF_ASSERT_PROC(p.status == 0 && json, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.err, "warning: --no-isolate with -j 2: ") == 1, &p);
	/* the clean run's "done" stays, and every later run stops at it */
	snprintf(done, sizeof(done), "%s/done", dir);
	CU_ASSERT_EQUAL(access(done, F_OK), 0);
	CU_ASSERT(json && sf_count_lines_with(json, "\"outcome\":\"unreached\"") > 0);
	CU_ASSERT(json && sf_count_lines_with(json, "stateful: done: File exists") > 0);
	free(json);
	sf_proc_release(&p);
	remove_dir(dir);
}

/* Bad input and impossible isolation: one line, 125, the command never run. */
static void test_isolation__refusals_are_one_line_and_125(void)
{
	const char *proof = sf_test_tmpfile("iso-proof", NULL);
	struct sf_proc p;

	REFUSED("sysfault: --isolate 'disk'", "explore", "-e", "write:error=EIO", "--isolate", "disk");
	REFUSED("sysfault: --isolate 'fs,x'", "explore", "-e", "write:error=EIO", "--isolate", "fs,x");
	sf_proc_sh(&p, T, "cd / && exec '%s' explore -e getppid:error=EIO -- touch '%s'", sf_test_sysfault(), proof);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(!strncmp(p.err, "sysfault: cannot isolate the runs: the working directory is /", 61), &p);
	CU_ASSERT_EQUAL(access(proof, F_OK), -1);
	sf_proc_release(&p);
}

/* No mount namespace to be had: a user namespace whose limit of them is 0. */
static void test_isolation__no_namespace_is_one_line_naming_why(void)
{
	const char *proof = sf_test_tmpfile("iso-proof", NULL);
	struct sf_proc p;

	sf_proc_sh(&p, T, "unshare -r sh -c 'echo 0 > /proc/sys/user/max_mnt_namespaces && "
		   "exec \"$0\" explore -e getppid:error=EIO -- touch \"$1\"' '%s' '%s'", sf_test_sysfault(), proof);
	SF_ASSERT_PROC(p.status == 125 && sf_count_lines(p.err) == 1, &p);
	SF_ASSERT_PROC(!strncmp(p.err, "sysfault: cannot isolate the runs: unshare(CLONE_NEWNS", 54), &p);
	SF_ASSERT_PROC(strstr(p.err, "; --no-isolate runs them in the shared directory\n") != NULL, &p);
	CU_ASSERT_EQUAL(access(proof, F_OK), -1);
	sf_proc_release(&p);
	/* --no-isolate runs there */
	sf_proc_sh(&p, T, "unshare -r sh -c 'echo 0 > /proc/sys/user/max_mnt_namespaces && "
		   "exec \"$0\" explore -q --no-isolate -e getppid:error=EIO -- true' '%s'", sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0, &p);
	sf_proc_release(&p);
}

/* ---- registration: what this machine cannot do is named as not run ---- */

enum needs { NEEDS_NOTHING, NEEDS_ISOLATION, NEEDS_VAR_TMP, NEEDS_UNSHARE };

struct isolation_test {
	const char *name;
	void (*run)(void);
	enum needs needs;
};

static const struct isolation_test tests[] = {
	{ "j2 gives the outcomes of j1 with nothing unreached",
	  test_isolation__j2_gives_the_outcomes_of_j1_with_nothing_unreached, NEEDS_ISOLATION },
	{ "the working directory is unchanged under /tmp",
	  test_isolation__the_working_directory_is_unchanged_under_tmp, NEEDS_ISOLATION },
	{ "the working directory is unchanged outside /tmp",
	  test_isolation__the_working_directory_is_unchanged_outside_tmp, NEEDS_VAR_TMP },
	{ "files made in /tmp vanish", test_isolation__files_made_in_tmp_vanish, NEEDS_ISOLATION },
	{ "net gives each run a loopback of its own",
	  test_isolation__net_gives_each_run_a_loopback_of_its_own, NEEDS_ISOLATION },
	{ "a cwd overlayfs refuses is copied", test_isolation__a_cwd_overlayfs_refuses_is_copied, NEEDS_UNSHARE },
	{ "no-isolate keeps the shared world", test_isolation__no_isolate_keeps_the_shared_world, NEEDS_NOTHING },
	{ "refusals are one line and 125", test_isolation__refusals_are_one_line_and_125, NEEDS_NOTHING },
	{ "no namespace is one line naming why", test_isolation__no_namespace_is_one_line_naming_why, NEEDS_UNSHARE },
};

/* Why `unshare -rm` (a user and mount namespace, mapped to root) cannot be had, or NULL. */
static const char *why_no_unshare(void)
{
	struct sf_proc p;

	sf_proc_sh(&p, T, "command -v unshare >/dev/null || exit 3; unshare -rm true");
	int status = p.status;
	sf_proc_release(&p);
	return status == 0 ? NULL : status == 3 ? "unshare(1) not found" : "unshare -rm fails here";
}

void sf_test_register_integ_explore_isolation(void)
{
	CU_pSuite s = CU_add_suite("integ_explore_isolation", NULL, NULL);
	const char *no_isolation = sf_test_explore_cannot_isolate();
	const char *no_unshare = no_isolation ? no_isolation : why_no_unshare();
	const char *no_var_tmp = no_isolation ? no_isolation
			       : access("/var/tmp", W_OK) ? "no writable /var/tmp" : NULL;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const char *why = tests[i].needs == NEEDS_ISOLATION ? no_isolation
				: tests[i].needs == NEEDS_VAR_TMP ? no_var_tmp
				: tests[i].needs == NEEDS_UNSHARE ? no_unshare : NULL;
		if (!why)
			CU_add_test(s, tests[i].name, tests[i].run);
		else
			fprintf(stderr, "integ_explore_isolation: not run: %s (%s)\n", tests[i].name, why);
	}
}
