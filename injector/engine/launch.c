/*
 * Launch: clone(CLONE_VM) onto a stack of its own, as posix_spawn does.
 * The child shares the tracer's memory until its exec, so it may not touch
 * anything the tracer uses: it makes raw system calls only (glibc's
 * wrappers write errno, which lives in the tracer's thread-local storage),
 * reads what sf_launch() prepared, and leaves the reason of a failure in
 * the struct for the tracer to report once the child is reaped.  It blocks
 * on a pipe until the tracer has seized it, so the first thing it does
 * under ptrace is the command's own execve; it is never stopped on the
 * way (no SIGSTOP dance), so no group-stop needs undoing.
 */
#include "engine/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine/raw_syscall.h"
#include "engine/wake.h"

#define SF_LAUNCH_STACK (256 * 1024)   /* ASan's frames are large; only touched pages cost */
#define SF_DEFAULT_PATH "/bin:/usr/bin"   /* execvp's, when PATH is unset */

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
	sp->failure = failure;
	sp->err = (int)-err;
	return code;
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

static int child_main(void *arg)
{
	struct sf_launch *sp = arg;
	char byte;
	long r;

	child_reset_signals(sp);
	sf_raw3(SYS_close, sp->go_fd_tracer, 0, 0);
	do
		r = sf_raw3(SYS_read, sp->go_fd, &byte, 1);
	while (r == -EINTR);
	if (r != 0)   /* the tracer gave up: it writes a byte, or died */
		return child_fail(sp, SF_LAUNCH_ABANDONED, 0, 125);
	if (sp->filter && (r = sf_seccomp_install(sp->filter)) < 0)
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

static int prepare(struct sf_launch *sp, char *const argv[], const struct sf_seccomp_prog *filter)
{
	memset(sp, 0, sizeof(*sp));
	sp->go_fd = sp->go_fd_tracer = -1;
	sp->argv = argv;
	sp->filter = filter;
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
	sp->stack = mmap(NULL, SF_LAUNCH_STACK, PROT_READ | PROT_WRITE,
			 // cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (sp->stack == MAP_FAILED) {
		sp->stack = NULL;
		return -errno;
	}
	return 0;
}

/* Signals stay blocked across the clone: no handler of the tracer's may run in the child. */
static pid_t start_child(struct sf_launch *sp)
{
	sigset_t all, tracer_mask;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &tracer_mask);
	pid_t pid = clone(child_main, (char *)sp->stack + SF_LAUNCH_STACK, CLONE_VM | SIGCHLD, sp);
	int err = errno;
	sigprocmask(SIG_SETMASK, &tracer_mask, NULL);
	return pid < 0 ? -err : pid;
}

pid_t sf_launch(struct sf_launch *sp, char *const argv[], unsigned long options,
	       const struct sf_seccomp_prog *filter)
{
	int go[2], err = prepare(sp, argv, filter);

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
		if (write(go[1], "x", 1) < 0) { /* the child exits either way */ }
		close(go[1]);
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
		return -err;
	}
	close(go[1]);   /* EOF: the child may exec now */
	return pid;
}

void sf_launch_release(struct sf_launch *sp)
{
	if (sp->failure == SF_LAUNCH_FILTER)
		sf_error("cannot install the seccomp filter: %s; try --engine ptrace",
			 strerror(sp->err));
	else if (sp->failure == SF_LAUNCH_EXEC)
		sf_error("cannot run '%s': %s", sp->argv[0], strerror(sp->err));
	sp->failure = SF_LAUNCH_OK;
	if (sp->paths)
		for (char **p = sp->paths; *p; p++)
			free(*p);
	free(sp->paths);
	free(sp->sh_argv);
	if (sp->stack)
		munmap(sp->stack, SF_LAUNCH_STACK);
	memset(sp, 0, sizeof(*sp));
}
