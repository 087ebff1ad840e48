/*
 * How a campaign's runs are isolated, decided once before the clean run:
 * which directories get an overlay, whether a user namespace is needed, and
 * the fallbacks (a copy of the working directory, an empty /tmp).  It must
 * never mount anything in explore's own process (every attempt is made in a
 * child), and it only ever reads the user's tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "command/cli.h"
#include "explore/explore.h"
#include "explore/sandbox.h"

extern char **environ;

int sf_isolate_parse(const char *list, unsigned *bits)
{
	/* In the order of their bits: SF_ISOLATE_FS, SF_ISOLATE_NET. */
	static const char *const names[] = { "fs", "net" };
	unsigned named;

	if (sf_cli_name_bits(list, names, 2, &named) < 0)
		return -1;
	*bits = strcmp(list, "none") ? SF_ISOLATE_FS | named : 0;
	return 0;
}

struct sf_sandbox {
	struct sf_sandbox_plan plan;   /* box NULL: every run names its own */
	char *tmpdir;                  /* the campaign's private directory */
	char *cwd;                     /* the working directory, as getcwd() gives it */
	char *tmp;                     /* realpath of /tmp; NULL when there is none */
	char *copy;                    /* TMPDIR/tree, the copy of the cwd; NULL when not made */
	char **mounts;                 /* every mount point, from /proc/self/mountinfo */
	size_t nmounts;
	char flags[32];                /* the FLAGS word of `__sandbox` */
};

static bool is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[0] == '/' && path[1];
	return !strncmp(path, dir, n) && path[n] == '/';
}

static bool is_at_or_below(const char *path, const char *dir)
{
	return !strcmp(path, dir) || is_below(path, dir);
}

static void add_layer(struct sf_sandbox *sb, const char *target, const char *lower)
{
	struct sf_sandbox_plan *p = &sb->plan;
	p->layers[p->nlayers].target = target;
	p->layers[p->nlayers].lower = lower;
	p->nlayers++;
}

/* ---- the mounts ---- */

/* mountinfo's octal escapes (\040 for a space) undone in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = 0;
}

/* The mount points of this namespace (field 5 of proc(5)'s mountinfo). */
static void read_mounts(struct sf_sandbox *sb)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192], point[4096];

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1)
			continue;
		char **v = realloc(sb->mounts, (sb->nmounts + 1) * sizeof(*v));
		if (!v)
			break;
		sb->mounts = v;
		unescape(point);
		if ((v[sb->nmounts] = strdup(point)))
			sb->nmounts++;
	}
	if (f)
		fclose(f);
}

/* The mount point PATH is on: the longest one at or above it. */
static const char *mount_of(const struct sf_sandbox *sb, const char *path)
{
	const char *best = "/";

	for (size_t i = 0; i < sb->nmounts; i++)
		if (strlen(sb->mounts[i]) > strlen(best) && is_at_or_below(path, sb->mounts[i]))
			best = sb->mounts[i];
	return best;
}

/* Whether /tmp's overlay shows the cwd: it is under /tmp, on /tmp's own filesystem. */
static bool is_cwd_in_tmp(const struct sf_sandbox *sb)
{
	return sb->tmp && is_at_or_below(sb->cwd, sb->tmp) &&
	       !is_below(mount_of(sb, sb->cwd), sb->tmp);
}

/*
 * The cwd first, then /tmp: the campaign's directory is usually under
 * /tmp, and /tmp's overlay must come last so that nothing after it has to
 * reach through it.  A cwd in /tmp is covered by /tmp's overlay, unless it
 * lies on a mount of its own below /tmp (an overlay's lower layer is one
 * filesystem): that one is overlaid after /tmp, on the mount point /tmp's
 * overlay shows.
 */
static void plan_layers(struct sf_sandbox *sb)
{
	bool is_under_tmp = sb->tmp && is_at_or_below(sb->cwd, sb->tmp);

	if (!is_under_tmp)
		add_layer(sb, sb->cwd, sb->cwd);
	if (sb->tmp)
		add_layer(sb, sb->tmp, sb->tmp);
	if (is_under_tmp && !is_cwd_in_tmp(sb))
		add_layer(sb, sb->cwd, sb->cwd);
}

static bool has_cwd_layer(const struct sf_sandbox *sb)
{
	for (size_t i = 0; i < sb->plan.nlayers; i++)
		if (!strcmp(sb->plan.layers[i].target, sb->cwd))
			return true;
	return false;
}

/* ---- trying a plan in a child ---- */

static ssize_t read_full(int fd, void *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, (char *)buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * fork, not posix_spawn: the child runs sf_sandbox_build() itself and
 * sends back where it failed.  Once per campaign (and once per fallback),
 * while explore is still small, so the fork costs nothing measurable.
 */
static int probe(const struct sf_sandbox_plan *plan, struct sf_sandbox_failure *why)
{
	int fds[2], status = 0;

	memset(why, 0, sizeof(*why));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		int rc = sf_sandbox_build(plan, why);
		if (rc < 0 && write(fds[1], why, sizeof(*why)) != (ssize_t)sizeof(*why))
			_exit(2);
		_exit(rc < 0 ? 1 : 0);
	}
	int err = errno;
	close(fds[1]);
	ssize_t n = pid > 0 ? read_full(fds[0], why, sizeof(*why)) : 0;
	close(fds[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sf_sandbox_remove_tree(plan->box);
	if (pid < 0) {
		why->step = SF_SANDBOX_UNSHARE;
		why->err = err;
		return -1;
	}
	if (n == (ssize_t)sizeof(*why))
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	why->step = SF_SANDBOX_TRIAL;
	why->err = status;
	return -1;
}

/* ---- saying why not ---- */

static const char *hint(const struct sf_sandbox_plan *p, const struct sf_sandbox_failure *why)
{
	if (why->step == SF_SANDBOX_UNSHARE && why->err == ENOSPC)
		return " (a namespace limit in /proc/sys/user/ is reached)";
	if (why->step == SF_SANDBOX_UNSHARE && p->is_userns)
		return " (user namespaces are off here: /proc/sys/user/max_user_namespaces, "
		       "kernel.unprivileged_userns_clone, or a security policy such as AppArmor's)";
	if (why->step == SF_SANDBOX_MOUNT && why->err == ENODEV)
		return " (this kernel has no overlay filesystem)";
	/* Ubuntu 24.04's AppArmor lets an unconfined program make a user namespace, but with no capability in it. */
	if (why->step > SF_SANDBOX_UNSHARE && why->step != SF_SANDBOX_TRIAL &&
	    (why->err == EPERM || why->err == EACCES) && p->is_userns)
		return " (a user namespace without its capabilities: kernel.apparmor_restrict_unprivileged_userns; "
		       "or, for a mount, overlayfs older than Linux 5.11)";
	return "";
}

static void refuse(const struct sf_sandbox *sb, const struct sf_sandbox_failure *why, const char *before)
{
	char text[1024];

	sf_sandbox_failure_text(&sb->plan, why, text, sizeof(text));
	sf_error("cannot isolate the runs: %s%s%s; --no-isolate runs them in the shared directory",
		 before ? before : "", text, hint(&sb->plan, why));
}

/* ---- fallbacks ---- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first line of the file PATH, without its newline, into BUF. */
static void first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (f && fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

/*
 * `cp -a`, not a copy of our own: it keeps modes, times, links, hard links,
 * special files and xattrs, as a user expects of a copy of their tree.
 * Its messages go to a file; the first one is the reason given.
 */
static int run_cp(const char *from, const char *to, const char *err_path, char *why, size_t size)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "cp", "-a", "--", (char *)from, (char *)to, NULL };
	pid_t pid;
	int status = 0;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	int err = sf_spawn_quiet_actions(&fa, err_path);
	if (!err)
		err = posix_spawnp(&pid, "cp", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		snprintf(why, size, "cannot start cp: %s", strerror(err));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	first_line(err_path, why, size);
	if (!why[0])
		snprintf(why, size, "cp -a failed (status %d)", status);
	return -1;
}

/*
 * overlayfs refused the cwd as a lower layer (some FUSE and NFS mounts; an
 * overlay already two deep, FILESYSTEM_MAX_STACK_DEPTH): every run starts
 * from one copy in the campaign's directory instead.  The copy is made
 * only once an empty directory there has been overlaid, so a big tree is
 * never copied for nothing.
 */
static int copy_cwd(struct sf_sandbox *sb, size_t layer, const struct sf_sandbox_failure *refused)
{
	char before[1536], why[1024], err_path[PATH_MAX], text[1024];
	struct sf_sandbox_failure again;
	char *real = realpath(sb->tmpdir, NULL);

	sf_sandbox_failure_text(&sb->plan, refused, text, sizeof(text));
	snprintf(before, sizeof(before), "%s, and ", text);
	bool is_inside = real && is_below(real, sb->cwd);
	free(real);
	if (is_inside) {
		sf_error("cannot isolate the runs: %s, and the campaign's directory %s, where a copy would go, is inside it; "
			 "set TMPDIR elsewhere, or --no-isolate runs them in the shared directory", text, sb->tmpdir);
		return -1;
	}
	if (asprintf(&sb->copy, "%s/tree", sb->tmpdir) < 0 || mkdir(sb->copy, 0700) < 0) {
		sf_error("cannot isolate the runs: %s, and making a directory for a copy failed: %s", text, strerror(errno));
		return -1;
	}
	sb->plan.layers[layer].lower = sb->copy;
	if (probe(&sb->plan, &again) < 0) {
		refuse(sb, &again, before);
		return -1;
	}
	char src[PATH_MAX + 2];
	snprintf(src, sizeof(src), "%s/.", sb->cwd);
	snprintf(err_path, sizeof(err_path), "%s/tree.err", sb->tmpdir);
	double t0 = now_s();
	if (run_cp(src, sb->copy, err_path, why, sizeof(why)) < 0) {
		sf_error("cannot isolate the runs: %s, and copying it failed: %s; --no-isolate runs them in the shared directory",
			 text, why);
		return -1;
	}
	if (sf_diag_verbosity() > 0)
		sf_info("isolation: %s; copied %s to %s in %.2fs, and every run starts from that copy",
			text, sb->cwd, sb->copy, now_s() - t0);
	return 0;
}

/* overlayfs refused /tmp: each run gets an empty one (a cwd under it is overlaid on its own). */
static void empty_tmp(struct sf_sandbox *sb, size_t layer, const struct sf_sandbox_failure *refused)
{
	char text[1024];

	sf_sandbox_failure_text(&sb->plan, refused, text, sizeof(text));
	sf_warning("isolation: %s; each run gets an empty /tmp instead", text);
	sb->plan.layers[layer].lower = NULL;
	if (!has_cwd_layer(sb))
		add_layer(sb, sb->cwd, sb->cwd);
}

/*
 * EINVAL is how overlayfs refuses a lower layer; EPERM or ENODEV would
 * refuse a copy just the same.
 */
static bool is_refused_lower(const struct sf_sandbox_failure *why)
{
	return why->err == EINVAL || why->err == EOPNOTSUPP || why->err == ELOOP;
}

/* Tries the plan and its fallbacks until one works; -1 once one line has said why not. */
static int settle(struct sf_sandbox *sb)
{
	struct sf_sandbox_failure why;
	char box[PATH_MAX];

	snprintf(box, sizeof(box), "%s/probe.box", sb->tmpdir);
	sb->plan.box = box;
	for (int tries = 0; tries < 2 * SF_SANDBOX_MAX_LAYERS; tries++) {
		if (probe(&sb->plan, &why) == 0) {
			sb->plan.box = NULL;
			return 0;
		}
		const struct sf_sandbox_layer *l = &sb->plan.layers[why.layer];
		/* Without CAP_SYS_ADMIN: a user namespace grants it over the new mount namespace. */
		if (why.step == SF_SANDBOX_UNSHARE && why.err == EPERM && !sb->plan.is_userns) {
			sb->plan.is_userns = true;
			continue;
		}
		if (why.step == SF_SANDBOX_MOUNT && l->lower && sb->tmp && !strcmp(l->target, sb->tmp) &&
		    sb->plan.nlayers < SF_SANDBOX_MAX_LAYERS) {
			empty_tmp(sb, why.layer, &why);
			continue;
		}
		if (why.step == SF_SANDBOX_MOUNT && l->lower && !sb->copy && !strcmp(l->lower, sb->cwd) &&
		    is_refused_lower(&why)) {
			if (copy_cwd(sb, why.layer, &why) < 0)
				return -1;
			continue;
		}
		break;
	}
	refuse(sb, &why, NULL);
	return -1;
}

/* ---- what the runs will not see ---- */

/*
 * An overlay's lower layer is one filesystem: a mount below the target
 * shows as its empty mount point (overlayfs docs, "Non-standard behavior").
 * A copy has its contents (cp crosses mounts).
 */
static void warn_hidden_mounts(const struct sf_sandbox *sb)
{
	bool is_warned[SF_SANDBOX_MAX_LAYERS] = { false };

	for (size_t m = 0; m < sb->nmounts; m++) {
		const char *point = sb->mounts[m];
		/* the cwd's own mount, and those above it, are overlaid on their own */
		if (is_at_or_below(sb->cwd, point) && has_cwd_layer(sb))
			continue;
		for (size_t i = 0; i < sb->plan.nlayers; i++) {
			const struct sf_sandbox_layer *l = &sb->plan.layers[i];
			if (is_warned[i] || !l->lower || strcmp(l->lower, l->target) || !is_below(point, l->target))
				continue;
			sf_warning("isolation: %s is a mount below %s: the runs see its mount point empty", point, l->target);
			is_warned[i] = true;
		}
	}
}

static void describe(const struct sf_sandbox *sb)
{
	char text[512] = "";
	size_t n = 0;

	for (size_t i = 0; i < sb->plan.nlayers && n < sizeof(text); i++) {
		const struct sf_sandbox_layer *l = &sb->plan.layers[i];
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s on %s", i ? ", " : "",
				      l->lower ? "an overlay" : "an empty tmpfs", l->target);
	}
	sf_info("isolation: each run in a mount namespace of its own%s%s: %s",
		sb->plan.is_userns ? " (in a user namespace)" : "",
		sb->plan.is_net ? ", with a network namespace" : "", text);
}

/* ---- the campaign's sandbox ---- */

/* user_namespaces(7): the initial namespace maps all 2^32 - 1 ids from 0, "0 0 4294967295". */
static bool is_initial_userns(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n = f ? fscanf(f, "%lu %lu %lu", &inside, &outside, &count) : 0;

	if (f)
		fclose(f);
	return !f || (n == 3 && inside == 0 && outside == 0 && count == 4294967295UL);
}

/* The FLAGS word of `__sandbox`: "userns,userxattr,net,keep", or "-" for none. */
static void set_flags(struct sf_sandbox *sb)
{
	const struct sf_sandbox_plan *p = &sb->plan;

	snprintf(sb->flags, sizeof(sb->flags), "%s%s%s%s", p->is_userns ? "userns," : "",
		 p->is_userxattr ? "userxattr," : "", p->is_net ? "net," : "", p->is_keep ? "keep," : "");
	size_t n = strlen(sb->flags);
	if (n)
		sb->flags[n - 1] = 0;
	else
		snprintf(sb->flags, sizeof(sb->flags), "-");
}

int sf_sandbox_prepare(struct sf_sandbox **out, unsigned isolate, const char *tmpdir, unsigned jobs,
		       bool has_keep)
{
	*out = NULL;
	if (!isolate) {
		if (jobs > 1)
			sf_warning("--no-isolate with -j %u: the runs share the working directory and /tmp, and may disturb each other",
				   jobs);
		return 0;
	}
	struct sf_sandbox *sb = calloc(1, sizeof(*sb));
	if (!sb || !(sb->tmpdir = strdup(tmpdir)) || !(sb->cwd = getcwd(NULL, 0))) {
		sf_error("cannot isolate the runs: %s", sb && sb->tmpdir ? strerror(errno) : "out of memory");
		sf_sandbox_free(sb);
		return -1;
	}
	if (!strcmp(sb->cwd, "/")) {
		sf_error("cannot isolate the runs: the working directory is /, and explore overlays only a directory below it; "
			 "cd to the directory the command works in, or --no-isolate runs them in the shared one");
		sf_sandbox_free(sb);
		return -1;
	}
	sb->tmp = realpath("/tmp", NULL);
	sb->plan.is_net = (isolate & SF_ISOLATE_NET) != 0;
	sb->plan.is_keep = has_keep;
	sb->plan.is_userxattr = !is_initial_userns();
	read_mounts(sb);
	plan_layers(sb);
	if (settle(sb) < 0) {
		sf_sandbox_free(sb);
		return -1;
	}
	set_flags(sb);
	warn_hidden_mounts(sb);
	if (sf_diag_verbosity() > 0)
		describe(sb);
	*out = sb;
	return 0;
}

size_t sf_sandbox_argc(const struct sf_sandbox *sb)
{
	return sb ? 4 + 2 * sb->plan.nlayers : 0;
}

size_t sf_sandbox_argv(const struct sf_sandbox *sb, const char *box, char **argv)
{
	size_t n = 0;

	if (!sb)
		return 0;
	argv[n++] = "__sandbox";
	argv[n++] = (char *)box;
	argv[n++] = (char *)sb->flags;
	for (size_t i = 0; i < sb->plan.nlayers; i++) {
		argv[n++] = (char *)sb->plan.layers[i].target;
		argv[n++] = (char *)(sb->plan.layers[i].lower ? sb->plan.layers[i].lower : "-");
	}
	argv[n++] = "--";
	return n;
}

/* The runs' scratch directories (*.box) and the copy, from the campaign's directory. */
static void remove_scratch(const struct sf_sandbox *sb)
{
	DIR *d = opendir(sb->tmpdir);
	struct dirent *e;
	char path[PATH_MAX];

	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 4 && !strcmp(e->d_name + n - 4, ".box")) {
			snprintf(path, sizeof(path), "%s/%s", sb->tmpdir, e->d_name);
			sf_sandbox_remove_tree(path);
		}
	}
	if (d)
		closedir(d);
	if (sb->copy)
		sf_sandbox_remove_tree(sb->copy);
}

void sf_sandbox_free(struct sf_sandbox *sb)
{
	if (!sb)
		return;
	if (sb->tmpdir && !getenv("SYSFAULT_KEEP_TMP"))
		remove_scratch(sb);
	free(sb->tmpdir);
	free(sb->cwd);
	free(sb->tmp);
	free(sb->copy);
	for (size_t i = 0; i < sb->nmounts; i++)
		free(sb->mounts[i]);
	free(sb->mounts);
	free(sb);
}
