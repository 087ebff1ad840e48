/*
 * gcov-tool, lcov and genhtml as children of explore, and the gcov trees
 * they read.  The tools are run, never re-implemented: gcov-tool merges
 * counters, lcov reads them, genhtml draws them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command/cli.h"
#include "explore/coverage_tool.h"
#include "explore/explore.h"

extern char **environ;

bool sf_cov_join(char *buf, size_t size, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);

	if (a + 1 + b >= size) {
		buf[0] = 0;
		return false;
	}
	memcpy(buf, dir, a);
	buf[a] = '/';
	memcpy(buf + a + 1, name, b + 1);
	return true;
}

bool sf_cov_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* ---- the tools ---- */

static bool is_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[PATH_MAX];

	for (const char *p = path && *path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)n, n ? p : ".", name);
		if (access(file, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

int sf_cov_tools_check(void)
{
	static const char *const tools[] = { "lcov", "genhtml", "gcov-tool" };

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (!is_in_path(tools[i]))
			return sf_cli_usage("--coverage needs lcov and genhtml (Debian: apt-get install lcov) and gcc's "
					    "gcov-tool; %s is not in PATH", tools[i]);
	}
	return 0;
}

static void note_failure(const char *err, const char *tool, int errnum)
{
	FILE *f = fopen(err, "we");

	if (f) {
		fprintf(f, "cannot start %s: %s\n", tool, strerror(errnum));
		fclose(f);
	}
}

/*
 * The mask is set because explore's scheduler blocks SIGCHLD and the stop
 * signals while it merges.  gcov-tool runs grouped: a Ctrl-C meant for
 * the campaign must not cut a merge in half (the campaign stops at the
 * next run instead); lcov and genhtml are not, so that Ctrl-C stops them.
 */
int sf_cov_tool_run(const char *err, char *const argv[], bool is_grouped)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int status = 0;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | (is_grouped ? POSIX_SPAWN_SETPGROUP : 0));
	int rc = sf_spawn_quiet_actions(&fa, err);
	if (!rc)
		rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		note_failure(err, argv[0], rc);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void sf_cov_tool_reason(const char *err, char *buf, size_t size)
{
	char *tail = sf_classify_tail(err);
	size_t n = strlen(tail);

	while (n && tail[n - 1] == '\n')
		tail[--n] = 0;
	char *last = strrchr(tail, '\n');
	snprintf(buf, size, "%s", last ? last + 1 : *tail ? tail : "no message");
	free(tail);
}

/* ---- gcov trees ---- */

static int walk(const char *root, const char *rel, int (*fn)(void *ctx, const char *root, const char *rel),
		void *ctx)
{
	char dir[PATH_MAX], sub[PATH_MAX], full[PATH_MAX];
	struct dirent *e;
	struct stat st;
	int rc = 0;

	if (!*rel)
		snprintf(dir, sizeof(dir), "%s", root);
	else if (!sf_cov_join(dir, sizeof(dir), root, rel))
		return 0;
	DIR *d = opendir(dir);
	while (d && !rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		bool fits = *rel ? sf_cov_join(sub, sizeof(sub), rel, e->d_name)
				 : (size_t)snprintf(sub, sizeof(sub), "%s", e->d_name) < sizeof(sub);
		if (!fits || !sf_cov_join(full, sizeof(full), root, sub) || lstat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(root, sub, fn, ctx);
		else if (S_ISREG(st.st_mode))
			rc = fn(ctx, root, sub);
	}
	if (d)
		closedir(d);
	return rc;
}

int sf_gcov_tree_walk(const char *root, int (*fn)(void *ctx, const char *root, const char *rel), void *ctx)
{
	return walk(root, "", fn, ctx);
}

bool sf_gcov_is_data(const char *rel)
{
	size_t n = strlen(rel);
	return n > 5 && !strcmp(rel + n - 5, ".gcda");
}

static int found_data(void *ctx, const char *root, const char *rel)
{
	return sf_gcov_is_data(rel);
}

bool sf_gcov_tree_has_data(const char *tree)
{
	return sf_gcov_tree_walk(tree, found_data, NULL) > 0;
}
