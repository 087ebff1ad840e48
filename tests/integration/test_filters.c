/*
 * integ_filters: which calls of a rule's syscalls its filters let through
 * (path, fd, fd_path, fd_type, process, args; strace's -P, --trace-fds and
 * -e trace=), in the main thread, in threads and in forked children, and
 * that `when` counts only those calls.  tests/targets/filter_calls runs a
 * script of calls and prints what each got; "$D" in a script or an option
 * is a directory of fixture files (below), by its real path.
 */
#include "harness.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 30.0

/* ---- Fixtures and runs ---------------------------------------------------- */

/*
 * $D/a.txt b.txt skip.txt a.log w.txt sub/b.txt xsub/b.txt, $D/link-b -> b.txt,
 * $D/sfpeer a copy of filter_calls (another comm and exe), $D/sflink a
 * symlink to filter_calls (another comm, the same exe).
 */
static char fixture_dir[PATH_MAX];

static int put_file(const char *rel, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, rel);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	int rc = in && out ? 0 : -1;
	size_t n;
	char buf[65536];
	while (!rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
	if (in)
		fclose(in);
	if (out && fclose(out))
		rc = -1;
	return rc ? rc : chmod(to, 0755);
}

static int make_fixtures(void)   /* the suite's set-up: 0, or CUnit fails the suite */
{
	const char *dir = sf_test_tmpfile("filters", NULL);
	char path[PATH_MAX + 64];

	if (mkdir(dir, 0755) || !realpath(dir, fixture_dir))
		return -1;
	snprintf(path, sizeof(path), "%s/sub", fixture_dir);
	if (mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/xsub", fixture_dir);
	if (mkdir(path, 0755))
		return -1;
	static const char *const files[] = { "a.txt", "b.txt", "skip.txt", "a.log", "w.txt",
					     "sub/b.txt", "xsub/b.txt" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (put_file(files[i], "x\n"))
			return -1;
	snprintf(path, sizeof(path), "%s/link-b", fixture_dir);
	if (symlink("b.txt", path))
		return -1;
	snprintf(path, sizeof(path), "%s/sfpeer", fixture_dir);
	if (copy_file(sf_test_target("filter_calls"), path))
		return -1;
	char target[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sflink", fixture_dir);
	if (!realpath(sf_test_target("filter_calls"), target) || symlink(target, path))
		return -1;
	return 0;
}

/* S with every "$D" replaced by the fixture directory (malloc'd). */
static char *expand(const char *s)
{
	size_t dlen = strlen(fixture_dir), n = 0;
	char *out = malloc(strlen(s) * (dlen + 1) + 1);

	for (; *s; s++) {
		if (s[0] == '$' && s[1] == 'D') {
			memcpy(out + n, fixture_dir, dlen);
			n += dlen;
			s++;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return out;
}

/*
 * sysfault run --loader-calls skip OPTS... -- filter_calls STEPS (split at
 * spaces).  The loader's own opens and reads are not the script's, so no
 * rule here counts them.
 */
static void run_script(struct sf_proc *p, const char *const opts[], const char *steps)
{
	const char *argv[160];
	char *owned[80];
	int n = 0, n_owned = 0;

	argv[n++] = sf_test_sysfault();
	argv[n++] = "run";
	argv[n++] = "--loader-calls";
	argv[n++] = "skip";
	for (int i = 0; opts[i] && n_owned < 40; i++)
		argv[n++] = owned[n_owned++] = expand(opts[i]);
	argv[n++] = "--";
	argv[n++] = sf_test_target("filter_calls");
	char *script = owned[n_owned++] = expand(steps);
	for (char *w = strtok(script, " "); w && n < 159; w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n] = NULL;
	sf_proc_run(p, T, (char *const *)argv);
	for (int i = 0; i < n_owned; i++)
		free(owned[i]);
}
#define RUN(p, steps, ...) run_script(p, (const char *const[]){ __VA_ARGS__, NULL }, steps)

/* A scenario file NAME with TEXT ("$D" expanded); its path. */
static const char *cfg(const char *name, const char *text)
{
	char *body = expand(text);
	const char *path = sf_test_tmpfile(name, body);
	free(body);
	return path;
}

static int fixture_exists(const char *rel)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, rel);
	return access(path, F_OK) == 0;
}

/* ---- path ---------------------------------------------------------------- */

static void test_filters__path_absolute_matches_that_file_only(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/a.txt open:$D/b.txt open:$D/sub/b.txt",
	    "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok");
	sf_proc_release(&p);
}

/* Without a leading '/': the whole path or what follows any '/'; '*' crosses '/'. */
static void test_filters__path_glob_without_slash_matches_at_any_depth(void)
{
	static const struct { const char *glob, *want; } cases[] = {
		{ "b.txt", "ok EACCES EACCES EACCES" },
		{ "sub/b.txt", "ok ok EACCES ok" },
		{ "*.txt", "EACCES EACCES EACCES EACCES" },
		{ "$D/*/b.txt", "ok ok EACCES EACCES" },
		{ "$D/*b.txt", "ok EACCES EACCES EACCES" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[256];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:path=%s", cases[i].glob);
		RUN(&p, "open:$D/a.txt open:$D/b.txt open:$D/sub/b.txt open:$D/xsub/b.txt", "-e", spec);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].want);
		sf_proc_release(&p);
	}
}

/* A relative path is the cwd's at the time of the call (the last one: /b.txt, none). */
static void test_filters__path_relative_resolves_against_the_changed_cwd(void)
{
	struct sf_proc p;
	const char *script = "chdir:$D open:b.txt open:a.txt chdir:$D/sub open:b.txt chdir:/ open:b.txt";
	RUN(&p, script, "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES ok ok ENOENT");
	sf_proc_release(&p);
	RUN(&p, script, "-e", "openat:error=EACCES:path=$D/sub/b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok EACCES ENOENT");
	sf_proc_release(&p);
}

/* unshare(CLONE_FS) gives a thread a cwd of its own: the calling thread's counts. */
static void test_filters__path_relative_uses_the_calling_threads_own_cwd(void)
{
	struct sf_proc p;
	const char *script = "chdir:$D thread unshare-fs chdir:$D/sub open:b.txt join open:b.txt";
	RUN(&p, script, "-e", "openat:error=EACCES:path=$D/sub/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "step", "ok");
	sf_proc_release(&p);
	RUN(&p, script, "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES");
	sf_proc_release(&p);
}

/* A thread that shares the cwd (the default) moves it for the whole process. */
static void test_filters__path_relative_follows_a_cwd_a_thread_changed(void)
{
	struct sf_proc p;
	RUN(&p, "chdir:$D open:b.txt thread chdir:$D/sub open:b.txt join open:b.txt",
	    "-e", "openat:error=EACCES:path=$D/sub/b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EACCES");
	sf_proc_release(&p);
}

/* openat(dirfd, "b.txt") is dirfd's directory's b.txt, whatever the cwd. */
static void test_filters__path_resolves_against_the_dirfd(void)
{
	struct sf_proc p;
	RUN(&p, "chdir:/ dir@10:$D/sub at:10:b.txt at:10:../b.txt at:10:./b.txt at:-100:b.txt "
		"pipe@20 at:20:b.txt at:10:$D/sub/b.txt",
	    "-e", "openat:error=EACCES:path=$D/sub/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	/* at:20 is a pipe: the kernel says ENOTDIR; an absolute path ignores the dirfd */
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok EACCES ENOENT ENOTDIR EACCES");
	sf_proc_release(&p);
	RUN(&p, "dir@10:$D/sub at:10:../b.txt at:10:b.txt", "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok");
	sf_proc_release(&p);
}

static void test_filters__path_dot_dot_and_double_slash_are_walked(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/sub/../b.txt open:$D//b.txt open:$D/./b.txt open:$D/sub/./../b.txt "
		"open://$D/b.txt chdir:$D/sub open:../b.txt open:..//./b.txt open:../sub/../../b.txt "
		"chdir:/ open:../../$D/b.txt",
	    "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	/* ../sub/../../b.txt is b.txt beside $D: none there */
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES EACCES EACCES EACCES EACCES EACCES EACCES ENOENT EACCES");
	sf_proc_release(&p);
}

/* Some including pattern and no excluding one, in a file's list or as repeated -e tokens. */
static void test_filters__path_exclusion_wins_over_inclusion(void)
{
	const char *script = "open:$D/a.txt open:$D/b.txt open:$D/a.log open:$D/sub/b.txt open:$D/skip.txt";
	struct sf_proc p;
	RUN(&p, script, "-s", cfg("path-exclude.cfg",
		"rules = ( { syscalls = \"openat\"; error = \"EACCES\";\n"
		"  path = [ \"!*/sub/*\", \"$D/*\", \"!*.log\", \"!skip*\" ]; } );\n"));
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES EACCES ok ok ok");
	sf_proc_release(&p);
	RUN(&p, script, "-e", "openat:error=EACCES:path=$D/*:path=!*.log");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES EACCES ok EACCES EACCES");
	sf_proc_release(&p);
	/* only excluding patterns: every other path */
	RUN(&p, script, "-e", "openat:error=EACCES:path=!*.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok EACCES ok ok");
	sf_proc_release(&p);
}

/* A path the tracer cannot read is no path: the kernel's own error, and no word from sysfault. */
static void test_filters__path_bad_pointer_is_not_matched_and_the_run_goes_on(void)
{
	static const char *const globs[] = { "*", "!/nonexistent/*" };
	for (size_t i = 0; i < 2; i++) {
		char spec[128];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:path=%s", globs[i]);
		RUN(&p, "open:$D/a.txt badptr longpath open:$D/a.txt fork badptr open:$D/a.txt join "
			"thread longpath badptr open:$D/a.txt join",
		    "--summary", "none", "-e", spec);
		SF_ASSERT_PROC(p.status == 0 && !p.timed_out, &p);
		SF_ASSERT_PROC(p.err[0] == '\0', &p);
		SF_ASSERT_OUTCOMES(&p, "step", "EACCES EFAULT ENAMETOOLONG EACCES");
		SF_ASSERT_OUTCOMES(&p, "child 1", "EFAULT EACCES");
		SF_ASSERT_OUTCOMES(&p, "thread 1", "ENAMETOOLONG EFAULT EACCES");
		sf_proc_release(&p);
	}
}

static void test_filters__path_in_a_forked_child_and_a_thread(void)
{
	struct sf_proc p;
	RUN(&p, "fork chdir:$D open:b.txt open:a.txt join thread open:$D/sub/../b.txt open:$D/a.txt join "
		"open:$D/b.txt",
	    "-e", "openat:error=EACCES:path=$D/b.txt");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "child 1", "EACCES ok");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EACCES ok");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES");
	sf_proc_release(&p);
}

/* A set where only some calls take a path: the others never match. */
static void test_filters__path_leaves_calls_without_a_path_alone(void)
{
	struct sf_proc p;
	RUN(&p, "openw@10:$D/w.txt write:10 open:$D/b.txt", "-e", "openat,write:error=EACCES:path=*.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES EBADF EACCES");
	sf_proc_release(&p);
	RUN(&p, "openw@10:$D/w.txt write:10 open:$D/b.txt", "-e", "openat,write:error=EACCES:path=*b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok EACCES");
	sf_proc_release(&p);
}

/* ---- when and scope count only what the filters let through --------------- */

static void test_filters__when_counts_only_the_calls_the_filter_selects(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/b.txt open:$D/a.txt open:$D/a.txt open:$D/b.txt open:$D/b.txt",
	    "-e", "openat:error=EACCES:when=2:path=$D/b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok EACCES ok");
	sf_proc_release(&p);
	RUN(&p, "openrw@10:/dev/null openrw@11:/dev/null write:11 write:10 write:10 write:11 write:11",
	    "-e", "write:error=EIO:when=2..3:fd=11");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok ok ok EIO EIO");
	sf_proc_release(&p);
}

/* Per thread (the default): a forked child and a thread count from 0. */
static void test_filters__when_counts_per_thread_in_children_and_threads(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/b.txt fork open:$D/a.txt open:$D/b.txt open:$D/b.txt join "
		"thread open:$D/b.txt open:$D/a.txt open:$D/b.txt join open:$D/b.txt",
	    "-e", "openat:error=EACCES:when=2:path=$D/b.txt");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ok ok EACCES");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok ok EACCES");
	sf_proc_release(&p);
}

static const char *scoped_cfg(const char *scope)
{
	char name[64], text[512];
	snprintf(name, sizeof(name), "filters-scope-%s.cfg", scope);
	snprintf(text, sizeof(text),
		 "scope = \"%s\";\n"
		 "rules = ( { syscalls = \"openat\"; error = \"EACCES\"; when = \"2\";\n"
		 "  path = \"$D/b.txt\"; } );\n", scope);
	return cfg(name, text);
}

static void test_filters__scope_process_counts_matching_calls_of_all_threads(void)
{
	const char *script = "thread open:$D/a.txt open:$D/b.txt open:$D/a.txt join "
			     "thread open:$D/a.txt open:$D/b.txt join open:$D/b.txt";
	struct sf_proc p;
	RUN(&p, script, "-s", scoped_cfg("process"));
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "ok EACCES");
	SF_ASSERT_OUTCOMES(&p, "step", "ok");
	sf_proc_release(&p);
	RUN(&p, script, "-s", scoped_cfg("thread"));
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "step", "ok");
	sf_proc_release(&p);
}

static void test_filters__scope_tree_counts_matching_calls_across_fork(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/a.txt open:$D/b.txt fork open:$D/a.txt open:$D/b.txt open:$D/b.txt join",
	    "-s", scoped_cfg("tree"));
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ok EACCES ok");
	sf_proc_release(&p);
}

/* ---- fd ------------------------------------------------------------------ */

#define FOUR_FDS "openrw@10:/dev/null openrw@11:/dev/null openrw@12:/dev/null openrw@13:/dev/null " \
		 "write:10 write:11 write:12 write:13"

static void test_filters__fd_number_list_and_range(void)
{
	static const struct { const char *opt, *arg, *want; } cases[] = {
		{ "-e", "write:error=EIO:fd=11", "ok ok ok ok ok EIO ok ok" },
		{ "-e", "write:error=EIO:fd=11..12", "ok ok ok ok ok EIO EIO ok" },
		{ "-e", "write:error=EIO:fd=10,13", "ok ok ok ok EIO ok ok EIO" },
		{ "-e", "write:error=EIO:fd=10,12..13", "ok ok ok ok EIO ok EIO EIO" },
		{ "-e", "write:error=EIO:fd=0..9", "ok ok ok ok ok ok ok ok" },
		{ "-s", "rules = ( { syscalls = \"write\"; error = \"EIO\"; fd = 12; } );\n",
		  "ok ok ok ok ok ok EIO ok" },
		{ "-s", "rules = ( { syscalls = \"write\"; error = \"EIO\"; fd = [ 10, 13 ]; } );\n",
		  "ok ok ok ok EIO ok ok EIO" },
		{ "-s", "rules = ( { syscalls = \"write\"; error = \"EIO\"; fd = \"11..12\"; } );\n",
		  "ok ok ok ok ok EIO EIO ok" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_proc p;
		char name[32];
		snprintf(name, sizeof(name), "fd-%zu.cfg", i);
		RUN(&p, FOUR_FDS, cases[i].opt, cases[i].opt[1] == 's' ? cfg(name, cases[i].arg) : cases[i].arg);
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].want);
		sf_proc_release(&p);
	}
}

static void test_filters__fd_in_a_forked_child_and_a_thread(void)
{
	struct sf_proc p;
	RUN(&p, "openrw@11:/dev/null fork write:11 write:10 write:11 join thread write:10 write:11 join write:11",
	    "-e", "write:error=EIO:fd=11");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "child 1", "EIO EBADF EIO");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EBADF EIO");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EIO");
	sf_proc_release(&p);
}

/* openat's dirfd is an fd argument; AT_FDCWD is none. */
static void test_filters__fd_matches_a_dirfd(void)
{
	struct sf_proc p;
	RUN(&p, "dir@10:$D at:10:a.txt open:$D/a.txt at:-100:$D/a.txt dir@11:$D/sub at:11:b.txt",
	    "-e", "openat:error=EACCES:fd=10");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok ok ok ok");
	sf_proc_release(&p);
	RUN(&p, "dir@10:$D at:10:a.txt open:$D/a.txt dir@11:$D/sub at:11:b.txt",
	    "-e", "openat:error=EACCES:fd_type=dir");
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok ok EACCES");
	sf_proc_release(&p);
}

/* dup2(A, B): some fd argument must pass every fd filter by itself. */
static void test_filters__fd_filters_hold_for_one_fd_argument(void)
{
	static const struct { const char *spec, *want; } cases[] = {
		{ "dup2,dup3:error=EIO:fd=13:fd_type=pipe", "ok ok" },
		{ "dup2,dup3:error=EIO:fd=20:fd_type=pipe", "ok EIO" },
		{ "dup2,dup3:error=EIO:fd=13:fd_type=chr", "ok EIO" },
		{ "dup2,dup3:error=EIO:fd=13", "ok EIO" },
		{ "dup2,dup3:error=EIO:fd_type=chr", "ok EIO" },
		{ "dup2,dup3:error=EIO:fd_path=/dev/null", "ok EIO" },
		{ "dup2,dup3:error=EIO:fd_path=/dev/null:fd_type=pipe", "ok ok" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_proc p;
		RUN(&p, "pipe@20 openrw@13:/dev/null dup2:20:13", "-e", cases[i].spec);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].want);
		sf_proc_release(&p);
	}
}

/* ---- fd_type and fd_path ---------------------------------------------------- */

/* Steps 1-3 open w.txt (fd 26), /dev/null (27), $D (28); then six calls on:
 * a pipe's write end, a socket, an eventfd, the file, /dev/null, the directory. */
#define KINDS "pipe@20 sock@22 eventfd@24 openw@26:$D/w.txt openrw@27:/dev/null dir@28:$D " \
	      "write:21 write:22 write:24 write:26 write:27 read:28"

/* KEY = VALUE on write and read, in a scenario file and (when VALUE has no
 * ':', which separates -e's tokens) as an -e token. */
static void assert_kinds(const char *key, const char *value, const char *want)
{
	char spec[256], text[512];
	struct sf_proc p;

	snprintf(text, sizeof(text), "rules = ( { syscalls = \"write,read\"; error = \"ENOSPC\";\n"
		 "  %s = \"%s\"; } );\n", key, value);
	snprintf(spec, sizeof(spec), "write,read:error=ENOSPC:%s=%s", key, value);
	for (int way = 0; way < 2; way++) {
		if (way == 1 && strchr(value, ':'))
			break;
		if (way == 0)
			RUN(&p, KINDS, "-s", cfg("kinds.cfg", text));
		else
			RUN(&p, KINDS, "-e", spec);
		SF_ASSERT_PROC(p.status == 0, &p);
		if (strcmp(sf_outcomes(p.out, "step", 9), want))
			fprintf(stderr, "\n--- %s\n", way ? spec : text);
		SF_ASSERT_OUTCOMES(&p, "step", want);
		sf_proc_release(&p);
	}
}

static void test_filters__fd_type_tells_pipe_socket_eventfd_file_chr_dir(void)
{
	/* read on a directory: EISDIR from the kernel */
	assert_kinds("fd_type", "pipe", "ok ok ok ENOSPC ok ok ok ok EISDIR");
	assert_kinds("fd_type", "fifo", "ok ok ok ENOSPC ok ok ok ok EISDIR");
	assert_kinds("fd_type", "socket", "ok ok ok ok ENOSPC ok ok ok EISDIR");
	assert_kinds("fd_type", "eventfd", "ok ok ok ok ok ENOSPC ok ok EISDIR");
	assert_kinds("fd_type", "file", "ok ok ok ok ok ok ENOSPC ok EISDIR");
	assert_kinds("fd_type", "chr", "ok ok ok ok ok ok ok ENOSPC EISDIR");
	assert_kinds("fd_type", "dir", "ok ok ok ok ok ok ok ok ENOSPC");
	assert_kinds("fd_type", "pipe,socket", "ok ok ok ENOSPC ENOSPC ok ok ok EISDIR");
	assert_kinds("fd_type", "tty", "ok ok ok ok ok ok ok ok EISDIR");
}

/* A pseudo-terminal's master (/dev/ptmx, major 5) is a tty; /dev/null is not. */
static void test_filters__fd_type_tty_is_a_terminal_device(void)
{
	struct sf_proc p;
	int fd = open("/dev/ptmx", O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "integ_filters: not run: fd_type tty (no /dev/ptmx here)\n");
		return;
	}
	close(fd);
	RUN(&p, "openw@29:/dev/ptmx openrw@27:/dev/null write:29 write:27", "-e",
	    "write:error=ENOSPC:fd_type=tty");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ENOSPC ok");
	sf_proc_release(&p);
	RUN(&p, "openw@29:/dev/ptmx openw@27:/dev/null write:29 write:27", "-e",
	    "write:error=ENOSPC:fd_type=chr");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok ENOSPC");
	sf_proc_release(&p);
}

static void test_filters__fd_type_list_in_a_scenario_file(void)
{
	struct sf_proc p;
	RUN(&p, KINDS, "-s", cfg("fd-type-list.cfg",
		"rules = ( { syscalls = \"write,read\"; error = \"ENOSPC\";\n"
		"  fd_type = [ \"eventfd\", \"file\" ]; } );\n"));
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok ok ok ENOSPC ENOSPC ok EISDIR");
	sf_proc_release(&p);
}

static void test_filters__fd_type_in_a_forked_child_and_a_thread(void)
{
	struct sf_proc p;
	RUN(&p, "pipe@20 sock@22 fork write:22 write:21 join thread write:21 write:22 read:20 join "
		"read:20 read:23",
	    "-e", "write,read:error=EINTR:fd_type=pipe");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "child 1", "ok EINTR");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EINTR ok EINTR");
	SF_ASSERT_OUTCOMES(&p, "step", "EINTR ok");
	sf_proc_release(&p);
}

static void test_filters__fd_path_globs_what_the_fd_refers_to(void)
{
	assert_kinds("fd_path", "pipe:*", "ok ok ok ENOSPC ok ok ok ok EISDIR");
	assert_kinds("fd_path", "socket:*", "ok ok ok ok ENOSPC ok ok ok EISDIR");
	assert_kinds("fd_path", "*eventfd*", "ok ok ok ok ok ENOSPC ok ok EISDIR");
	assert_kinds("fd_path", "$D/w.txt", "ok ok ok ok ok ok ENOSPC ok EISDIR");
	assert_kinds("fd_path", "*.txt", "ok ok ok ok ok ok ENOSPC ok EISDIR");
	assert_kinds("fd_path", "/dev/null", "ok ok ok ok ok ok ok ENOSPC EISDIR");
	assert_kinds("fd_path", "$D", "ok ok ok ok ok ok ok ok ENOSPC");
	assert_kinds("fd_path", "!pipe:*", "ok ok ok ok ENOSPC ENOSPC ENOSPC ENOSPC ENOSPC");
	assert_kinds("fd_path", "pipe*", "ok ok ok ENOSPC ok ok ok ok EISDIR");
}

static void test_filters__fd_path_in_a_forked_child_and_a_thread(void)
{
	struct sf_proc p;
	RUN(&p, "openw@10:$D/w.txt openrw@11:/dev/null fork write:11 write:10 join "
		"thread write:10 write:11 join write:10",
	    "-e", "write:error=ENOSPC:fd_path=*/w.txt");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ok ENOSPC");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ENOSPC ok");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ENOSPC");
	sf_proc_release(&p);
}

/* ---- process --------------------------------------------------------------- */

/* The parent's comm and exe are filter_calls'; after exec, sfpeer's (a copy). */
#define EXEC_PEER "open:$D/a.txt fork open:$D/a.txt exec $D/sfpeer -n peer open:$D/a.txt ; join " \
		  "open:$D/a.txt"

static void test_filters__process_matches_a_child_after_exec(void)
{
	static const struct { const char *glob, *step, *child, *peer; } cases[] = {
		{ "sfpeer", "ok ok", "ok", "EACCES" },
		{ "filter_calls", "EACCES EACCES", "EACCES", "ok" },
		{ "!sfpeer", "EACCES EACCES", "EACCES", "ok" },
		{ "$D/sfpeer", "ok ok", "ok", "EACCES" },      /* the exe path, whole */
		{ "*/filter_calls", "EACCES EACCES", "EACCES", "ok" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[256];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:process=%s", cases[i].glob);
		RUN(&p, EXEC_PEER, "-e", spec);
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].step);
		SF_ASSERT_OUTCOMES(&p, "child 1", cases[i].child);
		SF_ASSERT_OUTCOMES(&p, "peer", cases[i].peer);
		sf_proc_release(&p);
	}
}

/*
 * The executable is kept from call to call: an exec from a thread (which
 * takes the leader's tid) must be seen as the new program at once.
 */
static void test_filters__process_matches_the_new_program_after_an_exec_from_a_thread(void)
{
	static const struct { const char *glob, *thread, *peer; } cases[] = {
		{ "sfpeer", "ok", "EACCES" },
		{ "filter_calls", "EACCES", "ok" },
		{ "*/filter_calls", "EACCES", "ok" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[256];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:process=%s", cases[i].glob);
		/* One join ends both blocks (they do not nest): the thread never returns. */
		RUN(&p, "fork open:$D/a.txt thread open:$D/a.txt exec $D/sfpeer -n peer open:$D/a.txt ; join",
		    "-e", spec);
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_OUTCOMES(&p, "thread 1", cases[i].thread);
		SF_ASSERT_OUTCOMES(&p, "peer", cases[i].peer);
		sf_proc_release(&p);
	}
}

/* Through a symlink the comm is the link's name, the exe filter_calls. */
static void test_filters__process_matches_comm_or_exe(void)
{
	struct sf_proc p;
	const char *script = "fork exec $D/sflink -n peer open:$D/a.txt ; join open:$D/a.txt";
	RUN(&p, script, "-e", "openat:error=EACCES:process=sflink");
	SF_ASSERT_OUTCOMES(&p, "peer", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "step", "ok");
	sf_proc_release(&p);
	RUN(&p, script, "-e", "openat:error=EACCES:process=*/targets/filter_calls");
	SF_ASSERT_OUTCOMES(&p, "peer", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES");
	sf_proc_release(&p);
}

/* prctl(PR_SET_NAME) names one thread: the calling thread's comm counts. */
static void test_filters__process_matches_a_thread_named_by_prctl(void)
{
	struct sf_proc p;
	const char *script = "thread name:worker open:$D/a.txt join thread open:$D/a.txt join "
			     "open:$D/a.txt fork name:worker open:$D/a.txt join";
	RUN(&p, script, "-e", "openat:error=EACCES:process=worker");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "ok");
	SF_ASSERT_OUTCOMES(&p, "step", "ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "EACCES");
	sf_proc_release(&p);
	RUN(&p, script, "-e", "openat:error=EACCES:process=!worker");
	SF_ASSERT_OUTCOMES(&p, "thread 2", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "step", "EACCES");
	/* "!worker" excludes the process by either name: its comm is worker */
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ok");
	sf_proc_release(&p);
}

/* The comm is read anew at every call: a rename between two calls of one thread counts at once. */
static void test_filters__process_sees_a_rename_between_two_calls(void)
{
	struct sf_proc p;
	const char *script = "open:$D/a.txt name:worker open:$D/a.txt name:other open:$D/a.txt";
	RUN(&p, script, "-e", "openat:error=EACCES:process=worker");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok");
	sf_proc_release(&p);
}

/* ---- args ------------------------------------------------------------------ */

#define OPENS "open:$D/a.txt creat:$D/new1.txt openw:$D/w.txt fork creat:$D/new2.txt join " \
	      "thread creat:$D/new3.txt open:$D/b.txt join"

static void test_filters__args_o_creat_selects_creating_opens(void)
{
	struct sf_proc p;
	RUN(&p, OPENS, "-e", "openat:error=EACCES:args=arg3 & O_CREAT");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "EACCES");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "EACCES ok");
	/* the failed calls never ran: no file was made */
	CU_ASSERT(!fixture_exists("new1.txt") && !fixture_exists("new2.txt") && !fixture_exists("new3.txt"));
	sf_proc_release(&p);
}

static void test_filters__args_masked_comparisons(void)
{
	static const struct { const char *cond, *step, *child, *thread; } cases[] = {
		{ "arg3 & O_ACCMODE == O_WRONLY", "ok EACCES EACCES", "EACCES", "EACCES ok" },
		{ "arg3 & O_ACCMODE != O_WRONLY", "EACCES ok ok", "ok", "ok EACCES" },
		{ "arg3 & O_ACCMODE == O_RDONLY", "EACCES ok ok", "ok", "ok EACCES" },
		{ "arg3 & O_CREAT|O_TRUNC == O_CREAT|O_TRUNC", "ok EACCES ok", "EACCES", "EACCES ok" },
		{ "arg3 > 0", "ok EACCES EACCES", "EACCES", "EACCES ok" },
		{ "arg3 == 0", "EACCES ok ok", "ok", "ok EACCES" },
		{ "arg3 & 0x40", "ok EACCES ok", "EACCES", "EACCES ok" },   /* O_CREAT on x86 and arm */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[256];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:args=%s", cases[i].cond);
		RUN(&p, OPENS, "-e", spec);
		if (sf_count_lines_with(p.out, "errno=") == 0 && strstr(cases[i].step, "EACCES"))
			fprintf(stderr, "\n--- %s\n", spec);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].step);
		SF_ASSERT_OUTCOMES(&p, "child 1", cases[i].child);
		SF_ASSERT_OUTCOMES(&p, "thread 1", cases[i].thread);
		sf_proc_release(&p);
	}
}

/*
 * The kernel reads an int argument's low 32 bits: openat's dirfd arrives as
 * 0x00000000ffffff9c from the C library, and is AT_FDCWD.  Pending: the
 * conditions compare all 64 bits, so "arg1 == AT_FDCWD" (or -100) never
 * holds on x86_64.
 */
static void test_filters__args_on_an_int_argument_compare_its_32_bits(void)
{
	static const char *const conds[] = { "arg1 == AT_FDCWD", "arg1 == -100" };
	for (size_t i = 0; i < 2; i++) {
		char spec[128];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "openat:error=EACCES:args=%s", conds[i]);
		RUN(&p, "dir@10:$D at:10:a.txt open:$D/a.txt at:-100:$D/b.txt", "-e", spec);
		/* the directory's own open has AT_FDCWD too, so fd 10 is not there for
		 * step 2, which fails for its own reason: not matched either way */
		char v[32];
		SF_ASSERT_PROC(sf_line_kv(p.out, "step 1", "errno", v, sizeof(v)) && !strcmp(v, "EACCES"), &p);
		SF_ASSERT_PROC(!sf_line_kv(p.out, "step 2", "errno", v, sizeof(v)) || strcmp(v, "EACCES"), &p);
		SF_ASSERT_PROC(sf_line_kv(p.out, "step 3", "errno", v, sizeof(v)) && !strcmp(v, "EACCES"), &p);
		SF_ASSERT_PROC(sf_line_kv(p.out, "step 4", "errno", v, sizeof(v)) && !strcmp(v, "EACCES"), &p);
		SF_ASSERT_PROC(strstr(p.err, "matched 3, injected 3") != NULL, &p);
		sf_proc_release(&p);
	}
}

static void test_filters__args_on_write_compare_fd_and_count(void)
{
	static const struct { const char *cond, *want; } cases[] = {
		{ "arg1 == 11", "ok ok ok ok ok EIO ok ok" },
		{ "arg1 >= 12", "ok ok ok ok ok ok EIO EIO" },
		{ "arg1 < 11", "ok ok ok ok EIO ok ok ok" },
		{ "arg1 != 11", "ok ok ok ok EIO ok EIO EIO" },
		{ "arg3 == 8", "ok ok ok ok EIO EIO EIO EIO" },
		{ "arg3 > 8", "ok ok ok ok ok ok ok ok" },
		{ "arg3 <= 8", "ok ok ok ok EIO EIO EIO EIO" },
		/* 64 bits wide: the seccomp filter compares both words */
		{ "arg3 < 0x100000000", "ok ok ok ok EIO EIO EIO EIO" },
		{ "arg3 >= 0x100000008", "ok ok ok ok ok ok ok ok" },
		{ "arg3 & 0xffffffff00000000", "ok ok ok ok ok ok ok ok" },
		{ "arg3 & 0xffffffff0000000f == 8", "ok ok ok ok EIO EIO EIO EIO" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[128];
		struct sf_proc p;
		snprintf(spec, sizeof(spec), "write:error=EIO:args=%s", cases[i].cond);
		RUN(&p, FOUR_FDS, "-e", spec);
		SF_ASSERT_OUTCOMES(&p, "step", cases[i].want);
		sf_proc_release(&p);
	}
}

/* Every condition must hold, and with the other filters too. */
static void test_filters__args_conditions_all_hold_with_the_other_filters(void)
{
	struct sf_proc p;
	RUN(&p, "creat:$D/new4.txt creat:$D/new5.log openw:$D/a.log open:$D/a.log", "-s",
	    cfg("args-and-path.cfg",
		"rules = ( { syscalls = \"openat\"; error = \"EACCES\";\n"
		"  args = [ \"arg3 & O_ACCMODE == O_WRONLY\", \"arg3 & O_TRUNC\" ];\n"
		"  path = \"*.log\"; } );\n"));
	SF_ASSERT_OUTCOMES(&p, "step", "ok EACCES ok ok");
	sf_proc_release(&p);
}

/* ---- strace's -P, --trace-fds and -e trace= ------------------------------------ */

/*
 * As strace: the path as the tracee wrote it (so not "b.txt" after a chdir,
 * nor "./b.txt"), -P's realpath, or an fd argument whose link is it.
 */
static void test_filters__trace_path_selects_calls_on_that_file(void)
{
	struct sf_proc p;
	RUN(&p, "open:$D/a.txt open:$D/b.txt chdir:$D open:b.txt open:./b.txt open:link-b "
		"fork open:$D/b.txt join thread open:$D/b.txt join",
	    "-P", "$D/b.txt", "-e", "inject=openat:error=ENOENT");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "ok ENOENT ok ok ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ENOENT");
	SF_ASSERT_OUTCOMES(&p, "thread 1", "ENOENT");
	sf_proc_release(&p);
	/* -P of a symlink also names what it points to */
	RUN(&p, "open:$D/a.txt open:$D/b.txt", "-P", "$D/link-b", "-e", "inject=openat:error=ENOENT");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ENOENT");
	sf_proc_release(&p);
	RUN(&p, "openw@10:$D/w.txt openrw@11:/dev/null write:10 write:11 fork write:10 join",
	    "-P", "$D/w.txt", "-e", "inject=write:error=ENOSPC");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ENOSPC ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "ENOSPC");
	sf_proc_release(&p);
}

static void test_filters__trace_fds_selects_calls_on_those_fds(void)
{
	static const char *const ways[][2] = {
		{ "--trace-fds=11,13", NULL }, { "--trace-fds", "11,13" }, { "-e", "trace-fds=11,13" },
	};
	for (size_t i = 0; i < 3; i++) {
		struct sf_proc p;
		if (ways[i][1])
			RUN(&p, FOUR_FDS " thread write:11 write:12 join", ways[i][0], ways[i][1],
			    "-e", "inject=write:error=ENOSPC");
		else
			RUN(&p, FOUR_FDS " thread write:11 write:12 join", ways[i][0],
			    "-e", "inject=write:error=ENOSPC");
		SF_ASSERT_PROC(p.status == 0, &p);
		SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok ok ok ENOSPC ok ENOSPC");
		SF_ASSERT_OUTCOMES(&p, "thread 1", "ENOSPC ok");
		sf_proc_release(&p);
	}
}

/* -P and --trace-fds together: a call on either. */
static void test_filters__trace_path_and_fds_together_select_either(void)
{
	struct sf_proc p;
	RUN(&p, "openw@10:$D/w.txt openrw@11:/dev/null openrw@12:/dev/null write:10 write:11 write:12",
	    "-P", "$D/w.txt", "--trace-fds=12", "-e", "inject=write:error=ENOSPC");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok ok ENOSPC ok ENOSPC");
	sf_proc_release(&p);
}

/* strace injects only into the calls it traces. */
static void test_filters__trace_set_limits_injection(void)
{
	struct sf_proc p;
	RUN(&p, "openrw@10:/dev/null write:10 read:10 fork write:10 read:10 join",
	    "-e", "trace=write", "-e", "inject=openat,write,read:error=EIO");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_OUTCOMES(&p, "step", "ok EIO ok");
	SF_ASSERT_OUTCOMES(&p, "child 1", "EIO ok");
	sf_proc_release(&p);
	RUN(&p, "pipe@20 write:21 read:20 open:$D/a.txt", "-e", "trace=%file", "-e",
	    "inject=openat,write,read:error=EIO");
	SF_ASSERT_OUTCOMES(&p, "step", "ok ok EIO");
	sf_proc_release(&p);
}

/* ---- mistakes: one line, exit 125, nothing run -------------------------------- */

static void test_filters__mistakes_are_refused_in_one_line(void)
{
	REFUSED("sysfault: -e 'write:error=EIO:path=/x': path: none of the rule's syscalls takes a path",
		"run", "-e", "write:error=EIO:path=/x");
	REFUSED("sysfault: -e 'getpid:error=EIO:fd=1': fd: none of the rule's syscalls takes a file descriptor",
		"run", "-e", "getpid:error=EIO:fd=1");
	REFUSED("sysfault: -e 'getpid:error=EIO:fd_type=pipe': fd_type: none of the rule's syscalls",
		"run", "-e", "getpid:error=EIO:fd_type=pipe");
	REFUSED("sysfault: -e 'getpid:error=EIO:fd_path=pipe*': fd_path: none of the rule's syscalls",
		"run", "-e", "getpid:error=EIO:fd_path=pipe*");
	REFUSED("sysfault: -e 'write:error=EIO:fd_type=pip': unknown fd_type \"pip\"; did you mean \"pipe\"?",
		"run", "-e", "write:error=EIO:fd_type=pip");
	REFUSED("sysfault: -e 'write:error=EIO:fd_type=pipe,sokcet': unknown fd_type \"sokcet\"; did you mean \"socket\"?",
		"run", "-e", "write:error=EIO:fd_type=pipe,sokcet");
	REFUSED("sysfault: -e 'write:error=EIO:fd=3..1': fd range 3..1 is backwards",
		"run", "-e", "write:error=EIO:fd=3..1");
	REFUSED("sysfault: -e 'write:error=EIO:fd=x': bad fd \"x\"",
		"run", "-e", "write:error=EIO:fd=x");
	REFUSED("sysfault: -e 'openat:error=EIO:path=': empty path pattern",
		"run", "-e", "openat:error=EIO:path=");
	REFUSED("sysfault: -e 'write:error=EIO:args=arg9 == 1': args condition \"arg9 == 1\" must start with arg1..arg6",
		"run", "-e", "write:error=EIO:args=arg9 == 1");
	REFUSED("sysfault: -e 'write:error=EIO:args=arg1 ~ 3': args condition \"arg1 ~ 3\" has no operator",
		"run", "-e", "write:error=EIO:args=arg1 ~ 3");
	REFUSED("sysfault: -e 'openat:error=EIO:args=arg3 & O_CRAET': unknown constant \"O_CRAET\" in args; did you mean \"O_CREAT\"?",
		"run", "-e", "openat:error=EIO:args=arg3 & O_CRAET");
	REFUSED("sysfault: -e 'write:error=EIO:args=arg1 == 1x': bad number \"1x\" in args",
		"run", "-e", "write:error=EIO:args=arg1 == 1x");
	REFUSED("sysfault: -e 'write:error=EIO:fd_tpye=pipe': unknown token \"fd_tpye=\"; did you mean \"fd_type=\"?",
		"run", "-e", "write:error=EIO:fd_tpye=pipe");
	REFUSED("sysfault: --trace-fds 'x':", "run", "--trace-fds=x", "-e", "write:error=EIO");
}

/* In a scenario file: FILE:LINE: what is wrong. */
static void test_filters__mistakes_in_a_file_name_the_line(void)
{
	static const struct { const char *rule, *want; } cases[] = {
		{ "syscalls = \"write\"; error = \"EIO\";\n  fd_type = \"pip\";",
		  ":2: unknown fd_type \"pip\"; did you mean \"pipe\"?" },
		{ "syscalls = \"write\"; error = \"EIO\";\n  args = [ \"arg1 == 1\", \"arg3 & O_CRAET\" ];",
		  ":2: unknown constant \"O_CRAET\" in args; did you mean \"O_CREAT\"?" },
		{ "syscalls = \"write\"; error = \"EIO\"; path = \"/x\";",
		  ":1: path: none of the rule's syscalls takes a path" },
		{ "syscalls = \"getpid\"; error = \"EIO\"; fd = [ 1, 2 ];",
		  ":1: fd: none of the rule's syscalls takes a file descriptor" },
		{ "syscalls = \"write\"; error = \"EIO\";\n  fd = \"1..x\";", ":2: bad fd \"1..x\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[32], text[512], start[PATH_MAX + 128];
		snprintf(name, sizeof(name), "mistake-%zu.cfg", i);
		snprintf(text, sizeof(text), "rules = ( { %s } );\n", cases[i].rule);
		const char *path = sf_test_tmpfile(name, text);
		snprintf(start, sizeof(start), "%s%s", path, cases[i].want);
		REFUSED(start, "run", "-s", path);
	}
}

void sf_test_register_integ_filters(void)
{
	CU_pSuite s = CU_add_suite("integ_filters", make_fixtures, NULL);
	CU_add_test(s, "path: absolute glob, that file only", test_filters__path_absolute_matches_that_file_only);
	CU_add_test(s, "path: glob without '/' at any depth", test_filters__path_glob_without_slash_matches_at_any_depth);
	CU_add_test(s, "path: relative, after chdir", test_filters__path_relative_resolves_against_the_changed_cwd);
	CU_add_test(s, "path: relative, a thread's own cwd (CLONE_FS)", test_filters__path_relative_uses_the_calling_threads_own_cwd);
	CU_add_test(s, "path: relative, cwd changed by a thread", test_filters__path_relative_follows_a_cwd_a_thread_changed);
	CU_add_test(s, "path: dirfd-relative openat", test_filters__path_resolves_against_the_dirfd);
	CU_add_test(s, "path: .. and // are walked", test_filters__path_dot_dot_and_double_slash_are_walked);
	CU_add_test(s, "path: '!' excludes", test_filters__path_exclusion_wins_over_inclusion);
	CU_add_test(s, "path: bad pointer and overlong path not matched", test_filters__path_bad_pointer_is_not_matched_and_the_run_goes_on);
	CU_add_test(s, "path: in a forked child and a thread", test_filters__path_in_a_forked_child_and_a_thread);
	CU_add_test(s, "path: calls without a path never match", test_filters__path_leaves_calls_without_a_path_alone);
	CU_add_test(s, "when: counts only filtered calls", test_filters__when_counts_only_the_calls_the_filter_selects);
	CU_add_test(s, "when: per thread in children and threads", test_filters__when_counts_per_thread_in_children_and_threads);
	CU_add_test(s, "scope process: threads' filtered calls", test_filters__scope_process_counts_matching_calls_of_all_threads);
	CU_add_test(s, "scope tree: filtered calls across fork", test_filters__scope_tree_counts_matching_calls_across_fork);
	CU_add_test(s, "fd: numbers, lists, ranges", test_filters__fd_number_list_and_range);
	CU_add_test(s, "fd: in a forked child and a thread", test_filters__fd_in_a_forked_child_and_a_thread);
	CU_add_test(s, "fd: a dirfd is an fd argument", test_filters__fd_matches_a_dirfd);
	CU_add_test(s, "fd: one fd argument passes all fd filters", test_filters__fd_filters_hold_for_one_fd_argument);
	CU_add_test(s, "fd_type: pipe, socket, eventfd, file, chr, dir", test_filters__fd_type_tells_pipe_socket_eventfd_file_chr_dir);
	CU_add_test(s, "fd_type: tty", test_filters__fd_type_tty_is_a_terminal_device);
	CU_add_test(s, "fd_type: list in a scenario file", test_filters__fd_type_list_in_a_scenario_file);
	CU_add_test(s, "fd_type: in a forked child and a thread", test_filters__fd_type_in_a_forked_child_and_a_thread);
	CU_add_test(s, "fd_path: glob on the fd's link", test_filters__fd_path_globs_what_the_fd_refers_to);
	CU_add_test(s, "fd_path: in a forked child and a thread", test_filters__fd_path_in_a_forked_child_and_a_thread);
	CU_add_test(s, "process: a child after exec", test_filters__process_matches_a_child_after_exec);
	CU_add_test(s, "process: comm or exe", test_filters__process_matches_comm_or_exe);
	CU_add_test(s, "process: the new program after an exec from a thread",
		    test_filters__process_matches_the_new_program_after_an_exec_from_a_thread);
	CU_add_test(s, "process: a thread named by prctl", test_filters__process_matches_a_thread_named_by_prctl);
	CU_add_test(s, "process: a rename between two calls", test_filters__process_sees_a_rename_between_two_calls);
	CU_add_test(s, "args: O_CREAT, across fork and threads", test_filters__args_o_creat_selects_creating_opens);
	CU_add_test(s, "args: masked comparisons", test_filters__args_masked_comparisons);
	CU_add_test(s, "args: an int argument's 32 bits", test_filters__args_on_an_int_argument_compare_its_32_bits);
	CU_add_test(s, "args: fd and count of write", test_filters__args_on_write_compare_fd_and_count);
	CU_add_test(s, "args: all conditions and the other filters", test_filters__args_conditions_all_hold_with_the_other_filters);
	CU_add_test(s, "-P: calls on that path", test_filters__trace_path_selects_calls_on_that_file);
	CU_add_test(s, "--trace-fds: calls on those fds", test_filters__trace_fds_selects_calls_on_those_fds);
	CU_add_test(s, "-P and --trace-fds: either", test_filters__trace_path_and_fds_together_select_either);
	CU_add_test(s, "-e trace=: limits injection", test_filters__trace_set_limits_injection);
	CU_add_test(s, "mistakes: one line, 125", test_filters__mistakes_are_refused_in_one_line);
	CU_add_test(s, "mistakes in a file: FILE:LINE", test_filters__mistakes_in_a_file_name_the_line);
}
