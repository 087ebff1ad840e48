/*
 * The run's cgroup (cgroup.h): found from /proc/self/cgroup and the
 * cgroup2 mount, made, read, removed.  Nothing here moves sysfault, and
 * nothing is written but the new directory and, at the end, the pids of
 * untraced processes the tree left in it; it never prints: the reasons go
 * back to placement, which says them with -v.
 */
#include "engine/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "diag.h"

static int fail(char *why, size_t whylen, int err, const char *fmt, ...) SF_PRINTF(4, 5);

/* Says why in WHY and returns -ERR. */
static int fail(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -err;
}

void sf_cgroup_init(struct sf_cgroup *cg)
{
	cg->parent = NULL;
	cg->path = NULL;
	cg->dir_fd = -1;
	cg->pressure_fd = -1;
}

/* A small file of cgroupfs or /proc, NUL-terminated, without its last newline. */
static int read_small(int dir_fd, const char *path, char *buf, size_t size)
{
	int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

static char *join(const char *dir, const char *rest)
{
	size_t n = strlen(dir);
	char *s;

	/* REST is "" or starts with '/'; neither a mount point "/" nor a REST "/" adds one more. */
	if (n && dir[n - 1] == '/')
		n--;
	if (!strcmp(rest, "/"))
		rest = "";
	return asprintf(&s, "%.*s%s", (int)n, dir, rest) < 0 ? NULL : s;
}

/* The "0::PATH" line of /proc/self/cgroup: where this process is in the v2 hierarchy. */
static int own_cgroup(char **path, char *why, size_t whylen)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t size = 0;

	*path = NULL;
	if (!f)
		return fail(why, whylen, errno, "/proc/self/cgroup: %s", strerror(errno));
	while (!*path && getline(&line, &size, f) > 0)
		if (!strncmp(line, "0::", 3))
			*path = strndup(line + 3, strcspn(line + 3, "\n"));
	free(line);
	fclose(f);
	if (!*path)
		return fail(why, whylen, ENOENT, "no cgroup v2 hierarchy (/proc/self/cgroup has no 0:: line)");
	/* Outside the cgroup namespace's root, as a process moved out of it is shown. */
	if (strstr(*path, "/..")) {
		free(*path);
		*path = NULL;
		return fail(why, whylen, ENOENT, "sysfault's cgroup is outside its cgroup namespace");
	}
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo (proc(5)). */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else
			*out++ = *s;
	}
	*out = 0;
}

/* A mount of the hierarchy's subtree ROOT shows CGPATH less that prefix. */
char *sf_cgroup_dir_in_mount(const char *line, const char *cgpath)
{
	const char *sep = strstr(line, " - ");
	char *root = NULL, *point = NULL, *dir = NULL;

	/* Escaped, the fields have no spaces. */
	if (!sep || strncmp(sep + 3, "cgroup2 ", 8) ||
	    sscanf(line, "%*s %*s %*s %ms %ms", &root, &point) != 2) {
		free(root);
		return NULL;
	}
	unescape(root);
	unescape(point);
	size_t n = strcmp(root, "/") ? strlen(root) : 0;
	if (!strncmp(cgpath, root, n) && (!cgpath[n] || cgpath[n] == '/'))
		dir = join(point, cgpath + n);
	free(root);
	free(point);
	return dir;
}

/*
 * The usual places first (systemd's unified and hybrid layouts): reading
 * mountinfo costs more than the rest of the cgroup's making but mkdir.
 * A mount there of a subtree (a bind mount of one, without a cgroup
 * namespace) would show a directory that does not exist.
 */
static char *usual_dir(const char *cgpath)
{
	static const char *const points[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs fs;

	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		if (statfs(points[i], &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC)
			continue;
		char *dir = join(points[i], cgpath);
		if (dir && access(dir, F_OK) == 0)
			return dir;
		free(dir);
	}
	return NULL;
}

static int mount_dir(const char *cgpath, char **dir, char *why, size_t whylen)
{
	FILE *f;
	char *line = NULL;
	size_t size = 0;

	if ((*dir = usual_dir(cgpath)))
		return 0;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return fail(why, whylen, errno, "/proc/self/mountinfo: %s", strerror(errno));
	while (!*dir && getline(&line, &size, f) > 0)
		*dir = sf_cgroup_dir_in_mount(line, cgpath);
	free(line);
	fclose(f);
	if (!*dir)
		return fail(why, whylen, ENOENT, "no cgroup2 mount shows sysfault's cgroup %s", cgpath);
	return 0;
}

/*
 * A child of PARENT gets the controllers PARENT enables for its children:
 * with cpu, a weight of its own, shared by the whole tree, against every
 * process left in PARENT.  Only a cgroup without processes may enable any
 * (the root excepted), and a threaded one could not hold a new domain.
 */
static int check_parent(const char *parent, char *why, size_t whylen)
{
	char text[256];
	int dir = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir < 0)
		return fail(why, whylen, errno, "%s: %s", parent, strerror(errno));
	int err = read_small(dir, "cgroup.subtree_control", text, sizeof(text));
	if (err == 0 && text[0])
		err = fail(why, whylen, EBUSY, "%s enables controllers for its children (%s): "
			   "the command would get shares and limits of its own there", parent, text);
	else if (err < 0)
		err = fail(why, whylen, -err, "%s/cgroup.subtree_control: %s", parent, strerror(-err));
	/* The root has no cgroup.type: it is a domain. */
	else if (read_small(dir, "cgroup.type", text, sizeof(text)) == 0 && strcmp(text, "domain"))
		err = fail(why, whylen, EOPNOTSUPP, "%s is a cgroup of type %s, not domain", parent, text);
	close(dir);
	return err;
}

/* "sysfault-PID" with digits only: PID. */
static pid_t pid_of_name(const char *name)
{
	size_t n = strlen(SF_CGROUP_PREFIX);
	char *end;

	if (strncmp(name, SF_CGROUP_PREFIX, n) || !name[n] || name[n] < '0' || name[n] > '9')
		return 0;
	long pid = strtol(name + n, &end, 10);
	return *end || pid <= 0 || pid > INT32_MAX ? 0 : (pid_t)pid;
}

/*
 * A sysfault killed before its end (SIGKILL) leaves its directory,
 * emptied by EXITKILL.  Removed here when its pid has no process; a pid
 * reused since keeps it until that process ends.  rmdir refuses a
 * directory still in use, so a live one is never harmed.
 */
static void remove_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		pid_t pid = pid_of_name(de->d_name);
		if (pid && pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH)
			unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* PARENT/sysfault-PID; one of an earlier run of this same process may be in the way. */
static int make_dir(struct sf_cgroup *cg, char *why, size_t whylen)
{
	char name[32];

	snprintf(name, sizeof(name), "/" SF_CGROUP_PREFIX "%d", getpid());
	cg->path = join(cg->parent, name);
	if (!cg->path)
		return fail(why, whylen, ENOMEM, "out of memory");
	int rc = mkdir(cg->path, 0755);
	if (rc < 0 && errno == EEXIST && rmdir(cg->path) == 0)
		rc = mkdir(cg->path, 0755);
	if (rc < 0) {
		int err = errno;
		free(cg->path);
		cg->path = NULL;
		return fail(why, whylen, err, "cannot make a cgroup in %s: %s", cg->parent, strerror(err));
	}
	return 0;
}

/* Open once: PSI may be off (psi=0, CONFIG_PSI) or off for this cgroup (cgroup.pressure 0). */
static int open_files(struct sf_cgroup *cg, char *why, size_t whylen)
{
	struct sf_pressure ps;

	cg->dir_fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dir_fd < 0)
		return fail(why, whylen, errno, "%s: %s", cg->path, strerror(errno));
	cg->pressure_fd = openat(cg->dir_fd, "cpu.pressure", O_RDONLY | O_CLOEXEC);
	int err = cg->pressure_fd < 0 ? -errno : sf_cgroup_read_pressure(cg, &ps);
	if (err < 0)
		return fail(why, whylen, -err, "%s/cpu.pressure: %s (no pressure stall information)",
			    cg->path, strerror(-err));
	return 0;
}

int sf_cgroup_make(struct sf_cgroup *cg, char *why, size_t whylen)
{
	char *own = NULL;
	unsigned moved;

	sf_cgroup_init(cg);
	int err = own_cgroup(&own, why, whylen);
	if (err == 0)
		err = mount_dir(own, &cg->parent, why, whylen);
	free(own);
	if (err == 0)
		err = check_parent(cg->parent, why, whylen);
	if (err == 0) {
		remove_stale(cg->parent);
		err = make_dir(cg, why, whylen);
	}
	if (err == 0)
		err = open_files(cg, why, whylen);
	if (err < 0 && cg->path) {
		char ignored[8];
		sf_cgroup_remove(cg, &moved, ignored, sizeof(ignored));
	}
	if (err < 0) {
		free(cg->parent);
		sf_cgroup_init(cg);
	}
	return err;
}

/* The total of the line of TEXT that starts with KIND ("some " or "full "); 0 or -EINVAL. */
static int parse_total(const char *line, const char *kind, uint64_t *us)
{
	const char *end = strchrnul(line, '\n');
	const char *total = strstr(line, " total=");

	if (strncmp(line, kind, strlen(kind)) || !total || total > end)
		return -EINVAL;
	return sscanf(total, " total=%" SCNu64, us) == 1 ? 0 : -EINVAL;
}

int sf_cgroup_parse_pressure(const char *text, struct sf_pressure *ps)
{
	memset(ps, 0, sizeof(*ps));
	if (parse_total(text, "some ", &ps->some_us) < 0)
		return -EINVAL;
	const char *next = strchr(text, '\n');
	ps->has_full = next && parse_total(next + 1, "full ", &ps->full_us) == 0;
	return 0;
}

int sf_cgroup_read_pressure(const struct sf_cgroup *cg, struct sf_pressure *ps)
{
	char text[256];

	/* A pressure file is a seq_file: read from offset 0, it is made anew. */
	ssize_t n = pread(cg->pressure_fd, text, sizeof(text) - 1, 0);
	if (n < 0)
		return -errno;
	text[n] = 0;
	return sf_cgroup_parse_pressure(text, ps);
}

/*
 * Moves what is left in the cgroup to the parent: pids the tree's
 * untraced processes (clone's CLONE_UNTRACED) still have.  A move waits
 * for the kernel's RCU grace period, but only this rare case pays it.
 */
static unsigned move_back(const struct sf_cgroup *cg)
{
	char procs[PATH_MAX];
	unsigned moved = 0;
	long pid;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->path);
	FILE *in = fopen(procs, "re");
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->parent);
	int out = open(procs, O_WRONLY | O_CLOEXEC);
	while (in && out >= 0 && fscanf(in, "%ld", &pid) == 1) {
		char text[24];
		int n = snprintf(text, sizeof(text), "%ld", pid);
		/* One pid per write(2): cgroup.procs takes one at a time. */
		moved += write(out, text, (size_t)n) == n;
	}
	if (in)
		fclose(in);
	if (out >= 0)
		close(out);
	return moved;
}

/* Why rmdir still says EBUSY once the processes are moved: cgroups inside it. */
static int explain_busy(const struct sf_cgroup *cg, char *why, size_t whylen)
{
	char stat[512];
	unsigned inside = 0;
	int dir = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir >= 0 && read_small(dir, "cgroup.stat", stat, sizeof(stat)) == 0) {
		const char *d = strstr(stat, "nr_descendants ");
		if (d)
			inside = (unsigned)strtoul(d + 15, NULL, 10);
	}
	if (dir >= 0)
		close(dir);
	if (inside)
		return fail(why, whylen, EBUSY, "the command left %u cgroup%s inside it", inside,
			    inside == 1 ? "" : "s");
	return fail(why, whylen, EBUSY, "processes that could not be moved out are still in it");
}

int sf_cgroup_remove(struct sf_cgroup *cg, unsigned *moved, char *why, size_t whylen)
{
	int err = 0;

	*moved = 0;
	if (!cg->path)
		return 0;
	if (cg->pressure_fd >= 0)
		close(cg->pressure_fd);
	if (cg->dir_fd >= 0)
		close(cg->dir_fd);
	/* A process may fork while it is moved: its child is then moved in the next round. */
	for (int round = 0; round < 4; round++) {
		if (rmdir(cg->path) == 0) {
			err = 0;
			break;
		}
		err = -errno;
		unsigned n = err == -EBUSY ? move_back(cg) : 0;
		*moved += n;
		if (!n)
			break;
	}
	if (err == -EBUSY)
		explain_busy(cg, why, whylen);
	else if (err < 0)
		fail(why, whylen, -err, "%s", strerror(-err));
	free(cg->path);
	free(cg->parent);
	sf_cgroup_init(cg);
	return err;
}
