/*
 * Call facts for the filters.  A path argument is read from the tracee
 * (bounded by PATH_MAX; a bad pointer is no path) and resolved as the
 * kernel would: against the dirfd argument before it, or the calling
 * thread's cwd (/proc/TID/cwd: threads may differ with CLONE_FS unset).
 * An fd is described by its /proc/TID/fd link and its stat; the stack is
 * the calling thread's, unwound by stack.c.
 */
#include "engine/call_view.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "engine/tracee.h"
#include "engine/tracee_mem.h"

/* Bits of sf_call_facts.known: one per answer per argument. */
enum { KNOWN_RAW = 0, KNOWN_RESOLVED = 6, KNOWN_FD_PATH = 12, KNOWN_FD_TYPE = 18,
       KNOWN_COMM = 24, KNOWN_EXE = 25, KNOWN_STACK = 26 };

static bool is_known(struct sf_call_facts *f, unsigned bit)
{
	bool was = (f->known >> bit) & 1;
	f->known |= 1u << bit;
	return was;
}

static const char *read_link(const char *proc, char *out)
{
	ssize_t n = readlink(proc, out, PATH_MAX - 1);

	if (n < 0)
		return NULL;
	out[n] = '\0';
	return out;
}

static const char *raw_path(struct sf_call_facts *f, unsigned i)
{
	if (is_known(f, KNOWN_RAW + i))
		return f->raw[i];
	long n = sf_mem_read_string(f->tracee->tid, f->sc->args[i], f->raw_buf[i], PATH_MAX);
	f->raw[i] = n >= 0 ? f->raw_buf[i] : NULL;
	return f->raw[i];
}

static const char *fd_link(struct sf_call_facts *f, unsigned slot, int fd)
{
	char proc[64];

	if (is_known(f, KNOWN_FD_PATH + slot))
		return f->fd_path[slot];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)f->tracee->tid, fd);
	f->fd_path[slot] = read_link(proc, f->fd_path_buf[slot]);
	return f->fd_path[slot];
}

/* The argument slot holding FD, so that its answers are kept once. */
static int slot_of(struct sf_call_facts *f, int fd)
{
	for (unsigned i = 0; i < SF_SYSCALL_ARGS_MAX; i++)
		if (sf_arg_fd(f->sc->args[i]) == fd)
			return (int)i;
	return -1;
}

/* What path argument I is resolved against: its dirfd's directory, or the cwd. */
static const char *base_of(struct sf_call_facts *f, unsigned i, char *buf)
{
	const struct sf_syscall_args *roles = sf_syscall_args((enum sf_abi)f->sc->abi, f->sc->nr);
	char proc[64];

	for (int j = (int)i - 1; j >= 0; j--) {
		if (roles->role[j] != SF_ARG_DIRFD)
			continue;
		int fd = sf_arg_fd(f->sc->args[j]);
		if (fd == AT_FDCWD)
			break;
		const char *dir = fd_link(f, (unsigned)j, fd);
		return dir && dir[0] == '/' ? dir : NULL;
	}
	snprintf(proc, sizeof(proc), "/proc/%d/cwd", (int)f->tracee->tid);
	return read_link(proc, buf);
}

bool sf_path_join_normal(const char *base, const char *path, char *out)
{
	size_t len = 0;
	const char *parts[2] = { path[0] == '/' ? "" : base, path };

	for (int k = 0; k < 2; k++) {
		const char *p = parts[k];
		while (*p) {
			while (*p == '/')
				p++;
			size_t n = strcspn(p, "/");
			if (n == 0)
				break;
			if (n == 1 && p[0] == '.') {
				/* nothing */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (len > 0 && out[--len] != '/')
					;
			} else {
				if (len + 1 + n >= PATH_MAX)
					return false;
				out[len++] = '/';
				memcpy(out + len, p, n);
				len += n;
			}
			p += n;
		}
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return true;
}

static const char *resolved_path(struct sf_call_facts *f, unsigned i)
{
	char cwd[PATH_MAX];

	if (is_known(f, KNOWN_RESOLVED + i))
		return f->resolved[i];
	const char *raw = raw_path(f, i);
	const char *base = raw && raw[0] != '/' ? base_of(f, i, cwd) : "";
	f->resolved[i] = raw && base && sf_path_join_normal(base, raw, f->resolved_buf[i])
		? f->resolved_buf[i] : NULL;
	return f->resolved[i];
}

static const char *view_path(void *ctx, unsigned i, bool resolved)
{
	struct sf_call_facts *f = ctx;

	return resolved ? resolved_path(f, i) : raw_path(f, i);
}

static const char *view_fd_path(void *ctx, int fd)
{
	struct sf_call_facts *f = ctx;
	int slot = slot_of(f, fd);

	return slot < 0 ? NULL : fd_link(f, (unsigned)slot, fd);
}

/* Anonymous inodes by the name their link shows ("anon_inode:[eventfd]"). */
static int anon_type(const char *link)
{
	static const struct { const char *name; enum sf_fd_type type; } anon[] = {
		{ "[eventfd]", SF_FD_EVENTFD }, { "[timerfd]", SF_FD_TIMERFD },
		{ "[signalfd]", SF_FD_SIGNALFD }, { "[eventpoll]", SF_FD_EPOLL },
		{ "inotify", SF_FD_INOTIFY }, { "[pidfd]", SF_FD_PIDFD },
	};
	const char *name = link + strlen("anon_inode:");

	for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++)
		if (strcmp(name, anon[i].name) == 0)
			return anon[i].type;
	return SF_FD_ANON;
}

/* Character devices that are terminals: devices.txt's tty majors. */
static bool is_tty_device(dev_t rdev)
{
	unsigned major = major(rdev);

	return major == 4 || major == 5 || (major >= 136 && major <= 143);
}

static int classify(const char *link, const struct stat *st)
{
	if (link && strncmp(link, "anon_inode:", 11) == 0)
		return anon_type(link);
	if (link && strncmp(link, "pidfd:", 6) == 0)
		return SF_FD_PIDFD;
	switch (st->st_mode & S_IFMT) {
	case S_IFREG: return SF_FD_FILE;
	case S_IFDIR: return SF_FD_DIR;
	case S_IFIFO: return SF_FD_PIPE;
	case S_IFSOCK: return SF_FD_SOCKET;
	case S_IFBLK: return SF_FD_BLK;
	case S_IFCHR: return is_tty_device(st->st_rdev) ? SF_FD_TTY : SF_FD_CHR;
	default: return SF_FD_ANON;
	}
}

static int view_fd_type(void *ctx, int fd)
{
	struct sf_call_facts *f = ctx;
	int slot = slot_of(f, fd);
	char proc[64];
	struct stat st;

	if (slot < 0)
		return -1;
	if (is_known(f, KNOWN_FD_TYPE + (unsigned)slot))
		return f->fd_type[slot];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)f->tracee->tid, fd);
	const char *link = fd_link(f, (unsigned)slot, fd);
	f->fd_type[slot] = link && stat(proc, &st) == 0 ? classify(link, &st) : -1;
	return f->fd_type[slot];
}

static const char *view_comm(void *ctx)
{
	struct sf_call_facts *f = ctx;

	if (is_known(f, KNOWN_COMM))
		return f->comm;
	bool is_read = sf_tracee_read_comm(f->tracees, f->tracee, f->comm_buf, sizeof(f->comm_buf)) >= 0;
	f->comm = is_read ? f->comm_buf : NULL;
	return f->comm;
}

/*
 * The link changes only at an exec (which forgets it, engine.c) or by
 * prctl(PR_SET_MM_EXE_FILE), which only checkpoint-restore tools call: a
 * process filter or a record run reads it once per program, not per call.
 * A kept answer is no read of the thread's for sf_call_view_has_read.
 */
static const char *view_exe(void *ctx)
{
	struct sf_call_facts *f = ctx;
	char proc[64];

	if (f->tracee->group->exe)
		return f->tracee->group->exe;
	if (is_known(f, KNOWN_EXE))
		return f->exe;
	snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)f->tracee->tid);
	f->exe = read_link(proc, f->exe_buf);
	if (f->exe)
		f->tracee->group->exe = strdup(f->exe);   /* without memory, read again next time */
	return f->exe;
}

/* The thread's stack, unwound at the first question of this stop (stack.c). */
static const struct sf_frames *view_stack(void *ctx)
{
	struct sf_call_facts *f = ctx;

	if (is_known(f, KNOWN_STACK))
		return f->stack;
	f->stack = sf_stacks_unwind(f->stacks, f->tracee->group->tgid, f->tracee->tid);
	return f->stack;
}

const struct sf_frames *sf_call_view_stack_with_source(const struct sf_call_view *view)
{
	struct sf_call_facts *f = view->ctx;

	view_stack(f);   /* the stack of this stop is the last one unwound */
	return sf_stacks_add_source(f->stacks);
}

static const struct sf_call_view_ops view_ops = {
	.path = view_path, .fd_path = view_fd_path, .fd_type = view_fd_type,
	.comm = view_comm, .exe = view_exe, .stack = view_stack,
};

void sf_call_view_init(struct sf_call_view *view, struct sf_call_facts *facts,
		       struct sf_stacks *stacks, struct sf_tracee_table *tracees,
		       struct sf_tracee *tracee, const struct sf_syscall *sc)
{
	facts->tracee = tracee;
	facts->tracees = tracees;
	facts->stacks = stacks;
	facts->sc = sc;
	facts->known = 0;
	*view = (struct sf_call_view){ .abi = (enum sf_abi)sc->abi, .nr = sc->nr,
				       .args = sc->args, .ops = &view_ops, .ctx = facts };
}

bool sf_call_view_has_read(const struct sf_call_view *view)
{
	return ((const struct sf_call_facts *)view->ctx)->known != 0;
}
