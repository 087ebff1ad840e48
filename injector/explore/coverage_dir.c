/*
 * DIR of explore --coverage: made or checked before anything runs, its
 * gcov trees and stamp saved at the end of each session, and its reports
 * made by lcov and genhtml when the campaign is finished.  The notes files
 * (.gcno) are linked into DIR's trees, where lcov looks for them: nothing
 * is ever written next to the command's objects.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/cli.h"
#include "diag.h"
#include "explore/coverage_dir.h"
#include "explore/coverage_tool.h"
#include "explore/explore.h"
#include "explore/sandbox.h"
#include "sysfault/sysfault.h"

/* What says that DIR is explore's, and which campaign's data it holds. */
#define STAMP "sysfault-coverage"
#define STAMP_FORMAT "sysfault-coverage/1"

struct stamp {
	char digest[17];         /* of the campaign's points (sf_campaign.digest) */
	unsigned shard_k, shard_n;
	long done;               /* points whose data DIR holds; -1: a session under way, or one that died */
};

static bool read_stamp(const char *path, struct stamp *s)
{
	char format[32];
	FILE *f = fopen(path, "re");
	bool ok = f && fscanf(f, "%31s digest %16s shard %u/%u done %ld", format, s->digest, &s->shard_k,
			       &s->shard_n, &s->done) == 5 && !strcmp(format, STAMP_FORMAT);

	if (f)
		fclose(f);
	return ok;
}

static int write_stamp(const struct sf_cov_dir *d, const struct stamp *s)
{
	FILE *f = fopen(d->stamp, "we");
	int rc = f ? 0 : -1;

	if (f) {
		fprintf(f, "%s\ndigest %s\nshard %u/%u\ndone %ld\n", STAMP_FORMAT, s->digest[0] ? s->digest : "-",
			s->shard_k, s->shard_n, s->done);
		rc = fclose(f) ? -1 : 0;
	}
	if (rc)
		sf_error("--coverage '%s': cannot write %s: %s", d->dir, d->stamp, strerror(errno));
	return rc;
}

/* ---- before anything runs ---- */

/* What explore writes in DIR; only these are removed when a campaign starts anew. */
static const char *const outputs[] = {
	"gcda", "html", "clean.info", "faults.info", "fault-only.info", "never-reached.txt",
};

static int remove_outputs(const char *dir, bool keeps_gcda)
{
	char path[PATH_MAX];

	for (size_t i = keeps_gcda; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		int rc = sf_cov_join(path, sizeof(path), dir, outputs[i]) ? sf_sandbox_remove_tree(path) : -ENAMETOOLONG;
		if (rc < 0) {
			sf_error("--coverage '%s': cannot remove its old %s: %s", dir, outputs[i], strerror(-rc));
			return -1;
		}
	}
	return 0;
}

static bool is_empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool is_empty = d != NULL;

	while (is_empty && (e = readdir(d)))
		is_empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return is_empty;
}

/* A resumed campaign adds to DIR only if DIR holds the data of exactly the report's finished points. */
static int check_resumed(const struct sf_cov_dir *d, const struct sf_campaign *r, size_t done)
{
	struct stamp s;

	if (read_stamp(d->stamp, &s) && s.done == (long)done && !strcmp(s.digest, r->digest) &&
	    s.shard_k == r->shard_k && s.shard_n == r->shard_n)
		return 0;
	return sf_cli_usage("--coverage '%s': it does not hold the gcov data of the %zu finished points of the "
			    "report being resumed; give the --coverage directory of the interrupted campaign, "
			    "or resume without --coverage", d->dir, done);
}

/* DIR exists, and is new, empty, or explore's (and the resumed campaign's when DONE). */
static int check_dir(const struct sf_cov_dir *d, const struct sf_campaign *resumed, size_t done)
{
	struct stat st;
	struct stamp any;

	if (stat(d->dir, &st) < 0) {
		if (done)
			return check_resumed(d, resumed, done);
		if (errno != ENOENT || mkdir(d->dir, 0777) < 0)
			return sf_cli_usage("--coverage '%s': cannot make it: %s", d->dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return sf_cli_usage("--coverage '%s': not a directory", d->dir);
	if (!read_stamp(d->stamp, &any) && !is_empty_dir(d->dir))
		return sf_cli_usage("--coverage '%s': holds files that are not explore's coverage data; "
				    "give a new or empty directory", d->dir);
	return done ? check_resumed(d, resumed, done) : 0;
}

int sf_cov_dir_prepare(struct sf_cov_dir *d, const char *dir, const char *err,
		       const struct sf_campaign *resumed, size_t done)
{
	struct stamp under_way = { .done = -1 };
	char real[PATH_MAX];

	memset(d, 0, sizeof(*d));
	d->dir = dir;
	d->err = err;
	if (!sf_cov_join(d->stamp, sizeof(d->stamp), dir, STAMP))
		return sf_cli_usage("--coverage '%s': %s", dir, strerror(ENAMETOOLONG));
	int status = check_dir(d, resumed, done);
	if (status)
		return status;
	if (!realpath(dir, real) || !sf_cov_join(d->gcda, sizeof(d->gcda), real, "gcda") ||
	    !sf_cov_join(d->kept, sizeof(d->kept), d->gcda, "faults"))
		return sf_cli_usage("--coverage '%s': %s", dir, strerror(errno ? errno : ENAMETOOLONG));
	if (remove_outputs(dir, done > 0) < 0)
		return SF_EXIT_USAGE;
	if (mkdir(d->gcda, 0777) < 0 && errno != EEXIST)
		return sf_cli_usage("--coverage '%s': cannot make %s: %s", dir, d->gcda, strerror(errno));
	return write_stamp(d, &under_way) < 0 ? SF_EXIT_USAGE : 0;
}

/* ---- the end of a session ---- */

/* FROM copied to DIR/gcda/NAME by gcov-tool, which reads it whole first (DIR may be on another filesystem). */
static int save_tree(const struct sf_cov_dir *d, const char *from, const char *name)
{
	char to[PATH_MAX], fresh[PATH_MAX + 8], why[512];

	sf_cov_join(to, sizeof(to), d->gcda, name);
	snprintf(fresh, sizeof(fresh), "%s.new", to);
	sf_sandbox_remove_tree(fresh);
	char *argv[] = { "gcov-tool", "rewrite", "-o", fresh, (char *)from, NULL };
	if (sf_cov_tool_run(d->err, argv, true) < 0) {
		sf_cov_tool_reason(d->err, why, sizeof(why));
		sf_error("--coverage: gcov-tool could not copy %s to %s: %s", from, fresh, why);
		return -1;
	}
	sf_sandbox_remove_tree(to);
	if (rename(fresh, to) < 0) {
		sf_error("--coverage: cannot move %s to %s: %s", fresh, to, strerror(errno));
		return -1;
	}
	return 0;
}

int sf_cov_dir_save(const struct sf_cov_dir *d, const char *clean, const char *faults,
		    const struct sf_campaign *c)
{
	struct stamp s = { .shard_k = c->shard_k, .shard_n = c->shard_n,
			   .done = (long)(c->npoints - sf_campaign_pending(c)) };

	snprintf(s.digest, sizeof(s.digest), "%s", c->digest);
	if (sf_cov_exists(clean) && save_tree(d, clean, "clean") < 0)
		return -1;
	if (faults && save_tree(d, faults, "faults") < 0)
		return -1;
	return write_stamp(d, &s);
}

/* ---- the reports ---- */

/*
 * lcov finds a .gcda's notes next to it: the .gcno that gcc wrote next to
 * the object, whose directory the tree's path spells out below its root.
 * Linked, not copied: gcov reads the notes where they are, as it would
 * without GCOV_PREFIX, and nothing is written there.
 */
static int link_notes(void *ctx, const char *root, const char *rel)
{
	char notes[PATH_MAX], link[PATH_MAX];
	int n = (int)strlen(rel) - 5;

	if (!sf_gcov_is_data(rel))
		return 0;
	snprintf(notes, sizeof(notes), "/%.*s.gcno", n, rel);
	snprintf(link, sizeof(link), "%s/%.*s.gcno", root, n, rel);
	unlink(link);
	if (access(notes, R_OK) < 0)
		sf_warning("--coverage: no notes file %s (removed since the campaign?): its data is left out", notes);
	else if (symlink(notes, link) < 0)
		sf_warning("--coverage: cannot link %s to %s: %s", link, notes, strerror(errno));
	return 0;
}

/* lcov --capture of DIR/gcda/NAME into DIR/NAME.info, under the test name NAME. */
static int capture(const struct sf_cov_dir *d, const char *name)
{
	char tree[PATH_MAX], info[PATH_MAX], why[512];

	sf_cov_join(tree, sizeof(tree), d->gcda, name);
	snprintf(info, sizeof(info), "%s/%s.info", d->dir, name);
	if (!sf_cov_exists(tree)) {
		/* no fault run wrote data (each one crashed or hung, or there was no point) */
		FILE *f = fopen(info, "we");
		if (f && fclose(f) == 0)
			return 0;
		sf_error("--coverage: cannot write %s: %s", info, strerror(errno));
		return -1;
	}
	sf_gcov_tree_walk(tree, link_notes, NULL);
	/* --ignore-errors gcov: a file without its notes (warned about) must not sink the others */
	char *argv[] = { "lcov", "--quiet", "--capture", "--directory", tree, "--test-name", (char *)name,
			 "--ignore-errors", "gcov", "--output-file", info, NULL };
	if (sf_cov_tool_run(d->err, argv, false) < 0) {
		sf_cov_tool_reason(d->err, why, sizeof(why));
		sf_error("--coverage: lcov --capture of %s failed: %s", tree, why);
		return -1;
	}
	return 0;
}

/* Writes DIR/NAME with WRITE(clean, faults): one of coverage_info.h's two sets. */
static int write_set(const struct sf_cov_dir *d, const char *name,
		     void (*write)(const struct sf_trace *, const struct sf_trace *, FILE *, struct sf_trace_sums *),
		     const struct sf_trace *clean, const struct sf_trace *faults, struct sf_trace_sums *sums)
{
	char path[PATH_MAX];

	sf_cov_join(path, sizeof(path), d->dir, name);
	FILE *f = fopen(path, "we");
	if (f) {
		write(clean, faults, f, sums);
		if (fclose(f) == 0)
			return 0;
	}
	sf_error("--coverage: cannot write %s: %s", path, strerror(errno));
	return -1;
}

static int read_info(const struct sf_cov_dir *d, const char *name, struct sf_trace *t)
{
	char path[PATH_MAX];

	sf_cov_join(path, sizeof(path), d->dir, name);
	int rc = sf_trace_read(t, path);
	if (rc < 0)
		sf_error("--coverage: cannot read %s: %s", path, strerror(-rc));
	return rc;
}

/* DIR/fault-only.info and DIR/never-reached.txt, from the two tracefiles. */
static int compare(const struct sf_cov_dir *d, struct sf_trace_sums *sums)
{
	struct sf_trace clean, faults;

	if (read_info(d, "clean.info", &clean) < 0)
		return -1;
	if (read_info(d, "faults.info", &faults) < 0) {
		sf_trace_release(&clean);
		return -1;
	}
	int rc = write_set(d, "fault-only.info", sf_trace_write_fault_only, &clean, &faults, sums);
	if (!rc)
		rc = write_set(d, "never-reached.txt", sf_trace_write_never_reached, &clean, &faults, sums);
	sf_trace_release(&clean);
	sf_trace_release(&faults);
	return rc;
}

/*
 * Both tracefiles, each under its test name, so that every line a run
 * reached shows as covered and --show-details tells the clean run's share
 * from the fault runs'.  An empty faults.info is left out: genhtml refuses
 * a tracefile without records.
 */
static int html(const struct sf_cov_dir *d)
{
	char out[PATH_MAX], clean[PATH_MAX], faults[PATH_MAX], why[512];

	sf_cov_join(out, sizeof(out), d->dir, "html");
	sf_cov_join(clean, sizeof(clean), d->dir, "clean.info");
	sf_cov_join(faults, sizeof(faults), d->dir, "faults.info");
	char *argv[] = { "genhtml", "--quiet", "--legend", "--show-details", "--title", "sysfault explore",
			 "--ignore-errors", "source", "--output-directory", out, clean,
			 sf_cov_exists(d->kept) ? faults : NULL, NULL };
	if (sf_cov_tool_run(d->err, argv, false) < 0) {
		sf_cov_tool_reason(d->err, why, sizeof(why));
		sf_error("--coverage: genhtml failed: %s", why);
		return -1;
	}
	return 0;
}

int sf_cov_dir_report(const struct sf_cov_dir *d, struct sf_trace_sums *sums)
{
	if (capture(d, "clean") < 0 || capture(d, "faults") < 0 || compare(d, sums) < 0)
		return -1;
	return html(d);
}
