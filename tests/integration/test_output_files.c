/*
 * integ_output_files: the files --log and --record write.  A file that
 * loses lines fails the run, once, naming the file and the error, and a
 * failing command's status still comes back (a succeeding one's becomes
 * 125); a symlink planted in a sticky world-writable directory is never
 * followed, as fs.protected_symlinks would have it.
 */
#include "harness.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 20.0
#define RULE "-e", "getppid:error=EIO"
#define NOBODY 65534

static void test_output_files__a_log_that_loses_lines_turns_success_into_125(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "--log", "/dev/full", RULE, "--",
		     sf_test_target("die"), "exit", "0", NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 &&
		       sf_has_line(p.err, "sysfault: cannot write the log '/dev/full': No space left on device; "
				   "it is incomplete (the command exited 0; sysfault exits 125)"), &p);
	sf_proc_release(&p);
}

static void test_output_files__a_log_that_loses_lines_keeps_a_failing_status(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "--log", "/dev/full", RULE, "--",
		     sf_test_target("die"), "exit", "3", NULL);
	SF_ASSERT_PROC(p.status == 3, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 &&
		       sf_has_line(p.err, "sysfault: cannot write the log '/dev/full': No space left on device; "
				   "it is incomplete"), &p);
	sf_proc_release(&p);
}

static void test_output_files__a_record_that_loses_lines_fails_the_run(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "--record", "/dev/full", RULE, "--",
		     sf_test_target("calls"), "getppid", "2", NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: cannot write the record '/dev/full': ") == 1, &p);
	sf_proc_release(&p);
}

/* A sticky world-writable directory, like /tmp, in this run's temp directory. */
static const char *sticky_dir(void)
{
	static char dir[512];
	snprintf(dir, sizeof(dir), "%s", sf_test_tmpfile("sticky", NULL));
	mkdir(dir, 0777);
	chmod(dir, 01777);
	return dir;
}

/* DIR/NAME, a symlink to TARGET owned by UID (as root; else by us). */
static const char *plant_link(const char *dir, const char *name, const char *target, uid_t uid)
{
	static char link[600];
	snprintf(link, sizeof(link), "%s/%s", dir, name);
	unlink(link);
	CU_ASSERT_EQUAL_FATAL(symlink(target, link), 0);
	if (uid != geteuid())
		CU_ASSERT_EQUAL_FATAL(lchown(link, uid, uid), 0);
	return link;
}

static void test_output_files__a_planted_symlink_in_a_sticky_directory_is_not_followed(void)
{
	char victim[512], start[1024];
	snprintf(victim, sizeof(victim), "%s", sf_test_tmpfile("victim", "precious\n"));
	const char *link = plant_link(sticky_dir(), "planted.log", victim, NOBODY);

	snprintf(start, sizeof(start), "sysfault: cannot write the log '%s': a symlink in a sticky "
		 "world-writable directory, owned by neither you nor the directory's owner, is not followed", link);
	REFUSED(start, "run", "--log", link, RULE);
	snprintf(start, sizeof(start), "sysfault: cannot write the record '%s': a symlink", link);
	REFUSED(start, "run", "--record", link, RULE);
	char *text = sf_read_file(victim);
	CU_ASSERT(text && !strcmp(text, "precious\n"));
	free(text);
}

/* Our own link, or the directory owner's, is trusted there: it is followed. */
static void test_output_files__our_own_symlink_in_a_sticky_directory_is_followed(void)
{
	char target[512];
	snprintf(target, sizeof(target), "%s", sf_test_tmpfile("followed.log", NULL));
	const char *link = plant_link(sticky_dir(), "ours.log", target, geteuid());
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--summary", "none", "--log", link, RULE, "--",
		     sf_test_target("die"), "exit", "0", NULL);
	SF_ASSERT_PROC(p.status == 0 && p.err[0] == 0, &p);
	char *text = sf_read_file(target);
	CU_ASSERT(text && !strncmp(text, "{\"event\":\"log\"", 14));
	free(text);
	sf_proc_release(&p);
}

void sf_test_register_integ_output_files(void)
{
	CU_pSuite s = CU_add_suite("integ_output_files", NULL, NULL);

	CU_add_test(s, "a log that loses lines turns success into 125",
		    test_output_files__a_log_that_loses_lines_turns_success_into_125);
	CU_add_test(s, "a log that loses lines keeps a failing status",
		    test_output_files__a_log_that_loses_lines_keeps_a_failing_status);
	CU_add_test(s, "a record that loses lines fails the run",
		    test_output_files__a_record_that_loses_lines_fails_the_run);
	/* Only root can give a symlink to another user (lchown). */
	if (geteuid() == 0)
		CU_add_test(s, "a planted symlink in a sticky directory is not followed",
			    test_output_files__a_planted_symlink_in_a_sticky_directory_is_not_followed);
	else
		fprintf(stderr, "integ_output_files: not run: a planted symlink in a sticky directory "
			"is not followed (needs root, to plant another user's symlink)\n");
	CU_add_test(s, "our own symlink in a sticky directory is followed",
		    test_output_files__our_own_symlink_in_a_sticky_directory_is_followed);
}
