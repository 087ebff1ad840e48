/*
 * explore --coverage: every run writes the command's gcov data into a
 * directory of its own (GCOV_PREFIX=BOX/keep, which its sandbox shows at
 * the same path), so no two runs ever merge into one .gcda file; a
 * finished point's data is merged into the fault runs' with gcov-tool, one
 * process per point, and lcov reads the two trees once each at the end
 * (coverage_dir.c).  It must never hand a run a directory another run is
 * writing, nor count a point's data before the point is done.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "explore/coverage.h"
#include "explore/coverage_dir.h"
#include "explore/coverage_tool.h"
#include "explore/explore.h"
#include "explore/sandbox.h"
#include "sysfault/sysfault.h"

extern char **environ;

struct sf_coverage {
	char *dir_arg;           /* DIR as given */
	struct sf_cov_dir dir;   /* what DIR holds */
	char clean[PATH_MAX];    /* TMPDIR/clean.gcda: the clean run's tree, once taken */
	char faults[PATH_MAX];   /* TMPDIR/faults.gcda: the fault runs' tree, merged */
	char scratch[PATH_MAX];  /* TMPDIR/faults.new: gcov-tool's output before it replaces FAULTS */
	char err[PATH_MAX];      /* TMPDIR/coverage.err: the tools' stderr */
	const char *faults_src;  /* where the fault runs' data is now: NULL (none yet), dir.kept (resumed), or FAULTS */
	char **own;              /* sysfault's own .gcda files, relative to a prefix: not the command's */
	size_t nown;
	size_t merged, left_out; /* point runs whose data was merged, and could not be */
	double merge_seconds;    /* spent merging, for -v */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- sysfault's own gcov files ---- */

static int note_own(void *ctx, const char *root, const char *rel)
{
	struct sf_coverage *cov = ctx;
	char **v = sf_gcov_is_data(rel) ? realloc(cov->own, (cov->nown + 1) * sizeof(*v)) : NULL;

	if (v) {
		cov->own = v;
		if ((v[cov->nown] = strdup(rel)))
			cov->nown++;
	}
	return 0;
}

/*
 * A sysfault built with --coverage (make coverage) writes gcov data of its
 * own at exit, and each run's `sysfault run` has the run's GCOV_PREFIX too:
 * its files would be taken for the command's.  Which they are is learnt
 * once, from `sysfault --version` under a prefix of its own (libgcov
 * writes every object's file at exit); a plain build writes none.
 */
static int learn_own_files(struct sf_coverage *cov, const char *tmpdir, const char *self)
{
	char prefix[PATH_MAX], var[PATH_MAX + 16];
	char *argv[] = { (char *)self, "--version", NULL }, *env[] = { var, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	sf_cov_join(prefix, sizeof(prefix), tmpdir, "self.gcov");
	snprintf(var, sizeof(var), "GCOV_PREFIX=%s", prefix);
	int err = posix_spawn_file_actions_init(&fa);
	if (err)
		return -1;
	if (!(err = sf_spawn_quiet_actions(&fa, "/dev/null")))
		err = posix_spawn(&pid, self, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		sf_error("--coverage: cannot run %s --version: %s", self, strerror(err));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sf_gcov_tree_walk(prefix, note_own, cov);
	sf_sandbox_remove_tree(prefix);
	return 0;
}

static void drop_own(const struct sf_coverage *cov, const char *tree)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < cov->nown; i++)
		if (sf_cov_join(path, sizeof(path), tree, cov->own[i]))
			unlink(path);
}

/* ---- the campaign's ---- */

int sf_coverage_open(struct sf_coverage **out, const char *dir, const char *tmpdir,
		     const char *self, const struct sf_campaign *resumed)
{
	size_t done = resumed ? resumed->npoints - sf_campaign_pending(resumed) : 0;
	struct sf_coverage *cov;

	*out = NULL;
	if (sf_cov_tools_check())
		return SF_EXIT_USAGE;
	if (!(cov = calloc(1, sizeof(*cov))) || !(cov->dir_arg = strdup(dir))) {
		sf_error("out of memory");
		sf_coverage_free(cov);
		return SF_EXIT_USAGE;
	}
	sf_cov_join(cov->clean, sizeof(cov->clean), tmpdir, "clean.gcda");
	sf_cov_join(cov->faults, sizeof(cov->faults), tmpdir, "faults.gcda");
	sf_cov_join(cov->scratch, sizeof(cov->scratch), tmpdir, "faults.new");
	sf_cov_join(cov->err, sizeof(cov->err), tmpdir, "coverage.err");
	int status = sf_cov_dir_prepare(&cov->dir, cov->dir_arg, cov->err, resumed, done);
	if (!status && learn_own_files(cov, tmpdir, self) < 0)
		status = SF_EXIT_USAGE;
	if (status) {
		sf_coverage_free(cov);
		return status;
	}
	if (done && sf_cov_exists(cov->dir.kept))
		cov->faults_src = cov->dir.kept;
	*out = cov;
	return 0;
}

void sf_coverage_free(struct sf_coverage *cov)
{
	if (!cov)
		return;
	sf_strings_free(cov->own, cov->nown);
	free(cov->dir_arg);
	free(cov);
}

/* ---- each run ---- */

/*
 * explore's environment with GCOV_PREFIX=KEEP first: libgcov then writes
 * KEEP/<object directory>/NAME.gcda.  Without GCOV_PREFIX_STRIP, whatever
 * explore was given: the whole object directory under KEEP is what tells
 * where the notes are.
 */
static char **env_with_prefix(const char *keep)
{
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env || asprintf(&env[k++], "GCOV_PREFIX=%s", keep) < 0) {
		free(env);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "GCOV_PREFIX=", 12) && strncmp(environ[i], "GCOV_PREFIX_STRIP=", 18))
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

void sf_coverage_env_free(char **envp)
{
	if (envp)
		free(envp[0]);
	free(envp);
}

int sf_coverage_run_begin(struct sf_coverage *cov, const char *box, char ***envp)
{
	char keep[PATH_MAX];

	*envp = NULL;
	sf_cov_join(keep, sizeof(keep), box, SF_SANDBOX_KEEP_DIR);
	sf_sandbox_remove_tree(keep);
	if ((mkdir(box, 0700) < 0 && errno != EEXIST) || mkdir(keep, 0700) < 0) {
		sf_error("--coverage: cannot make %s: %s", keep, strerror(errno));
		return -1;
	}
	if (!(*envp = env_with_prefix(keep))) {
		sf_error("out of memory");
		return -1;
	}
	return 0;
}

int sf_coverage_take_clean(struct sf_coverage *cov, const char *box, const char *command)
{
	char keep[PATH_MAX];

	sf_cov_join(keep, sizeof(keep), box, SF_SANDBOX_KEEP_DIR);
	drop_own(cov, keep);
	if (!sf_gcov_tree_has_data(keep)) {
		sf_error("--coverage: the clean run wrote no gcov data: %s is not built with gcc's --coverage, or none "
			 "of its processes ended by exit (gcov writes its data then); nothing was explored", command);
		return -1;
	}
	sf_sandbox_remove_tree(cov->clean);
	if (rename(keep, cov->clean) < 0) {
		sf_error("--coverage: cannot move %s to %s: %s", keep, cov->clean, strerror(errno));
		return -1;
	}
	return 0;
}

void sf_coverage_hold(struct sf_coverage *cov, const char *box)
{
	char keep[PATH_MAX], held[PATH_MAX];

	sf_cov_join(keep, sizeof(keep), box, SF_SANDBOX_KEEP_DIR);
	sf_cov_join(held, sizeof(held), box, "held");
	sf_sandbox_remove_tree(held);
	rename(keep, held);
}

/*
 * TREE added to the fault runs' data: the first tree becomes it, each
 * later one is merged with gcov-tool into SCRATCH, which then replaces it,
 * so that a merge that fails leaves what was merged before intact.
 */
static void merge_tree(struct sf_coverage *cov, const char *tree, const char *point)
{
	char why[512];

	drop_own(cov, tree);
	if (!sf_gcov_tree_has_data(tree))
		return;   /* ended by a signal or a timeout: gcov wrote nothing */
	if (!cov->faults_src) {
		if (rename(tree, cov->faults) == 0) {
			cov->faults_src = cov->faults;
			cov->merged++;
		}
		return;
	}
	sf_sandbox_remove_tree(cov->scratch);
	char *argv[] = { "gcov-tool", "merge", "-o", cov->scratch, (char *)cov->faults_src, (char *)tree, NULL };
	if (sf_cov_tool_run(cov->err, argv, true) < 0) {
		sf_cov_tool_reason(cov->err, why, sizeof(why));
		sf_warning("--coverage: gcov-tool could not merge the data of a run of %s (%s): it is left out", point, why);
		cov->left_out++;
		return;
	}
	sf_sandbox_remove_tree(cov->faults);
	if (rename(cov->scratch, cov->faults) < 0) {
		sf_warning("--coverage: cannot move %s to %s: %s", cov->scratch, cov->faults, strerror(errno));
		cov->faults_src = NULL;
		return;
	}
	cov->faults_src = cov->faults;
	cov->merged++;
}

void sf_coverage_take_point(struct sf_coverage *cov, const char *box, const char *point)
{
	char keep[PATH_MAX], held[PATH_MAX];
	double t0 = now_s();

	sf_cov_join(keep, sizeof(keep), box, SF_SANDBOX_KEEP_DIR);
	sf_cov_join(held, sizeof(held), box, "held");
	if (sf_cov_exists(held)) {
		merge_tree(cov, held, point);
		sf_sandbox_remove_tree(held);
	}
	merge_tree(cov, keep, point);
	cov->merge_seconds += now_s() - t0;
}

/* ---- the end of a session ---- */

static void say(const struct sf_coverage *cov, const struct sf_trace_sums *s, double seconds)
{
	const char *dir = cov->dir_arg;

	sf_info("coverage: %zu line%s only fault runs reached (%s/fault-only.info), %zu never reached in %zu "
		"block%s of functions they entered (%s/never-reached.txt); report: %s/html/index.html",
		s->fault_only_lines, s->fault_only_lines == 1 ? "" : "s", dir, s->never_lines,
		s->never_blocks, s->never_blocks == 1 ? "" : "s", dir, dir);
	if (cov->left_out)
		sf_warning("--coverage: the data of %zu run%s is left out (said above)", cov->left_out,
			   cov->left_out == 1 ? "" : "s");
	if (sf_diag_verbosity() > 0)
		sf_info("coverage: merging the data of %zu point runs took %.3fs (%.2f ms each); lcov and genhtml %.2fs",
			cov->merged, cov->merge_seconds,
			cov->merged ? 1000 * cov->merge_seconds / (double)cov->merged : 0.0, seconds);
}

int sf_coverage_finish(struct sf_coverage *cov, const struct sf_campaign *c)
{
	size_t pending = sf_campaign_pending(c);
	struct sf_trace_sums sums = { 0 };
	double t0 = now_s();
	const char *faults = cov->faults_src == cov->faults ? cov->faults : NULL;

	if (sf_cov_dir_save(&cov->dir, cov->clean, faults, c) < 0)
		return SF_EXIT_USAGE;
	if (pending) {
		sf_info("coverage: the gcov data of the %zu finished points is kept in %s/gcda; the tracefiles "
			"are written when the campaign is finished", c->npoints - pending, cov->dir_arg);
		return 0;
	}
	if (sf_cov_dir_report(&cov->dir, &sums) < 0)
		return SF_EXIT_USAGE;
	say(cov, &sums, now_s() - t0);
	return 0;
}
