/*
 * One run's sandbox, built in the run's own process just before it becomes
 * `sysfault run`: new namespaces, an overlay (or tmpfs) per layer, the
 * working directory entered again.  It must never mount before the new
 * mount namespace exists and every mount in it is private.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "explore/sandbox.h"

/* ---- clearing the scratch directory ---- */

static int remove_at(int dirfd, const char *name);
static int remove_dir_at(int dirfd, const char *name);

/* Empties the directory DIRFD (closed here). */
static int remove_entries(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(dirfd);
		return -errno;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int r = e->d_type == DT_DIR ? remove_dir_at(dirfd, e->d_name) : remove_at(dirfd, e->d_name);
		if (r < 0 && !rc)
			rc = r;
	}
	closedir(d);
	return rc;
}

static int remove_at(int dirfd, const char *name)
{
	if (!unlinkat(dirfd, name, 0))
		return 0;
	if (errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	return remove_dir_at(dirfd, name);
}

/*
 * A run may leave directories without write or search permission, and
 * overlayfs makes its work/work directory mode 000: without CAP_DAC_OVERRIDE
 * they are emptied only after a chmod (which their owner may always do).
 */
static int remove_dir_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && !fchmodat(dirfd, name, 0700, 0))
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0700) < 0 && errno != EPERM) {
		close(fd);
		return -errno;
	}
	int rc = remove_entries(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && !rc)
		rc = -errno;
	return rc;
}

int sf_sandbox_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

/* ---- building ---- */

static int fail(struct sf_sandbox_failure *why, enum sf_sandbox_step step, size_t layer,
		const char *path)
{
	why->step = step;
	why->layer = layer;
	why->err = errno;
	snprintf(why->path, sizeof(why->path), "%s", path ? path : "");
	return -1;
}

/* The directories of every layer, opened before any mount can hide them. */
struct sources {
	int campaign;
	int keep;                /* BOX/keep, or -1 */
	int lower[SF_SANDBOX_MAX_LAYERS], up[SF_SANDBOX_MAX_LAYERS], work[SF_SANDBOX_MAX_LAYERS];
};

static void sources_close(struct sources *s, size_t n)
{
	if (s->keep >= 0)
		close(s->keep);
	s->keep = -1;
	for (size_t i = 0; i < n; i++) {
		if (s->lower[i] >= 0)
			close(s->lower[i]);
		if (s->up[i] >= 0)
			close(s->up[i]);
		if (s->work[i] >= 0)
			close(s->work[i]);
	}
}

/* PATH as an empty directory: made, or emptied of what the last run left in it. */
static int empty_dir(const char *path)
{
	if (!mkdir(path, 0700))
		return 0;
	if (errno != EEXIST)
		return -errno;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : remove_entries(fd);
}

/*
 * BOX/N/up and BOX/N/work empty, whatever the previous run of this slot
 * left.  The directories are kept from run to run: on a disk, making and
 * removing them was half of what a sandbox cost.
 */
static int make_box(const struct sf_sandbox_plan *p, struct sf_sandbox_failure *why)
{
	char path[PATH_MAX];
	int rc;

	if (mkdir(p->box, 0700) < 0 && errno != EEXIST)
		return fail(why, SF_SANDBOX_BOX, 0, p->box);
	/* made here for the trial run; explore empties it before each real one */
	snprintf(path, sizeof(path), "%s/%s", p->box, SF_SANDBOX_KEEP_DIR);
	if (p->is_keep && mkdir(path, 0700) < 0 && errno != EEXIST)
		return fail(why, SF_SANDBOX_BOX, 0, path);
	for (size_t i = 0; i < p->nlayers; i++) {
		if (!p->layers[i].lower)
			continue;
		snprintf(path, sizeof(path), "%s/%zu", p->box, i);
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return fail(why, SF_SANDBOX_BOX, i, path);
		static const char *const sub[] = { "up", "work" };
		for (size_t k = 0; k < 2; k++) {
			snprintf(path, sizeof(path), "%s/%zu/%s", p->box, i, sub[k]);
			if ((rc = empty_dir(path)) < 0) {
				errno = -rc;
				return fail(why, SF_SANDBOX_BOX, i, path);
			}
		}
	}
	return 0;
}

static int open_dir(const char *path, struct sf_sandbox_failure *why, size_t layer)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail(why, SF_SANDBOX_OPEN, layer, path);
	return fd;
}

/* The campaign's directory: the parent of BOX. */
static int open_campaign(const char *box, struct sf_sandbox_failure *why)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", box);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	return open_dir(dir, why, 0);
}

/*
 * Mount options name the directories as /proc/self/fd/N, all opened
 * before the first mount: a path would be resolved at mount time, through
 * the layers mounted before it (the upper of /tmp's overlay lies under
 * /tmp), and /proc/self/fd/N has none of the ',' and ':' that overlayfs
 * splits its options on.
 */
static int open_sources(const struct sf_sandbox_plan *p, struct sources *s,
			struct sf_sandbox_failure *why)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < SF_SANDBOX_MAX_LAYERS; i++)
		s->lower[i] = s->up[i] = s->work[i] = -1;
	s->keep = -1;
	if ((s->campaign = open_campaign(p->box, why)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", p->box, SF_SANDBOX_KEEP_DIR);
	bool is_open = !p->is_keep || (s->keep = open_dir(path, why, 0)) >= 0;
	for (size_t i = 0; is_open && i < p->nlayers; i++) {
		if (!p->layers[i].lower)
			continue;
		is_open = (s->lower[i] = open_dir(p->layers[i].lower, why, i)) >= 0;
		snprintf(path, sizeof(path), "%s/%zu/up", p->box, i);
		is_open = is_open && (s->up[i] = open_dir(path, why, i)) >= 0;
		snprintf(path, sizeof(path), "%s/%zu/work", p->box, i);
		is_open = is_open && (s->work[i] = open_dir(path, why, i)) >= 0;
	}
	if (!is_open) {
		sources_close(s, p->nlayers);
		close(s->campaign);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * user_namespaces(7): an unprivileged process may map only its own uid and
 * gid, and the gid map only after setgroups(2) is denied ("User and group
 * ID mappings").  The caller keeps its ids, so files it creates keep
 * their owner; ids of others show as the overflow id (65534).
 */
static int map_ids(uid_t uid, gid_t gid, struct sf_sandbox_failure *why)
{
	char line[64];

	if (write_file("/proc/self/setgroups", "deny") < 0)
		return fail(why, SF_SANDBOX_MAP, 0, "/proc/self/setgroups");
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", line) < 0)
		return fail(why, SF_SANDBOX_MAP, 0, "/proc/self/uid_map");
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	if (write_file("/proc/self/gid_map", line) < 0)
		return fail(why, SF_SANDBOX_MAP, 0, "/proc/self/gid_map");
	return 0;
}

static int enter_namespaces(const struct sf_sandbox_plan *p, struct sf_sandbox_failure *why)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int flags = CLONE_NEWNS | (p->is_net ? CLONE_NEWNET : 0) | (p->is_userns ? CLONE_NEWUSER : 0);

	/* One call: the other namespaces are then owned by the new user namespace. */
	if (unshare(flags) < 0)
		return fail(why, SF_SANDBOX_UNSHARE, 0, NULL);
	if (p->is_userns && map_ids(uid, gid, why) < 0)
		return -1;
	/*
	 * The new namespace's mounts are copies with the old propagation: on a
	 * systemd host / is shared, and a mount made here would appear on the
	 * host (mount_namespaces(7), "Shared subtrees").
	 */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(why, SF_SANDBOX_PRIVATE, 0, "/");
	return 0;
}

static int mkdir_p(const char *path)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!stat(path, &st))
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(dir, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int mount_layer(const struct sf_sandbox_plan *p, size_t i, const struct sources *s,
		       struct sf_sandbox_failure *why)
{
	const struct sf_sandbox_layer *l = &p->layers[i];
	char opts[256];

	/* A target under a tmpfs layer before it (the cwd under an empty /tmp) is made there. */
	if (mkdir_p(l->target) < 0)
		return fail(why, SF_SANDBOX_MOUNT, i, l->target);
	if (!l->lower) {
		if (mount("tmpfs", l->target, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
			return fail(why, SF_SANDBOX_MOUNT, i, l->target);
		return 0;
	}
	/*
	 * Outside the initial user namespace overlayfs may not set trusted.*
	 * xattrs, and would quietly mount without them (no opaque directories:
	 * a directory removed and made again would show its old entries):
	 * user.* instead (overlayfs docs, "Permission model"; Linux 5.11).
	 */
	snprintf(opts, sizeof(opts), "lowerdir=/proc/self/fd/%d,upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d%s",
		 s->lower[i], s->up[i], s->work[i], p->is_userns || p->is_userxattr ? ",userxattr" : "");
	if (mount("overlay", l->target, "overlay", 0, opts) < 0)
		return fail(why, SF_SANDBOX_MOUNT, i, l->target);
	return 0;
}

/*
 * BOX/keep over whatever layer now covers its path (the overlay of /tmp, an
 * empty tmpfs): what the run writes there goes to the campaign's directory
 * itself, not to an upper layer that the next run of the slot empties.
 */
static int bind_keep(const struct sf_sandbox_plan *p, const struct sources *s,
		     struct sf_sandbox_failure *why)
{
	char path[PATH_MAX], source[64];

	snprintf(path, sizeof(path), "%s/%s", p->box, SF_SANDBOX_KEEP_DIR);
	snprintf(source, sizeof(source), "/proc/self/fd/%d", s->keep);
	if (mkdir_p(path) < 0 || mount(source, path, NULL, MS_BIND, NULL) < 0)
		return fail(why, SF_SANDBOX_KEEP, 0, path);
	return 0;
}

/* A new network namespace has only a loopback interface, and it is down (network_namespaces(7)). */
static int loopback_up(struct sf_sandbox_failure *why)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail(why, SF_SANDBOX_LOOPBACK, 0, "lo");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (!rc)
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (rc < 0)
		fail(why, SF_SANDBOX_LOOPBACK, 0, "lo");
	close(fd);
	return rc < 0 ? -1 : 0;
}

int sf_sandbox_build(const struct sf_sandbox_plan *p, struct sf_sandbox_failure *why)
{
	struct sources s;
	char cwd[PATH_MAX];
	size_t i;

	memset(why, 0, sizeof(*why));
	if (!getcwd(cwd, sizeof(cwd)))
		return fail(why, SF_SANDBOX_CHDIR, 0, ".");
	/*
	 * Sources opened after unshare: overlayfs clones each layer's mount,
	 * and refuses (EINVAL, "failed to clone upperpath") a mount of another
	 * namespace, as a descriptor opened before would hold.
	 */
	if (make_box(p, why) < 0 || enter_namespaces(p, why) < 0 || open_sources(p, &s, why) < 0)
		return -1;
	int rc = 0;
	for (i = 0; !rc && i < p->nlayers; i++)
		rc = mount_layer(p, i, &s, why);
	if (!rc && p->is_keep)
		rc = bind_keep(p, &s, why);
	if (!rc && p->is_net)
		rc = loopback_up(why);
	/* The process is still in the directory under the new mount: enter the one on top. */
	if (!rc && chdir(cwd) < 0)
		rc = fail(why, SF_SANDBOX_CHDIR, 0, cwd);
	sources_close(&s, p->nlayers);
	if (rc < 0) {
		close(s.campaign);
		return -1;
	}
	return s.campaign;
}

static const char *step_text(enum sf_sandbox_step step)
{
	switch (step) {
	case SF_SANDBOX_BOX: return "making the run's directory";
	case SF_SANDBOX_OPEN: return "opening";
	case SF_SANDBOX_UNSHARE: return "unshare";
	case SF_SANDBOX_MAP: return "writing";
	case SF_SANDBOX_PRIVATE: return "making the mounts private";
	case SF_SANDBOX_MOUNT: return "mounting";
	case SF_SANDBOX_LOOPBACK: return "bringing up the loopback interface";
	case SF_SANDBOX_KEEP: return "binding the run's own directory on";
	case SF_SANDBOX_CHDIR: return "entering the working directory";
	case SF_SANDBOX_TRIAL: return "the trial run";
	}
	return "?";
}

void sf_sandbox_failure_text(const struct sf_sandbox_plan *p, const struct sf_sandbox_failure *why,
			     char *buf, size_t size)
{
	const struct sf_sandbox_layer *l = &p->layers[why->layer < p->nlayers ? why->layer : 0];

	if (why->step == SF_SANDBOX_UNSHARE)
		snprintf(buf, size, "unshare(CLONE_NEWNS%s%s): %s", p->is_net ? "|CLONE_NEWNET" : "",
			 p->is_userns ? "|CLONE_NEWUSER" : "", strerror(why->err));
	else if (why->step == SF_SANDBOX_MOUNT && l->lower)
		snprintf(buf, size, "mounting an overlay of %s on %s: %s", l->lower, l->target,
			 strerror(why->err));
	else if (why->step == SF_SANDBOX_MOUNT)
		snprintf(buf, size, "mounting a tmpfs on %s: %s", l->target, strerror(why->err));
	else if (why->step == SF_SANDBOX_TRIAL && WIFSIGNALED(why->err))
		snprintf(buf, size, "the trial run of the sandbox was killed by signal %d (a bug of sysfault)",
			 WTERMSIG(why->err));
	else if (why->step == SF_SANDBOX_TRIAL)
		snprintf(buf, size, "the trial run of the sandbox ended with status %d before saying why",
			 WIFEXITED(why->err) ? WEXITSTATUS(why->err) : why->err);
	else
		snprintf(buf, size, "%s%s%s: %s", step_text(why->step), why->path[0] ? " " : "",
			 why->path, strerror(why->err));
}

/* ---- `sysfault __sandbox` ---- */

static int parse_flags(const char *word, struct sf_sandbox_plan *p)
{
	char copy[64];
	char *save = NULL;

	if (!strcmp(word, "-"))
		return 0;
	snprintf(copy, sizeof(copy), "%s", word);
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (!strcmp(f, "userns"))
			p->is_userns = true;
		else if (!strcmp(f, "userxattr"))
			p->is_userxattr = true;
		else if (!strcmp(f, "net"))
			p->is_net = true;
		else if (!strcmp(f, "keep"))
			p->is_keep = true;
		else
			return -1;
	}
	return 0;
}

/* ARGV as sf_sandbox_argv() wrote it; the index of the word after "--", or -1. */
static int parse_plan(int argc, char **argv, struct sf_sandbox_plan *p)
{
	int i = 3;

	memset(p, 0, sizeof(*p));
	if (argc < 4 || parse_flags(argv[2], p) < 0)
		return -1;
	p->box = argv[1];
	for (; i + 1 < argc && strcmp(argv[i], "--"); i += 2) {
		if (p->nlayers == SF_SANDBOX_MAX_LAYERS)
			return -1;
		p->layers[p->nlayers].target = argv[i];
		p->layers[p->nlayers].lower = strcmp(argv[i + 1], "-") ? argv[i + 1] : NULL;
		p->nlayers++;
	}
	return i + 1 < argc && !strcmp(argv[i], "--") && !strcmp(argv[i + 1], "run") ? i + 1 : -1;
}

/*
 * `run` writes its log and record into the campaign's directory, which the
 * overlay of /tmp (or of the cwd, with TMPDIR below it) now covers: those
 * paths go through the descriptor opened before the mounts.  It is
 * close-on-exec, so the command never sees it.  Only those two: any other
 * path (--ignore-dir BOX/keep) must stay what the command sees.
 */
static int redirect_paths(int argc, char **argv, int from, const char *box, int campaign)
{
	const char *slash = strrchr(box, '/');
	size_t n = slash ? (size_t)(slash - box) : 0;

	for (int i = from + 1; slash && i < argc && strcmp(argv[i - 1], "--"); i++) {
		if (strcmp(argv[i - 1], "--log") && strcmp(argv[i - 1], "--record"))
			continue;
		if (strncmp(argv[i], box, n) || argv[i][n] != '/')
			continue;
		char *path;
		if (asprintf(&path, "/proc/self/fd/%d%s", campaign, argv[i] + n) < 0)
			return -1;
		argv[i] = path;   /* lives as long as the process */
	}
	return 0;
}

int sf_sandbox_enter(int argc, char **argv)
{
	struct sf_sandbox_plan plan;
	struct sf_sandbox_failure why;
	char text[1024];
	int run = parse_plan(argc, argv, &plan);

	if (run < 0) {
		sf_error("__sandbox is explore's own: expected __sandbox BOX FLAGS [TARGET LOWER]... -- run ...");
		return -1;
	}
	int campaign = sf_sandbox_build(&plan, &why);
	if (campaign < 0) {
		sf_sandbox_failure_text(&plan, &why, text, sizeof(text));
		sf_error("cannot isolate the run: %s", text);
		return -1;
	}
	if (redirect_paths(argc, argv, run, plan.box, campaign) < 0) {
		sf_error("out of memory");
		return -1;
	}
	return run;
}
