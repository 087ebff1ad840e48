/*
 * integ_strace_cli: strace's command line, pasted whole.  Each case is one
 * argv, run as `strace ARGV...` and as `sysfault run ARGV...` (the very
 * same words, no '--'), in a fresh copy of a small work directory; exit
 * status, stdout and stderr must be equal byte for byte.  The one line
 * taken out first is strace's own note on stderr, printed even with -qq,
 *   strace: Requested path "a.txt" resolved into "/tmp/.../a.txt"
 * which says only that -P keeps the canonical name too (so does sysfault,
 * silently).  Every command also runs natively: a case marked as injecting
 * must differ from that run under strace, one marked as not must not, so
 * two runs that agree because nothing happened (cat that copies with
 * copy_file_range and never calls write, say) are not a pass.
 *
 * Every case has -o: without it strace's trace fills stderr.  strace 6.1
 * injects only into calls it traces, so -P and -e trace= decide what is
 * injected, and a trace= without the injected call injects nothing.
 * --trace-fds is strace 6.3's: where strace has none, those cases are
 * reported "not run" by name and run under sysfault alone against the
 * result written in the case.  Without strace no test is registered.
 */
#include "harness.h"

#include <CUnit/TestRun.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define T 30.0
#define MAX_WORDS 24
#define SUITE "integ_strace_cli"

/* What a case's command gives under strace 6.3+ (and so must give under sysfault). */
struct expected {
	int status;
	const char *out, *err;
};

struct cli_case {
	/* Words after the program name: "@NAME" is the test target NAME, and
	 * "{D}" in a word is the work directory's absolute path. */
	const char *argv[MAX_WORDS];
	bool is_injected;          /* strace's run differs from the native one */
	bool needs_trace_fds;      /* strace 6.3's --trace-fds / -e trace-fds= */
	struct expected want;      /* needs_trace_fds: the result without strace */
};

/* A case whose command strace's run changes; one it must not change; one
 * with --trace-fds and the result strace 6.3+ gives (STATUS, OUT, ERR). */
#define INJECTS(...) { { __VA_ARGS__ }, true, false, { 0, NULL, NULL } }
#define NO_INJECTION(...) { { __VA_ARGS__ }, false, false, { 0, NULL, NULL } }
#define TRACE_FDS(is_injected, status, out, err, ...) \
	{ { __VA_ARGS__ }, is_injected, true, { status, out, err } }
#define QQ "-qq", "-o", "/dev/null"

static const struct cli_case cases[] = {
	/* -P: path arguments, absolute, relative, through a symlink */
	INJECTS("-f", QQ, "-P", "/etc/hostname", "-e", "inject=openat:error=ENOENT",
		"cat", "/etc/hostname", "/etc/os-release"),
	INJECTS(QQ, "-P", "{D}/a.txt", "-e", "inject=openat:error=ENOENT", "cat", "{D}/a.txt", "{D}/b.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=openat:error=ENOENT", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "--trace-path=b.txt", "-e", "inject=openat:error=EACCES", "head", "-n1", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "link.txt", "-e", "inject=openat:error=EACCES", "cat", "link.txt", "b.txt"),
	/* the fd of a.txt refers to link.txt's realpath, which -P keeps too */
	INJECTS(QQ, "-P", "link.txt", "-e", "inject=read:error=EIO", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "a.txt", "-P", "sub/c.txt", "-e", "inject=openat:error=EACCES",
		"cat", "a.txt", "b.txt", "sub/c.txt"),
	INJECTS(QQ, "-P", "sub", "-e", "inject=openat:error=EACCES", "ls", "sub"),
	/* -P on calls that take an fd: what /proc/PID/fd/N names */
	INJECTS(QQ, "-P", "b.txt", "-e", "inject=read:error=EIO", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "out.txt", "-e", "inject=write:error=ENOSPC", "dd", "if=a.txt", "of=out.txt",
		"status=none"),
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=close:error=EIO", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "b.txt", "-e", "inject=read:error=EIO", "tar", "-cf", "arc.tar", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "a.txt.gz", "-e", "inject=write:error=ENOSPC", "gzip", "-kf", "a.txt"),
	/* cp copies with copy_file_range; refused, it falls back to write */
	INJECTS("-f", QQ, "-P", "out.txt", "-e", "inject=copy_file_range:error=EXDEV",
		"-e", "inject=write:error=ENOSPC", "cp", "a.txt", "out.txt"),
	/* -f, -ff: children, with their own counters */
	INJECTS("-f", QQ, "-P", "b.txt", "-e", "inject=openat:error=ENOENT",
		"sh", "-c", "cat a.txt; cat b.txt; echo rc=$?"),
	INJECTS("-ff", "-qq", "-o", "trace", "-P", "a.txt", "-P", "b.txt", "-e", "inject=read:error=EIO:when=1",
		"sh", "-c", "cat a.txt; cat b.txt; echo rc=$?"),
	INJECTS("-f", QQ, "-e", "trace=getppid", "-e", "inject=getppid:error=EIO:when=2", "@forker", "3"),
	INJECTS("-f", QQ, "-e", "trace=getppid", "-e", "inject=getppid:error=EIO:when=3", "@threads", "4", "3"),
	/* -q and -o FILE without -qq: sysfault's summary goes to FILE */
	INJECTS("-f", "-o", "/dev/null", "-P", "a.txt", "-e", "inject=read:error=EIO", "cat", "a.txt"),
	INJECTS("-q", "-o", "trace.txt", "-P", "b.txt", "-e", "inject=openat:error=ENOENT", "cat", "a.txt", "b.txt"),
	/* -e trace=: injection only into traced calls */
	INJECTS(QQ, "-P", "a.txt", "-e", "trace=openat,read", "-e", "inject=read:error=EIO:when=2",
		"cat", "a.txt", "a.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "trace=%file", "-e", "inject=openat:error=ENOENT",
		"-e", "inject=read:error=EIO", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "trace=read", "-e", "inject=openat:error=ENOENT",
		"-e", "inject=read:error=EIO", "cat", "a.txt", "b.txt"),
	INJECTS(QQ, "-e", "trace=getuid", "-e", "inject=getuid,write:error=EACCES:when=2",
		"@calls", "getuid,write", "3"),
	NO_INJECTION("-f", QQ, "-e", "trace=write", "-e", "inject=openat:error=ENOENT", "cat", "a.txt"),
	NO_INJECTION("-f", QQ, "-e", "trace=none", "-e", "inject=openat:error=ENOENT", "cat", "a.txt"),
	/* empty ':' tokens, as strace takes them */
	INJECTS(QQ, "-e", "inject=write:error=EIO:", "cat", "a.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=openat::error=ENOENT::when=2:", "cat", "a.txt", "a.txt", "b.txt"),
	/* when= counts only the calls -P selects */
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=openat:error=ENOENT:when=2", "cat", "b.txt", "a.txt", "a.txt",
		"a.txt"),
	INJECTS("-f", QQ, "-P", "a.txt", "-e", "inject=openat:error=ENOENT:when=2+",
		"sh", "-c", "cat a.txt a.txt; cat a.txt a.txt b.txt"),
	INJECTS("-f", QQ, "-P", "out.txt", "-e", "inject=write:error=ENOSPC:when=2",
		"sh", "-c", "exec 3>out.txt; echo one >&3; echo two >&3; echo rc=$?; cat out.txt"),
	INJECTS("-f", QQ, "-P", "a.txt", "-e", "inject=openat:error=EACCES:when=2", "python3", "-c",
		"for i in 1, 2, 3:\n    try: open(\"a.txt\").close(); print(i, \"ok\")\n"
		"    except OSError as e: print(i, e)"),
	/* poke_enter changes what is written, poke_exit what was read (args from 1) */
	INJECTS("-f", QQ, "-P", "out.txt", "-e", "inject=write:poke_enter=@arg2=5a5a",
		"sh", "-c", "echo hi > out.txt; cat out.txt"),
	INJECTS(QQ, "-e", "inject=write:poke_enter=@arg2=4a:when=2", "sh", "-c", "echo one; echo two"),
	INJECTS("-f", QQ, "-P", "out.txt", "-e", "inject=copy_file_range:error=EXDEV",
		"-e", "inject=write:poke_enter=@arg2=5a5a", "sh", "-c", "cp a.txt out.txt; cmp a.txt out.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=read:poke_exit=@arg2=5a5a:when=1", "cat", "a.txt"),
	INJECTS(QQ, "-P", "a.txt", "-e", "inject=read:poke_exit=@arg2=2a2a2a", "python3", "-c",
		"import os; print(os.read(os.open(\"a.txt\", os.O_RDONLY), 5))"),
	/* --trace-fds: fd numbers, whatever they refer to; with -P, either selects */
	TRACE_FDS(true, 1, "", "cat: write error: Input/output error\n",
		  QQ, "--trace-fds=1", "-e", "inject=write:error=EIO", "cat", "a.txt", "missing.txt"),
	TRACE_FDS(true, 1, "alpha\n", "",
		  QQ, "--trace-fds=2", "-e", "inject=write:error=EIO", "cat", "a.txt", "missing.txt"),
	TRACE_FDS(true, 0, "write 1 ret=1\nwrite 2 ret=-1 errno=ENOSPC\nwrite 3 ret=1\n", "",
		  QQ, "--trace-fds=3", "-e", "inject=write:error=ENOSPC:when=2", "@calls", "write", "3"),
	TRACE_FDS(true, 1, "", "cat: -: Input/output error\ncat: write error: Input/output error\n",
		  QQ, "--trace-fds=0..1", "-e", "inject=read,write:error=EIO", "cat", "-", "b.txt"),
	TRACE_FDS(true, 1, "alpha\n", "cat: -: Input/output error\ncat: b.txt: Input/output error\n",
		  QQ, "-e", "trace-fds=0", "-P", "b.txt", "-e", "inject=read:error=EIO", "cat", "-", "a.txt", "b.txt"),
	TRACE_FDS(false, 0, "alpha\n", "",
		  QQ, "--trace-fds=1", "-e", "trace=read", "-e", "inject=write:error=EIO", "cat", "a.txt"),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- The work directory, made afresh before every run ------------------- */

static char work_dir[PATH_MAX];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static void put_file(const char *name, const char *content)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", work_dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

/* a.txt b.txt sub/c.txt, link.txt -> a.txt, and out.txt, a.txt.gz, which
 * exist before the command so that -P finds their canonical names. */
static void make_work_dir(void)
{
	char path[PATH_MAX + 64];

	nftw(work_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	mkdir(work_dir, 0755);
	snprintf(path, sizeof(path), "%s/sub", work_dir);
	mkdir(path, 0755);
	put_file("a.txt", "alpha\n");
	put_file("b.txt", "beta\n");
	put_file("sub/c.txt", "gamma\n");
	put_file("out.txt", "old\n");
	put_file("a.txt.gz", "stale\n");
	snprintf(path, sizeof(path), "%s/link.txt", work_dir);
	symlink("a.txt", path);
}

/* ---- Running one case ---------------------------------------------------- */

static char sysfault_path[PATH_MAX];

/* WORD with "@NAME" and "{D}" expanded (malloc'd). */
static char *expand(const char *word)
{
	char *s;

	if (word[0] == '@') {
		char *real = realpath(sf_test_target(word + 1), NULL);
		return real ? real : strdup(sf_test_target(word + 1));
	}
	const char *d = strstr(word, "{D}");
	if (!d)
		return strdup(word);
	if (asprintf(&s, "%.*s%s%s", (int)(d - word), word, work_dir, d + 3) < 0)
		return NULL;
	return s;
}

/* The index in ARGV of the command: the first word that is not an option of strace's. */
static int command_start(const char *const argv[])
{
	int i = 0;
	while (argv[i] && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "-P") || !strcmp(argv[i], "-e"))
			i++;
		i++;
	}
	return i;
}

/* Runs TOOL (NULL: none, the command natively) with the case's words, in a fresh work dir. */
static void run_in_work_dir(struct sf_proc *p, const char *tool, const char *tool_arg,
			    const struct cli_case *c)
{
	char *argv[MAX_WORDS + 3];
	int n = 0, from = tool ? 0 : command_start(c->argv);
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (tool)
		argv[n++] = strdup(tool);
	if (tool_arg)
		argv[n++] = strdup(tool_arg);
	for (int i = from; c->argv[i]; i++)
		argv[n++] = expand(c->argv[i]);
	argv[n] = NULL;
	make_work_dir();
	if (chdir(work_dir) == 0) {
		sf_proc_run(p, T, argv);
		if (fchdir(cwd) != 0)
			perror("fchdir");
	} else {
		memset(p, 0, sizeof(*p));
		p->status = -1;
		p->out = strdup("");
		p->err = strdup("cannot enter the work directory\n");
	}
	close(cwd);
	for (int i = 0; i < n; i++)
		free(argv[i]);
}

/* Takes strace's "Requested path ... resolved into ..." lines out of TEXT. */
static void drop_resolved_notes(char *text)
{
	char *w = text;
	for (char *s = text; *s;) {
		char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s + 1) : strlen(s);
		bool is_note = !strncmp(s, "strace: Requested path \"", 24) &&
			       memmem(s, len, "\" resolved into \"", 17);
		if (!is_note) {
			memmove(w, s, len);
			w += len;
		}
		s += len;
	}
	*w = '\0';
}

static bool same(const struct sf_proc *a, const struct sf_proc *b)
{
	return a->status == b->status && !strcmp(a->out, b->out) && !strcmp(a->err, b->err) &&
	       !a->timed_out && !b->timed_out;
}

static void show(const char *who, const struct sf_proc *p)
{
	fprintf(stderr, "--- %s: status %d%s\n--- stdout:\n%s--- stderr:\n%s", who, p->status,
		p->timed_out ? " (timed out)" : "", p->out, p->err);
}

static bool has_strace_trace_fds;

/* The command under strace and under sysfault; both must give the same. */
static void compare_with_strace(const struct cli_case *c, const char *name)
{
	struct sf_proc native, want, got;

	run_in_work_dir(&native, NULL, NULL, c);
	run_in_work_dir(&want, "strace", NULL, c);
	run_in_work_dir(&got, sysfault_path, "run", c);
	drop_resolved_notes(want.err);

	bool is_same = same(&want, &got);
	if (!is_same) {
		fprintf(stderr, "\n--- %s: strace and sysfault differ\n", name);
		show("strace", &want);
		show("sysfault", &got);
	}
	CU_ASSERT(is_same);
	/* the reference is a run strace accepted that did what the case says */
	bool is_refused = strstr(want.err, "strace: ") != NULL;
	bool is_as_meant = same(&want, &native) != c->is_injected;
	if (is_refused || !is_as_meant) {
		fprintf(stderr, "\n--- %s: strace %s\n", name, is_refused ? "complained" :
			c->is_injected ? "injected nothing" : "changed the command's result");
		show("strace", &want);
		show("native", &native);
	}
	CU_ASSERT(!is_refused && is_as_meant);
	if (c->needs_trace_fds) {
		bool is_expected = want.status == c->want.status && !strcmp(want.out, c->want.out) &&
				   !strcmp(want.err, c->want.err);
		if (!is_expected)
			fprintf(stderr, "\n--- %s: the case's expectation is not what strace gives\n", name);
		CU_ASSERT(is_expected);
	}
	sf_proc_release(&native);
	sf_proc_release(&want);
	sf_proc_release(&got);
}

/* Without a strace that has --trace-fds: sysfault against the written result. */
static void check_expected(const struct cli_case *c, const char *name)
{
	struct sf_proc native, got;

	run_in_work_dir(&native, NULL, NULL, c);
	run_in_work_dir(&got, sysfault_path, "run", c);
	struct sf_proc want = { .status = c->want.status, .out = (char *)c->want.out,
				.err = (char *)c->want.err };
	bool is_expected = same(&want, &got);
	if (!is_expected) {
		fprintf(stderr, "\n--- %s: not the expected result\n", name);
		show("expected", &want);
		show("sysfault", &got);
	}
	CU_ASSERT(is_expected);
	/* the expectation itself says an injection happened, or that none did */
	bool is_as_meant = same(&want, &native) != c->is_injected;
	if (!is_as_meant) {
		fprintf(stderr, "\n--- %s: the expectation %s the native run\n", name,
			c->is_injected ? "equals" : "differs from");
		show("native", &native);
	}
	CU_ASSERT(is_as_meant);
	sf_proc_release(&native);
	sf_proc_release(&got);
}

/* ---- Registration: one CUnit test per case, named by its argv ---------- */

static struct registered {
	char name[512];
	const struct cli_case *c;
	bool is_alone;      /* sysfault alone, against c->want */
} registered[NCASES];
static unsigned nregistered;

/* CUnit gives a test no argument: the running test's name says which case it is. */
static void test_strace_cli__case(void)
{
	const char *name = CU_get_current_test()->pName;

	for (unsigned i = 0; i < nregistered; i++) {
		if (strcmp(registered[i].name, name) == 0) {
			if (registered[i].is_alone)
				check_expected(registered[i].c, name);
			else
				compare_with_strace(registered[i].c, name);
			return;
		}
	}
	CU_FAIL("no case has this test's name");
}

/* The case's words as a shell would read them: quoted where needed, "\n" shown. */
static void name_case(char *buf, size_t size, const struct cli_case *c, const char *suffix)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; c->argv[i] && n < size; i++) {
		const char *w = c->argv[i];
		bool is_quoted = strpbrk(w, " \t\n;$'\"*?()<>&|") != NULL;
		n += snprintf(buf + n, size - n, "%s%s", i ? " " : "", is_quoted ? "'" : "");
		for (const char *s = w; *s && n < size; s++)
			n += snprintf(buf + n, size - n, *s == '\n' ? "\\n" : "%c", *s);
		if (is_quoted && n < size)
			n += snprintf(buf + n, size - n, "'");
	}
	if (n < size)
		snprintf(buf + n, size - n, "%s", suffix);
}

/* Whether PROGRAM (a bare name) is on PATH. */
static bool is_installed(const char *program)
{
	const char *path = getenv("PATH");
	char file[PATH_MAX];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)len, p, program);
		if (access(file, X_OK) == 0)
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

/* Whether strace injects here: the reference every case needs. */
static bool strace_injects(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, "strace", "-f", "-qq", "-o", "/dev/null", "-e", "inject=getuid:retval=42",
		     sf_test_target("calls"), "getuid", "1", NULL);
	bool ok = p.status == 0 && sf_has_line(p.out, "getuid 1 ret=42");
	sf_proc_release(&p);
	return ok;
}

/* Whether this strace has --trace-fds (6.3 and later; 6.1 refuses the option). */
static bool strace_has_trace_fds(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, "strace", "--trace-fds=1", "-o", "/dev/null", "true", NULL);
	bool ok = p.status == 0;
	sf_proc_release(&p);
	return ok;
}

void sf_test_register_integ_strace_cli(void)
{
	bool has_strace = strace_injects();
	CU_pSuite s = has_strace ? CU_add_suite(SUITE, NULL, NULL) : NULL;

	has_strace_trace_fds = has_strace && strace_has_trace_fds();
	snprintf(work_dir, sizeof(work_dir), "%s", sf_test_tmpfile("strace-cli", NULL));
	/* the cases run in the work directory: sysfault by its absolute path */
	if (!realpath(sf_test_sysfault(), sysfault_path))
		snprintf(sysfault_path, sizeof(sysfault_path), "%s", sf_test_sysfault());

	for (size_t i = 0; i < NCASES; i++) {
		const struct cli_case *c = &cases[i];
		struct registered *r = &registered[nregistered];
		const char *program = c->argv[command_start(c->argv)];
		const char *why = NULL;

		name_case(r->name, sizeof(r->name), c, "");
		if (!has_strace)
			why = "strace with -e inject= is not available here; install it: "
			      "SF_EXTRA_TOOLS=strace sh ci/install-deps.sh";
		else if (program[0] != '@' && !is_installed(program))
			why = "the command is not installed here";
		if (why) {
			fprintf(stderr, SUITE ": not run: %s (%s)\n", r->name, why);
			continue;
		}
		r->c = c;
		if (c->needs_trace_fds && !has_strace_trace_fds) {
			fprintf(stderr, SUITE ": not run: %s (strace here has no --trace-fds, new in "
				"strace 6.3; run under sysfault alone against the result in the case)\n",
				r->name);
			name_case(r->name, sizeof(r->name), c, " [sysfault alone, expected result]");
			r->is_alone = true;
		}
		CU_add_test(s, r->name, test_strace_cli__case);
		nregistered++;
	}
}
