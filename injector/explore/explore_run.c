/*
 * explore's runs: each one a child `sysfault run` (this same binary, in a
 * sandbox of its own unless --no-isolate: sandbox.h), its stderr and log
 * in files of the campaign's private directory.  Up to -j
 * run at once; the scheduler sleeps in sigsuspend() until one ends or a
 * signal stops the campaign, never on a timer, so a campaign costs the runs
 * and nothing more.  A stopped run's point is never given an outcome.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "explore/coverage.h"
#include "explore/explore.h"
#include "explore/sandbox.h"
#include "report.h"
#include "sysfault/sysfault.h"

#define SELF_EXE "/proc/self/exe"

extern char **environ;

/*
 * This same program, to run again: /proc/self/exe, which still names it
 * if its file is replaced or removed during the campaign.  Under a tool
 * that runs sysfault on its own loader (valgrind), exec of that name would
 * start the tool itself, while open and readlink of it are answered with
 * sysfault's file: then, and only then, the path readlink gives is used.
 */
const char *sf_explore_self(void)
{
	static char path[4096] = SELF_EXE;
	static bool is_known;
	struct stat by_exec, by_open;

	if (is_known)
		return path;
	is_known = true;
	int fd = open(SELF_EXE, O_RDONLY | O_CLOEXEC);
	bool is_hidden = fd >= 0 && fstat(fd, &by_open) == 0 && stat(SELF_EXE, &by_exec) == 0 &&
			 (by_open.st_dev != by_exec.st_dev || by_open.st_ino != by_exec.st_ino);
	if (fd >= 0)
		close(fd);
	ssize_t n = is_hidden ? readlink(SELF_EXE, path, sizeof(path) - 1) : -1;
	if (n > 0)
		path[n] = 0;
	else
		strcpy(path, SELF_EXE);
	return path;
}

/* The signals that stop a campaign, and the last of them received and how many. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t interrupts;

static void on_signal(int signo)
{
	interrupted = signo;
	interrupts++;
}

/* Only so that sigsuspend() returns when a run ends: SIGCHLD's default action is to ignore it. */
static void on_child(int signo)
{
	(void)signo;
}

static void catch_signals(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* no SA_RESTART: waitpid() returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &old[3]);
}

static void restore_signals(const struct sigaction *old)
{
	for (size_t i = 0; i < 3; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	sigaction(SIGCHLD, &old[3], NULL);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run's files: the command's stderr and sysfault's log; its sandbox's scratch directory. */
struct run_files {
	char err[4096];
	char log[4096];
	char box[4096];
	char keep[4096 + sizeof(SF_SANDBOX_KEEP_DIR) + 1];   /* BOX/keep: --coverage's gcov data */
};

static void run_files_init(struct run_files *f, const char *dir, const char *name)
{
	snprintf(f->err, sizeof(f->err), "%s/%s.err", dir, name);
	snprintf(f->log, sizeof(f->log), "%s/%s.log", dir, name);
	snprintf(f->box, sizeof(f->box), "%s/%s.box", dir, name);
	snprintf(f->keep, sizeof(f->keep), "%s/%s", f->box, SF_SANDBOX_KEEP_DIR);
}

/* The argv of `sysfault run` for a record run (RECORD) or a point run (POINT). */
static char **run_argv(const struct sf_campaign *c, const struct sf_explore_opts *o,
		       const struct run_files *files, const char *record, const char *point,
		       char *seed, char *timeout)
{
	size_t n = 0, max = c->nrule_args + c->ncommand + 24 + sf_sandbox_argc(o->sandbox);
	char **argv = calloc(max, sizeof(*argv));

	if (!argv)
		return NULL;
	argv[n++] = (char *)sf_explore_self();
	/* `__sandbox ... -- run`: the same process builds the sandbox, then is `run` */
	n += sf_sandbox_argv(o->sandbox, files->box, argv + n);
	argv[n++] = "run";
	for (size_t i = 0; i < c->nrule_args; i++)
		argv[n++] = c->rule_args[i];
	argv[n++] = "--seed";
	argv[n++] = seed;
	if (c->engine) {
		argv[n++] = "--engine";
		argv[n++] = c->engine;
	}
	if (timeout[0]) {
		argv[n++] = "--timeout";
		argv[n++] = timeout;
	}
	argv[n++] = "--log";
	argv[n++] = (char *)files->log;
	argv[n++] = "--summary";
	argv[n++] = "none";
	argv[n++] = "-q";
	/* libgcov's own calls on the run's data, at exit, are not the command's: no point, no failure */
	if (o->coverage) {
		argv[n++] = "--ignore-dir";
		argv[n++] = (char *)files->keep;
	}
	argv[n++] = record ? "--record" : "--point";
	argv[n++] = (char *)(record ? record : point);
	if (record && c->is_by_site) {
		argv[n++] = "--points";
		argv[n++] = "site";
	}
	argv[n++] = "--";
	for (size_t i = 0; i < c->ncommand; i++)
		argv[n++] = c->command[i];
	argv[n] = NULL;
	return argv;
}

/*
 * With several runs at once, each is kept on a CPU of its own (slot k on
 * the k-th allowed CPU): `sysfault run` pins itself to the CPU it starts
 * on, and two runs starting on the same one would then share it for good.
 * The run inherits the affinity explore has while spawning it.
 */
static bool pin_to_slot(unsigned slot, cpu_set_t *allowed)
{
	cpu_set_t one;
	int k = 0;

	if (sched_getaffinity(0, sizeof(*allowed), allowed) < 0 || CPU_COUNT(allowed) < 2)
		return false;
	int pick = (int)(slot % (unsigned)CPU_COUNT(allowed));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, allowed) && k++ == pick) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			return sched_setaffinity(0, sizeof(one), &one) == 0;
		}
	}
	return false;
}

/*
 * posix_spawn, not fork: a fork would copy explore's page tables and make
 * it take a copy-on-write fault on every page it touches afterwards, once
 * per point; on a VM whose page-table updates serialise across CPUs that
 * is what keeps parallel runs from scaling.
 */
int sf_spawn_quiet_actions(posix_spawn_file_actions_t *fa, const char *err_path)
{
	int err = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);

	if (!err)
		err = posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0);
	if (!err)
		err = posix_spawn_file_actions_addopen(fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	return err;
}

/* ENVP: the run's environment (--coverage's), or NULL for explore's own. */
static pid_t spawn(char **argv, char **envp, const char *err_path, int slot)
{
	posix_spawn_file_actions_t fa;
	cpu_set_t allowed;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	int err = sf_spawn_quiet_actions(&fa, err_path);
	bool is_pinned = !err && slot >= 0 && pin_to_slot((unsigned)slot, &allowed);
	if (!err)
		err = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp ? envp : environ);
	if (is_pinned)
		sched_setaffinity(0, sizeof(allowed), &allowed);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		errno = err;
		return -1;
	}
	return pid;
}

static void format_args(const struct sf_campaign *c, double timeout_s, char *seed, size_t ss,
			char *timeout, size_t ts)
{
	snprintf(seed, ss, "%" PRIu64, c->seed);
	if (timeout_s > 0)
		snprintf(timeout, ts, "%.3fs", timeout_s);
	else
		timeout[0] = 0;
}

/* The last line of a file: the one-line reason `sysfault run` gave for not starting. */
static void report_last_line(const char *path, const char *what)
{
	char *tail = sf_classify_tail(path);
	size_t n = strlen(tail);

	while (n && tail[n - 1] == '\n')
		tail[--n] = 0;
	char *last = strrchr(tail, '\n');
	last = last ? last + 1 : tail;
	if (!strncmp(last, "sysfault: ", 10))
		last += 10;
	sf_error("%s%s%s", what, *last ? ": " : "", last);
	free(tail);
}

int sf_explore_record(struct sf_campaign *c, const struct sf_explore_opts *o)
{
	struct run_files files;
	struct sf_baseline base;
	char seed[32], timeout[32], record[4096];
	struct sigaction old[4];
	int status = 0;

	run_files_init(&files, o->tmpdir, "clean");
	snprintf(record, sizeof(record), "%s/record.jsonl", o->tmpdir);
	format_args(c, o->has_timeout ? o->timeout_s : 0, seed, sizeof(seed), timeout, sizeof(timeout));
	char **argv = run_argv(c, o, &files, record, NULL, seed, timeout), **envp = NULL;
	if (!argv || (o->coverage && sf_coverage_run_begin(o->coverage, files.box, &envp) < 0)) {
		free(argv);
		return SF_EXIT_USAGE;
	}
	double t0 = now_s();
	catch_signals(old);
	pid_t pid = spawn(argv, envp, files.err, o->jobs > 1 ? 0 : -1);
	free(argv);
	sf_coverage_env_free(envp);
	bool is_signalled = false;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
		if (interrupted && !is_signalled)
			is_signalled = kill(pid, SIGTERM) == 0;   /* `run` passes it on to the command */
	}
	restore_signals(old);
	c->clean_seconds = now_s() - t0;
	if (pid < 0) {
		sf_error("cannot start a run of sysfault: %s", strerror(errno));
		return SF_EXIT_USAGE;
	}
	if (interrupted) {
		sf_error("interrupted during the clean run: no point was run");
		return 128 + interrupted;
	}
	bool has_started = sf_classify_baseline(files.log, files.err, &base);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!has_started) {
		report_last_line(files.err, "the clean run could not start the command");
		return SF_EXIT_USAGE;
	}
	if (code == 124 && o->has_timeout) {
		sf_error("the clean run did not end within --timeout %.3fs; give a longer --timeout",
			 o->timeout_s);
		return SF_EXIT_USAGE;
	}
	if (o->coverage && sf_coverage_take_clean(o->coverage, files.box, c->command[0]) < 0)
		return SF_EXIT_USAGE;
	c->clean_status = base.exit_status;
	if (base.sanitizer_reports && o->verbosity >= 0)
		sf_warning("the clean run already has %u sanitizer report line(s); only points with more are findings",
			   base.sanitizer_reports);
	if (sf_points_read_record(c, record) < 0)
		return SF_EXIT_USAGE;
	return 0;
}

/* ---- the point runs ---- */

struct slot {
	pid_t pid;               /* 0: free */
	size_t point;            /* index into c->points */
	bool is_rerun;           /* the run confirms the point's first outcome */
	bool wants_rerun;        /* free, but its point's first run needs confirming here */
	struct run_files files;
};

/*
 * Signals are blocked but inside sigsuspend() (and while a run is
 * spawned, so that the run does not inherit the mask): a run that ends or
 * a Ctrl-C can then never fall between checking for it and going to sleep.
 */
struct scheduler {
	struct sf_campaign *c;
	const struct sf_explore_opts *o;
	struct sf_baseline base;
	struct slot *slots;
	size_t next;             /* the first pending point not started yet, or npoints */
	size_t to_run, done, findings;
	unsigned running;
	bool is_stopping;
	int kills;               /* stop_all() calls: the second one sends SIGKILL */
	int rc;                  /* sf_explore_run_points's result */
	sigset_t blocked, unblocked;
	double t0;
	char seed[32], timeout[32];
};

static void progress(const struct scheduler *s)
{
	if (!s->o->show_progress)
		return;
	double elapsed = now_s() - s->t0;
	size_t left = s->to_run - s->done;
	fprintf(stderr, "\rexplore: %zu/%zu points, %zu finding%s", s->done, s->to_run,
		s->findings, s->findings == 1 ? "" : "s");
	if (s->done) {
		unsigned long eta = (unsigned long)(elapsed * (double)left / (double)s->done + 0.5);
		fprintf(stderr, ", ETA %lu:%02lu", eta / 60, eta % 60);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
}

/* The first point from I on that has not been run (a resumed campaign has done ones). */
static size_t pending_from(const struct scheduler *s, size_t i)
{
	while (i < s->c->npoints && s->c->points[i].is_done)
		i++;
	return i;
}

/* Starts the run slot K is for: its point's confirmation, or the next point. */
static int start_next(struct scheduler *s, unsigned k)
{
	struct slot *slot = &s->slots[k];
	bool is_rerun = slot->wants_rerun;
	size_t i = is_rerun ? slot->point : s->next;
	struct sf_xpoint *p = &s->c->points[i];
	char **argv = run_argv(s->c, s->o, &slot->files, NULL, p->point, s->seed, s->timeout), **envp = NULL;

	if (!argv || (s->o->coverage && sf_coverage_run_begin(s->o->coverage, slot->files.box, &envp) < 0)) {
		free(argv);
		return -1;
	}
	sigprocmask(SIG_SETMASK, &s->unblocked, NULL);
	slot->pid = spawn(argv, envp, slot->files.err, s->o->jobs > 1 ? (int)k : -1);
	int err = errno;
	sigprocmask(SIG_BLOCK, &s->blocked, NULL);
	free(argv);
	sf_coverage_env_free(envp);
	if (slot->pid < 0) {
		sf_error("cannot start a run of sysfault: %s", strerror(err));
		slot->pid = 0;
		return -1;
	}
	slot->point = i;
	slot->is_rerun = is_rerun;
	slot->wants_rerun = false;
	if (!is_rerun)
		s->next = pending_from(s, i + 1);
	s->running++;
	return 0;
}

static void point_done(struct scheduler *s, struct sf_xpoint *p)
{
	p->is_done = true;
	if (sf_xpoint_is_finding(s->c, p))
		s->findings++;
	if (s->o->verbosity > 0 && !s->o->show_progress && p->outcome == SF_OUT_FLAKY)
		fprintf(stderr, "sysfault: %s: flaky (%s, then %s)\n", p->point,
			sf_outcome_names[p->runs[0]], sf_outcome_names[p->runs[1]]);
	else if (s->o->verbosity > 0 && !s->o->show_progress)
		fprintf(stderr, "sysfault: %s: %s\n", p->point, sf_outcome_names[p->outcome]);
	s->done++;
	progress(s);
}

/*
 * Ctrl-C (and a hangup) reaches the whole process group, the runs too: a
 * run may end by it while explore's own signal is still pending, blocked.
 */
static bool is_stop_pending(const struct scheduler *s)
{
	sigset_t pending;

	if (interrupts > s->kills)
		return true;
	if (sigpending(&pending) < 0)
		return false;
	for (size_t i = 0; i < 3; i++)
		if (sigismember(&pending, stop_signals[i]))
			return true;
	return false;
}

/*
 * --coverage: a point's gcov data counts once the point is done, so that
 * a point left pending (its confirming run stopped) adds nothing until it
 * is run again, whole.
 */
static void keep_coverage(struct scheduler *s, struct slot *slot, bool is_point_done)
{
	if (!s->o->coverage)
		return;
	if (is_point_done)
		sf_coverage_take_point(s->o->coverage, slot->files.box, s->c->points[slot->point].point);
	else
		sf_coverage_hold(s->o->coverage, slot->files.box);
}

/*
 * The evidence kept is the first run's: it is the one that showed the
 * finding, and a flaky point's second run usually shows nothing.  Its
 * reproduction line is made now, for the outcome it reproduces.
 */
static void finish(struct scheduler *s, struct slot *slot, int status)
{
	struct sf_xpoint *p = &s->c->points[slot->point];

	slot->pid = 0;
	s->running--;
	if (s->is_stopping || is_stop_pending(s))
		return;   /* killed to stop, or as good as: the point stays pending */
	if (slot->is_rerun) {
		struct sf_xpoint again = { .outcome = SF_OUT_UNREACHED };
		sf_classify(&s->base, slot->files.log, slot->files.err, status, &again);
		p->runs[p->nruns++] = again.outcome;
		if (again.outcome != p->runs[0])
			p->outcome = SF_OUT_FLAKY;
		keep_coverage(s, slot, true);
		point_done(s, p);
		return;
	}
	sf_classify(&s->base, slot->files.log, slot->files.err, status, p);
	free(p->stderr_tail);
	p->stderr_tail = sf_classify_tail(slot->files.err);
	sf_explore_reproduce(s->c, p);
	p->runs[0] = p->outcome;
	p->nruns = 1;
	slot->wants_rerun = sf_outcome_needs_confirming(p->outcome);
	keep_coverage(s, slot, !slot->wants_rerun);
	if (!slot->wants_rerun)
		point_done(s, p);
}

/* The first call asks the runs to end (`run` passes SIGTERM on); a second one kills them. */
static void stop_all(struct scheduler *s)
{
	int sig = s->kills++ ? SIGKILL : SIGTERM;

	s->is_stopping = true;
	for (unsigned k = 0; k < s->o->jobs; k++)
		if (s->slots[k].pid > 0)
			kill(s->slots[k].pid, sig);
}

/* Reaps every run that has ended, without waiting; how many. */
static unsigned reap_ended(struct scheduler *s)
{
	unsigned n = 0;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unsigned k = 0; k < s->o->jobs; k++) {
			if (s->slots[k].pid == pid) {
				finish(s, &s->slots[k], status);
				n++;
				break;
			}
		}
	}
	return n;   /* a pid not ours cannot happen: explore starts no other child */
}

static bool has_work(const struct scheduler *s, const struct slot *slot)
{
	return !s->is_stopping && !slot->pid && (slot->wants_rerun || s->next < s->c->npoints);
}

static void start_runs(struct scheduler *s)
{
	for (unsigned k = 0; k < s->o->jobs; k++) {
		if (has_work(s, &s->slots[k]) && start_next(s, k) < 0) {
			s->rc = -1;
			stop_all(s);
		}
	}
}

static bool is_over(const struct scheduler *s)
{
	if (s->running)
		return false;
	for (unsigned k = 0; k < s->o->jobs; k++)
		if (has_work(s, &s->slots[k]))
			return false;
	return true;
}

static int scheduler_init(struct scheduler *s, struct sf_campaign *c, const struct sf_explore_opts *o)
{
	struct run_files clean;

	*s = (struct scheduler){ .c = c, .o = o, .t0 = now_s() };
	run_files_init(&clean, o->tmpdir, "clean");
	sf_classify_baseline(clean.log, clean.err, &s->base);
	s->base.exit_status = c->clean_status;
	format_args(c, c->timeout_s, s->seed, sizeof(s->seed), s->timeout, sizeof(s->timeout));
	s->slots = calloc(o->jobs, sizeof(*s->slots));
	if (!s->slots) {
		sf_error("out of memory");
		return -1;
	}
	for (unsigned k = 0; k < o->jobs; k++) {
		char name[32];
		snprintf(name, sizeof(name), "run%u", k);
		run_files_init(&s->slots[k].files, o->tmpdir, name);
	}
	s->to_run = sf_campaign_pending(c);
	s->next = pending_from(s, 0);
	sigemptyset(&s->blocked);
	for (size_t i = 0; i < 3; i++)
		sigaddset(&s->blocked, stop_signals[i]);
	sigaddset(&s->blocked, SIGCHLD);
	return 0;
}

int sf_explore_run_points(struct sf_campaign *c, const struct sf_explore_opts *o)
{
	struct scheduler s;
	struct sigaction old[4];

	if (scheduler_init(&s, c, o) < 0)
		return -1;
	catch_signals(old);
	sigprocmask(SIG_BLOCK, &s.blocked, &s.unblocked);
	progress(&s);
	while (!is_over(&s)) {
		/* a signal that came while blocked is handled here, before any run starts or ends */
		sigprocmask(SIG_SETMASK, &s.unblocked, NULL);
		sigprocmask(SIG_BLOCK, &s.blocked, NULL);
		if (interrupts > s.kills)
			stop_all(&s);
		start_runs(&s);
		if (!reap_ended(&s) && s.running)
			sigsuspend(&s.unblocked);
	}
	if (o->show_progress)
		fputs("\r\033[K", stderr);
	sigprocmask(SIG_SETMASK, &s.unblocked, NULL);   /* a signal still pending is handled here */
	restore_signals(old);
	free(s.slots);
	if (s.rc)
		return s.rc;
	/* A signal after the last point ended stops nothing: the campaign is whole. */
	return interrupts && sf_campaign_pending(c) ? interrupted : 0;
}

/* ---- reproduction lines ---- */

/* Whether S is valid UTF-8 without control characters: text that single quotes carry as it is. */
static bool is_plain_text(const char *s)
{
	size_t n = strlen(s);
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len)
		if (!(len = sf_utf8_decode(s + i, n - i, &cp)) || cp < 0x20 || cp == 0x7f)
			return false;
	return true;
}

/*
 * S in $'...', its odd bytes as \xHH: the reports must be valid UTF-8, and
 * a reproduction line must still give the command its exact bytes (bash,
 * ksh, zsh, and POSIX sh since its 2024 edition, read $'...').
 */
static void ansi_c_word(FILE *out, const char *s)
{
	size_t n = strlen(s);
	uint32_t cp;

	fputs("$'", out);
	for (size_t i = 0; i < n;) {
		size_t len = sf_utf8_decode(s + i, n - i, &cp);
		if (len && cp >= 0x20 && cp != 0x7f && cp != '\'' && cp != '\\') {
			fwrite(s + i, 1, len, out);
			i += len;
		} else if (len && (cp == '\'' || cp == '\\')) {
			fprintf(out, "\\%c", s[i++]);
		} else {
			fprintf(out, "\\x%02x", (unsigned char)s[i++]);
		}
	}
	fputc('\'', out);
}

void sf_explore_shell_word(FILE *out, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-") == strlen(s)) {
		fputs(s, out);
		return;
	}
	if (!is_plain_text(s)) {
		ansi_c_word(out, s);
		return;
	}
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

int sf_explore_reproduce(const struct sf_campaign *c, struct sf_xpoint *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return -1;
	sf_explore_shell_word(out, c->sysfault);
	fputs(" run", out);
	for (size_t i = 0; i < c->nrule_args; i++) {
		fputc(' ', out);
		sf_explore_shell_word(out, c->rule_args[i]);
	}
	fprintf(out, " --seed %" PRIu64, c->seed);
	if (c->engine)
		fprintf(out, " --engine %s", c->engine);
	/* A hang reproduced without a timeout would hang whoever pastes it. */
	if (p->outcome == SF_OUT_HANG)
		fprintf(out, " --timeout %.3fs", c->timeout_s);
	fputs(" --point ", out);
	sf_explore_shell_word(out, p->point);
	fputs(" --", out);
	for (size_t i = 0; i < c->ncommand; i++) {
		fputc(' ', out);
		sf_explore_shell_word(out, c->command[i]);
	}
	if (fclose(out) != 0) {
		free(text);
		return -1;
	}
	free(p->reproduce);
	p->reproduce = text;
	return 0;
}
