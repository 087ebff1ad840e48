/*
 * filter_calls: runs a script of calls given as arguments, for the tests of
 * rule filters (path, fd, fd_path, fd_type, process, args), and reports
 * every call it made, after the calls, one line each:
 *   "CTX I NAME WHAT ret=R"  or  "CTX I NAME WHAT ret=-1 errno=ENAME"
 * CTX is "step" (or the -n NAME given), "child K" in the K-th forked child,
 * "thread K" in the K-th thread; I counts from 1 in each.
 * Usage: filter_calls [-n NAME] STEP...
 * Reported steps (each one system call, made with syscall(2) so that the C
 * library adds nothing):
 *   open:PATH        openat(AT_FDCWD, PATH, O_RDONLY), closed again
 *   openw:PATH       openat(AT_FDCWD, PATH, O_WRONLY), closed again (openrw: O_RDWR)
 *   creat:PATH       openat(AT_FDCWD, PATH, O_WRONLY|O_CREAT|O_TRUNC, 0600), closed
 *   open@N:PATH      as open:, the fd moved to N and kept (openw@N:, openrw@N:,
 *                    dir@N: for O_WRONLY, O_RDWR, O_RDONLY|O_DIRECTORY)
 *   at:DIRFD:PATH    openat(DIRFD, PATH, O_RDONLY), closed (DIRFD may be -100)
 *   badptr           openat(AT_FDCWD, (char *)1, O_RDONLY): the kernel says EFAULT
 *   longpath         openat of a path of PATH_MAX + 100 bytes: ENAMETOOLONG
 *   write:N          write(N, 8 bytes)       read:N   read(N, 8 bytes)
 *   dup2:A:B         dup2(A, B) (x86_64; dup3(A, B, 0) elsewhere)
 * Set-up steps, not reported, made with calls no test puts under a rule:
 *   chdir:DIR, unshare-fs (CLONE_FS: this thread's cwd its own), name:COMM
 *   (prctl PR_SET_NAME), pipe@N (fds N, N+1, non-blocking), sock@N (a
 *   socketpair, N and N+1), eventfd@N
 * Structure:
 *   fork STEP... join     the steps run in a forked child, the parent waits
 *   thread STEP... join   the steps run in a new thread, the caller waits
 *   exec PROG ARG... ;    (in a child) execve PROG with the ARGs
 * The reports go out with writev(), which no test observes, retried on EINTR.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* One place that runs steps: the main program, a child, a thread. */
struct ctx {
	char name[32];
	int n;              /* calls reported so far */
	char out[1 << 16];
	size_t len;
};

static char **words;
static int n_words;
static int n_children, n_threads;

static void say(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(c->out + c->len, sizeof(c->out) - c->len, fmt, ap);
	va_end(ap);
	if (n > 0 && c->len + n < sizeof(c->out))
		c->len += n;
}

static void flush_report(struct ctx *c)
{
	for (size_t off = 0; off < c->len;) {
		struct iovec iov = {c->out + off, c->len - off};
		ssize_t r = writev(1, &iov, 1);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			_exit(3);
		off += r > 0 ? r : 0;
	}
	c->len = 0;
}

static void report(struct ctx *c, const char *name, const char *what, long r, int e)
{
	c->n++;
	if (r == -1)
		say(c, "%s %d %s %s ret=-1 errno=%s\n", c->name, c->n, name, what, strerrorname_np(e));
	else
		say(c, "%s %d %s %s ret=%ld\n", c->name, c->n, name, what, r);
}

static void die(const char *what)
{
	fprintf(stderr, "filter_calls: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Moves FD to number AT (closing FD), so tests can name it. */
static void place(int fd, int at)
{
	if (fd < 0 || fd == at)
		return;
	/* close and fcntl, not dup2/dup3: those are calls a test puts under
	 * a rule.  AT may be open already: inherited from whoever ran us. */
	close(at);
	if (fcntl(fd, F_DUPFD, at) != at)
		die("fcntl F_DUPFD");
	close(fd);
}

static long do_openat(int dirfd, const char *path, int flags)
{
	errno = 0;
	return syscall(SYS_openat, dirfd, path, flags, 0600);
}

/* open:, openw:, creat:, dir: with an optional @N. */
static int open_step(struct ctx *c, const char *w)
{
	static const struct { const char *word; int flags; } kinds[] = {
		{ "open", O_RDONLY }, { "openw", O_WRONLY }, { "openrw", O_RDWR },
		{ "creat", O_WRONLY | O_CREAT | O_TRUNC }, { "dir", O_RDONLY | O_DIRECTORY },
	};
	size_t len = strcspn(w, "@:");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strlen(kinds[k].word) != len || strncmp(w, kinds[k].word, len))
			continue;
		int at = -1;
		const char *path = w + len;
		if (*path == '@') {
			at = atoi(path + 1);
			path = strchr(path, ':');
			if (!path)
				return 0;
		}
		if (*path != ':')
			return 0;
		path++;
		long r = do_openat(AT_FDCWD, path, kinds[k].flags);
		report(c, "openat", path, r, errno);
		if (r >= 0 && at >= 0)
			place((int)r, at);
		else if (r >= 0)
			close((int)r);
		return 1;
	}
	return 0;
}

static int fd_step(struct ctx *c, const char *w)
{
	static uint64_t value = 1;
	char what[64];
	long r;
	int a, b;

	if (sscanf(w, "write:%d", &a) == 1) {
		snprintf(what, sizeof(what), "%d", a);
		errno = 0;
		r = syscall(SYS_write, a, &value, sizeof(value));
		report(c, "write", what, r, errno);
		return 1;
	}
	if (sscanf(w, "read:%d", &a) == 1) {
		uint64_t buf;
		snprintf(what, sizeof(what), "%d", a);
		errno = 0;
		r = syscall(SYS_read, a, &buf, sizeof(buf));
		report(c, "read", what, r, errno);
		return 1;
	}
	if (sscanf(w, "dup2:%d:%d", &a, &b) == 2) {
		snprintf(what, sizeof(what), "%d:%d", a, b);
		errno = 0;
#ifdef SYS_dup2
		r = syscall(SYS_dup2, a, b);
		report(c, "dup2", what, r, errno);
#else
		r = syscall(SYS_dup3, a, b, 0);
		report(c, "dup3", what, r, errno);
#endif
		return 1;
	}
	return 0;
}

static int path_step(struct ctx *c, const char *w)
{
	int dirfd, off = 0;

	if (sscanf(w, "at:%d:%n", &dirfd, &off) == 1 && off) {
		long r = do_openat(dirfd, w + off, O_RDONLY);
		report(c, "openat", w + 3, r, errno);
		if (r >= 0)
			close((int)r);
		return 1;
	}
	if (!strcmp(w, "badptr")) {
		long r = do_openat(AT_FDCWD, (const char *)1, O_RDONLY);
		report(c, "openat", "badptr", r, errno);
		return 1;
	}
	if (!strcmp(w, "longpath")) {
		static char path[PATH_MAX + 101];
		path[0] = '/';
		memset(path + 1, 'a', sizeof(path) - 2);
		path[sizeof(path) - 1] = 0;
		long r = do_openat(AT_FDCWD, path, O_RDONLY);
		report(c, "openat", "longpath", r, errno);
		return 1;
	}
	return 0;
}

static void setup_step(const char *w)
{
	int fds[2], at;

	if (!strncmp(w, "chdir:", 6)) {
		if (chdir(w + 6))
			die(w);
	} else if (!strcmp(w, "unshare-fs")) {
		if (unshare(CLONE_FS))
			die(w);
	} else if (!strncmp(w, "name:", 5)) {
		if (prctl(PR_SET_NAME, w + 5, 0, 0, 0))
			die(w);
	} else if (sscanf(w, "pipe@%d", &at) == 1) {
		if (pipe2(fds, O_NONBLOCK))
			die(w);
		place(fds[0], at + 100);
		place(fds[1], at + 101);
		place(at + 100, at);
		place(at + 101, at + 1);
	} else if (sscanf(w, "sock@%d", &at) == 1) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds))
			die(w);
		place(fds[0], at + 100);
		place(fds[1], at + 101);
		place(at + 100, at);
		place(at + 101, at + 1);
	} else if (sscanf(w, "eventfd@%d", &at) == 1) {
		int fd = eventfd(0, EFD_NONBLOCK);
		if (fd < 0)
			die(w);
		place(fd, at);
	} else {
		fprintf(stderr, "filter_calls: unknown step \"%s\"\n", w);
		exit(2);
	}
}

static int block_end(int from)   /* index of the "join" that ends the block at FROM */
{
	for (int i = from; i < n_words; i++)
		if (!strcmp(words[i], "join"))
			return i;
	fprintf(stderr, "filter_calls: \"%s\" without \"join\"\n", words[from - 1]);
	exit(2);
}

static void run_steps(struct ctx *c, int from, int to);

struct block { struct ctx ctx; int from, to; };

static void *thread_main(void *arg)
{
	struct block *b = arg;
	run_steps(&b->ctx, b->from, b->to);
	flush_report(&b->ctx);
	return NULL;
}

static void exec_step(int from, int to)
{
	char *argv[64];
	int n = 0;

	for (int i = from; i < to && n < 63 && strcmp(words[i], ";"); i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	fflush(stdout);
	execv(argv[0], argv);
	die("execv");
}

static void run_steps(struct ctx *c, int from, int to)
{
	for (int i = from; i < to; i++) {
		const char *w = words[i];
		if (!strcmp(w, "fork")) {
			int end = block_end(i + 1);
			static struct block b;   /* the child's copy is its own */
			int k = ++n_children;
			fflush(stdout);
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				snprintf(b.ctx.name, sizeof(b.ctx.name), "child %d", k);
				b.ctx.n = 0;
				b.ctx.len = 0;
				run_steps(&b.ctx, i + 1, end);
				flush_report(&b.ctx);
				_exit(0);
			}
			int status;
			if (waitpid(pid, &status, 0) < 0)
				die("waitpid");
			i = end;
		} else if (!strcmp(w, "thread")) {
			int end = block_end(i + 1);
			static struct block b;
			pthread_t t;
			snprintf(b.ctx.name, sizeof(b.ctx.name), "thread %d", ++n_threads);
			b.ctx.n = 0;
			b.ctx.len = 0;
			b.from = i + 1;
			b.to = end;
			if (pthread_create(&t, NULL, thread_main, &b))
				die("pthread_create");
			pthread_join(t, NULL);
			i = end;
		} else if (!strcmp(w, "exec")) {
			flush_report(c);
			exec_step(i + 1, to);
		} else if (!open_step(c, w) && !fd_step(c, w) && !path_step(c, w)) {
			setup_step(w);
		}
	}
}

int main(int argc, char **argv)
{
	static struct ctx main_ctx = {.name = "step"};
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		snprintf(main_ctx.name, sizeof(main_ctx.name), "%s", argv[2]);
		a = 3;
	}
	words = argv + a;
	n_words = argc - a;
	run_steps(&main_ctx, 0, n_words);
	flush_report(&main_ctx);
	return 0;
}
