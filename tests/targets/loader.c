/*
 * loader: makes the program's own calls and the dynamic loader's (ld.so,
 * through dlopen) after start-up, from the main thread, a new thread or a
 * forked child, and prints what came of each step, one line per step:
 *   "open PATH ret=FD"      or  "open PATH ret=-1 errno=ENAME"
 *   "dlopen LIB ok"         or  "dlopen LIB failed: WHY"
 * Usage: loader [fork|thread] STEP...   with STEP one of
 *   open PATH     open(2) PATH read-only (an openat from libc)
 *   dlopen LIB    dlopen(3) LIB: ld.so opens, reads and maps it itself
 *   exec PROG ARG...   execv(2) PROG with the rest as its arguments
 * fork runs the steps in a child and adds "child status=N"; thread in a
 * second thread.  Exits 0 when every step worked, 1 otherwise.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_step(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		printf("open %s ret=-1 errno=%s\n", path, strerrorname_np(errno));
	else
		printf("open %s ret=%d\n", path, fd);
	return fd < 0;
}

static int dlopen_step(const char *lib)
{
	void *h = dlopen(lib, RTLD_NOW);

	if (h)
		printf("dlopen %s ok\n", lib);
	else
		printf("dlopen %s failed: %s\n", lib, dlerror());
	return h == NULL;
}

static int steps(char **argv)
{
	int failed = 0;

	for (; argv[0] && argv[1]; argv += 2) {
		if (!strcmp(argv[0], "open")) {
			failed |= open_step(argv[1]);
		} else if (!strcmp(argv[0], "dlopen")) {
			failed |= dlopen_step(argv[1]);
		} else if (!strcmp(argv[0], "exec")) {
			fflush(stdout);
			execv(argv[1], argv + 1);
			printf("exec %s failed: %s\n", argv[1], strerror(errno));
			return 1;
		} else {
			printf("unknown step %s\n", argv[0]);
			return 1;
		}
		fflush(stdout);
	}
	return failed;
}

static void *thread_main(void *arg)
{
	return (void *)(long)steps(arg);
}

int main(int argc, char **argv)
{
	void *ret = NULL;

	if (argc > 1 && !strcmp(argv[1], "fork")) {
		fflush(stdout);
		pid_t pid = fork();
		int status = 0;
		if (pid == 0)
			_exit(steps(argv + 2));
		waitpid(pid, &status, 0);
		printf("child status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return status != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "thread")) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_main, argv + 2))
			return 2;
		pthread_join(t, &ret);
		return ret != NULL;
	}
	return steps(argv + 1);
}
