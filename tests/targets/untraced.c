/*
 * untraced: a child started with CLONE_UNTRACED, which a tracer does not
 * follow, makes one getppid call; so does the parent, after the child
 * ended.  Both inherit the filter of a seccomp engine.  Prints
 *   "child getppid ok" or "child getppid ret=-1 errno=E"
 *   "parent getppid ok" or "parent getppid ret=-1 errno=E"
 * Usage: untraced
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *who, long ret, int err)
{
	if (ret < 0)
		printf("%s getppid ret=-1 errno=%s\n", who, strerrorname_np(err));
	else
		printf("%s getppid ok\n", who);
	fflush(stdout);
}

static int child(void *arg)
{
	(void)arg;
	long ret = syscall(SYS_getppid);
	report("child", ret, errno);
	return 0;
}

int main(void)
{
	static char stack[64 * 1024];
	pid_t pid = clone(child, stack + sizeof(stack), CLONE_UNTRACED | SIGCHLD, NULL);

	if (pid < 0)
		return 2;
	waitpid(pid, NULL, 0);
	long ret = syscall(SYS_getppid);
	report("parent", ret, errno);
	return 0;
}
