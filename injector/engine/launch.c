/*
 * Launch: clone(CLONE_VM) onto a stack of its own, as posix_spawn does.
 * The child shares the tracer's memory until its exec, so it may not touch
 * anything the tracer uses: it makes raw system calls only (glibc's
 * wrappers write errno, which lives in the tracer's thread-local storage),
 * reads what sf_launch() prepared, and leaves the reason of a failure in
 * the struct for the tracer to report once the child is reaped.  It blocks
 * on a pipe until the tracer has seized it, so the first thing it does
 * under ptrace is the command's own execve; it is never stopped on the
 * way (no SIGSTOP dance), so no group-stop needs undoing.  It must never
 * run the command untraced: a dead tracer also closes the pipe, and its
 * seccomp filter would then make every selected call fail with ENOSYS.
 * SYSFAULT_LAUNCH=fork starts the same child with a plain fork, for tools
 * (valgrind) that cannot run a clone(CLONE_VM) without CLONE_THREAD.
 */
#include "engine/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/clone_into.h"
#include "engine/raw_syscall.h"
#include "engine/wake.h"

#define SF_LAUNCH_STACK (256 * 1024)   /* ASan's frames are large; only touched pages cost */
#define SF_DEFAULT_PATH "/bin:/usr/bin"   /* execvp's, when PATH is unset */
#define SF_LAUNCH_GO 'g'   /* the one byte that lets the child exec; EOF or anything else: give up */

extern char **environ;

/* ---- the child: raw system calls on shared memory ---- */

/* The kernel's struct sigaction on x86_64, not glibc's. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static int child_fail(struct sf_launch *sp, enum sf_launch_failure failure, long err, int code)
{
	sp->outcome->failure = failure;
	sp->outcome->err = (int)-err;
	return code;
}

/*
 * A tracer that dies before PTRACE_SEIZE leaves no EXITKILL to take the
 * child: PR_SET_PDEATHSIG does (prctl(2): sent when the thread that
 * created the child exits).  If the tracer died before the prctl, the
 * child has been reparented already: getppid() is no longer the tracer.
 */
static bool child_bind_to_tracer(const struct sf_launch *sp)
{
	sf_raw6(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
	return sf_raw3(SYS_getppid, 0, 0, 0) == sp->tracer;
}

/* Parses the decimal number after KEY in the NUL-terminated TEXT; -1 when absent. */
static long child_field(const char *text, const char *key)
{
	for (const char *p = text; *p; p++) {
		const char *k = key, *q = p;
		while (*k && *q == *k)
			k++, q++;
		if (*k)
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		long n = 0;
		while (*q >= '0' && *q <= '9')
			n = n * 10 + (*q++ - '0');
		return n;
	}
	return -1;
}

/*
 * The go byte comes only after a successful PTRACE_SEIZE, and from then on
 * EXITKILL covers the tracer's death; this second look, at TracerPid
 * (proc(5)), makes sure anyway.  Without /proc the byte has to do.
 */
static bool child_is_traced(const struct sf_launch *sp)
{
	char text[1024];
	long fd = sf_raw3(SYS_open, "/proc/self/status", O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0)
		return true;
	long n = sf_raw3(SYS_read, fd, text, sizeof(text) - 1);
	sf_raw3(SYS_close, fd, 0, 0);
	if (n <= 0)
		return true;
	text[n] = 0;
	long tracer = child_field(text, "\nTracerPid:");
	return tracer < 0 || tracer == sp->tracer_tid;
}

/* Blocks until the tracer says go; false when it gave up or died. */
static bool child_wait_for_go(const struct sf_launch *sp)
{
	char byte = 0;
	long r;

	sf_raw3(SYS_close, sp->go_fd_tracer, 0, 0);
	do
		r = sf_raw3(SYS_read, sp->go_fd, &byte, 1);
	while (r == -EINTR);
	if (r != 1 || byte != SF_LAUNCH_GO || !child_is_traced(sp))
		return false;
	/* Seized with EXITKILL now; the command starts with no parent-death signal, as natively. */
	sf_raw6(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0, 0);
	return true;
}

/* The command gets the dispositions sysfault started with, not its handlers. */
static void child_reset_signals(const struct sf_launch *sp)
{
	for (unsigned i = 0; i < sf_wake_signal_count; i++) {
		struct kernel_sigaction ka = { 0 };
		ka.handler = sp->ignored & (1ul << i) ? SIG_IGN : SIG_DFL;
		sf_raw6(SYS_rt_sigaction, sf_wake_signals[i], (long)&ka, 0, sizeof(ka.mask), 0, 0);
	}
	sf_raw6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&sp->mask, 0, sizeof(unsigned long), 0, 0);
}

/* execvp's search: which errors move on to the next candidate. */
static bool is_not_here(long err)
{
	return err == -ENOENT || err == -ESTALE || err == -ENOTDIR || err == -ENODEV ||
	       err == -EHOSTUNREACH || err == -ETIMEDOUT || err == -EACCES;
}

/*
 * Installs the filter and hands its listener to the tracer, before the
 * exec: from here on, a selected call of this child waits for whoever
 * reads the listener, so the hand-over is a ptrace stop (the filter sends
 * it to TRACE), where the tracer takes the fd with pidfd_getfd (notify.c).
 * The kernel allows one listener per filter chain: under another
 * supervisor's, the fallback sends every selected call to ptrace.
 */
static long child_install_filter(const struct sf_launch *sp)
{
	long r = sf_seccomp_install(sp->filter), fd = sp->filter->has_listener ? r : -1;

	if (r == -EBUSY && sp->fallback && sp->filter->has_listener) {
		fd = -1;
		r = sf_seccomp_install(sp->fallback);
	}
	if (r < 0)
		return r;
	if (sp->filter->has_handover)
		sf_raw3(SF_SECCOMP_HANDOVER_NR, fd, 0, 0);
	return 0;
}

static int child_main(void *arg)
{
	struct sf_launch *sp = arg;
	long r;

	if (!child_bind_to_tracer(sp))
		return child_fail(sp, SF_LAUNCH_ABANDONED, 0, 125);
	child_reset_signals(sp);
	if (!child_wait_for_go(sp))
		return child_fail(sp, SF_LAUNCH_ABANDONED, 0, 125);
	if (sp->filter && (r = child_install_filter(sp)) < 0)
		return child_fail(sp, SF_LAUNCH_FILTER, r, 125);
	bool got_eacces = false;
	r = -ENOENT;
	for (char **path = sp->paths; *path; path++) {
		r = sf_raw3(SYS_execve, *path, sp->argv, environ);
		if (r == -ENOEXEC) {   /* a script without #!: execvp hands it to sh */
			sp->sh_argv[1] = *path;
			r = sf_raw3(SYS_execve, sp->sh_argv[0], sp->sh_argv, environ);
			break;
		}
		if (!is_not_here(r))
			break;
		got_eacces |= r == -EACCES;
	}
	if (is_not_here(r) && got_eacces)
		r = -EACCES;
	return child_fail(sp, SF_LAUNCH_EXEC, r, r == -ENOENT || r == -ENOTDIR ? 127 : 126);
}

/* ---- the tracer's side ---- */

static char *join(const char *dir, size_t n, const char *file)
{
	size_t f = strlen(file);
	char *s = malloc(n + 1 + f + 1);

	if (!s)
		return NULL;
	memcpy(s, dir, n);
	s[n] = '/';
	/* An empty PATH entry is the current directory: the bare name. */
	memcpy(s + n + (n > 0), file, f + 1);
	return s;
}

/* The candidates execvp would try for FILE, in order. */
static char **candidates(const char *file)
{
	const char *path = getenv("PATH");
	size_t n = 1;

	if (strchr(file, '/') || !*file)
		path = NULL;
	else if (!path)
		path = SF_DEFAULT_PATH;
	for (const char *p = path; p && *p; p++)
		n += *p == ':';
	char **v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	if (!path) {
		v[0] = strdup(file);
		return v[0] ? v : (free(v), NULL);
	}
	size_t k = 0;
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		if (!(v[k++] = join(p, (size_t)(end - p), file))) {
			for (size_t i = 0; i < k; i++)
				free(v[i]);
			free(v);
			return NULL;
		}
		if (!*end)
			break;
		p = end;
	}
	return v;
}

/* SYSFAULT_LAUNCH: clone (the default) or fork (README, Engine: Start-up). */
static bool wants_fork(void)
{
	const char *env = getenv("SYSFAULT_LAUNCH");

	if (!env || !*env || !strcmp(env, "clone"))
		return false;
	if (!strcmp(env, "fork"))
		return true;
	sf_warning("SYSFAULT_LAUNCH=%s is not a way to start the command; use clone or fork", env);
	return false;
}

/* Under clone the child writes its outcome here; under fork, into a page both share. */
static int map_child_memory(struct sf_launch *sp)
{
	void *p;

	if (sp->is_fork)
		p = mmap(NULL, sizeof(*sp->outcome), PROT_READ | PROT_WRITE,
			 // cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	else
		p = mmap(NULL, SF_LAUNCH_STACK, PROT_READ | PROT_WRITE,
			 // cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (sp->is_fork) {
		sp->outcome = p;
	} else {
		sp->stack = p;
		sp->outcome = &sp->own_outcome;
	}
	return 0;
}

static int prepare(struct sf_launch *sp, char *const argv[], const struct sf_seccomp_prog *filter,
		   const struct sf_seccomp_prog *fallback, int cgroup_fd)
{
	memset(sp, 0, sizeof(*sp));
	sp->go_fd = sp->go_fd_tracer = -1;
	sp->cgroup_fd = cgroup_fd;
	sp->argv = argv;
	sp->filter = filter;
	sp->fallback = fallback;
	sp->tracer = getpid();
	sp->tracer_tid = gettid();
	sp->is_fork = wants_fork();
	while (argv[sp->argc])
		sp->argc++;
	sp->paths = candidates(argv[0]);
	sp->sh_argv = calloc(sp->argc + 2, sizeof(*sp->sh_argv));
	if (!sp->paths || !sp->sh_argv)
		return -ENOMEM;
	sp->sh_argv[0] = "/bin/sh";
	for (size_t i = 1; i < sp->argc; i++)
		sp->sh_argv[i + 1] = argv[i];
	for (unsigned i = 0; i < sf_wake_signal_count; i++)
		if (sf_wake_was_ignored(i))
			sp->ignored |= 1ul << i;
	sp->mask = *sf_wake_original_mask();
	return map_child_memory(sp);
}

/* Signals stay blocked across the clone: no handler of the tracer's may run in the child. */
static pid_t start_child(struct sf_launch *sp)
{
	sigset_t all, tracer_mask;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &tracer_mask);
	/* Born in the run's cgroup (CPU placement) where it can be; else where sysfault is. */
	pid = sp->cgroup_fd < 0 ? -1
	      : sf_clone_into(sp->cgroup_fd, sp->is_fork ? NULL : sp->stack, SF_LAUNCH_STACK,
			      child_main, sp);
	sp->cgroup_err = sp->cgroup_fd >= 0 && pid < 0 ? (int)pid : 0;
	if (pid < 0 && !sp->is_fork)
		pid = clone(child_main, (char *)sp->stack + SF_LAUNCH_STACK, CLONE_VM | SIGCHLD, sp);
	else if (pid < 0 && (pid = fork()) == 0)
		_exit(child_main(sp));
	int err = errno;
	sigprocmask(SIG_SETMASK, &tracer_mask, NULL);
	return pid < 0 ? -err : pid;
}

pid_t sf_launch(struct sf_launch *sp, char *const argv[], unsigned long options,
	       const struct sf_seccomp_prog *filter, const struct sf_seccomp_prog *fallback, int cgroup_fd)
{
	int go[2], err = prepare(sp, argv, filter, fallback, cgroup_fd);

	if (err < 0) {
		sf_error("cannot start '%s': %s", argv[0], strerror(-err));
		return err;
	}
	if (pipe2(go, O_CLOEXEC) < 0) {
		err = errno;
		sf_error("pipe: %s", strerror(err));
		return -err;
	}
	sp->go_fd = go[0];
	sp->go_fd_tracer = go[1];
	pid_t pid = start_child(sp);
	close(go[0]);
	if (pid < 0) {
		sf_error("clone: %s", strerror((int)-pid));
		close(go[1]);
		return pid;
	}
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)options) < 0) {
		err = errno;
		sf_error("ptrace(PTRACE_SEIZE, %d): %s", pid, strerror(err));
		close(go[1]);   /* EOF: the child gives up */
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
		return -err;
	}
	if (write(go[1], &(char){ SF_LAUNCH_GO }, 1) < 0) { /* the child is gone: its exit status follows */ }
	close(go[1]);
	return pid;
}

void sf_launch_release(struct sf_launch *sp)
{
	const struct sf_launch_outcome *o = sp->outcome ? sp->outcome : &sp->own_outcome;

	if (o->failure == SF_LAUNCH_FILTER && o->err == EBUSY && sp->filter && sp->filter->has_listener)
		sf_error("cannot install the seccomp filter with a listener: another supervisor's "
			 "listener is on this process's filters (EBUSY); try --engine seccomp");
	else if (o->failure == SF_LAUNCH_FILTER)
		sf_error("cannot install the seccomp filter: %s; try --engine ptrace",
			 strerror(o->err));
	else if (o->failure == SF_LAUNCH_EXEC)
		sf_error("cannot run '%s': %s", sp->argv[0], strerror(o->err));
	if (sp->is_fork && sp->outcome)
		munmap(sp->outcome, sizeof(*sp->outcome));
	if (sp->paths)
		for (char **p = sp->paths; *p; p++)
			free(*p);
	free(sp->paths);
	free(sp->sh_argv);
	if (sp->stack)
		munmap(sp->stack, SF_LAUNCH_STACK);
	memset(sp, 0, sizeof(*sp));
}
